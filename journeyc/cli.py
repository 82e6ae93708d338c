"""The `journeyc` command line (CLI.md), declared with click. Start-up stays
light: only click is imported here; each command imports the pipeline
pieces it needs. What the commands do lives in `journeyc.commands`; the
executable starts in `journeyc.launch`, which runs a plain
`journeyc check PATH...` without loading this module."""
from __future__ import annotations

import os
import sys

import click

from . import __version__, commands
from .commands import CHECK_FORMATS, EXIT_FINDINGS, EXIT_OK, FAIL_ON, emit_diagnostics, guarded, prepare


class JourneycGroup(click.Group):
    """Every command runs `guarded` (journeyc.commands): unexpected
    exceptions become a one-line report and exit 2 (`--debug` shows the
    traceback); SIGTERM an orderly exit 143."""

    def invoke(self, ctx):
        return guarded(lambda: super(JourneycGroup, self).invoke(ctx),
                       debug=lambda: bool(ctx.obj and ctx.obj.get("debug")),
                       passthrough=(click.exceptions.Exit, click.ClickException, click.Abort))


@click.group(cls=JourneycGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="journeyc")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx, debug):
    """journeyc: compile and lint customer journeys written as code."""
    ctx.obj = {"debug": debug}
    prepare()


def _source_line(session):
    by_path = {lf.path: lf for lf in session.files.values()}
    split: dict[str, list[str]] = {}

    def line(path: str, lineno: int):
        lf = by_path.get(path)
        if lf is None or lf.source is None:
            return None
        if path not in split:
            split[path] = lf.source.text.split("\n")
        lines = split[path]
        return lines[lineno - 1] if 0 < lineno <= len(lines) else None

    return line


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output-format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True,
              help="How to print the diagnostics: for people (text, concise), programs (json) or CI "
                   "(sarif, github, junit, gitlab).")
@click.option("--select", metavar="CODES", help="Comma-separated lint codes or prefixes to enable (M, C001, ALL); "
                                                "replaces the configuration's select.")
@click.option("--ignore", metavar="CODES", help="Comma-separated lint codes or prefixes to disable; adds to the "
                                                "configuration's ignore.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a diagnostic is at or above this level (compile errors always count). "
                   "[default: the configuration's fail-on, else warning]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Read this journeyc.toml (or pyproject.toml) instead of the nearest one above the first path.")
@click.option("--statistics", is_flag=True, help="Print how many diagnostics each rule reported, instead of them.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only the findings that are not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record the current lint findings in FILE (then report only what is not recorded: nothing but "
                   "compile errors).")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes for runs over many files (0: every core; 1: no worker processes).")
@click.option("--no-cache", is_flag=True,
              help="Neither replay nor record results (also JOURNEYC_NO_RESULT_CACHE=1).")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR", default=None,
              help="Keep the result cache here. [default: $JOURNEYC_CACHE_DIR, else .journeyc_cache in the "
                   "project root]")
@click.pass_context
def check(ctx, paths, fmt, select, ignore, fail_on, config_path, statistics, baseline_path, write_baseline_path,
          allow_imports_outside_root, jobs, no_cache, cache_dir):
    """Parse, resolve and lint journey files (folders: every *.journey below)."""
    if baseline_path and write_baseline_path:
        raise click.UsageError("give either --baseline or --write-baseline, not both")
    if statistics and fmt not in ("text", "concise", "json"):
        raise click.UsageError(f"--statistics prints a table or JSON: use it with --output-format text, concise "
                               f"or json, not {fmt}")
    sys.exit(commands.check(paths, fmt, select, ignore, fail_on, config_path, statistics, baseline_path,
                            write_baseline_path, allow_imports_outside_root, jobs,
                            debug=bool(ctx.obj and ctx.obj.get("debug")), no_cache=no_cache, cache_dir=cache_dir))


@main.command()
@click.option("--output-format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True,
              help="text: a table; json: for programs; markdown: every rule and compile error with its "
                   "documentation and examples (docs/rules.md is this output).")
def rules(fmt):
    """List every lint rule: code, name, default severity, summary."""
    from .lint.rules import RULES

    if fmt == "markdown":
        from .reference import rules_markdown

        sys.stdout.write(rules_markdown())
        return
    if fmt == "json":
        import json

        doc = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "family": r.family,
                "options": [{"name": o.name, "default": list(o.default) if isinstance(o.default, tuple) else o.default,
                             "help": o.help} for o in r.options]}
               for r in RULES]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    widths = [max(len(r.code) for r in RULES), max(len(r.name) for r in RULES), len("severity")]
    out = [f"{'code':<{widths[0]}}  {'name':<{widths[1]}}  {'severity':<{widths[2]}}  summary"]
    for r in RULES:
        out.append(f"{r.code:<{widths[0]}}  {r.name:<{widths[1]}}  {r.severity:<{widths[2]}}  {r.summary}")
    out.append("")
    out.append("`journeyc explain CODE` shows a rule's documentation; compile errors E001-E010 are always reported.")
    sys.stdout.write("\n".join(out) + "\n")


@main.command()
@click.argument("code")
def explain(code):
    """Show the documentation of a rule (or compile error) with its examples."""
    from .codes import COMPILE_ERRORS
    from .lint.rules import RULES
    from .load import JourneycError

    wanted = code.strip().upper()
    for r in list(RULES) + list(COMPILE_ERRORS):
        if r.code == wanted or r.name == code.strip().lower():
            from .reference import explain_text

            sys.stdout.write(explain_text(r))
            return
    from .build import closest

    best = closest(wanted, [r.code for r in list(RULES) + list(COMPILE_ERRORS)])
    hint = f"; did you mean {best}?" if best else ""
    raise JourneycError(f"unknown rule code '{code}'{hint} (`journeyc rules` lists them)")


COMPILE_FORMATS = ("json", "dot", "svg", "png", "pdf", "mermaid", "mermaid-journey")
BINARY_FORMATS = ("png", "pdf")
ANNOTATED_FORMATS = ("dot", "svg", "png", "pdf", "mermaid")
EXTENSIONS = {"mermaid": "mmd", "mermaid-journey": "journey.mmd"}


@main.command(name="compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(), help="Write here (a folder when there are several roots).")
@click.option("--format", "fmt", type=click.Choice(COMPILE_FORMATS), default="json", show_default=True,
              help="What to produce: the compiled JSON; a Graphviz diagram (dot, or rendered by Graphviz's `dot` "
                   "to svg, png, pdf); a Mermaid flowchart (mermaid) or Mermaid journey diagram (mermaid-journey).")
@click.option("--with-locations", is_flag=True, help="Add source locations to every declared object (json).")
@click.option("--annotate", is_flag=True,
              help="Lint too, and mark the stages, touchpoints and journeys with findings "
                   "(dot, svg, png, pdf, mermaid).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="The journeyc.toml whose lint settings --annotate uses (default: the nearest).")
@click.option("--watch", is_flag=True, help="Stay running and write again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def compile_cmd(paths, output, fmt, with_locations, annotate, config_path, watch, allow_imports_outside_root):
    """Compile journeys to JSON, a Graphviz diagram or Mermaid. Nothing is
    written when there are compile errors."""
    from .load import JourneycError

    if annotate and fmt not in ANNOTATED_FORMATS:
        raise click.UsageError(f"--annotate draws lint findings on a diagram: use it with --format "
                               f"{', '.join(ANNOTATED_FORMATS)}, not {fmt}")
    if with_locations and fmt != "json":
        raise click.UsageError(f"--with-locations adds locations to the JSON: it does not apply to --format {fmt}")
    if config_path and not annotate:
        raise click.UsageError("--config gives the lint settings of --annotate: use it with --annotate")
    if watch and output is None:
        raise click.UsageError("--watch writes files again and again: give -o FILE (or -o FOLDER)")
    if output is None and fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise JourneycError(f"refusing to write {fmt.upper()} to a terminal: give -o FILE, "
                            "or redirect standard output to a file or a pipe")

    if watch:
        from .watch import watch_paths

        def build(read: list) -> int:
            return _compile_once(list(paths), output, fmt, with_locations, annotate, config_path,
                                 allow_imports_outside_root, read)

        watch_paths(list(paths), build)
        return
    sys.exit(_compile_once(list(paths), output, fmt, with_locations, annotate, config_path,
                           allow_imports_outside_root))


def _compile_once(paths, output, fmt, with_locations, annotate, config_path, allow_imports_outside_root,
                  read: list | None = None) -> int:
    """One compile: writes the outputs and returns the exit status (0, or 1
    after printing compile errors); trouble is a JourneycError. In watch
    mode (`read` given) it says what it wrote, and lists in `read` the files
    the compile read."""
    from .compiler import compile_root, discover_roots
    from .diagnostics import merge
    from .load import JourneycError, Session

    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    try:
        findings = None
        if annotate:
            run = _lint_run(paths, session, config_path)
            results = run.results
            findings = [d for d in run.diagnostics if not d.is_compile_error]
        else:
            roots = discover_roots(session, paths)
            results = [compile_root(session, r) for r in roots]
        errors = merge(d for r in results for d in r.errors)
        if errors:
            emit_diagnostics(errors, _source_line(session), len(session.files), "text", sys.stderr)
            return EXIT_FINDINGS
        outputs = [(r.root, render_output(r.compilation, fmt, with_locations, findings)) for r in results]
        if output is None:
            if len(outputs) > 1:
                raise JourneycError(f"{len(outputs)} compilations ({', '.join(r for r, _ in outputs)}): "
                                    "give -o FOLDER to write one file each")
            sys.stdout.buffer.write(outputs[0][1])
            sys.stdout.flush()
            return EXIT_OK
        written = write_outputs(outputs, output, fmt)
        if read is not None:
            for path in written:
                click.echo(f"journeyc: wrote {path}", err=True)
        return EXIT_OK
    finally:
        if read is not None:
            read.extend(lf.real_path for lf in session.files.values())


def _lint_run(paths, session, config_path):
    """Compile and lint as `check` does (configuration included)."""
    from .compiler import run_check
    from .config import resolve_config
    from .lint import RuleCrash
    from .load import JourneycError

    config = resolve_config(list(paths), config_path)
    try:
        return run_check(list(paths), session, config)
    except RuleCrash as crash:
        raise JourneycError(f"{crash} (run with --debug for the traceback, and please report it)") from None


def render_output(comp, fmt: str, with_locations: bool = False, findings=None) -> bytes:
    """One compilation in `fmt`; `findings` (lint diagnostics) annotate a diagram."""
    if fmt == "json":
        from .backends import json as json_backend

        return json_backend.dumps(json_backend.to_json(comp, with_locations)).encode("utf-8")
    if fmt == "mermaid":
        from .backends import mermaid

        return mermaid.to_flowchart(comp, findings).encode("utf-8")
    if fmt == "mermaid-journey":
        from .backends import mermaid

        return mermaid.to_journey(comp).encode("utf-8")
    from .backends import dot

    source = dot.to_dot(comp, findings)
    if fmt == "dot":
        return source.encode("utf-8")
    return dot.render(source, fmt)


def write_outputs(outputs, output: str, fmt: str) -> list[str]:
    """Writes each output atomically; returns the paths written."""
    from .fsutil import write_atomic
    from .load import JourneycError

    if len(outputs) == 1 and not os.path.isdir(output):
        write_atomic(output, outputs[0][1])
        return [output]
    if not os.path.isdir(output):
        raise JourneycError(f"{output}: not a folder; with several roots, -o names a folder")
    written = []
    for root, data in outputs:
        stem = os.path.splitext(os.path.basename(root))[0]
        path = os.path.join(output, f"{stem}.{EXTENSIONS.get(fmt, fmt)}")
        write_atomic(path, data)
        written.append(path)
    return written



@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the HTML page here (default: standard output).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="A journeyc.toml for the lint findings (default: the nearest).")
@click.option("--watch", is_flag=True, help="Stay running and write the page again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def report(paths, output, config_path, watch, allow_imports_outside_root):
    """Write an HTML report: per journey the diagram, the stages, the
    coverage of the seven CPE areas, what is measured, and the lint
    findings. One self-contained file that loads nothing from the network."""
    if watch and output is None:
        raise click.UsageError("--watch writes the page again and again: give -o FILE")
    if watch:
        from .watch import watch_paths

        def build(read: list) -> int:
            return _report_once(list(paths), output, config_path, allow_imports_outside_root, read)

        watch_paths(list(paths), build)
        return
    sys.exit(_report_once(list(paths), output, config_path, allow_imports_outside_root))


def _report_once(paths, output, config_path, allow_imports_outside_root, read: list | None = None) -> int:
    """One report: 0 when written, 1 after printing compile errors (nothing
    written); trouble is a JourneycError."""
    from .backends.report import render_report
    from .diagnostics import merge
    from .load import Session

    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    try:
        run = _lint_run(paths, session, config_path)
        errors = merge(d for r in run.results for d in r.errors)
        if errors:
            emit_diagnostics(errors, _source_line(session), len(session.files), "text", sys.stderr)
            return EXIT_FINDINGS
        page = render_report([r.compilation for r in run.results], run.diagnostics, _source_line(session))
        data = page.encode("utf-8")
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return EXIT_OK
        from .fsutil import write_atomic

        write_atomic(output, data)
        if read is not None:
            click.echo(f"journeyc: wrote {output}", err=True)
        return EXIT_OK
    finally:
        if read is not None:
            read.extend(lf.real_path for lf in session.files.values())


@main.command()
def schema():
    """Print the JSON Schema of the compiled JSON."""
    from .schema import schema_text

    sys.stdout.write(schema_text())

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

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's standalone handling, with click's own error messages
        (which quote the value given) shown with control characters escaped."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as e:
            from .render import safe

            message = e.format_message()
            e.format_message = lambda: safe(message, tab=True)
            e.show()
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

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
    from .errors import JourneycError

    wanted = code.strip().upper()
    for r in list(RULES) + list(COMPILE_ERRORS):
        if r.code == wanted or r.name == code.strip().lower():
            from .reference import explain_text

            sys.stdout.write(explain_text(r))
            return
    from .build import closest
    from .wording import did_you_mean_phrase

    best = closest(wanted, [r.code for r in list(RULES) + list(COMPILE_ERRORS)])
    hint = f"; {did_you_mean_phrase(best)}" if best else ""
    raise JourneycError(f"unknown rule code '{code}'{hint} (`journeyc rules` lists them)")


COMPILE_FORMATS = ("json", "dot", "svg", "png", "pdf", "mermaid", "mermaid-journey")
BINARY_FORMATS = ("png", "pdf")
ANNOTATED_FORMATS = ("dot", "svg", "png", "pdf", "mermaid")
EXTENSIONS = {"mermaid": "mmd", "mermaid-journey": "journey.mmd"}
VIEWS = ("flow", "blueprint", "emotion")
# view -> the formats it comes in
VIEW_FORMATS = {"flow": COMPILE_FORMATS[1:], "blueprint": ("dot", "svg", "png", "pdf"), "emotion": ("svg",)}


@main.command(name="compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(), help="Write here (a folder when there are several roots; - for standard output).")
@click.option("--format", "fmt", type=click.Choice(COMPILE_FORMATS), default="json", show_default=True,
              help="What to produce: the compiled JSON; a Graphviz diagram (dot, or rendered by Graphviz's `dot` "
                   "to svg, png, pdf); a Mermaid flowchart (mermaid) or Mermaid journey diagram (mermaid-journey).")
@click.option("--view", type=click.Choice(VIEWS), default="flow", show_default=True,
              help="Which diagram: the flow of stages and touchpoints; the service blueprint (dot, svg, png, pdf: "
                   "stages as columns, customer actions, frontstage, line of visibility, backstage, support); "
                   "the emotion curve per persona (svg).")
@click.option("--with-locations", is_flag=True, help="Add source locations to every declared object (json).")
@click.option("--annotate", is_flag=True,
              help="Lint too, and mark the stages, touchpoints and journeys with findings "
                   "(dot, svg, png, pdf, mermaid; flow view).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="The journeyc.toml whose lint settings --annotate uses (default: the nearest).")
@click.option("--watch", is_flag=True, help="Stay running and write again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
@click.option("--layout-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Most seconds Graphviz may spend laying out a diagram (svg, png, pdf). [default: 25]")
def compile_cmd(paths, output, fmt, view, with_locations, annotate, config_path, watch, allow_imports_outside_root,
                layout_timeout):
    """Compile journeys to JSON, a Graphviz diagram or Mermaid. Nothing is
    written when there are compile errors."""
    from .errors import JourneycError

    if view != "flow" and fmt not in VIEW_FORMATS[view]:
        raise click.UsageError(f"--view {view} comes as --format {', '.join(VIEW_FORMATS[view])}, not {fmt}")
    if view != "flow" and annotate:
        raise click.UsageError(f"--annotate marks lint findings on the flow view, not on --view {view}")

    if annotate and fmt not in ANNOTATED_FORMATS:
        raise click.UsageError(f"--annotate draws lint findings on a diagram: use it with --format "
                               f"{', '.join(ANNOTATED_FORMATS)}, not {fmt}")
    if with_locations and fmt != "json":
        raise click.UsageError(f"--with-locations adds locations to the JSON: it does not apply to --format {fmt}")
    if config_path and not annotate:
        raise click.UsageError("--config gives the lint settings of --annotate: use it with --annotate")
    if watch and output is None:
        raise click.UsageError("--watch writes files again and again: give -o FILE (or -o FOLDER)")
    if output == "-":  # `-o -`: standard output, as without -o
        if watch:
            raise click.UsageError("--watch writes files again and again: give -o FILE (or -o FOLDER), not -o -")
        output = None
    if output is None and fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise JourneycError(f"refusing to write {fmt.upper()} to a terminal: give -o FILE, "
                            "or redirect standard output to a file or a pipe")

    if watch:
        from .watch import watch_paths

        def build(read: list) -> int:
            return _compile_once(list(paths), output, fmt, with_locations, annotate, config_path,
                                 allow_imports_outside_root, read, view, layout_timeout)

        watch_paths(list(paths), build)
        return
    sys.exit(_compile_once(list(paths), output, fmt, with_locations, annotate, config_path,
                           allow_imports_outside_root, view=view, layout_timeout=layout_timeout))


def _compile_once(paths, output, fmt, with_locations, annotate, config_path, allow_imports_outside_root,
                  read: list | None = None, view: str = "flow", layout_timeout: float | None = None) -> int:
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
        commands.warn(session.warnings)
        errors = merge(d for r in results for d in r.errors)
        if errors:
            emit_diagnostics(errors, _source_line(session), len(session.files), "text", sys.stderr)
            return EXIT_FINDINGS
        outputs = [(r.root, render_output(r.compilation, fmt, with_locations, findings, view, layout_timeout))
                   for r in results]
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
                commands.say(f"journeyc: wrote {path}")
        return EXIT_OK
    finally:
        if read is not None:
            read.extend(session.read_paths())


def _lint_run(paths, session, config_path):
    """Compile and lint as `check` does (configuration included)."""
    from .compiler import run_check
    from .config import resolve_config
    from .lint import RuleCrash
    from .errors import JourneycError

    config = resolve_config(list(paths), config_path)
    try:
        return run_check(list(paths), session, config)
    except RuleCrash as crash:
        raise JourneycError(f"{crash} (run with --debug for the traceback, and please report it)") from None


def render_output(comp, fmt: str, with_locations: bool = False, findings=None, view: str = "flow",
                  layout_timeout: float | None = None) -> bytes:
    """One compilation in `fmt` and `view`; `findings` (lint diagnostics)
    annotate a diagram; Graphviz's layout gets at most `layout_timeout` seconds."""
    if view == "emotion":
        from .backends import emotion

        return emotion.to_svg(comp).encode("utf-8")
    if view == "blueprint":
        from .backends import blueprint

        if fmt == "dot":
            return blueprint.to_dot(comp).encode("utf-8")
        return blueprint.draw(comp, fmt, timeout=layout_timeout)
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

    if fmt == "dot":
        return dot.to_dot(comp, findings).encode("utf-8")
    return dot.draw(comp, fmt, findings, timeout=layout_timeout)


def write_outputs(outputs, output: str, fmt: str) -> list[str]:
    """Writes each output atomically; returns the paths written. With
    several outputs (or `-o` ending in a slash) `output` is a folder that
    must exist; outputs that would land on one file stop the run before
    anything is written."""
    from .fsutil import write_atomic
    from .errors import JourneycError

    as_folder = len(outputs) > 1 or output.endswith(("/", os.sep))
    if not as_folder and not os.path.isdir(output):
        write_atomic(output, outputs[0][1])
        return [output]
    if not os.path.isdir(output):
        if not os.path.lexists(output.rstrip("/" + os.sep) or output):
            raise JourneycError(f"{output}: the folder does not exist; create it first"
                                + ("" if len(outputs) == 1 else " (with several roots, -o names a folder)"))
        raise JourneycError(f"{output}: not a folder" + ("" if len(outputs) == 1 else
                                                        "; with several roots, -o names a folder"))
    paths: dict[str, str] = {}
    stems = [os.path.splitext(os.path.basename(root))[0] for root, _ in outputs]
    common = os.path.commonpath([os.path.dirname(os.path.abspath(root)) for root, _ in outputs])
    for (root, _), stem in zip(outputs, stems):
        if stems.count(stem) > 1:
            # two roots of one name (specs/saas.journey, specs/future/saas.journey): saas, future-saas
            rel = os.path.relpath(os.path.splitext(os.path.abspath(root))[0], common)
            stem = rel.replace(os.sep, "-").replace("/", "-")
        path = os.path.join(output, f"{stem}.{EXTENSIONS.get(fmt, fmt)}")
        if path in paths:
            raise JourneycError(f"{paths[path]} and {root} would both be written to {path}: nothing written; "
                                "compile them with separate -o folders (or rename one)")
        paths[path] = root
    written = []
    for (root, data), path in zip(outputs, paths):
        write_atomic(path, data)
        written.append(path)
    return written


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the HTML page here (default, or -: standard output).")
@click.option("--compare", nargs=2, type=click.Path(), metavar="CURRENT FUTURE",
              help="Compare a current-state journey with its future state (same journey id; files or folders): "
                   "stages and touchpoints added, removed and changed, and the emotion curves overlaid.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="A journeyc.toml for the lint findings (default: the nearest).")
@click.option("--watch", is_flag=True, help="Stay running and write the page again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
@click.option("--layout-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Most seconds Graphviz may spend laying out a diagram (svg, png, pdf). [default: 25]")
def report(paths, output, compare, config_path, watch, allow_imports_outside_root, layout_timeout):
    """Write an HTML report: per journey the diagram, the emotion curve, the
    service blueprint, pain points, opportunities, the stages, the coverage
    of the seven CPE areas, what is measured, and the lint findings. One
    self-contained file that loads nothing from the network."""
    if compare and paths:
        raise click.UsageError("give either PATHS or --compare CURRENT FUTURE, not both")
    if not compare and not paths:
        raise click.UsageError("give the journey files or folders to report on (or --compare CURRENT FUTURE)")
    if output == "-":  # `-o -`: standard output, as without -o
        output = None
    if watch and output is None:
        raise click.UsageError("--watch writes the page again and again: give -o FILE")
    groups = [[compare[0]], [compare[1]]] if compare else [list(paths)]
    if watch:
        from .watch import watch_paths

        def build(read: list) -> int:
            return _report_once(groups, output, config_path, allow_imports_outside_root, read, layout_timeout)

        watch_paths([p for g in groups for p in g], build)
        return
    sys.exit(_report_once(groups, output, config_path, allow_imports_outside_root, layout_timeout=layout_timeout))


def _report_once(groups, output, config_path, allow_imports_outside_root, read: list | None = None,
                 layout_timeout: float | None = None) -> int:
    """One report of one group of paths, or (two groups) a comparison of a
    current and a future state: 0 when written, 1 after printing compile
    errors (nothing written); trouble is a JourneycError."""
    from .backends.report import render_report
    from .diagnostics import merge
    from .load import Session

    sessions, runs = [], []
    try:
        for paths in groups:
            session = Session(allow_imports_outside_root=allow_imports_outside_root)
            sessions.append(session)
            run = _lint_run(paths, session, config_path)
            runs.append(run)
            commands.warn(session.warnings)
            errors = merge(d for r in run.results for d in r.errors)
            if errors:
                emit_diagnostics(errors, _source_line(session), len(session.files), "text", sys.stderr)
                return EXIT_FINDINGS
        lines = [_source_line(s) for s in sessions]

        def source_line(file, line):
            for get in lines:
                text = get(file, line)
                if text is not None:
                    return text
            return None

        from .backends import dot
        from .backends.report import default_blueprint, default_diagram, no_blueprint, no_diagram

        if dot.has_dot():
            def diagram(comp, journey, diags):
                return default_diagram(comp, journey, diags, layout_timeout)

            def blueprint(comp, journey):
                return default_blueprint(comp, journey, layout_timeout)
        else:
            diagram, blueprint = no_diagram, no_blueprint
            click.echo(f"journeyc: {dot.REPORT_WITHOUT_DOT}", err=True)
        comps = [[r.compilation for r in run.results] for run in runs]
        diagnostics = merge(d for run in runs for d in run.diagnostics)
        page = render_report([c for group in comps for c in group], diagnostics, source_line, diagram,
                             blueprint_svg=blueprint, compare=(comps[0], comps[1]) if len(comps) == 2 else None)
        data = page.encode("utf-8")
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return EXIT_OK
        from .fsutil import write_atomic

        write_atomic(output, data)
        if read is not None:
            commands.say(f"journeyc: wrote {output}")
        return EXIT_OK
    finally:
        if read is not None:
            for session in sessions:
                read.extend(session.read_paths())


@main.command()
def schema():
    """Print the JSON Schema of the compiled JSON."""
    from .schema import schema_text

    sys.stdout.write(schema_text())


@main.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change and exit 1 if any would.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of the changes and exit 1 if any.")
@click.option("--stdin-filename", metavar="NAME",
              help="The name of the text read from standard input (`-`), for messages.")
def fmt_cmd(paths, check, diff, stdin_filename):
    """Rewrite journey files in the canonical layout (docs/fmt.md). `-` reads
    standard input and writes standard output; with no path, the current
    folder. Files with syntax errors are left as they are (exit 1)."""
    from .fmt import run

    if stdin_filename and "-" not in paths:
        raise click.UsageError("--stdin-filename names the text of standard input: give `-` as a path")
    sys.exit(run(list(paths) or ["."], check=check, diff=diff, stdin_filename=stdin_filename))


@main.command(name="diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--against", "against", metavar="REF",
              help="Compare the working tree's PATHs (default: the current folder) with git revision REF "
                   "(read with `git show`, no checkout).")
@click.option("--output-format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for people, markdown for a pull-request comment, json for programs.")
@click.option("--lint", is_flag=True, help="Also list the lint findings the change introduces and fixes.")
@click.option("--fail-on-breaking", is_flag=True,
              help="Exit 1 on a breaking change: a removed or renamed id, a KPI unit changed, a loosened target "
                   "(docs/diff.md).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="The journeyc.toml whose lint settings --lint uses (default: the nearest).")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def diff_cmd(paths, against, fmt, lint, fail_on_breaking, config_path, allow_imports_outside_root):
    """Show what changed between two versions of journeys: `journeyc diff OLD NEW`,
    or `journeyc diff --against REF [PATH...]`."""
    from .diff import run

    if against is None and len(paths) != 2:
        raise click.UsageError("give OLD and NEW (two files or folders), or --against REF [PATH...]")
    if config_path and not lint:
        raise click.UsageError("--config gives the lint settings of --lint: use it with --lint")
    if against is not None:
        sys.exit(run(None, None, against, list(paths), fmt, lint, fail_on_breaking, config_path,
                     allow_imports_outside_root))
    sys.exit(run(paths[0], paths[1], None, [], fmt, lint, fail_on_breaking, config_path,
                 allow_imports_outside_root))


@main.command(name="init")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--template", type=click.Choice(["saas", "dtc", "b2b", "blank"]), default="blank", show_default=True,
              help="saas, dtc, b2b: the example specs (a subscription product, a direct-to-consumer brand, a B2B "
                   "product), with their catalogue; blank: one small journey to fill in.")
def init_cmd(folder, template):
    """Start a journey project: a starter spec, a journeyc.toml with every
    default spelt out, and a README.md. Writes only new files."""
    from .init import run

    sys.exit(run(folder, template))


@main.command()
def lsp():
    """Run the language server (Language Server Protocol, over standard
    input and output) for editors: diagnostics as you type, navigation,
    hover, completion and quick fixes."""
    from .lsp import main as serve

    serve()


# -- export / import ---------------------------------------------------------------

@main.group()
def export():
    """Write journeys in the formats of other tools (csv)."""


@export.command(name="csv")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the CSV here (default: standard output).")
@click.option("--excel", is_flag=True, help="Add a UTF-8 byte-order mark and CRLF line ends, for Excel.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def export_csv_cmd(paths, output, excel, allow_imports_outside_root):
    """One row per touchpoint: journey, stage, phase, touchpoint, channel,
    area, owner, audience, score, KPIs, messages (the columns:
    journeyc/csvio.py). Nothing is written when there are compile errors."""
    from .compiler import compile_root, discover_roots
    from .csvio import export_csv
    from .diagnostics import merge
    from .load import Session

    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    results = [compile_root(session, r) for r in discover_roots(session, list(paths))]
    errors = merge(d for r in results for d in r.errors)
    if errors:
        emit_diagnostics(errors, _source_line(session), len(session.files), "text", sys.stderr)
        sys.exit(EXIT_FINDINGS)
    _write_or_print(export_csv([r.compilation for r in results], excel), output)


def _write_or_print(data: bytes, output: str | None, force: bool = True) -> None:
    from .errors import JourneycError

    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    if not force and os.path.lexists(output):
        raise JourneycError(f"{output}: already exists; give --force to overwrite it")
    from .fsutil import write_atomic

    write_atomic(output, data)


def _read_input(path: str) -> bytes:
    from .errors import JourneycError

    if path == "-":
        return sys.stdin.buffer.read()
    from .load import not_readable, read_bytes

    try:
        why = not_readable(os.path.realpath(path))  # a folder, a FIFO, a device, a huge file: as check refuses them
        if why:
            raise JourneycError(f"{path}: {why}; give a file")
        return read_bytes(path)
    except OSError as e:
        raise JourneycError(f"{path}: cannot read: {e.strerror or e}") from None


def _finish_import(text, problems, notes, source: str, output, force) -> None:
    for note in notes:
        click.echo(f"journeyc: {source}: {note}" if isinstance(note, str) else f"journeyc: {note.text(source)}",
                   err=True)
    if text is None:
        for p in problems:
            click.echo(p.text(source), err=True)
        click.echo(f"journeyc: nothing written: {len(problems)} problem{'s' if len(problems) != 1 else ''} "
                   f"in {source}", err=True)
        sys.exit(EXIT_FINDINGS)
    _write_or_print(text.encode("utf-8"), output, force)
    if output:
        click.echo(f"journeyc: wrote {output}", err=True)


_OUT = click.option("-o", "--output", type=click.Path(dir_okay=False),
                    help="Write the .journey spec here (default: standard output).")
_FORCE = click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")


@main.group(name="import")
def import_group():
    """Write a .journey spec from a spreadsheet (csv) or a Mermaid journey diagram (mermaid)."""


@import_group.command(name="csv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_OUT
@_FORCE
def import_csv_cmd(file, output, force):
    """A spreadsheet (CSV) with the columns of `export csv` -> a .journey spec.
    Rows are grouped into journeys, stages and touchpoints; bad rows are
    reported with their numbers (the header is row 1) and nothing is written."""
    from .csvio import import_csv
    from .errors import JourneycError

    if output and not force and os.path.lexists(output):
        raise JourneycError(f"{output}: already exists; give --force to overwrite it")
    text, problems, notes = import_csv(_read_input(file), output or "imported.journey")
    _finish_import(text, problems, notes, file, output, force)


@import_group.command(name="mermaid")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_OUT
@_FORCE
def import_mermaid_cmd(file, output, force):
    """A Mermaid `journey` diagram -> a .journey spec: sections become stages,
    tasks touchpoints with their score, actors personas in the audience.
    What cannot be mapped is reported."""
    from .errors import JourneycError
    from .mermaid_import import import_mermaid

    if output and not force and os.path.lexists(output):
        raise JourneycError(f"{output}: already exists; give --force to overwrite it")
    data = _read_input(file)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        click.echo(f"{file}: not UTF-8 text (byte {e.start})", err=True)
        sys.exit(EXIT_FINDINGS)
    stem = os.path.basename(file).split(".")[0] if file != "-" else "journey"
    text, errors, notes = import_mermaid(source, stem or "journey", output or "imported.journey")
    _finish_import(text, errors, notes, file, output, force)

"""The `journeyc` command (CLI.md). Start-up stays light: only click is
imported here; each command imports the pipeline pieces it needs."""
from __future__ import annotations

import sys

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
TEXT_FORMATS = ("text", "concise", "json")


class JourneycGroup(click.Group):
    """Turns every unexpected exception into a one-line report and exit 2
    (`--debug` shows the traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("journeyc: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_TROUBLE)
        except Exception as e:  # the one place an internal fault is caught
            from .load import JourneycError

            if isinstance(e, JourneycError):
                click.echo(f"journeyc: {e}", err=True)
            elif ctx.obj and ctx.obj.get("debug"):
                raise
            else:
                click.echo(f"journeyc: internal error: {type(e).__name__}: {e} "
                           "(run with --debug for the traceback, and please report it)", err=True)
            sys.exit(EXIT_TROUBLE)


@click.group(cls=JourneycGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="journeyc")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx, debug):
    """journeyc: compile and lint customer journeys written as code."""
    ctx.obj = {"debug": debug}


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


def exit_code(diagnostics, fail_on: str) -> int:
    from .diagnostics import SEVERITY_RANK

    if any(d.is_compile_error for d in diagnostics):
        return EXIT_FINDINGS
    if fail_on == "never":
        return EXIT_OK
    floor = SEVERITY_RANK[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_RANK[d.severity] >= floor for d in diagnostics) else EXIT_OK


def emit_diagnostics(diagnostics, session, files: int, fmt: str, stream=None) -> None:
    from . import render

    stream = stream or sys.stdout
    if fmt == "json":
        stream.write(render.render_json(diagnostics, files))
    elif fmt == "concise":
        stream.write(render.render_concise(diagnostics, render.use_colour(stream)))
    else:
        stream.write(render.render_text(diagnostics, _source_line(session), files, render.use_colour(stream)))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output-format", "fmt", type=click.Choice(TEXT_FORMATS), default="text", show_default=True,
              help="How to print the diagnostics.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True,
              help="Exit 1 when a diagnostic is at or above this level (compile errors always count).")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def check(paths, fmt, fail_on, allow_imports_outside_root):
    """Parse, resolve and lint journey files (folders: every *.journey below)."""
    from .compiler import run_check
    from .load import Session

    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    run = run_check(list(paths), session)
    emit_diagnostics(run.diagnostics, session, run.files, fmt)
    sys.exit(exit_code(run.diagnostics, fail_on))


@main.command(name="compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(), help="Write here (a folder when there are several roots).")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="What to produce.")
@click.option("--with-locations", is_flag=True, help="Add source locations to every declared object.")
@click.option("--allow-imports-outside-root", is_flag=True,
              help="Allow imports that resolve outside the project root (E010).")
def compile_cmd(paths, output, fmt, with_locations, allow_imports_outside_root):
    """Compile journeys to JSON. Nothing is written when there are compile errors."""
    from .compiler import compile_root, discover_roots
    from .diagnostics import merge
    from .load import JourneycError, Session

    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    roots = discover_roots(session, list(paths))
    results = [compile_root(session, r) for r in roots]
    errors = merge(d for r in results for d in r.errors)
    if errors:
        emit_diagnostics(errors, session, len(session.files), "text", sys.stderr)
        sys.exit(EXIT_FINDINGS)
    outputs = [(r.root, render_output(r.compilation, fmt, with_locations)) for r in results]
    if output is None:
        if len(outputs) > 1:
            raise JourneycError(f"{len(outputs)} compilations ({', '.join(r for r, _ in outputs)}): "
                                "give -o FOLDER to write one file each")
        sys.stdout.buffer.write(outputs[0][1])
        sys.stdout.flush()
        return
    write_outputs(outputs, output, fmt)


def render_output(comp, fmt: str, with_locations: bool) -> bytes:
    from .backends import json as json_backend

    return json_backend.dumps(json_backend.to_json(comp, with_locations)).encode("utf-8")


def write_outputs(outputs, output: str, fmt: str) -> None:
    import os

    from .fsutil import write_atomic
    from .load import JourneycError

    if len(outputs) == 1 and not os.path.isdir(output):
        write_atomic(output, outputs[0][1])
        return
    if not os.path.isdir(output):
        raise JourneycError(f"{output}: not a folder; with several roots, -o names a folder")
    for root, data in outputs:
        stem = os.path.splitext(os.path.basename(root))[0]
        write_atomic(os.path.join(output, f"{stem}.{fmt}"), data)


@main.command()
def schema():
    """Print the JSON Schema of the compiled JSON."""
    from .schema import schema_text

    sys.stdout.write(schema_text())

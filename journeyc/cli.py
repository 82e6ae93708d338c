"""The `journeyc` command line (CLI.md), declared with click: options only.
Each command's body is `run(Options)` in journeyc/commands/<name>.py, whose
Options (a Record, journeyc.records) hold the defaults click shows and gives; the choices
of output formats come from journeyc/outputs.py. Start-up stays light: only
click is imported here. The executable starts in `journeyc.launch`, which
runs a plain `journeyc check PATH...` without loading this module."""
from __future__ import annotations

import sys

import click

from .version import __version__
from .commands import Usage, guarded, prepare
from .commands import check as check_
from .commands import options as opts


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


class _Names(click.Choice):
    """Choices read when the option is parsed or shown, not when the command
    line is declared: the names of an output table (journeyc/outputs.py),
    so that a format added to the table is a choice; the levels of
    `--fail-on`, so that only a `check` loads journeyc.config."""

    def __init__(self, names):
        self.names = names
        super().__init__(())

    @property
    def choices(self):
        return tuple(self.names())

    @choices.setter
    def choices(self, value):
        pass


def _fail_on_levels():
    from .config import FAIL_ON

    return FAIL_ON


def _diagnostic_formats():
    from .outputs import DIAGNOSTIC_FORMATS

    return DIAGNOSTIC_FORMATS


def _compile_formats():
    from .outputs import compile_formats

    return compile_formats()


def _views():
    from .outputs import VIEWS

    return VIEWS


def _run(command, options) -> None:
    """Run a command's body (journeyc/commands/: "module" for its `run`, or
    "module:function") and exit with its code; what it finds wrong with the
    command line is click's usage error. The command's module is loaded
    here, when it runs."""
    if isinstance(command, str):
        from importlib import import_module

        module, _, function = command.partition(":")
        command = getattr(import_module(f"journeyc.commands.{module}"), function or "run")
    try:
        code = command(options)
    except Usage as e:
        raise click.UsageError(str(e)) from None
    sys.exit(code)


_CHECK = check_.Options._field_defaults


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output-format", "fmt", type=_Names(_diagnostic_formats), default=_CHECK["fmt"], show_default=True,
              help="How to print the diagnostics: for people (text, concise), programs (json) or CI "
                   "(sarif, github, junit, gitlab).")
@click.option("--select", metavar="CODES", default=_CHECK["select"],
              help="Comma-separated lint codes or prefixes to enable (M, C001, ALL); replaces the configuration's "
                   "select.")
@click.option("--ignore", metavar="CODES", default=_CHECK["ignore"],
              help="Comma-separated lint codes or prefixes to disable; adds to the configuration's ignore.")
@click.option("--fail-on", type=_Names(_fail_on_levels), default=_CHECK["fail_on"],
              help="Exit 1 when a diagnostic is at or above this level (compile errors always count). "
                   "[default: the configuration's fail-on, else warning]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=_CHECK["config_path"],
              help="Read this journeyc.toml (or pyproject.toml) instead of the nearest one above the first path.")
@click.option("--statistics", is_flag=True, default=_CHECK["statistics"],
              help="Print how many diagnostics each rule reported, instead of them.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              default=_CHECK["baseline_path"],
              help="Report only the findings that are not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              default=_CHECK["write_baseline_path"],
              help="Record the current lint findings in FILE (then report only what is not recorded: nothing but "
                   "compile errors).")
@click.option("--allow-imports-outside-root", is_flag=True, default=_CHECK["allow_imports_outside_root"],
              help="Allow imports that resolve outside the project root (E010).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=_CHECK["jobs"], show_default=True,
              help="Processes for runs over many files (0: every core; 1: no worker processes).")
@click.option("--no-cache", is_flag=True, default=_CHECK["no_cache"],
              help="Neither replay nor record results (also JOURNEYC_NO_RESULT_CACHE=1).")
@click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR", default=_CHECK["cache_dir"],
              help="Keep the result cache here. [default: $JOURNEYC_CACHE_DIR, else .journeyc_cache in the "
                   "project root]")
def check(**options):
    """Parse, resolve and lint journey files (folders: every *.journey below)."""
    _run(check_.run, check_.Options(**options))


@main.command()
@click.option("--output-format", "fmt", type=click.Choice(opts.RULES_FORMATS), default=opts.RulesOptions().fmt,
              show_default=True,
              help="text: a table; json: for programs; markdown: every rule and compile error with its "
                   "documentation and examples (docs/rules.md is this output).")
def rules(**options):
    """List every lint rule: code, name, default severity, summary."""
    _run("rules", opts.RulesOptions(**options))


@main.command()
@click.argument("code")
def explain(**options):
    """Show the documentation of a rule (or compile error) with its examples."""
    _run("explain", opts.ExplainOptions(**options))


_COMPILE = opts.CompileOptions._field_defaults


@main.command(name="compile")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(), default=_COMPILE["output"],
              help="Write here (a folder when there are several roots; - for standard output).")
@click.option("--format", "fmt", type=_Names(_compile_formats), default=_COMPILE["fmt"], show_default=True,
              help="What to produce: the compiled JSON; a Graphviz diagram (dot, or rendered by Graphviz's `dot` "
                   "to svg, png, pdf); a Mermaid flowchart (mermaid) or Mermaid journey diagram (mermaid-journey).")
@click.option("--view", type=_Names(_views), default=_COMPILE["view"], show_default=True,
              help="Which diagram: the flow of stages and touchpoints; the service blueprint (dot, svg, png, pdf: "
                   "stages as columns, customer actions, frontstage, line of visibility, backstage, support); "
                   "the emotion curve per persona (svg).")
@click.option("--with-locations", is_flag=True, default=_COMPILE["with_locations"],
              help="Add source locations to every declared object (json).")
@click.option("--annotate", is_flag=True, default=_COMPILE["annotate"],
              help="Lint too, and mark the stages, touchpoints and journeys with findings "
                   "(dot, svg, png, pdf, mermaid; flow view).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=_COMPILE["config_path"],
              help="The journeyc.toml whose lint settings --annotate uses (default: the nearest).")
@click.option("--watch", is_flag=True, default=_COMPILE["watch"],
              help="Stay running and write again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True, default=_COMPILE["allow_imports_outside_root"],
              help="Allow imports that resolve outside the project root (E010).")
@click.option("--layout-timeout", type=click.FloatRange(min=0, min_open=True), default=_COMPILE["layout_timeout"],
              metavar="SECONDS", help="Most seconds Graphviz may spend laying out a diagram (svg, png, pdf). "
                                      "[default: 25]")
def compile_cmd(**options):
    """Compile journeys to JSON, a Graphviz diagram or Mermaid. Nothing is
    written when there are compile errors."""
    _run("compile", opts.CompileOptions(**options))


_REPORT = opts.ReportOptions._field_defaults


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=_REPORT["output"],
              help="Write the HTML page here (default, or -: standard output).")
@click.option("--compare", nargs=2, type=click.Path(), metavar="CURRENT FUTURE", default=_REPORT["compare"],
              help="Compare a current-state journey with its future state (same journey id; files or folders): "
                   "stages and touchpoints added, removed and changed, and the emotion curves overlaid.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=_REPORT["config_path"],
              help="A journeyc.toml for the lint findings (default: the nearest).")
@click.option("--watch", is_flag=True, default=_REPORT["watch"],
              help="Stay running and write the page again whenever a journey file is saved.")
@click.option("--allow-imports-outside-root", is_flag=True, default=_REPORT["allow_imports_outside_root"],
              help="Allow imports that resolve outside the project root (E010).")
@click.option("--layout-timeout", type=click.FloatRange(min=0, min_open=True), default=_REPORT["layout_timeout"],
              metavar="SECONDS", help="Most seconds Graphviz may spend laying out a diagram (svg, png, pdf). "
                                      "[default: 25]")
def report(**options):
    """Write an HTML report: per journey the diagram, the emotion curve, the
    service blueprint, pain points, opportunities, the stages, the coverage
    of the seven CPE areas, what is measured, and the lint findings. One
    self-contained file that loads nothing from the network."""
    _run("report", opts.ReportOptions(**options))


@main.command()
def schema():
    """Print the JSON Schema of the compiled JSON."""
    _run("schema", opts.SchemaOptions())


_FMT = opts.FmtOptions._field_defaults


@main.command(name="fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, default=_FMT["check"],
              help="Write nothing; list the files that would change and exit 1 if any would.")
@click.option("--diff", is_flag=True, default=_FMT["diff"],
              help="Write nothing; print a unified diff of the changes and exit 1 if any.")
@click.option("--stdin-filename", metavar="NAME", default=_FMT["stdin_filename"],
              help="The name of the text read from standard input (`-`), for messages.")
def fmt_cmd(**options):
    """Rewrite journey files in the canonical layout (docs/fmt.md). `-` reads
    standard input and writes standard output; with no path, the current
    folder. Files with syntax errors are left as they are (exit 1)."""
    _run("fmt", opts.FmtOptions(**options))


_DIFF = opts.DiffOptions._field_defaults


@main.command(name="diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--against", "against", metavar="REF", default=_DIFF["against"],
              help="Compare the working tree's PATHs (default: the current folder) with git revision REF "
                   "(read with `git show`, no checkout).")
@click.option("--output-format", "fmt", type=click.Choice(opts.DIFF_FORMATS), default=_DIFF["fmt"],
              show_default=True, help="text for people, markdown for a pull-request comment, json for programs.")
@click.option("--lint", is_flag=True, default=_DIFF["lint"],
              help="Also list the lint findings the change introduces and fixes.")
@click.option("--fail-on-breaking", is_flag=True, default=_DIFF["fail_on_breaking"],
              help="Exit 1 on a breaking change: a removed or renamed id, a KPI unit changed, a loosened target "
                   "(docs/diff.md).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=_DIFF["config_path"],
              help="The journeyc.toml whose lint settings --lint uses (default: the nearest).")
@click.option("--allow-imports-outside-root", is_flag=True, default=_DIFF["allow_imports_outside_root"],
              help="Allow imports that resolve outside the project root (E010).")
def diff_cmd(**options):
    """Show what changed between two versions of journeys: `journeyc diff OLD NEW`,
    or `journeyc diff --against REF [PATH...]`."""
    _run("diff", opts.DiffOptions(**options))


_INIT = opts.InitOptions._field_defaults


@main.command(name="init")
@click.argument("folder", default=_INIT["folder"], type=click.Path(file_okay=False))
@click.option("--template", type=click.Choice(opts.TEMPLATES), default=_INIT["template"], show_default=True,
              help="saas, dtc, b2b: the example specs (a subscription product, a direct-to-consumer brand, a B2B "
                   "product), with their catalogue; blank: one small journey to fill in.")
def init_cmd(**options):
    """Start a journey project: a starter spec, a journeyc.toml with every
    default spelt out, and a README.md. Writes only new files."""
    _run("init", opts.InitOptions(**options))


@main.command()
def lsp():
    """Run the language server (Language Server Protocol, over standard
    input and output) for editors: diagnostics as you type, navigation,
    hover, completion and quick fixes."""
    _run("lsp", opts.LspOptions())


# -- export / import ---------------------------------------------------------------

@main.group()
def export():
    """Write journeys in the formats of other tools (csv)."""


_EXPORT = opts.ExportCsvOptions._field_defaults


@export.command(name="csv")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=_EXPORT["output"],
              help="Write the CSV here (default: standard output).")
@click.option("--excel", is_flag=True, default=_EXPORT["excel"],
              help="Add a UTF-8 byte-order mark and CRLF line ends, for Excel.")
@click.option("--allow-imports-outside-root", is_flag=True, default=_EXPORT["allow_imports_outside_root"],
              help="Allow imports that resolve outside the project root (E010).")
def export_csv_cmd(**options):
    """One row per touchpoint: journey, stage, phase, touchpoint, channel,
    area, owner, audience, score, KPIs, messages (the columns:
    journeyc/csvio.py). Nothing is written when there are compile errors."""
    _run("export:csv", opts.ExportCsvOptions(**options))


_IMPORT = opts.ImportOptions._field_defaults
_OUT = click.option("-o", "--output", type=click.Path(dir_okay=False), default=_IMPORT["output"],
                    help="Write the .journey spec here (default: standard output).")
_FORCE = click.option("--force", is_flag=True, default=_IMPORT["force"], help="Overwrite OUT if it exists.")


@main.group(name="import")
def import_group():
    """Write a .journey spec from a spreadsheet (csv) or a Mermaid journey diagram (mermaid)."""


@import_group.command(name="csv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_OUT
@_FORCE
def import_csv_cmd(**options):
    """A spreadsheet (CSV) with the columns of `export csv` -> a .journey spec.
    Rows are grouped into journeys, stages and touchpoints; bad rows are
    reported with their numbers (the header is row 1) and nothing is written."""
    _run("import_:csv", opts.ImportOptions(**options))


@import_group.command(name="mermaid")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_OUT
@_FORCE
def import_mermaid_cmd(**options):
    """A Mermaid `journey` diagram -> a .journey spec: sections become stages,
    tasks touchpoints with their score, actors personas in the audience.
    What cannot be mapped is reported."""
    _run("import_:mermaid", opts.ImportOptions(**options))

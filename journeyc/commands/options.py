"""The options of every command but `check`, one Record each: their
defaults are the ones click declares (journeyc/cli.py reads them), so they
are written once. They live in this one module, not in each command's, so
that the command line loads one module for them and a command's own module
only when it runs. (`check` keeps its Options in journeyc/commands/check.py:
the plain check loads that module without click and without this one.)
Records (journeyc.records) rather than typing.NamedTuples or
collections.namedtuples: nothing is compiled when the eleven classes are made."""
from __future__ import annotations

from ..init import TEMPLATES  # noqa: F401  (init's choices, read by cli)
from ..records import Record

DIFF_FORMATS = ("text", "markdown", "json")
RULES_FORMATS = ("text", "json", "markdown")


class CompileOptions(Record):
    """`paths` (tuple[str, ...]); `output` (str | None, default None): a file,
    a folder (several roots), or - for standard output; `fmt` (str, default
    "json"); `view` (str, default "flow"); `with_locations` (bool, default
    False); `annotate` (bool, default False); `config_path` (str | None,
    default None); `watch` (bool, default False);
    `allow_imports_outside_root` (bool, default False); `layout_timeout`
    (float | None, default None): None: 25 s (journeyc.backends.dot)."""

    paths: tuple[str, ...]
    output: str | None = None
    fmt: str = "json"
    view: str = "flow"
    with_locations: bool = False
    annotate: bool = False
    config_path: str | None = None
    watch: bool = False
    allow_imports_outside_root: bool = False
    layout_timeout: float | None = None


class DiffOptions(Record):
    """`paths` (tuple[str, ...], default ()): OLD NEW, or (with against) the
    working tree's paths; `against` (str | None, default None): a git
    revision; `fmt` (str, default "text"); `lint` (bool, default False);
    `fail_on_breaking` (bool, default False); `config_path` (str | None,
    default None); `allow_imports_outside_root` (bool, default False)."""

    paths: tuple[str, ...] = ()
    against: str | None = None
    fmt: str = "text"
    lint: bool = False
    fail_on_breaking: bool = False
    config_path: str | None = None
    allow_imports_outside_root: bool = False


class ExplainOptions(Record):
    """`code` (str)."""

    code: str


class ExportCsvOptions(Record):
    """`paths` (tuple[str, ...]); `output` (str | None, default None): None:
    standard output; `excel` (bool, default False);
    `allow_imports_outside_root` (bool, default False)."""

    paths: tuple[str, ...]
    output: str | None = None
    excel: bool = False
    allow_imports_outside_root: bool = False


class FmtOptions(Record):
    """`paths` (tuple[str, ...], default ()): none: the current folder; -
    standard input; `check` (bool, default False); `diff` (bool, default
    False); `stdin_filename` (str | None, default None)."""

    paths: tuple[str, ...] = ()
    check: bool = False
    diff: bool = False
    stdin_filename: str | None = None


class ImportOptions(Record):
    """`file` (str): - for standard input; `output` (str | None, default None):
    None: standard output; `force` (bool, default False): overwrite `output`."""

    file: str
    output: str | None = None
    force: bool = False


class InitOptions(Record):
    """`folder` (str, default "."); `template` (str, default "blank")."""

    folder: str = "."
    template: str = "blank"


class LspOptions(Record):
    """no options."""


class ReportOptions(Record):
    """`paths` (tuple[str, ...], default ()); `output` (str | None, default
    None): None or -: standard output; `compare` (tuple[str, str] | None,
    default None): CURRENT FUTURE; `config_path` (str | None, default None);
    `watch` (bool, default False); `allow_imports_outside_root` (bool,
    default False); `layout_timeout` (float | None, default None)."""

    paths: tuple[str, ...] = ()
    output: str | None = None
    compare: tuple[str, str] | None = None
    config_path: str | None = None
    watch: bool = False
    allow_imports_outside_root: bool = False
    layout_timeout: float | None = None


class RulesOptions(Record):
    """`fmt` (str, default "text")."""

    fmt: str = "text"


class SchemaOptions(Record):
    """no options."""

"""The options of every command but `check`, one NamedTuple each: their
defaults are the ones click declares (journeyc/cli.py reads them), so they
are written once. They live in this one module, not in each command's, so
that the command line loads one module for them and a command's own module
only when it runs. (`check` keeps its Options in journeyc/commands/check.py:
the plain check loads that module without click and without this one.)
collections.namedtuple rather than typing.NamedTuple: the eleven classes cost
the start of every command about half a millisecond less."""
from collections import namedtuple

from ..init import TEMPLATES  # noqa: F401  (init's choices, read by cli)

DIFF_FORMATS = ("text", "markdown", "json")
RULES_FORMATS = ("text", "json", "markdown")


class CompileOptions(namedtuple(
        "CompileOptions", "paths output fmt view with_locations annotate config_path watch "
        "allow_imports_outside_root layout_timeout",
        defaults=(None, "json", "flow", False, False, None, False, False, None))):
    """`paths` (tuple[str, ...]); `output` (str | None, default None): a file,
    a folder (several roots), or - for standard output; `fmt` (str, default
    "json"); `view` (str, default "flow"); `with_locations` (bool, default
    False); `annotate` (bool, default False); `config_path` (str | None,
    default None); `watch` (bool, default False);
    `allow_imports_outside_root` (bool, default False); `layout_timeout`
    (float | None, default None): None: 25 s (journeyc.backends.dot)."""

    __slots__ = ()


class DiffOptions(namedtuple(
        "DiffOptions", "paths against fmt lint fail_on_breaking config_path "
        "allow_imports_outside_root",
        defaults=((), None, "text", False, False, None, False))):
    """`paths` (tuple[str, ...], default ()): OLD NEW, or (with against) the
    working tree's paths; `against` (str | None, default None): a git
    revision; `fmt` (str, default "text"); `lint` (bool, default False);
    `fail_on_breaking` (bool, default False); `config_path` (str | None,
    default None); `allow_imports_outside_root` (bool, default False)."""

    __slots__ = ()


class ExplainOptions(namedtuple("ExplainOptions", "code")):
    """`code` (str)."""

    __slots__ = ()


class ExportCsvOptions(namedtuple(
        "ExportCsvOptions", "paths output excel allow_imports_outside_root",
        defaults=(None, False, False))):
    """`paths` (tuple[str, ...]); `output` (str | None, default None): None:
    standard output; `excel` (bool, default False);
    `allow_imports_outside_root` (bool, default False)."""

    __slots__ = ()


class FmtOptions(namedtuple(
        "FmtOptions", "paths check diff stdin_filename",
        defaults=((), False, False, None))):
    """`paths` (tuple[str, ...], default ()): none: the current folder; -
    standard input; `check` (bool, default False); `diff` (bool, default
    False); `stdin_filename` (str | None, default None)."""

    __slots__ = ()


class ImportOptions(namedtuple("ImportOptions", "file output force", defaults=(None, False))):
    """`file` (str): - for standard input; `output` (str | None, default None):
    None: standard output; `force` (bool, default False): overwrite `output`."""

    __slots__ = ()


class InitOptions(namedtuple("InitOptions", "folder template", defaults=(".", "blank"))):
    """`folder` (str, default "."); `template` (str, default "blank")."""

    __slots__ = ()


class LspOptions(namedtuple("LspOptions", "")):
    """no options."""

    __slots__ = ()


class ReportOptions(namedtuple(
        "ReportOptions", "paths output compare config_path watch allow_imports_outside_root "
        "layout_timeout",
        defaults=((), None, None, None, False, False, None))):
    """`paths` (tuple[str, ...], default ()); `output` (str | None, default
    None): None or -: standard output; `compare` (tuple[str, str] | None,
    default None): CURRENT FUTURE; `config_path` (str | None, default None);
    `watch` (bool, default False); `allow_imports_outside_root` (bool,
    default False); `layout_timeout` (float | None, default None)."""

    __slots__ = ()


class RulesOptions(namedtuple("RulesOptions", "fmt", defaults=("text",))):
    """`fmt` (str, default "text")."""

    __slots__ = ()


class SchemaOptions(namedtuple("SchemaOptions", "")):
    """no options."""

    __slots__ = ()

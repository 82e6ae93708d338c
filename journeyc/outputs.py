"""Every output journeyc writes, in one place: the diagnostic formats of
`journeyc check --output-format` and the compile formats and views of
`journeyc compile --format/--view`. click's choices, the option checks of
`compile`, the file names written with `-o FOLDER`, the README's tables
(tests/cli/test_cli.py) and the reliability tests read these tables.

Each entry names its implementation as "module:function", imported only
when the format is used (start-up stays light: this module imports nothing
from journeyc):

- a diagnostic format's function takes a `journeyc.formats.Report` and
  returns its text, as one string or as pieces (an iterable of strings);
- a compile format's function takes a `journeyc.model.Compilation` and a
  `journeyc.formats.Request` and returns bytes.

A new format is one module with its function, plus one line here."""
from __future__ import annotations

import sys

from .records import Record

# (a Record rather than a typing.NamedTuple: the plain check loads this
# module, and a typing.NamedTuple class costs it about 0.2 ms more.)


class Output(Record):
    """One output: `name` as written on the command line; `function`,
    "module:function"; `extension` of the files written (`compile -o
    FOLDER`, without the dot); `binary`: never written to a terminal;
    `annotates`: draws lint findings (`compile --annotate`); `lists_rules`:
    a diagnostic format that lists the rules enabled (needs the
    configuration)."""

    name: str
    function: str
    extension: str
    binary: bool = False
    annotates: bool = False
    lists_rules: bool = False


def _table(*outputs: Output) -> dict[str, Output]:
    return {o.name: o for o in outputs}


DIAGNOSTIC_FORMATS = _table(
    Output("text", "journeyc.render:text_format", "txt"),
    Output("concise", "journeyc.render:concise_format", "txt"),
    Output("json", "journeyc.render:json_format", "json"),
    Output("sarif", "journeyc.formats.sarif:render_sarif", "sarif.json", lists_rules=True),
    Output("github", "journeyc.formats.github:render_github", "txt", lists_rules=True),
    Output("junit", "journeyc.formats.junit:render_junit", "xml", lists_rules=True),
    Output("gitlab", "journeyc.formats.gitlab:render_gitlab", "json", lists_rules=True),
)

# The views of `compile --view`, each a table of the formats it comes in.
# "flow" is the default view and holds every compile format.
VIEWS = {
    "flow": _table(
        Output("json", "journeyc.formats.compiled:json", "json"),
        Output("dot", "journeyc.formats.compiled:flow_dot", "dot", annotates=True),
        Output("svg", "journeyc.formats.compiled:flow_drawing", "svg", annotates=True),
        Output("png", "journeyc.formats.compiled:flow_drawing", "png", binary=True, annotates=True),
        Output("pdf", "journeyc.formats.compiled:flow_drawing", "pdf", binary=True, annotates=True),
        Output("mermaid", "journeyc.formats.compiled:mermaid_flowchart", "mmd", annotates=True),
        Output("mermaid-journey", "journeyc.formats.compiled:mermaid_journey", "journey.mmd"),
    ),
    "blueprint": _table(
        Output("dot", "journeyc.formats.compiled:blueprint_dot", "dot"),
        Output("svg", "journeyc.formats.compiled:blueprint_drawing", "svg"),
        Output("png", "journeyc.formats.compiled:blueprint_drawing", "png", binary=True),
        Output("pdf", "journeyc.formats.compiled:blueprint_drawing", "pdf", binary=True),
    ),
    "emotion": _table(
        Output("svg", "journeyc.formats.compiled:emotion_svg", "svg"),
    ),
}


def compile_formats() -> tuple[str, ...]:
    """Every format of `compile --format`, in the order of the tables."""
    names: dict[str, None] = {}
    for table in VIEWS.values():
        names.update(dict.fromkeys(table))
    return tuple(names)


def load(output: Output):
    """The function that implements `output`."""
    module, _, function = output.function.partition(":")
    __import__(module)  # (importlib.import_module, without loading importlib)
    return getattr(sys.modules[module], function)

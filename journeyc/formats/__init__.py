"""The objects every output function takes (journeyc/outputs.py lists the
outputs): a `Report` for the diagnostic formats, a `Request` for the
compile formats. The CI formats (SARIF, GitHub, JUnit, GitLab) live here
beside them; the formats for people (`text`, `concise`) and the JSON
document in journeyc/render.py; the compile formats are adapters
(journeyc/formats/compiled.py) to the backends (journeyc/backends/).

Records (journeyc.records), not dataclasses: a plain `journeyc check` builds
a Report and must not load `dataclasses` nor `typing` (tests/cli/test_launch.py)."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from ..records import Record


class Report(Record):
    """What a diagnostic format needs to know about a check run:

    - `diagnostics`: a sequence of journeyc.diagnostics.Diagnostic;
    - `files`: every file of the run (display paths);
    - `linted`: a frozenset, the files of compilations that were linted;
    - `enabled`: a tuple, the lint codes enabled;
    - `root`: paths in the report are relative to this folder (None: the working folder);
    - `fail_on`: diagnostics at or above it fail the run (JUnit: failures);
    - `file_count`: how many files were read (the summary); None: len(files);
    - `source_line(file, line) -> str | None`: the text shown under a diagnostic;
    - `colour`: ANSI colours (text, concise)."""

    diagnostics: Sequence
    files: Sequence[str] = ()
    linted: frozenset = frozenset()
    enabled: tuple[str, ...] = ()
    root: str | None = None
    fail_on: str = "warning"
    file_count: int | None = None
    source_line: Callable[[str, int], str | None] | None = None
    colour: bool = False

    @property
    def folder(self) -> str:
        """The folder paths are relative to."""
        return self.root or os.getcwd()

    @property
    def count(self) -> int:
        return len(self.files) if self.file_count is None else self.file_count


class Request(Record):
    """What a compile format is asked for: `format`, the output's name (svg,
    png...: one function may draw several); `with_locations`: source
    locations in the JSON; `findings`: lint findings to mark (formats that
    annotate), or None; `layout_timeout`: the most seconds Graphviz may
    spend laying out (None: its default)."""

    format: str
    with_locations: bool = False
    findings: Sequence | None = None
    layout_timeout: float | None = None


def find_repository(start: str) -> str | None:
    """The nearest folder from `start` upward that holds `.git`, or None."""
    from ..text import folders_upward

    return next((f for f in folders_upward(start) if os.path.exists(os.path.join(f, ".git"))), None)


def repository_root(start: str | None = None) -> str:
    """The nearest folder from `start` (default: the working folder) upward
    that holds `.git`; else `start` itself."""
    start = os.path.abspath(start or os.getcwd())
    return find_repository(start) or start


def run_root(paths) -> str:
    """The folder a report's paths are relative to: the repository that
    holds the run's first path (found upward from it, wherever journeyc runs
    from), else the one that holds the working folder, else the working
    folder."""
    for path in list(paths)[:1]:
        found = find_repository(os.path.dirname(os.path.abspath(path)))
        if found is not None:
            return found
    return repository_root()


def repo_path(file: str, root: str) -> str | None:
    """`file` relative to the repository root (with `/`), or None when it
    lies outside."""
    path = os.path.abspath(file)
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")

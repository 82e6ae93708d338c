"""The objects every output function takes (journeyc/outputs.py lists the
outputs): a `Report` for the diagnostic formats, a `Request` for the
compile formats. The CI formats (SARIF, GitHub, JUnit, GitLab) live here
beside them; the formats for people (`text`, `concise`) and the JSON
document in journeyc/render.py; the compile formats are adapters
(journeyc/formats/compiled.py) to the backends (journeyc/backends/).

NamedTuples, not dataclasses: a plain `journeyc check` builds a Report and
must not load `dataclasses` (tests/cli/test_launch.py)."""
from __future__ import annotations

import os
from typing import Callable, NamedTuple, Sequence

from ..diagnostics import Diagnostic


class Report(NamedTuple):
    """What a diagnostic format needs to know about a check run."""

    diagnostics: Sequence[Diagnostic]
    files: Sequence[str] = ()  # every file of the run (display paths)
    linted: frozenset[str] = frozenset()  # the files of compilations that were linted
    enabled: tuple[str, ...] = ()  # the lint codes enabled
    root: str | None = None  # paths in the report are relative to this folder (None: the working folder)
    fail_on: str = "warning"  # diagnostics at or above it fail the run (JUnit: failures)
    file_count: int | None = None  # how many files were read (the summary); None: len(files)
    source_line: Callable[[str, int], str | None] | None = None  # the text shown under a diagnostic
    colour: bool = False  # ANSI colours (text, concise)

    @property
    def folder(self) -> str:
        """The folder paths are relative to."""
        return self.root or os.getcwd()

    @property
    def count(self) -> int:
        return len(self.files) if self.file_count is None else self.file_count


class Request(NamedTuple):
    """What a compile format is asked for."""

    format: str  # the output's name (svg, png...: one function may draw several)
    with_locations: bool = False  # source locations in the JSON
    findings: Sequence[Diagnostic] | None = None  # lint findings to mark (formats that annotate)
    layout_timeout: float | None = None  # most seconds Graphviz may spend laying out


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

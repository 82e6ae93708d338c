"""`journeyc fmt`: rewrite journey files in the canonical layout
(journeyc/fmt.py, docs/fmt.md)."""
from __future__ import annotations

from typing import NamedTuple

from . import Usage


class Options(NamedTuple):
    paths: tuple[str, ...] = ()  # none: the current folder; - standard input
    check: bool = False
    diff: bool = False
    stdin_filename: str | None = None


def run(o: Options) -> int:
    from ..fmt import run as format_files

    if o.stdin_filename and "-" not in o.paths:
        raise Usage("--stdin-filename names the text of standard input: give `-` as a path")
    return format_files(list(o.paths) or ["."], check=o.check, diff=o.diff, stdin_filename=o.stdin_filename)

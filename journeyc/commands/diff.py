"""`journeyc diff`: what changed between two versions of journeys
(journeyc/diff.py, docs/diff.md)."""
from __future__ import annotations

from typing import NamedTuple

from . import Usage

FORMATS = ("text", "markdown", "json")


class Options(NamedTuple):
    paths: tuple[str, ...] = ()  # OLD NEW, or (with against) the working tree's paths
    against: str | None = None  # a git revision
    fmt: str = "text"
    lint: bool = False
    fail_on_breaking: bool = False
    config_path: str | None = None
    allow_imports_outside_root: bool = False


def run(o: Options) -> int:
    from ..diff import run as compare

    if o.against is None and len(o.paths) != 2:
        raise Usage("give OLD and NEW (two files or folders), or --against REF [PATH...]")
    if o.config_path and not o.lint:
        raise Usage("--config gives the lint settings of --lint: use it with --lint")
    if o.against is not None:
        return compare(None, None, o.against, list(o.paths), o.fmt, o.lint, o.fail_on_breaking, o.config_path,
                       o.allow_imports_outside_root)
    return compare(o.paths[0], o.paths[1], None, [], o.fmt, o.lint, o.fail_on_breaking, o.config_path,
                   o.allow_imports_outside_root)

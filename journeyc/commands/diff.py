"""`journeyc diff`: what changed between two versions of journeys
(journeyc/diff.py, docs/diff.md)."""
from __future__ import annotations

from . import Usage
from .options import DiffOptions as Options  # noqa: F401  (the command's options: commands/options.py)


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

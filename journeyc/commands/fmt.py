"""`journeyc fmt`: rewrite journey files in the canonical layout
(journeyc/fmt.py, docs/fmt.md)."""
from __future__ import annotations

from . import Usage
from .options import FmtOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..fmt import run as format_files

    if o.stdin_filename and "-" not in o.paths:
        raise Usage("--stdin-filename names the text of standard input: give `-` as a path")
    return format_files(list(o.paths) or ["."], check=o.check, diff=o.diff, stdin_filename=o.stdin_filename)

"""`journeyc init`: start a journey project (journeyc/init.py)."""
from __future__ import annotations

from .options import InitOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..init import run as start

    return start(o.folder, o.template)

"""`journeyc init`: start a journey project (journeyc/init.py)."""
from __future__ import annotations

from typing import NamedTuple

TEMPLATES = ("saas", "dtc", "b2b", "blank")


class Options(NamedTuple):
    folder: str = "."
    template: str = "blank"


def run(o: Options) -> int:
    from ..init import run as start

    return start(o.folder, o.template)

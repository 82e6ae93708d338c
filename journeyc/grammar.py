"""Where the grammar lives: `grammar/journey.lark` in a source checkout, and
`journeyc/grammar/journey.lark` inside an installed wheel (pyproject.toml
force-includes it there)."""
from __future__ import annotations

import os

_HERE = os.path.dirname(os.path.realpath(__file__))
CANDIDATES = (os.path.join(_HERE, "grammar", "journey.lark"), os.path.join(os.path.dirname(_HERE), "grammar", "journey.lark"))


def path() -> str:
    for p in CANDIDATES:
        if os.path.isfile(p):
            return p
    raise FileNotFoundError("journeyc's grammar (journey.lark) is missing from the installation")


def text() -> str:
    with open(path(), encoding="utf-8") as f:
        return f.read()

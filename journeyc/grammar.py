"""Where the grammar lives: `grammar/journey.lark` in a source checkout, and
`journeyc/grammar/journey.lark` inside an installed wheel (pyproject.toml
force-includes it there)."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
CANDIDATES = (_HERE / "grammar" / "journey.lark", _HERE.parent / "grammar" / "journey.lark")


def path() -> Path:
    for p in CANDIDATES:
        if p.is_file():
            return p
    raise FileNotFoundError("journeyc's grammar (journey.lark) is missing from the installation")


def text() -> str:
    return path().read_text(encoding="utf-8")

"""The grammar: `journey.lark`, package data beside this module (the
top-level `grammar/journey.lark` of a checkout is a symbolic link to it,
for tools, docs, the conformance kit and editors)."""
from __future__ import annotations

import os

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "journey.lark")


def path() -> str:
    if not os.path.isfile(PATH):
        raise FileNotFoundError("journeyc's grammar (journey.lark) is missing from the installation")
    return PATH


def text() -> str:
    with open(path(), encoding="utf-8") as f:
        return f.read()

"""The lint engine (rules land with the lint issue)."""
from __future__ import annotations


def lint(compilations, config=None) -> list:
    return []

"""The linter: rules drawn from CX practice, their registry and the engine.

    journeyc/lint/rule.py        what a rule is (`@rule`: code, name, severity, summary, docs, examples)
    journeyc/lint/context.py     the facts rules share, per compilation and per run
    journeyc/lint/rules/         the rules, one module per family; rules/__init__.py lists them all
    journeyc/lint/engine.py      runs them; suppressions, configuration, dedupe

`lint(compilations, config)` is what `journeyc.compiler.run_check` calls on
the compilations without compile errors."""
from __future__ import annotations

from .engine import RuleCrash, lint

__all__ = ["lint", "RuleCrash"]

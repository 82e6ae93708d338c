"""`journeyc rules`: every lint rule, as a table, JSON or Markdown."""
from __future__ import annotations

import sys

from . import EXIT_OK
from .options import RulesOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..lint.rules import RULES

    if o.fmt == "markdown":
        from ..reference import rules_markdown

        sys.stdout.write(rules_markdown())
        return EXIT_OK
    if o.fmt == "json":
        import json

        doc = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "family": r.family,
                "options": [{"name": p.name, "default": list(p.default) if isinstance(p.default, tuple) else p.default,
                             "help": p.help} for p in r.options]}
               for r in RULES]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return EXIT_OK
    widths = [max(len(r.code) for r in RULES), max(len(r.name) for r in RULES), len("severity")]
    out = [f"{'code':<{widths[0]}}  {'name':<{widths[1]}}  {'severity':<{widths[2]}}  summary"]
    for r in RULES:
        out.append(f"{r.code:<{widths[0]}}  {r.name:<{widths[1]}}  {r.severity:<{widths[2]}}  {r.summary}")
    out.append("")
    out.append("`journeyc explain CODE` shows a rule's documentation; compile errors E001-E010 are always reported.")
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK

"""`journeyc explain CODE`: a rule's (or compile error's) documentation."""
from __future__ import annotations

import sys

from . import EXIT_OK
from .options import ExplainOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..codes import COMPILE_ERRORS
    from ..errors import JourneycError
    from ..lint.rules import RULES

    wanted = o.code.strip().upper()
    for r in list(RULES) + list(COMPILE_ERRORS):
        if r.code == wanted or r.name == o.code.strip().lower():
            from ..reference import explain_text

            sys.stdout.write(explain_text(r))
            return EXIT_OK
    from ..text import did_you_mean

    hint = did_you_mean(wanted, [r.code for r in list(RULES) + list(COMPILE_ERRORS)])
    hint = f"; {hint}" if hint else ""
    raise JourneycError(f"unknown rule code '{o.code}'{hint} (`journeyc rules` lists them)")

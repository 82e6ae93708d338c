"""Suppression rules (S): suppression comments stay honest."""
from __future__ import annotations

from ...diagnostics import WARNING
from ..rule import SUPPRESSION, Rule, rule


@rule("S001", "unused-suppression", WARNING, "A `# journeyc: ignore` comment suppressed nothing.",
      scope=SUPPRESSION,
      bad='''
          owner growth
          journey j {  # journeyc: ignore[X001] -- recovery is handled by the support journey
            owner growth
            stage a { touchpoint refund { channel email recovery } }
          }
      ''',
      good='''
          owner growth
          journey j {
            owner growth
            stage a { touchpoint refund { channel email recovery } }
          }
      ''')
def unused_suppression(r: Rule, run, suppressions, enabled):
    """A `# journeyc: ignore` comment that suppressed no diagnostic in any
    compilation of the run.

    A suppression outlives its reason: the stage got its owner, the typo was
    fixed, and the comment stays, ready to hide the next real problem on
    that line. Remove it. A comment that names only rules that are not
    enabled is not reported, and neither is one that names S001 itself.

    A diagnostic counts as suppressed when its rule fires on the comment's
    line, whether or not that rule is enabled for the file."""
    for s in suppressions.unused():
        if s.codes is not None and (r.code in s.codes or not any(enabled(c, s.span.file) for c in s.codes)):
            continue
        where = "its own line" if s.target_line == s.span.line else f"line {s.target_line}"
        what = "any diagnostic" if s.codes is None else ", ".join(sorted(s.codes))
        yield r.at(s.span,
                   f"suppression comment `{s.directive}` suppresses nothing: no {what} is reported on {where}; "
                   "remove it",
                   suggestion="remove the comment",
                   entity=f"comment:{s.directive}@{s.target_line - s.span.line}")

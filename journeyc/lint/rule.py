"""What a lint rule is: its code, name, default severity, one-line summary,
documentation (the check's docstring), a bad and a good example, its options
and its check, all declared in one place by the `@rule` decorator:

    @rule("F001", "no-loop-back", WARNING, "A journey with post-sale stages never loops back.",
          bad=..., good=...)
    def no_loop_back(r: Rule, ctx: CompilationContext):
        '''What it catches. Why it matters for the customer.'''
        for j in ctx.journeys:
            if ...:
                yield r.at(j.span, f"journey '{j.id.text}' ...", entity=j.id.text)

The decorated name is bound to the `Rule`; `journeyc.lint.rules.RULES` lists
every rule explicitly.
"""
from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostic, Related
from ..model import Span
from ..records import Record

# When a rule's check runs, and what it is given:
COMPILATION = "compilation"  # check(rule, ctx: CompilationContext), once per compilation
RUN = "run"  # check(rule, run: RunContext), once per run: facts judged over every compilation
SUPPRESSION = "suppression"  # check(rule, run, suppressions, enabled): after the other rules


class Option(Record):
    """A rule option set in `[tool.journeyc.rules.CODE]`."""

    name: str
    default: object
    help: str
    # Turns the TOML value into the option's value, or raises ValueError with
    # a sentence saying what is expected.
    parse: Callable[[object], object]


class Rule(Record):
    code: str
    name: str
    severity: str  # the default severity
    summary: str  # one line
    bad_source: str  # a spec where the rule fires, as written in `@rule` (indented)
    good_source: str  # the same spec, fixed
    check: Callable  # its docstring is the rule's documentation
    scope: str = COMPILATION
    options: tuple[Option, ...] = ()

    # The texts are dedented when asked for: `inspect` (10 ms to import) is
    # left out of a plain `check`.
    @property
    def doc(self) -> str:
        """What the rule catches and why it matters for the customer."""
        return _cleandoc(self.check.__doc__)

    @property
    def bad(self) -> str:
        return _cleandoc(self.bad_source)

    @property
    def good(self) -> str:
        return _cleandoc(self.good_source)

    @property
    def family(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]

    def at(self, span: Span, message: str, *, related: tuple[Related, ...] = (),
           suggestion: str | None = None, entity: str | None = None) -> Diagnostic:
        """A finding of this rule at its default severity (the engine applies
        the configured one)."""
        return Diagnostic(self.code, self.name, self.severity, message, span, tuple(related), suggestion, entity)

    def option(self, name: str) -> Option:
        for o in self.options:
            if o.name == name:
                return o
        raise KeyError(name)

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"


def rule(code: str, name: str, severity: str, summary: str, *, bad: str, good: str,
         scope: str = COMPILATION, options: tuple[Option, ...] = ()):
    """Declare a lint rule on its check function (see the module docstring)."""

    def declare(check: Callable) -> Rule:
        if not check.__doc__:
            raise TypeError(f"rule {code} needs a docstring: what it catches and why it matters")
        return Rule(code, name, severity, summary, bad, good, check, scope, tuple(options))

    return declare


def _cleandoc(text: str) -> str:
    import inspect

    return inspect.cleandoc(text)


# -- option parsers --------------------------------------------------------------

def positive_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of at least 1, got {value!r}")
    return value


def fraction(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValueError(f"expected a number above 0 and at most 1, got {value!r}")
    return float(value)


def identifiers(value) -> tuple[str, ...]:
    import re

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of identifiers, got {value!r}")
    for v in value:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v):
            raise ValueError(f"{v!r} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return tuple(value)

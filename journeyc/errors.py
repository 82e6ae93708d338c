"""journeyc's exceptions, in one hierarchy. A leaf module: it imports
nothing from journeyc, so every module can raise these without loading the
compiler (flake8's and lark's exceptions modules are the model).

    JourneycError        trouble: the CLI prints one line and exits 2
    ├── ConfigError      a bad configuration file or option value
    └── TooDense         a diagram too big to draw readably, or in time
    RuleCrash            a lint rule raised: a bug in journeyc (exit 2)
    FormatError          `fmt` of text that does not parse (its E001s)
"""
from __future__ import annotations


class JourneycError(Exception):
    """journeyc could not do its work (a root that cannot be read, a bad
    option, a configuration mistake, ...): the CLI prints the message on
    one line and exits 2."""


class ConfigError(JourneycError):
    """A bad configuration file or option value (exit 2)."""


class TooDense(JourneycError):
    """A diagram too big to be readable, or to lay out in time."""


class RuleCrash(Exception):
    """A rule raised an exception: a bug in journeyc, not in the input.
    `rule` has `code` and `name`; `error` is what it raised."""

    def __init__(self, rule, error: BaseException):
        super().__init__(rule.code)
        self.rule = rule
        self.error = error

    def __str__(self) -> str:
        return (f"internal error in rule {self.rule.code} ({self.rule.name}): "
                f"{type(self.error).__name__}: {self.error}")


class FormatError(Exception):
    """The text does not parse: `diagnostics` holds the E001s (or E008)."""

    def __init__(self, diagnostics):
        super().__init__(f"{len(diagnostics)} syntax error(s)")
        self.diagnostics = diagnostics

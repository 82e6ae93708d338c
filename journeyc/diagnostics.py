"""Diagnostics as plain frozen data (named tuples, as the model's records);
renderers (journeyc.render) turn them into text, JSON and the CI formats."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Span
from .records import Record

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)  # most severe first
SEVERITY_RANK = {ERROR: 3, WARNING: 2, INFO: 1}


class Related(Record):
    span: Span
    message: str


class Diagnostic(Record):
    code: str
    name: str
    severity: str
    message: str
    span: Span
    related: tuple[Related, ...] = ()
    suggestion: str | None = None
    # The id path of the entity a lint finding is about (`saas/onboarding/welcome`,
    # `kpi:activation`): baselines and CI fingerprints use it instead of line numbers.
    entity: str | None = None

    @property
    def is_compile_error(self) -> bool:
        return self.code.startswith("E")

    def sort_key(self):
        s = self.span
        return (s.file, s.line, s.column, self.code, s.end_line, s.end_column, self.message)


def merge(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per code and primary location, related locations merged
    (LANGUAGE.md, Diagnostics); sorted by file, line, column, code."""
    by_key: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.code, d.span)
        old = by_key.get(key)
        if old is None:
            by_key[key] = d
        elif d.related:
            seen = set(old.related)
            extra = tuple(r for r in d.related if r not in seen)
            if extra:
                by_key[key] = old._replace(related=tuple(sorted(old.related + extra, key=lambda r: (r.span, r.message))))
    return sorted(by_key.values(), key=Diagnostic.sort_key)

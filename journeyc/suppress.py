"""Suppression comments (LANGUAGE.md, Diagnostics):

    stage a { -> b }  # journeyc: ignore[M001, O001] -- owned and measured in the catalogue
    # journeyc: ignore
    stage b { }

`# journeyc: ignore[CODE, ...]` suppresses those lint rules' diagnostics whose
primary location is on the comment's line; a comment alone on its line
applies to the next line instead. Without a list it suppresses every lint
rule there. The directive may follow other text in the comment (`# note #
journeyc: ignore[F001]`) and be followed by more. Compile errors are never
suppressed. S001 reports a comment that suppressed nothing.

A comment on the line of a `message from "path"` (1.1) also applies to every
diagnostic that points into that copy file."""
from __future__ import annotations

from collections.abc import Iterable

from . import patterns
from .diagnostics import Diagnostic
from .model import SourceFile, Span
from .records import Record

DIRECTIVE = patterns.compile(r"#\s*journeyc:\s*ignore(?:\s*\[(?P<codes>[^\]]*)\]|(?![\w\[-]))")


class Suppression(Record):
    span: Span  # the comment
    target_line: int  # the line whose diagnostics it suppresses
    codes: frozenset[str] | None  # None: every lint rule
    directive: str  # as written, e.g. "# journeyc: ignore[M001]"

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def parse_suppressions(source: SourceFile) -> list[Suppression]:
    found = []
    for c in source.comments:
        if "journeyc" not in c.text:
            continue
        m = DIRECTIVE.search(c.text)
        if m is None:
            continue
        raw = m.group("codes")
        codes = None if raw is None else frozenset(x.strip() for x in raw.split(",") if x.strip())
        line = c.span.line + 1 if c.alone else c.span.line
        found.append(Suppression(c.span, line, codes, m.group(0)))
    return found


class Suppressions:
    """The suppression comments of a run's files, indexed by the line they
    apply to, and which of them have suppressed something."""

    def __init__(self, sources: Iterable[SourceFile], copies: Iterable[tuple[str, str, int]] = ()):
        """`copies`: (copy file path, journey file path, line of its `message from`)."""
        self.all: list[Suppression] = []
        self.by_line: dict[tuple[str, int], list[Suppression]] = {}
        seen: set[str] = set()
        for src in sources:
            if src.real_path in seen:
                continue
            seen.add(src.real_path)
            for s in parse_suppressions(src):
                self.all.append(s)
                self.by_line.setdefault((src.path, s.target_line), []).append(s)
        self.used: set[Suppression] = set()
        # copy file path -> the (journey file, line) keys of by_line whose comments apply to it
        self.by_copy: dict[str, list[tuple[str, int]]] = {}
        for copy_path, path, line in copies:
            if (path, line) in self.by_line:
                self.by_copy.setdefault(copy_path, []).append((path, line))

    def suppress(self, d: Diagnostic, explicit_only: bool = False) -> bool:
        """Whether a comment suppresses `d` (lint diagnostics only); every
        comment that does is marked used. With `explicit_only`, only comments
        that name d's code count (S001 is not silenced by a bare ignore)."""
        if d.is_compile_error or not self.by_line:
            return False
        hit = False
        keys = [(d.span.file, d.span.line)] + self.by_copy.get(d.span.file, [])
        for key in keys:
            for s in self.by_line.get(key, ()):
                if s.codes is None and explicit_only:
                    continue
                if s.covers(d.code):
                    self.used.add(s)
                    hit = True
        return hit

    def unused(self) -> list[Suppression]:
        return [s for s in self.all if s not in self.used]

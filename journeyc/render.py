"""Diagnostics -> text for people (`text`, `concise`) and for programs
(`json`). The CI formats (SARIF, GitHub, JUnit, GitLab) live in
journeyc/formats/."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from .diagnostics import ERROR, INFO, WARNING, Diagnostic

JSON_VERSION = 1

_COLOURS = {ERROR: "31", WARNING: "33", INFO: "36", "bold": "1", "blue": "34", "dim": "2", "green": "32"}


def use_colour(stream) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (no-color.org);
    FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, *styles: str) -> str:
        if not self.on or not styles:
            return text
        codes = ";".join(_COLOURS[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> dict:
    return {
        "files": files,
        "errors": sum(d.severity == ERROR for d in diagnostics),
        "warnings": sum(d.severity == WARNING for d in diagnostics),
        "infos": sum(d.severity == INFO for d in diagnostics),
    }


def safe(text: str, tab: bool = False) -> str:
    """Control characters from user text shown visibly (`\\x1b`, `\\u202e`),
    so a message cannot move the cursor, retitle the terminal or forge
    output lines: C0 and C1 controls, DEL and every other character that is
    not printable (line separators, bidirectional overrides). A tab is kept
    when `tab` is true. The one place terminal output is made safe: the
    `text` and `concise` formats and every journeyc message on stderr."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " or (tab and c == "\t")
                   else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text)


_safe = safe


def diagnostic_to_json(d: Diagnostic) -> dict:
    s = d.span
    return {
        "code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
        "file": s.file, "line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column,
        "related": [{"file": r.span.file, "line": r.span.line, "column": r.span.column, "message": r.message}
                    for r in d.related],
        "suggestion": d.suggestion,
    }


def render_json(diagnostics: Sequence[Diagnostic], files: int) -> str:
    return "".join(iter_json(diagnostics, files))


def iter_json(diagnostics: Sequence[Diagnostic], files: int, batch: int = 2000):
    """The JSON document of CLI.md in pieces (a few thousand diagnostics
    each), so a large run is written without holding it whole. The bytes are
    `json.dumps(doc, indent=2, ensure_ascii=False) + "\n"` of the document
    {"version", "diagnostics": [diagnostic_to_json(d)...], "summary"}
    (tests/outputs/test_formats.py compares them), written directly: the document
    has one fixed shape, so each string goes through json's own
    `encode_basestring` and nothing else needs encoding."""
    import json
    from json.encoder import encode_basestring as q

    yield f'{{\n  "version": {JSON_VERSION},\n  "diagnostics": ['
    out: list[str] = []
    sep = "\n    {\n      "
    for d in diagnostics:
        s = d.span
        out.append(f'{sep}"code": {q(d.code)},\n      "name": {q(d.name)},\n      "severity": {q(d.severity)},'
                   f'\n      "message": {q(d.message)},\n      "file": {q(s.file)},\n      "line": {s.line:d},'
                   f'\n      "column": {s.column:d},\n      "end_line": {s.end_line:d},'
                   f'\n      "end_column": {s.end_column:d},\n      "related": ')
        if d.related:
            out.append("[" + ",".join(
                f'\n        {{\n          "file": {q(r.span.file)},\n          "line": {r.span.line:d},'
                f'\n          "column": {r.span.column:d},\n          "message": {q(r.message)}\n        }}'
                for r in d.related) + "\n      ],")
        else:
            out.append("[],")
        out.append(f'\n      "suggestion": {"null" if d.suggestion is None else q(d.suggestion)}\n    }}')
        sep = ",\n    {\n      "
        if len(out) >= batch:
            yield "".join(out)
            out.clear()
    out.append("\n  ]," if diagnostics else "],")
    yield "".join(out)
    yield ('\n  "summary": ' + json.dumps(summary(diagnostics, files), indent=2).replace("\n", "\n  ")
           + "\n}\n")


def render_concise(diagnostics: Iterable[Diagnostic], colour: bool = False) -> str:
    paint = _Paint(colour)
    out = []
    for d in diagnostics:
        s = d.span
        out.append(f"{paint(f'{_safe(s.file)}:{s.line}:{s.column}:', 'bold')} {paint(d.severity, d.severity)} "
                   f"{paint(d.code, 'bold')} {_safe(d.message)}\n")
    return "".join(out)


def render_text(diagnostics: Sequence[Diagnostic], source_line: Callable[[str, int], str | None],
                files: int, colour: bool = False) -> str:
    """rustc/ruff style: a header, the source line with the span underlined,
    related locations and the help line; then a summary."""
    paint = _Paint(colour)
    out = []
    for d in diagnostics:
        s = d.span
        out.append(f"{paint(f'{_safe(s.file)}:{s.line}:{s.column}:', 'bold')} "
                   f"{paint(f'{d.severity}[{d.code}]', d.severity, 'bold')}: {_safe(d.message)}\n")
        out.extend(_snippet(source_line(s.file, s.line), s.line, s.column,
                            s.end_column if s.end_line == s.line else None, paint, d.severity))
        for r in d.related:
            rs = r.span
            out.append(f"  {paint('note', 'bold')}: {_safe(r.message)} at {_safe(rs.file)}:{rs.line}:{rs.column}\n")
        if d.suggestion:
            out.append(f"  {paint('help', 'green', 'bold')}: {_safe(d.suggestion)}\n")
        out.append("\n")
    counts = summary(diagnostics, files)
    if not diagnostics:
        out.append(paint(f"All checks passed ({files} file{'s' if files != 1 else ''}).", "green") + "\n")
    else:
        parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in
                 ((counts["errors"], "error"), (counts["warnings"], "warning"), (counts["infos"], "info"))
                 if n]
        out.append(f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''}.\n")
    return "".join(out)


def _snippet(line: str | None, lineno: int, col: int, end_col: int | None, paint, severity: str) -> list[str]:
    if line is None:
        return []
    line = line.rstrip("\r\n")
    shown = line.expandtabs(1)  # tabs as one column, so the caret lines up
    gutter = " " * len(str(lineno))
    width = max(1, (end_col - col) if end_col and end_col > col else 1)
    width = min(width, max(1, len(shown) - col + 1)) if col <= len(shown) else 1
    bar = paint("|", "blue")
    return [
        f"{gutter} {bar}\n",
        f"{paint(str(lineno), 'blue')} {bar} {_safe(shown)}\n",
        f"{gutter} {bar} {' ' * (col - 1)}{paint('^' * width, severity)}\n",
    ]


# -- the diagnostic formats of journeyc/outputs.py: each takes a journeyc.formats.Report

def text_format(report) -> str:
    return render_text(report.diagnostics, report.source_line or _no_line, report.count, report.colour)


def concise_format(report) -> str:
    return render_concise(report.diagnostics, report.colour)


def json_format(report):
    """In pieces: a large run is never held whole."""
    return iter_json(report.diagnostics, report.count)


def _no_line(path: str, line: int) -> None:
    return None

"""Writing journey source text: the pieces `journeyc import` (CSV, Mermaid)
needs to produce a `.journey` spec that parses. Every piece of user text
goes through `string` (a quoted literal with escapes) or must pass `is_name`
(an identifier), so nothing from the input can add syntax."""
from __future__ import annotations

import re
import unicodedata

from .text import plain_number

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # the grammar's NAME (grammar/journey.lark)
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def is_name(text: str) -> bool:
    return bool(NAME.match(text))


def string(text: str) -> str:
    """`text` as a journey string literal: `"..."` with `\\"`, `\\\\`, `\\n`,
    `\\t`, and `\\uXXXX` for the other control characters and lone
    surrogates (which the grammar's STRING cannot hold as they are)."""
    out = ['"']
    for c in text:
        e = _ESCAPES.get(c)
        if e is not None:
            out.append(e)
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000 or c in "\u2028\u2029":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def number(value, unit: str | None = None) -> str:
    """A number as the grammar writes it (no exponent), with its unit."""
    text = plain_number(value)
    if unit is None:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def slug(text: str, used: set[str], fallback: str) -> str:
    """An identifier made from `text` (ASCII letters, digits and `_`, lower
    case; accents dropped), not in `used`, which it is added to. `fallback`
    when nothing of `text` is left; `_2`, `_3`... against collisions."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or fallback
    if base[0].isdigit():
        base = f"{fallback}_{base}"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}_{n}"
        n += 1
    used.add(candidate)
    return candidate


class Writer:
    """Lines of journey text with the indentation of their block, each
    remembering the `origin` it came from (a CSV row, a Mermaid line), so
    that a diagnostic on the output can point back at the input."""

    def __init__(self):
        self.lines: list[str] = []
        self.origins: list[object] = []
        self.depth = 0

    def line(self, text: str, origin=None) -> None:
        self.lines.append("  " * self.depth + text)
        self.origins.append(origin)

    def open(self, text: str, origin=None) -> None:
        self.line(text + " {", origin)
        self.depth += 1

    def close(self, origin=None) -> None:
        self.depth -= 1
        self.line("}", origin)

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
            self.origins.append(None)

    def origin_of(self, line: int):
        """The origin of 1-based output line `line` (else the nearest one above)."""
        for i in range(min(line, len(self.lines)) - 1, -1, -1):
            if self.origins[i] is not None:
                return self.origins[i]
        return None

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def title(text: str | None) -> str:
    """` "title"` after a declaration's id, or nothing."""
    return f" {string(text)}" if text else ""


def compile_errors(text: str, filename: str):
    """The compile errors of journey `text` compiled as if it were
    `filename` (nothing is read but the imports it names)."""
    import journeyc

    _, diagnostics = journeyc.compile_source(text, filename)
    return [d for d in diagnostics if d.is_compile_error]

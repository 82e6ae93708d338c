"""Copy files (LANGUAGE.md 1.1, "Copy files"): `message from "copy/welcome.html"`.

A copy file contributes its text to the message: an `.html`/`.htm` file its
visible text (read with the standard library's `html.parser`), any other
file its text as it is. Every character of the contributed text keeps the
range of the file's own text it came from, so a figure is reported at its
own line and column in the copy file (columns count code points, as in
journey files).

Reading the file (E004, E008, E010, once per run) is `journeyc.load.Session.copy`'s job.
"""
from __future__ import annotations

import bisect
from html.parser import HTMLParser

from .model import Span

# Elements whose content is not visible text.
HIDDEN = frozenset({"head", "script", "style", "noscript", "template", "title"})
# Elements whose start and end end a sentence, as a line break does.
BLOCKS = frozenset({"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
                    "header", "footer", "ul", "ol", "table", "blockquote"})
CELLS = frozenset({"td", "th"})


class CopyText:
    """The text a copy file contributes, and where each character came from.

    `path` is the copy file's display path (formed like an import's),
    `source` the file's own text, `text` the contributed text. `starts[i]`
    and `ends[i]` are the range of `source` that `text[i]` came from (None
    when the text is the source itself)."""

    __slots__ = ("path", "real_path", "source", "text", "starts", "ends", "_lines")

    def __init__(self, path: str, real_path: str, source: str, text: str,
                 starts: list[int] | None = None, ends: list[int] | None = None):
        self.path = path
        self.real_path = real_path
        self.source = source
        self.text = text
        self.starts = starts
        self.ends = ends
        self._lines: list[int] | None = None

    def _position(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [0] + [i + 1 for i, c in enumerate(self.source) if c == "\n"]
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span in the copy file of the text's range [start, end)."""
        if self.starts is None:
            a, b = start, end
        elif end <= start:
            a = b = self.starts[start] if start < len(self.starts) else len(self.source)
        else:
            a, b = self.starts[start], self.ends[end - 1]
        line, column = self._position(a)
        end_line, end_column = self._position(b)
        return Span(self.path, line, column, end_line, end_column)

    def whole(self) -> Span:
        """The span of the file's first character (where a finding about the whole file points)."""
        return Span(self.path, 1, 1, 1, 1)


class _Visible(HTMLParser):
    """Collects the visible text of an HTML document with source offsets."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.hidden = 0
        self.open_hidden: list[str] = []

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _break(self) -> None:
        if self.hidden:
            return
        at = self._here()
        self.chars.append("\n")
        self.starts.append(at)
        self.ends.append(at)

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
            self.open_hidden.append(tag)
        elif tag == "body" and self.open_hidden:  # an unclosed head ends where the body starts
            self.hidden, self.open_hidden = 0, []
        elif tag in BLOCKS:
            self._break()
        elif tag in CELLS and not self.hidden:
            at = self._here()
            self.chars.append(" ")
            self.starts.append(at)
            self.ends.append(at)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            if tag in self.open_hidden:
                while self.open_hidden:
                    self.hidden -= 1
                    if self.open_hidden.pop() == tag:
                        break
        elif tag in BLOCKS:
            self._break()

    def handle_data(self, data):
        if self.hidden:
            return
        at = self._here()
        for i, c in enumerate(data):
            self.chars.append(" " if c in "\r\n" else c)
            self.starts.append(at + i)
            self.ends.append(at + i + 1)

    def _reference(self, decoded: str, prefix: str, name: str):
        if self.hidden:
            return
        at = self._here()
        end = at + len(prefix) + len(name)
        if self.source.startswith(";", end):
            end += 1
        for c in decoded:
            self.chars.append(c)
            self.starts.append(at)
            self.ends.append(end)

    def handle_entityref(self, name):
        from html import unescape

        decoded = unescape(f"&{name};")
        self._reference(decoded if decoded != f"&{name};" else f"&{name}", "&", name)

    def handle_charref(self, name):
        from html import unescape

        self._reference(unescape(f"&#{name};"), "&#", name)


def visible_text(source: str) -> tuple[str, list[int], list[int]]:
    """The visible text of an HTML document and each character's source range."""
    p = _Visible(source)
    p.feed(source)
    p.close()
    return "".join(p.chars), p.starts, p.ends


def is_html(path: str) -> bool:
    return path.lower().endswith((".html", ".htm"))


def copy_text(path: str, real_path: str, source: str) -> CopyText:
    """What the copy file at `path` (its text `source`) contributes."""
    if is_html(path):
        text, starts, ends = visible_text(source)
        return CopyText(path, real_path, source, text, starts, ends)
    return CopyText(path, real_path, source, source)

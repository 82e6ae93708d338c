"""`journeyc fmt`: the canonical layout of a journey file (docs/fmt.md).

Built on the concrete syntax, not on the model: the fast parser's tables
(journeyc.parsing.tables, derived from the grammar) parse the text, but
every reduction builds a generic node that keeps all of its tokens (braces
and commas included), and the lexer hands over every comment with its
position. The printer then walks the tokens in order and decides only
where lines break, how deep they are indented and where blank lines go,
from the structure (which tokens open and close blocks, which nodes are the
items of a block) and the `LAYOUT` table below. Nothing here names a
construct of the language except that table, so a construct the grammar
gains is formatted the day it parses (tests/parsing/test_fmt.py checks this with a
grammar extended by a construct the formatter has never heard of).

What the printer guarantees (tests/parsing/test_fmt.py): the tokens are the same,
in the same order, with the same values (strings re-quoted canonically);
every comment stays next to the token it followed (a trailing comment) or
preceded (a comment line), so suppression comments apply to the same lines
of code; formatting twice changes nothing.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from .errors import FormatError  # noqa: F401  (imported from here too)
from .text import plural

INDENT = "  "
CONTINUATION = "    "  # a line an item continues on (after a comment inside it)
ONE_LINE_MAX_ITEMS = 2  # a block written on one line with at most this many items stays there


class Layout(NamedTuple):
    """How the items of a rule's blocks, or the rule as an item, are laid out."""

    blank_between: bool = False  # a blank line between the items of its blocks (top level)
    group_one_liners: bool = False  # ... except between consecutive one-line items of the same rule
    blank_around: bool = False  # as an item: a blank line before and after it among its siblings


# The layout table: the one place that names rules and terminals. A rule or
# keyword that is not here gets the default layout (one item a line, blank
# lines where the author put them, at most one).
RULES = {
    "start": Layout(blank_between=True, group_one_liners=True),  # top-level declarations
    "stage_decl": Layout(blank_around=True),
}
OPEN, CLOSE = "_LBRACE", "RBRACE"  # a block: its items go one a line, indented
TIGHT_BEFORE = frozenset({"_COMMA"})  # no space before these tokens
STRINGS = ("STRING", "LONG_STRING")  # re-quoted canonically
LONG_STRING = "LONG_STRING"

_DEFAULT = Layout()


# ---------------------------------------------------------------------------
# the concrete syntax


class Node:
    """A rule's reduction with every token kept. `first`/`last` are its
    first and last tokens (None for an empty rule); `nested` tells whether
    a block opens anywhere inside it."""

    __slots__ = ("name", "children", "first", "last", "nested")

    def __init__(self, name, children, first, last, nested):
        self.name = name
        self.children = children
        self.first = first
        self.last = last
        self.nested = nested


class _Splice:
    __slots__ = ("children",)

    def __init__(self, children):
        self.children = children


class Block(NamedTuple):
    open: object  # the tokens
    close: object
    items: list  # Nodes or tokens between them
    rule: str  # the rule whose block it is


class Syntax:
    """What one parse collects: blocks by their opening token's offset, the
    rule of each item by its first token's offset, every token."""

    def __init__(self):
        self.blocks: dict[int, Block] = {}
        self.items: dict[int, object] = {}  # the item (a Node, or a token) by its first token's offset
        self.tokens: list = []
        self.top: list = []


def _reducer(syntax: Syntax, name: str, splice: bool):
    tokens = syntax.tokens
    blocks = syntax.blocks
    items_by_pos = syntax.items

    def reduce(children):
        flat = []
        for c in children:
            if type(c) is _Splice:
                flat += c.children
            else:
                if type(c) is not Node:
                    tokens.append(c)
                flat.append(c)
        if splice:  # a helper rule (`_decl`, a repetition): its children go to the parent
            return _Splice(flat)
        first = last = None
        nested = False
        opened = None
        for i, c in enumerate(flat):
            if type(c) is Node:
                if c.first is None:
                    continue
                nested = nested or c.nested
                if first is None:
                    first = c.first
                last = c.last
            else:
                if first is None:
                    first = c
                last = c
                if c.type == OPEN:
                    nested = True
                    opened = i
                elif c.type == CLOSE and opened is not None:
                    items = [x for x in flat[opened + 1:i] if type(x) is not Node or x.first is not None]
                    blocks[flat[opened].start_pos] = Block(flat[opened], c, items, name)
                    for x in items:
                        items_by_pos[(x.first if type(x) is Node else x).start_pos] = x
                    opened = None
        return Node(name, flat, first, last, nested)

    return reduce


@lru_cache(maxsize=1)
def _tables():
    from .parsing import grammar, tables

    return tables.load_data(grammar.text())


def concrete_syntax(text: str, data: dict | None = None):
    """(Syntax, comments) of text that parses, else None. `data`: the
    fast parser's tables (default: the grammar's)."""
    from .parsing import driver

    data = data if data is not None else _tables()
    syntax = Syntax()
    t = object.__new__(driver.Tables)  # the driver's tables, with reductions of our own (no SyntaxBuilder)
    t.scanner = _scanner(data["scanner"])
    t.keywords = data["keywords"]
    t.comment = data["comment"]
    t.states = data["states"]
    t.start_state = data["start"]
    t.end_state = data["end"]
    t.builder = None
    t.rules = [(origin, size, _reducer(syntax, str(name), origin.startswith("_")))
               for origin, size, _spec, _expand1, name in data["rules"]]
    comments: list = []
    root = driver.run(t, text, comments.append)
    if root is None:
        return None
    if type(root) is _Splice:
        root = Node("start", root.children, None, None, False)
    syntax.top = [x for x in root.children if type(x) is not Node or x.first is not None]
    for x in syntax.top:
        syntax.items[(x.first if type(x) is Node else x).start_pos] = x
    syntax.tokens.sort(key=lambda tok: tok.start_pos)
    return syntax, comments


@lru_cache(maxsize=4)
def _scanner(pattern: str):
    return re.compile(pattern)


# ---------------------------------------------------------------------------
# strings


# What a `"..."` string escapes: the quote, the backslash, line breaks, tabs,
# and characters that are invisible or reorder text (control characters,
# direction marks and overrides, the byte order mark), as \\uXXXX.
_ESCAPED = re.compile('["\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]')
_UNUSUAL = re.compile('[\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}


def _escape(m) -> str:
    ch = m.group()
    return _SHORT.get(ch) or f"\\u{ord(ch):04x}"


def quote(text: str) -> str:
    """`text` as a STRING, with escapes only where needed (see _ESCAPED)."""
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def canonical_string(tok) -> str:
    """A string token canonically: a `\"\"\"` string with a line break as it
    is; any other string as the shortest `"..."` form of its text."""
    value = tok.value
    if tok.type == LONG_STRING:
        body = value[3:-3]
        if "\n" in body or "\r" in body:
            return value
        return quote(body)
    if _UNUSUAL.search(value) is None:  # no escape, nothing to escape
        return value
    from .parsing.callbacks import decode_string

    return quote(decode_string(value))


# ---------------------------------------------------------------------------
# the printer


def format_text(text: str, path: str = "<stdin>", data: dict | None = None) -> str:
    """The canonical layout of `text`. Raises FormatError (E008, E001s)
    for text that does not parse."""
    from .load import decode

    decoded, err = decode(text.encode("utf-8", "surrogatepass"), path)
    if err is not None:
        raise FormatError([err])
    parsed = concrete_syntax(decoded, data)
    if parsed is None:
        raise FormatError(_syntax_errors(decoded, path, data))
    syntax, comments = parsed
    return _Printer(decoded, syntax, comments).run()


def _syntax_errors(text: str, path: str, data) -> list:
    from .parsing import parse

    _, errors = parse(text, path)
    errors = [d for d in errors if d.code == "E001"]
    if not errors:  # the two parsers disagree: a fault of journeyc's, not of the text
        raise RuntimeError(f"{path}: the formatter's parser refused text that parses")
    return errors


class _Printer:
    def __init__(self, text, syntax: Syntax, comments):
        self.text = text
        self.syntax = syntax
        self.comments = comments
        self.comment_pos = [c.start_pos for c in comments]
        self.token_pos = [t.start_pos for t in syntax.tokens]
        self.lines: list[str] = []  # output lines, each without its newline
        self.cur: list[str] | None = None  # the line being built

    # -- output ----------------------------------------------------------------
    def end_line(self):
        if self.cur is not None:
            self.lines.append("".join(self.cur))
            self.cur = None

    def blank(self):
        self.end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def new_line(self, indent: str, piece: str):
        self.end_line()
        self.cur = [indent, piece]

    def put(self, piece: str, tight: bool = False):
        if not tight:
            self.cur.append(" ")
        self.cur.append(piece)

    # -- decisions -------------------------------------------------------------
    def comment_between(self, start: int, end: int) -> bool:
        i = bisect_left(self.comment_pos, start)
        return i < len(self.comment_pos) and self.comment_pos[i] < end

    def one_line(self, b: Block) -> bool:
        """A block stays on one line when it is empty, or when it was
        written on one line, holds no comment and either has at most
        ONE_LINE_MAX_ITEMS items and no block inside or carries a trailing
        comment right after its `}` (breaking it would move code away from
        the comment, and from the suppression it may hold)."""
        if self.comment_between(b.open.start_pos, b.close.start_pos):
            return False
        if not b.items:
            return True
        if b.open.line != b.close.end_line:
            return False
        if len(b.items) <= ONE_LINE_MAX_ITEMS and not any(type(x) is Node and x.nested for x in b.items):
            return True
        # the comment must follow the `}` directly: after another token it trails that token
        i = bisect_left(self.comment_pos, b.close.start_pos)
        if i == len(self.comments) or self.comments[i].line != b.close.end_line:
            return False
        k = bisect_left(self.token_pos, b.close.start_pos) + 1
        return k == len(self.token_pos) or self.token_pos[k] > self.comment_pos[i]

    @staticmethod
    def gap(prev_line: int, line: int) -> bool:
        """Whether the author left a blank line between the two lines."""
        return line - prev_line >= 2

    def one_line_since(self, start: int) -> bool:
        """Whether what was printed since line index `start` is one line."""
        n = len(self.lines) - start + (self.cur is not None)
        if n > 1:
            return False
        last = "".join(self.cur) if self.cur is not None else self.lines[-1] if self.lines else ""
        return "\n" not in last

    # -- the walk --------------------------------------------------------------
    def run(self) -> str:
        syntax = self.syntax
        comments = self.comments
        blocks = syntax.blocks
        items = syntax.items
        closing = {b.close.start_pos for b in blocks.values()}
        inline_closes: set = set()
        ci = 0  # the next comment
        depth = 0
        inline = 0  # > 0 inside a block kept on one line
        # per open block: [its rule's layout, the previous item's rule, the line index where that item began]
        stack = [[RULES.get("start", _DEFAULT), None, 0]]
        prev = None  # the previous token
        prev_end_line = 0  # the last source line of what was printed last (token or comment)
        for tok in syntax.tokens:
            pos = tok.start_pos
            starts_item = inline == 0 and pos in items
            closes = inline == 0 and pos in closing
            leading_done = False
            # the comments before this token
            while ci < len(comments) and comments[ci].start_pos < pos:
                c = comments[ci]
                ci += 1
                body = c.value.rstrip(" \t")
                if prev is not None and c.line == prev.end_line and self.cur is not None:
                    self.put(" " + body)  # a trailing comment: two spaces before it
                    self.end_line()
                elif starts_item and not leading_done:
                    self.item_separation(stack, items[pos], c.line, prev_end_line)
                    leading_done = True
                    self.new_line(INDENT * depth, body)
                    self.end_line()
                else:
                    if not (prev is not None and prev.type == OPEN and prev_end_line == prev.end_line) \
                            and self.gap(prev_end_line, c.line):
                        self.blank()
                    indent = INDENT * depth if starts_item or closes or prev is None \
                        else INDENT * depth + CONTINUATION
                    self.new_line(indent, body)
                    self.end_line()
                prev_end_line = c.line
            # the token
            piece = canonical_string(tok) if tok.type in STRINGS else tok.value
            if starts_item:
                if not leading_done:
                    self.item_separation(stack, items[pos], tok.line, prev_end_line)
                elif self.gap(prev_end_line, tok.line):
                    self.blank()
                frame = stack[-1]
                frame[1] = _rule(items[pos])
                self.new_line(INDENT * depth, piece)
                frame[2] = len(self.lines)
            elif closes:
                depth -= 1
                stack.pop()
                self.new_line(INDENT * depth, piece)
            elif self.cur is None:
                self.new_line(INDENT * depth + (CONTINUATION if prev is not None else ""), piece)
            else:
                self.put(piece, tight=tok.type in TIGHT_BEFORE)
            if tok.type == OPEN:
                b = blocks.get(pos)
                if b is not None:
                    if inline or self.one_line(b):
                        inline += 1
                        inline_closes.add(b.close.start_pos)
                    else:
                        depth += 1
                        stack.append([RULES.get(b.rule, _DEFAULT), None, 0])
            elif inline and pos in inline_closes:
                inline -= 1
            prev = tok
            prev_end_line = tok.end_line
        # the comments after the last token
        for c in comments[ci:]:
            body = c.value.rstrip(" \t")
            if prev is not None and c.line == prev.end_line and self.cur is not None:
                self.put(" " + body)
                self.end_line()
            else:
                if self.gap(prev_end_line, c.line):
                    self.blank()
                self.new_line("", body)
                self.end_line()
            prev_end_line = c.line
        self.end_line()
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def item_separation(self, stack, item, line: int, prev_end_line: int):
        """Before an item (or the comment lines leading it): a blank line
        where the layout table or the author wants one."""
        frame = stack[-1]
        previous = frame[1]
        if previous is None:  # the first item of its block (or of the file)
            return
        parent = frame[0]
        rule = _rule(item)
        want = RULES.get(rule, _DEFAULT).blank_around or RULES.get(previous, _DEFAULT).blank_around
        if parent.blank_between and not want:
            want = not (parent.group_one_liners and previous == rule and self.one_line_since(frame[2])
                        and self.prints_on_one_line(item))
        if want or self.gap(prev_end_line, line):
            self.blank()

    def prints_on_one_line(self, item) -> bool:
        """Whether the item will be printed on one line: no comment inside,
        its block (if any) kept on one line, no string with a line break."""
        if type(item) is not Node:
            return "\n" not in item.value
        if self.comment_between(item.first.start_pos, item.last.start_pos):
            return False
        todo = [item]
        while todo:
            node = todo.pop()
            for c in node.children:
                if type(c) is Node:
                    todo.append(c)
                elif c.type == LONG_STRING and "\n" in c.value:
                    return False
                elif c.type == OPEN and node is item:
                    b = self.syntax.blocks.get(c.start_pos)
                    if b is not None and not self.one_line(b):
                        return False
        return True


def _rule(item) -> str:
    return item.name if type(item) is Node else item.type


# ---------------------------------------------------------------------------
# the command


def _label(path: str) -> str:
    return path.replace("\\", "/")


def _side(prefix: str, path: str) -> str:
    """`a/specs/x.journey` for a relative path (as git writes it), the path alone otherwise."""
    label = _label(path)
    return label if label.startswith("/") or label.startswith("<") else prefix + label


def unified_diff(old: str, new: str, path: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        _side("a/", path), _side("b/", path)))


def run(paths, check: bool = False, diff: bool = False, stdin_filename: str | None = None, stdin=None,
        stdout=None, stderr=None) -> int:
    """`journeyc fmt`: returns the exit status. `-` reads standard input and
    writes the result (or, with --check/--diff, only the verdict) to
    standard output; files are rewritten in place, atomically, when they
    change."""
    import os
    import sys

    from .commands import EXIT_FINDINGS, EXIT_OK, emit_diagnostics
    from .compiler import list_paths
    from .fsutil import write_atomic
    from .errors import JourneycError
    from .load import decode, not_readable, read_bytes

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    files: list[str] = []
    use_stdin = False
    for p in paths:
        if p == "-":
            use_stdin = True
        else:
            named, found = list_paths([p])
            files.extend(named + found)
    files = list(dict.fromkeys(files))
    refused, changed, unchanged = [], [], 0
    stdin_changed = False

    def one(data: bytes, path: str):
        """(old text, new text), or None after printing why it cannot be formatted."""
        text, err = decode(data, path)
        if err is not None:
            refused.append(path)
            emit_diagnostics([err], lambda p, n: None, 1, "text", stderr)
            return None
        try:
            return text, format_text(text, path)
        except FormatError as e:
            refused.append(path)
            lines = text.split("\n")
            emit_diagnostics(e.diagnostics, lambda p, n: lines[n - 1] if 0 < n <= len(lines) else None, 1,
                             "text", stderr)
            return None

    if use_stdin:
        name = stdin_filename or "<stdin>"
        result = one((stdin or sys.stdin.buffer).read(), name)
        if result is not None:
            old, new = result
            stdin_changed = old != new
            if diff:
                stdout.write(unified_diff(old, new, name))
            elif check:
                if stdin_changed:
                    stdout.write(f"would reformat {_label(name)}\n")
            else:
                stdout.write(new)
    for path in files:
        why = not_readable(os.path.realpath(path))  # a folder, a FIFO, a device, a huge file: as check refuses them
        if why:
            raise JourneycError(f"{path}: {why}")
        data = read_bytes(path)
        result = one(data, path)
        if result is None:
            continue
        old, new = result
        if new.encode("utf-8") == data:  # (a byte order mark or CR LF line ends are changes)
            unchanged += 1
            continue
        changed.append(path)
        if diff:
            stdout.write(unified_diff(old, new, path))
        elif check:
            stdout.write(f"would reformat {_label(path)}\n")
        else:
            write_atomic(os.path.realpath(path), new.encode("utf-8"))  # through a symbolic link, not over it
    if files:
        verb = "would be reformatted" if check or diff else "reformatted"
        summary = f"{plural(len(changed), 'file')} {verb}, {unchanged} already formatted"
        if refused:
            summary += f", {len(refused)} not formatted (syntax errors)"
        stderr.write(f"journeyc: {summary}\n")
    if refused or ((check or diff) and (changed or stdin_changed)):
        return EXIT_FINDINGS
    return EXIT_OK

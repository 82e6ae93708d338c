"""The rule callbacks: tokens and children -> syntax nodes
(journeyc.model.Block / Item / Name / ...). Construction only: every check
happens in later passes. Used by both parsers (journeyc.parsing.driver, and
Lark's in journeyc.parsing.recovery), and free of Lark so that text that
parses never imports it. Every named rule and alias of the grammar has its
callback here (tests/parsing/test_callbacks.py)."""
from __future__ import annotations

from .. import patterns
from ..codes import E006
from ..diagnostics import Diagnostic
from ..model import Block, Bool, Comment, Item, Name, Num, Span, Str, Target

# The records are made with tuple.__new__ rather than by calling their class:
# the same objects (every field given), at a third of the cost of a
# NamedTuple's Python-level __new__, which a large file pays a million times.
_new = tuple.__new__

MAX_DIGITS = 300  # digits before the decimal point: a number is below 10^300


def _num(text: str):
    """The value of a NUMBER, or None when it has more than MAX_DIGITS
    digits before its decimal point (a float would be infinite, and Python
    refuses to read or print integers of more than 4,300 digits)."""
    text = text.replace("_", "")
    whole = text.partition(".")[0].lstrip("0")
    if len(whole) > MAX_DIGITS:
        return None
    return float(text) if "." in text else int(text)


_ESCAPE = patterns.compile(r'\\(?:u([0-9A-Fa-f]{4})|(.))')
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def decode_string(raw: str) -> str:
    """The text of a STRING token without its quotes, escapes decoded.
    A surrogate pair written as two `\\u` escapes is joined; a lone surrogate
    becomes U+FFFD, so every string can be written as UTF-8."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    out = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else _SIMPLE_ESCAPES[m.group(2)], body)
    if any("\ud800" <= c <= "\udfff" for c in out):
        out = out.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return out


class _Children:
    """What a helper rule reduces to: its children, spliced into the parent."""

    __slots__ = ("children",)

    def __init__(self, children):
        self.children = children


class SyntaxBuilder:
    """Lark callbacks: one per grammar rule, each building a syntax node."""

    def __init__(self):
        self.file = "<string>"
        self.problems: list[Diagnostic] = []  # values no model can hold (E006)
        self.on_decl = None  # the fast driver's: see journeyc.parsing.parse

    def __default__(self, data, children, meta):
        # Only the grammar's helper rules (`_stage_item`, and Lark's own
        # `__x_star_n` for repetitions) have no callback; their results are
        # always spliced into the parent's children, which only reads
        # `.children`. A bare holder is much cheaper than a lark.Tree.
        return _Children(children)

    # -- helpers -------------------------------------------------------------
    def _span(self, tok) -> Span:
        return _new(Span, (self.file, tok.line, tok.column, tok.end_line, tok.end_column))

    def _name(self, tok) -> Name:
        return _new(Name, (tok.value, _new(Span, (self.file, tok.line, tok.column, tok.end_line, tok.end_column))))

    def _end(self, tok) -> Span | None:
        """The span of a block's `}`; None for a block without a body (or
        whose `}` recovery put there)."""
        if tok is None or getattr(tok, "missing", False):
            return None
        return _new(Span, (self.file, tok.line, tok.column, tok.end_line, tok.end_column))

    def _block(self, kind, c):
        # KEYWORD NAME [string] items... ('}' | None)
        return _new(Block, (kind, self._span(c[0]), self._name(c[1]), c[2], tuple(c[3:-1]), self._end(c[-1])))

    def _word(self, c):
        # KEYWORD NAME
        return _new(Item, (c[0].value, self._span(c[0]), (self._name(c[1]),)))

    # -- values --------------------------------------------------------------
    def string(self, c):
        tok = c[0]
        if getattr(tok, "missing", False):  # recovery put it there
            return None
        text = tok.value[3:-3] if tok.type == "LONG_STRING" else decode_string(tok.value)
        return _new(Str, (text, self._span(tok)))

    def number(self, c):
        tok = c[0]
        percent = tok.type == "PERCENT_NUMBER"
        unit = "%" if percent else c[1].value if len(c) > 1 and c[1] is not None else None
        end = c[1] if unit is not None and not percent else tok
        span = _new(Span, (self.file, tok.line, tok.column, end.end_line, end.end_column))
        value = _num(tok.value[:-1] if percent else tok.value)
        if value is None:
            self.problems.append(E006.at(span, f"number too large: a number must be below 10^{MAX_DIGITS}"))
            value = 0
        return _new(Num, (value, unit, span))

    def boolean(self, c):
        return _new(Bool, (c[0].value == "true", self._span(c[0])))

    def comparator(self, c):
        return c[0].value

    # -- items ---------------------------------------------------------------
    kind = unit = cadence = category = model = business = phase = area = _word
    owner_ref = channel_ref = _word
    state = status = impact = layer = confidence = _word

    def _names(self, c):
        # KEYWORD NAME ("," NAME)*
        return _new(Item, (c[0].value, self._span(c[0]), tuple(self._name(t) for t in c[1:])))

    for_ref = recovers = _names

    def _text(self, c):
        # KEYWORD STRING
        return _new(Item, (c[0].value, self._span(c[0]), (c[1],)))

    goal = evidence = action = thought = _text

    def description(self, c):
        return _new(Item, ("description", self._span(c[0]), (c[1],)))

    def contact(self, c):
        return _new(Item, ("contact", self._span(c[0]), (c[1],)))

    def target(self, c):
        return _new(Item, ("target", self._span(c[0]), (_new(Target, (c[1], c[2], self._span(c[0]))),)))

    def source(self, c):
        return _new(Item, ("source", self._span(c[0]), (self._name(c[1]), c[2])))

    def tone(self, c):
        return _new(Item, ("tone", self._span(c[0]), tuple(self._name(t) for t in c[1:])))

    message_tone = tone

    def entry(self, c):
        return _new(Item, ("entry", self._span(c[0]), ()))

    def recovery(self, c):
        return _new(Item, ("recovery", self._span(c[0]), ()))

    def measure_list(self, c):
        return _new(Item, ("measure", self._span(c[0]), (tuple(self._name(t) for t in c[1:]), None)))

    def measure_target(self, c):
        target = _new(Target, (c[3], c[4], self._span(c[2])))
        return _new(Item, ("measure", self._span(c[0]), ((self._name(c[1]),), target)))

    def transition(self, c):
        return _new(Item, ("->", self._span(c[0]), (self._name(c[1]), c[2])))

    def audience(self, c):
        return _new(Item, ("audience", self._span(c[0]), tuple(self._name(t) for t in c[1:])))

    def score(self, c):
        return _new(Item, ("score", self._span(c[0]), (c[1],)))

    def claim(self, c):
        return _new(Item, ("claim", self._span(c[0]), (self._name(c[1]), c[3])))

    # -- blocks --------------------------------------------------------------
    def import_decl(self, c):
        if c[1] is None:  # the path is missing: recovery inserted it
            return None
        return _new(Item, ("import", self._span(c[0]), (c[1],)))

    def owner_decl(self, c):
        return self._block("owner", c)

    def persona_decl(self, c):
        return self._block("persona", c)

    def channel_decl(self, c):
        # CHANNEL NAME [string]: no body
        return _new(Block, ("channel", self._span(c[0]), self._name(c[1]), c[2], (), None))

    def kpi_decl(self, c):
        return self._block("kpi", c)

    def journey_decl(self, c):
        return self._block("journey", c)

    def stage_decl(self, c):
        return self._block("stage", c)

    def touchpoint_decl(self, c):
        return self._block("touchpoint", c)

    def opportunity_decl(self, c):
        return self._block("opportunity", c)

    def message(self, c):
        return _new(Block, ("message", self._span(c[0]), None, c[1], tuple(c[2:-1]), self._end(c[-1])))

    def message_from(self, c):
        # `message from "path"`: the path is the title; a `from` item marks the copy file
        items = (_new(Item, ("from", self._span(c[1]), ())),) + tuple(c[3:-1])
        return _new(Block, ("message", self._span(c[0]), None, c[2], items, self._end(c[-1])))

    def fact_decl(self, c):
        # FACT NAME EQ value items...: the value is the first item
        value = c[3]
        items = (_new(Item, ("value", self._span(c[2]), (value,))),) + tuple(c[4:-1])
        return _new(Block, ("fact", self._span(c[0]), self._name(c[1]), None, items, self._end(c[-1])))

    def phrase(self, c):
        return _new(Item, ("phrase", self._span(c[0]), tuple(c[1:])))

    def promise(self, c):
        return _new(Block, ("promise", self._span(c[0]), None, c[1], tuple(c[2:-1]), self._end(c[-1])))

    def start(self, c):
        return tuple(b for b in c if b is not None)


def comment(tok, text: str, path: str) -> Comment:
    line_start = text.rfind("\n", 0, tok.start_pos) + 1
    alone = text[line_start:tok.start_pos].strip() == ""
    return _new(Comment, (tok.value, _new(Span, (path, tok.line, tok.column, tok.end_line, tok.end_column)), alone))

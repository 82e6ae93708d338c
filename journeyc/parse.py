"""Stage 1: text -> syntax blocks (journeyc.model.Block / Item), and E001.

The Lark LALR parser runs with the transformer passed in (`transformer=`),
so no parse tree is built: each rule's callback constructs a syntax node as
the parser reduces. Positions come from the tokens. The callbacks only
construct; every semantic check happens in later passes.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from . import grammar
from .codes import E001
from .diagnostics import Diagnostic
from .model import Block, Bool, Comment, Item, Name, Num, SourceFile, Span, Str, Target

# ---------------------------------------------------------------------------
# the transformer: construction only


def _num(text: str):
    text = text.replace("_", "")
    return float(text) if "." in text else int(text)


_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|(.))')
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


class SyntaxBuilder(Transformer):
    """Lark callbacks: one per grammar rule, each building a syntax node."""

    def __init__(self):
        super().__init__(visit_tokens=False)
        self.file = "<string>"

    # -- helpers -------------------------------------------------------------
    def _span(self, tok: Token) -> Span:
        return Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def _name(self, tok: Token) -> Name:
        return Name(str(tok), Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column))

    def _block(self, kind, c):
        # KEYWORD NAME [string] items...
        return Block(kind, self._span(c[0]), self._name(c[1]), c[2], tuple(c[3:]))

    def _word(self, c):
        # KEYWORD NAME
        return Item(str(c[0]), self._span(c[0]), (self._name(c[1]),))

    # -- values --------------------------------------------------------------
    def string(self, c):
        tok = c[0]
        text = tok[3:-3] if tok.type == "LONG_STRING" else decode_string(tok)
        return Str(text, self._span(tok))

    def number(self, c):
        tok = c[0]
        if tok.type == "PERCENT_NUMBER":
            return Num(_num(tok[:-1]), "%", self._span(tok))
        unit = c[1] if len(c) > 1 else None
        if unit is None:
            return Num(_num(tok), None, self._span(tok))
        return Num(_num(tok), str(unit), Span(self.file, tok.line, tok.column, unit.end_line, unit.end_column))

    def boolean(self, c):
        return Bool(c[0] == "true", self._span(c[0]))

    def comparator(self, c):
        return str(c[0])

    # -- items ---------------------------------------------------------------
    kind = unit = cadence = category = model = business = phase = area = _word
    owner_ref = channel_ref = _word

    def description(self, c):
        return Item("description", self._span(c[0]), (c[1],))

    def contact(self, c):
        return Item("contact", self._span(c[0]), (c[1],))

    def target(self, c):
        return Item("target", self._span(c[0]), (Target(c[1], c[2], self._span(c[0])),))

    def source(self, c):
        return Item("source", self._span(c[0]), (self._name(c[1]), c[2]))

    def tone(self, c):
        return Item("tone", self._span(c[0]), tuple(self._name(t) for t in c[1:]))

    message_tone = tone

    def entry(self, c):
        return Item("entry", self._span(c[0]), ())

    def recovery(self, c):
        return Item("recovery", self._span(c[0]), ())

    def measure_list(self, c):
        return Item("measure", self._span(c[0]), (tuple(self._name(t) for t in c[1:]), None))

    def measure_target(self, c):
        return Item("measure", self._span(c[0]), ((self._name(c[1]),), Target(c[3], c[4], self._span(c[2]))))

    def transition(self, c):
        return Item("->", self._span(c[0]), (self._name(c[1]), c[2]))

    def audience(self, c):
        return Item("audience", self._span(c[0]), tuple(self._name(t) for t in c[1:]))

    def score(self, c):
        return Item("score", self._span(c[0]), (c[1],))

    def claim(self, c):
        return Item("claim", self._span(c[0]), (self._name(c[1]), c[3]))

    # -- blocks --------------------------------------------------------------
    def import_decl(self, c):
        return Item("import", self._span(c[0]), (c[1],))

    def owner_decl(self, c):
        return self._block("owner", c)

    def persona_decl(self, c):
        return self._block("persona", c)

    def channel_decl(self, c):
        return self._block("channel", c)

    def kpi_decl(self, c):
        return self._block("kpi", c)

    def journey_decl(self, c):
        return self._block("journey", c)

    def stage_decl(self, c):
        return self._block("stage", c)

    def touchpoint_decl(self, c):
        return self._block("touchpoint", c)

    def message(self, c):
        return Block("message", self._span(c[0]), None, c[1], tuple(c[2:]))

    def promise(self, c):
        return Block("promise", self._span(c[0]), None, c[1], tuple(c[2:]))

    def start(self, c):
        return tuple(c)


# ---------------------------------------------------------------------------
# the parser


@lru_cache(maxsize=1)
def _parser() -> tuple[Lark, SyntaxBuilder, list]:
    builder = SyntaxBuilder()
    comments: list = []
    lark = Lark(
        grammar.text(),
        parser="lalr",
        lexer="contextual",
        strict=True,
        maybe_placeholders=True,
        transformer=builder,
        lexer_callbacks={"COMMENT": comments.append},
        propagate_positions=False,
    )
    return lark, builder, comments


def parse_text(text: str, path: str, real_path: str | None = None) -> tuple[SourceFile, list[Diagnostic]]:
    """Parse decoded text (BOM already removed). Returns the syntax of the
    file and its syntax errors (E001)."""
    lark, builder, comments = _parser()
    builder.file = path
    comments.clear()
    errors: list[Diagnostic] = []
    blocks: tuple = ()
    try:
        blocks = lark.parse(text)
    except UnexpectedInput as e:
        errors.append(syntax_error(e, text, path))
    found = tuple(_comment(tok, text, path) for tok in comments)
    comments.clear()
    return SourceFile(path, real_path or path, text, blocks, found), errors


def _comment(tok: Token, text: str, path: str) -> Comment:
    line_start = text.rfind("\n", 0, tok.start_pos) + 1
    alone = text[line_start:tok.start_pos].strip() == ""
    return Comment(str(tok), Span(path, tok.line, tok.column, tok.end_line, tok.end_column), alone)


# ---------------------------------------------------------------------------
# syntax errors in words

_DECLARATIONS = {
    "IMPORT": "an import", "JOURNEY": "a journey", "STAGE": "a stage",
    "TOUCHPOINT": "a touchpoint", "MESSAGE": "a message", "KPI": "a KPI",
    "PERSONA": "a persona", "CHANNEL": "a channel", "CLAIM": "a claim",
}
_TOKENS = {
    "NAME": "an identifier", "STRING": "a string", "LONG_STRING": "a string",
    "NUMBER": "a number", "PERCENT_NUMBER": "a number",
    "ARROW": "a transition ('->')", "GE": "a comparator", "LE": "a comparator",
    "GT": "a comparator", "LT": "a comparator",
    "_LBRACE": "'{'", "_RBRACE": "'}'", "_COMMA": "','", "$END": "the end of the file",
}


def _describe(term: str, context: str | None = None) -> tuple[int, str]:
    """A sort key and plain words for a terminal name."""
    if term in _DECLARATIONS:
        return (0, _DECLARATIONS[term])
    if term == "EQ":
        return (3, "a comparator") if context == "target" else (3, "'='")
    if term in ("TRUE", "FALSE"):
        return (2, "true or false")
    if term in _TOKENS:
        rank = 2 if term in ("NAME", "STRING", "LONG_STRING", "NUMBER", "PERCENT_NUMBER", "ARROW", "GE", "LE", "GT", "LT") else 4
        return (rank, _TOKENS[term])
    if term.isupper() and term.isalpha():
        return (1, f"'{term.lower()}'")
    return (5, term.lower())


def expected_words(terms) -> str:
    context = "target" if "GE" in terms else None
    words = sorted({_describe(t, context) for t in terms})
    names = []
    for _, w in words:
        if w not in names:
            names.append(w)
    if not names:
        return "nothing more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _found(tok: Token) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "NAME":
        return f"'{tok}'"
    if tok.type in ("STRING", "LONG_STRING"):
        return "a string"
    if tok.type in ("NUMBER", "PERCENT_NUMBER"):
        return f"number {tok}"
    return f"'{tok}'"


_LENIENT_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_BAD_NUMBER = re.compile(r"[0-9][0-9A-Za-z_.]*")


def syntax_error(e: UnexpectedInput, text: str, path: str) -> Diagnostic:
    """Turn a Lark error into an E001 with a location and plain words."""
    if isinstance(e, UnexpectedToken):
        tok = e.token
        expected = expected_words(e.expected)
        if tok.type == "$END":
            line, col = _end_of_last_token(text)
            span = Span(path, line, col, line, col)
            return E001.at(span, f"unexpected end of file: expected {expected}")
        span = Span(path, tok.line, tok.column, tok.end_line or tok.line, tok.end_column or tok.column + 1)
        return E001.at(span, f"unexpected {_found(tok)}: expected {expected}")
    assert isinstance(e, UnexpectedCharacters)
    pos = e.pos_in_stream
    line, col = e.line, e.column
    ch = text[pos] if pos < len(text) else ""
    span = Span(path, line, col, line, col + 1)
    if ch == '"':
        if text.startswith('"""', pos):
            return E001.at(span, "unterminated string: a '\"\"\"' string needs a closing '\"\"\"'")
        m = _LENIENT_STRING.match(text, pos)
        if m:
            bad = re.search(r'\\(?:u(?![0-9A-Fa-f]{4})|[^"\\ntu])', m.group(0))
            if bad:
                bcol = col + bad.start()
                return E001.at(Span(path, line, bcol, line, bcol + 2),
                               "invalid escape in string: use \\\", \\\\, \\n, \\t or \\u followed by four hex digits")
        return E001.at(span, "unterminated string: a string needs a closing '\"' on the same line "
                             "(use \"\"\"...\"\"\" for text over several lines)")
    if ch.isdigit() and (m := _BAD_NUMBER.match(text, pos)):
        word = m.group(0)
        return E001.at(Span(path, line, col, line, col + len(word)),
                       f"malformed number '{word}': a number may not run into letters, digits, '_' or '.'; "
                       "put a space before a unit word ('14 days')")
    expected = expected_words(e.allowed or ())
    shown = repr(ch)[1:-1] if ch.isprintable() else f"U+{ord(ch):04X}" if ch else "end of file"
    return E001.at(span, f"unexpected character '{shown}': expected {expected}")


def _end_of_last_token(text: str) -> tuple[int, int]:
    """The position just after the last token: skip trailing white space and
    comments backwards."""
    lines = text.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].rstrip("\r")
        code = _strip_comment(line).rstrip(" \t\r")
        if code:
            return i + 1, len(code) + 1
    return 1, 1


def _strip_comment(line: str) -> str:
    """The line without its comment (a `#` outside a string)."""
    in_str = False
    i = 0
    while i < len(line):
        c = line[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "#":
            return line[:i]
        i += 1
    return line

"""Syntax errors in words (E001): what was found, what the grammar accepts
there, and what the writer most likely meant (a misspelt keyword, a title
to quote, a comment written `//`, money written `$40`, `post-sale`). Used by
recovery (journeyc.parsing.recovery), which decides where the errors are."""
from __future__ import annotations

import re
from functools import lru_cache

from ..codes import E001
from ..diagnostics import Diagnostic
from ..model import Span
from ..wording import and_list, did_you_mean_phrase, named, or_list

# ---------------------------------------------------------------------------
# syntax errors in words

_DECLARATIONS = {
    "IMPORT": "an import", "JOURNEY": "a journey", "STAGE": "a stage",
    "TOUCHPOINT": "a touchpoint", "MESSAGE": "a message", "KPI": "a KPI",
    "PERSONA": "a persona", "CHANNEL": "a channel", "CLAIM": "a claim", "FACT": "a fact",
}
_TOKENS = {
    "NAME": "an identifier", "STRING": "a string", "LONG_STRING": "a string",
    "NUMBER": "a number", "PERCENT_NUMBER": "a number",
    "ARROW": "a transition ('->')", "GE": "a comparator", "LE": "a comparator",
    "GT": "a comparator", "LT": "a comparator",
    "_LBRACE": "'{'", "RBRACE": "'}'", "_COMMA": "','", "$END": "the end of the file",
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
    return or_list(names) if names else "nothing more"


def _found(tok) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "NAME":
        return f"'{tok}'"
    if tok.type in ("STRING", "LONG_STRING"):
        return "string"
    if tok.type in ("NUMBER", "PERCENT_NUMBER"):
        return f"number {tok}"
    return f"'{tok}'"


# -- coaching: what the writer most likely meant -------------------------------

_LINE_START_WORD = re.compile(r"[ \t]*([A-Za-z_][A-Za-z0-9_]*)")
_NEAR = 64  # how far around a mistake the words that explain it are looked for
_CURRENCIES = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY"}


@lru_cache(maxsize=1)
def _all_keywords() -> dict[str, str]:
    """keyword -> its terminal's name (from the fast driver's tables: no
    Lark needed)."""
    from . import grammar, tables

    return dict(tables.load_data(grammar.text())["keywords"])


def _keywords(terms) -> list[str]:
    """The keywords among the terminals `terms`."""
    keywords = _all_keywords()
    return sorted(t.lower() for t in terms if keywords.get(t.lower()) == t)


def _misspelt_keyword(tok, text: str, terms) -> tuple[str, int, str] | None:
    """(word, column, keyword) when the unexpected token is, or follows on its
    line, a word that is no keyword but is close to one the parser accepts
    there (`touchpiont`; `mesage "..."` after `score 4`, where the word was
    read as the score's unit)."""
    from ..build import closest

    keywords = _keywords(terms)
    if not keywords:
        return None
    if tok.type == "NAME":
        best = closest(str(tok), keywords)
        return (str(tok), tok.column, best) if best and str(tok) not in _all_keywords() else None
    start = text.rfind("\n", max(0, tok.start_pos - _NEAR), tok.start_pos) + 1  # the line's first word
    if start == 0 and tok.start_pos > _NEAR:
        return None  # far into a long line: not a word misspelt at its start
    m = _LINE_START_WORD.match(text, start)
    if m is None or m.end() > tok.start_pos or m.group(1) in _all_keywords():
        return None
    best = closest(m.group(1), keywords)
    return (m.group(1), m.start(1) - start + 1, best) if best else None


def _quote_hint(tok, text: str, terms) -> str:
    """For a bare word where a string may stand: put the words up to the
    '{' (or the end of the line) in quotes."""
    line = text[tok.start_pos:tok.start_pos + _NEAR].split("\n", 1)[0]
    words = re.split(r'[{#"]', line, maxsplit=1)[0].strip() or str(tok)
    if len(words) >= _NEAR - 1:  # a long run of words: quote the first
        words = str(tok)
    what = "the title" if "_LBRACE" in terms else "the text"
    return f"put {what} in quotes: \"{words}\""


_LENIENT_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_BAD_NUMBER = re.compile(r"[0-9][0-9A-Za-z_.]*")


def syntax_error(e, text: str, path: str, expected=None) -> Diagnostic:
    """Turn a Lark error into an E001 with a location and plain words.
    `expected`: the terminals the parser accepts there (default: what Lark
    says, which after LALR state merging may hold more)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            # Lark gives the end token the position of the last real token
            line, col = (tok.end_line, tok.end_column) if tok.end_line else (1, 1)
            return E001.at(Span(path, line, col, line, col),
                           f"unexpected end of file: expected {expected_words(e.expected if expected is None else expected)}")
        terms = e.expected if expected is None else expected
        span = Span(path, tok.line, tok.column, tok.end_line or tok.line, tok.end_column or tok.column + 1)
        words = expected_words(terms)
        misspelt = _misspelt_keyword(tok, text, terms)
        if misspelt is not None:
            word, col, keyword = misspelt
            return E001.at(Span(path, tok.line, col, tok.line, col + len(word)),
                           f"unexpected '{word}': expected {words}", suggestion=did_you_mean_phrase(keyword))
        if tok.type == "NAME" and ("STRING" in terms or "LONG_STRING" in terms):
            return E001.at(span, f"unexpected {_found(tok)}: expected {words}; "
                                 f"{_quote_hint(tok, text, terms)}")
        return E001.at(span, f"unexpected {_found(tok)}: expected {words}")
    assert isinstance(e, UnexpectedCharacters)
    return lexical_error(text, e.pos_in_stream, e.line, e.column, path,
                         (e.allowed or ()) if expected is None else expected)[0]


def bad_lexeme_end(text: str, pos: int) -> int:
    """Where the text that starts no token at `pos` ends (see lexical_error)."""
    ch = text[pos] if pos < len(text) else ""
    if ch == '"':
        if text.startswith('"""', pos):
            return len(text)
        m = _LENIENT_STRING.match(text, pos)
        if m and re.search(r'\\(?:u(?![0-9A-Fa-f]{4})|[^"\\ntu])', m.group(0)):
            return m.end()
        eol = text.find("\n", pos)
        return len(text) if eol < 0 else eol
    if ch.isdigit() and (m := _BAD_NUMBER.match(text, pos)):
        return m.end()
    return pos + 1


def lexical_error(text: str, pos: int, line: int, col: int, path: str, allowed) -> tuple[Diagnostic, int]:
    """The E001 for text at `pos` that starts no token, and where the bad
    lexeme ends: an unterminated string runs to the end of its line (a
    `\"\"\"` one to the end of the file), a malformed number to the end of
    its word, anything else is one character."""
    ch = text[pos] if pos < len(text) else ""
    span = Span(path, line, col, line, col + 1)
    if ch == '"':
        if text.startswith('"""', pos):
            return E001.at(span, "unterminated string: a '\"\"\"' string needs a closing '\"\"\"'"), len(text)
        m = _LENIENT_STRING.match(text, pos)
        if m:
            bad = re.search(r'\\(?:u(?![0-9A-Fa-f]{4})|[^"\\ntu])', m.group(0))
            if bad:
                bcol = col + bad.start()
                return E001.at(Span(path, line, bcol, line, bcol + 2),
                               "invalid escape in string: use \\\", \\\\, \\n, \\t or \\u followed by four hex "
                               "digits"), m.end()
        eol = text.find("\n", pos)
        return E001.at(span, "unterminated string: a string needs a closing '\"' on the same line "
                             "(use \"\"\"...\"\"\" for text over several lines)"), len(text) if eol < 0 else eol
    if ch.isdigit() and (m := _BAD_NUMBER.match(text, pos)):
        word = m.group(0)
        return E001.at(Span(path, line, col, line, col + len(word)),
                       f"malformed number '{word}': a number may not run into letters, digits, '_' or '.'; "
                       "put a space before a unit word ('14 days')"), m.end()
    expected = expected_words(allowed)
    shown = repr(ch)[1:-1] if ch.isprintable() else f"U+{ord(ch):04X}" if ch else "end of file"
    message = f"unexpected character '{shown}'"
    if text.startswith("//", pos) or text.startswith("/*", pos):
        return E001.at(span, f"{message}: comments start with '#' and run to the end of the line"), pos + 1
    if ch in _CURRENCIES and (m := re.match(r"[0-9][0-9_.]*", text[pos + 1:pos + _NEAR])):
        amount = m.group(0).rstrip(".")
        return E001.at(span, f"{message}: write an amount of money as a number and a currency code "
                             f"('{amount} {_CURRENCIES[ch]}')"), pos + 1
    if ch == "-" and (joined := _hyphenated(text, pos)):
        return E001.at(span, f"{message}: names are joined with '_', not '-'",
                       suggestion=did_you_mean_phrase(joined)), pos + 1
    return E001.at(span, f"{message}: expected {expected}"), pos + 1


_WORD_CHARS_AND_HYPHEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_HYPHENATED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+")


def _hyphenated(text: str, pos: int) -> str | None:
    """`post_sale` for the '-' at `pos` of `post-sale` (a word on each side;
    only the text near `pos` is read, so a long line of them costs no more)."""
    lo = max(0, pos - _NEAR)
    window = text[lo:pos + _NEAR]
    at = pos - lo
    start = at
    while start > 0 and window[start - 1] in _WORD_CHARS_AND_HYPHEN:
        start -= 1
    m = _HYPHENATED.match(window, start)
    if m is None or m.end() <= at:
        return None
    if (start == 0 and lo > 0) or (m.end() == len(window) and lo + len(window) < len(text)):
        return None  # the words run past the window: too long to be a name someone meant
    return m.group(0).replace("-", "_")



def _left_open(blocks, path: str, before: str = "") -> str:
    """`stage 'a' (opened on line 3) is not closed: add its '}'`; several
    blocks: innermost first."""
    names = [f"{kind} {ident}" if kind in ("message", "promise") else named(kind, ident, title)
             for kind, ident, title, _ in blocks]
    names = [f"{n} (opened on line {line})" for n, (_, _, _, line) in zip(names, blocks)]
    where = f" before {before}" if before else ""
    if len(names) == 1:
        return f"{names[0]} is not closed: add its '}}'{where}"
    if len(names) > 4:
        names = names[:3] + [f"{len(blocks) - 3} more around them"]
    return f"{and_list(names)} are not closed: add their '}}'{where}"

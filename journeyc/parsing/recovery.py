"""Parsing text with errors: Lark's parser with recovery, so one run
reports every syntax error (E001) of a file, and builds what syntax it can
(the rule callbacks are journeyc.parsing.callbacks, as for the fast
driver). Text that parses never comes here (journeyc.parsing.parse)."""
from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput

from . import larkparser
from .callbacks import comment as _comment
from .wording import _found, _left_open, bad_lexeme_end, lexical_error, syntax_error
from ..diagnostics import Diagnostic
from ..model import SourceFile, Str
from ..wording import quoted_title

_SHIFT = larkparser.shift_action()


def parse_with_recovery(text: str, path: str, real_path: str | None = None) -> tuple[SourceFile, list[Diagnostic]]:
    """Parse decoded text with Lark. Returns the syntax of the file and its
    syntax errors (E001), every one of them: after an error the parser
    resynchronises (`_Recovery`) and goes on; then the numbers too large to
    hold (E006)."""
    lark, builder, comments = larkparser.parser()
    builder.file = path
    builder.problems = []
    comments.clear()
    recovery = _Recovery(text, path)
    try:
        blocks = lark.parse(text, on_error=recovery.on_error)
    finally:
        found = comments[:]
        comments.clear()
    if recovery.errors:
        # lookahead after an error lexes some comments twice
        found = sorted({tok.start_pos: tok for tok in found}.values(), key=lambda tok: tok.start_pos)
    return SourceFile(path, real_path or path, text, blocks, tuple(_comment(tok, text, path) for tok in found)), \
        recovery.errors + builder.problems


_STRINGS_AND_COMMENTS = re.compile(r'"""(?:[^"]|"(?!""))*(?:"""|\Z)|"(?:[^"\\\r\n]|\\.)*"?|#[^\r\n]*')


# ---------------------------------------------------------------------------
# recovery: every syntax error of a file in one run
#
# Lark calls `_Recovery.on_error` with the parser stopped at an unexpected
# token or character. Recovery reports it (at most one E001 per line), then
# looks for the first token from there on at which the parse can go on, and
# a repair that gets there:
#
# * nothing: the tokens before it are dropped;
# * one inserted token: a missing '}', name, string, number, '{' or keyword
#   (which also replaces a misspelt keyword, the word being dropped);
# * popping the parser's stack to an enclosing block that accepts the token
#   (a keyword, '->' or '}');
# * opening a missing block (`stage _ {`, `kpi _ {`, ...).
#
# On the line of the error a repair must make the rest of the line parse and
# leave the parser between two properties (or, after a '{' that ends the
# line, take the first token of the next line too): what follows a mistake
# on its line is suspect, and this is what keeps the errors an earlier one
# merely caused from being seen. When several repairs do, the one that
# parses furthest ahead wins. On a later line, the first token at which the
# parse can go on without guessing a keyword is taken even if the rest of
# its line then fails: that is a new mistake, reported in turn.
#
# Repairs that open or close blocks are rationed by the braces the file
# lacks (counted outside strings and comments), so a misplaced property is
# dropped rather than allowed to unbalance the rest of the file. A lexical
# error stands for the token it spoilt (an unterminated or badly escaped
# string for a string, a malformed number for a number). Lookahead lexes
# with the root lexer (every terminal); the parser's own contextual lexer
# takes over again when recovery returns. Tokens recovery makes up are
# `_Missing`, so the transformer knows they stand for nothing written (an
# import whose path is missing imports nothing).


def open_blocks(values: list, keyword_types) -> list[tuple[str, str, str | None, int]]:
    """The blocks open on the parser's value stack, innermost first: (kind,
    id or text, title, line of its '{'); a block's kind is the keyword
    before its '{'."""
    opens: list[int] = []
    for i, v in enumerate(values):
        if isinstance(v, Token):
            if v.type == "_LBRACE":
                opens.append(i)
            elif v.type == "RBRACE" and opens:
                opens.pop()
    out = []
    for i in reversed(opens):
        j = i - 1
        while j >= 0 and not (isinstance(values[j], Token) and values[j].type in keyword_types):
            j -= 1
        if j < 0:
            continue
        kind = str(values[j])
        between = values[j + 1:i]
        ident = next((str(v) for v in between if isinstance(v, Token) and v.type == "NAME"), None)
        title = next((v.text for v in between if isinstance(v, Str)), None)
        if ident is None:  # a message or a promise: named by its text
            ident, title = (quoted_title(title) if title is not None else ""), None
        out.append((kind, ident, title, values[i].line))
    return out



class _Missing(Token):
    """A token inserted by recovery, or standing for a spoilt one."""

    missing = True  # what journeyc.parsing.callbacks reads


_WINDOW = 4    # tokens after the resumption point that must parse on its line
_PATIENCE = 16  # tokens dropped on a line before the rest of it is dropped unexamined
_AHEAD = 16    # tokens that decide between repairs that all fit
_INSERT_FIRST = ("RBRACE", "NAME", "STRING", "NUMBER", "_LBRACE", "GE", "EQ", "ARROW", "_COMMA")
_OPENERS = tuple((kw, "NAME", "_LBRACE") for kw in ("STAGE", "TOUCHPOINT", "KPI", "JOURNEY", "OWNER", "PERSONA")) \
    + (("MESSAGE", "STRING", "_LBRACE"), ("PROMISE", "STRING", "_LBRACE"))
_PLACEHOLDER = {"NAME": "missing", "NUMBER": "0", "PERCENT_NUMBER": "0%", "STRING": '""', "LONG_STRING": '""""""'}


class _Grammar:
    """What recovery needs to know about the terminals."""

    def __init__(self, lark):
        self.literal = larkparser.literals(lark)
        self.keywords = {v: k for k, v in self.literal.items() if v.isalpha()}
        self.keyword_types = frozenset(self.keywords.values())
        # tokens at which an enclosing block may resume, or a property start
        self.sync = (self.keyword_types - {"TRUE", "FALSE"}) | {"RBRACE", "ARROW"}

    def placeholder(self, ttype: str) -> str:
        return self.literal.get(ttype) or _PLACEHOLDER.get(ttype, "")


_GRAMMAR: list = []


def _grammar() -> _Grammar:
    if not _GRAMMAR:
        _GRAMMAR.append(_Grammar(larkparser.parser()[0]))
    return _GRAMMAR[0]


def _terminals(row) -> list[str]:
    return sorted(t for t in row if t.isupper() and t != "$END")


class _Recovery:
    def __init__(self, text: str, path: str):
        self.text = text
        self.path = path
        self.grammar = _grammar()
        self.errors: list[Diagnostic] = []
        self._budget: dict[str, int] | None = None
        self.quiet_pos = -1  # an error at this offset is not reported

    def report(self, d: Diagnostic) -> None:
        """At most one E001 per line (LANGUAGE.md)."""
        if not self.errors or self.errors[-1].span.line != d.span.line:
            self.errors.append(d)

    @property
    def budget(self) -> dict[str, int]:
        """How many '{' and '}' the file lacks, judged by counting them."""
        if self._budget is None:
            code = _STRINGS_AND_COMMENTS.sub("", self.text)
            opened, closed = code.count("{"), code.count("}")
            self._budget = {"_LBRACE": max(0, closed - opened), "RBRACE": max(0, opened - closed)}
        return self._budget

    # -- Lark's hook -----------------------------------------------------------
    def on_error(self, e: UnexpectedInput) -> bool:
        view = larkparser.ParserView(e.interactive_parser)
        ps = view
        self.states = view.states
        self.end_state = view.end_state
        expected = self.acceptable(ps.state_stack)
        ahead = _Lookahead(self, view.cursor(), expected)
        if isinstance(e, UnexpectedCharacters):
            # the lookahead lexes the spoilt token again, and reports it
            self.resync(ps, view, ahead, None, e.line)
            return True
        first = e.token
        if first.type == "NAME" and str(first) in self.grammar.keywords:
            first = Token.new_borrow_pos(self.grammar.keywords[str(first)], first.value, first)
        if first.start_pos != self.quiet_pos:
            self.report(self.unclosed(ps, first, syntax_error(e, self.text, self.path, expected)))
        if first.type == "$END":
            self.close(ps)
            return True
        self.resync(ps, view, ahead, first, first.line)
        return True

    def unclosed(self, ps, tok: Token, d: Diagnostic) -> Diagnostic:
        """`d` naming the blocks left open, where a '}' is what is missing: at
        the end of the file, or before a token that a '}' would let the parse
        take, in a file that lacks a '}'."""
        if tok.type == "$END":
            if "RBRACE" not in self.acceptable(ps.state_stack):
                return d
            blocks = open_blocks(ps.value_stack, self.grammar.keyword_types)
            if not blocks:
                return d
            return d._replace(message=f"unexpected end of file: {_left_open(blocks, self.path)}")
        blocks = open_blocks(ps.value_stack, self.grammar.keyword_types)
        closing = next((n for n in range(1, min(self.budget["RBRACE"], len(blocks)) + 1)
                        if self.run(ps.state_stack, ("RBRACE",) * n, (tok,))[0] == 1), None)
        if closing is None:
            return d
        blocks = blocks[:closing]
        return d._replace(message=f"unexpected {_found(tok)}: {_left_open(blocks, self.path, before=_found(tok))}")

    def acceptable(self, stack: list) -> list[str]:
        """The terminals the parser accepts from `stack`."""
        return [t for t in _terminals(self.states[stack[-1]]) if self.run(stack, (t,), ())[0] == 0]

    # -- finding where to go on ----------------------------------------------
    def resync(self, ps, view, ahead: "_Lookahead", first: Token | None, error_line: int) -> None:
        """Drop tokens until one at which a repair lets the parse go on
        (`first`, already consumed, is the token that failed), apply the
        repair and leave the lexer just after that token."""
        i = -1 if first is not None else 0
        line, here = 0, 0  # the line of the last token dropped, how many were dropped on it
        while True:
            tok = first if i < 0 else ahead.token(i)
            if tok.type == "$END":
                ahead.commit(view, i)
                self.close(ps)
                return
            diagnostic = ahead.diagnostic(i) if i >= 0 else None
            if diagnostic is not None and tok.line != line:
                # a lexical error is reported unless it lies in text being dropped
                self.report(diagnostic)
                error_line = tok.end_line
            # past _PATIENCE tokens dropped on a line, the rest of it is garbage
            if tok.type != "$BAD" and (tok.line != line or here < _PATIENCE):
                # a keyword is guessed only for a word that replaces at most one
                # dropped word: not in the middle of a line of garbage
                guess = tok.line != line or here <= 1
                plan = self.plan(ps, tok, ahead, i, plain=i >= 0 or isinstance(tok, _Missing),
                                 partial=tok.line > error_line, guess=guess)
                if plan is not None:
                    self.apply(ps, plan, tok)
                    ahead.commit(view, i)
                    if diagnostic is not None:
                        # the token after a spoilt one may have been spoilt too
                        # (an unterminated string swallows the rest of its line)
                        self.quiet_pos = ahead.token(i + 1).start_pos
                    return
            if tok.type == "_LBRACE":  # an unknown block: skip it whole
                i = ahead.matching_brace(i)
                tok = first if i < 0 else ahead.token(i)
            here = here + 1 if tok.end_line == line else 1
            line = tok.end_line
            ahead.forget(i)
            i += 1

    def plan(self, ps, tok: Token, ahead: "_Lookahead", i: int, plain: bool, partial: bool, guess: bool):
        """(states to pop, token types to insert) that make `tok` and the rest
        of its line parse, or None. With `partial` (a line after the error's),
        a token the parser takes as it is wins: the parse goes on there, and
        whatever fails later on its line is a mistake of that line; failing
        that, a repair that makes the line parse, or else the repair without
        a guessed keyword that parses most of it (at least `tok`). Without
        `guess`, no repair inserts a keyword."""
        stack = ps.state_stack
        window, check_boundary = ahead.window(i + 1, tok.end_line)
        seq = [tok, *window]
        if partial and plain and self.run(stack, (), (tok,))[0] == 1:
            return 0, ()
        fitting, best, best_len = [], None, 0
        keywords = self.grammar.keyword_types
        for candidate in self.candidates(ps, tok, plain):
            depth, inserted = candidate
            guessed = any(t in keywords for t in inserted)
            if guessed and not guess:
                continue
            n, after = self.run(stack[:len(stack) - depth], inserted, seq)
            if n == len(seq) and (not check_boundary or self.between_properties(after)):
                fitting.append(candidate)
            elif partial and n > best_len and not guessed:
                best, best_len = candidate, n
        if len(fitting) > 1:
            further = [tok, *ahead.tokens(i + 1, _AHEAD)]
            return max(fitting, key=lambda c: self.run(stack[:len(stack) - c[0]], c[1], further)[0])
        return fitting[0] if fitting else best

    def candidates(self, ps, tok: Token, plain: bool):
        """Repairs to try, most plausible first, within the brace budget."""
        stack = ps.state_stack
        if plain:
            yield 0, ()
        row = self.states[stack[-1]]
        for ttype in _INSERT_FIRST + tuple(_terminals(row)):
            if ttype in row and self.affordable(ps, 0, (ttype,)):
                yield 0, (ttype,)
        if tok.type in self.grammar.sync:
            for depth in range(1, len(stack)):
                if self.affordable(ps, depth, ()):
                    yield depth, ()
        for opener in _OPENERS:
            if self.affordable(ps, 0, opener):
                yield 0, opener

    def braces(self, ps, depth: int, inserted) -> dict[str, int]:
        """The braces a repair adds: '{' and '}' inserted, and popping, which
        abandons the blocks whose '{' it pops and reopens those whose '}'
        it pops."""
        net = 0
        for v in ps.value_stack[len(ps.value_stack) - depth:]:
            if isinstance(v, Token):
                net += (v.type == "_LBRACE") - (v.type == "RBRACE")
        return {"_LBRACE": inserted.count("_LBRACE") + max(0, -net),
                "RBRACE": inserted.count("RBRACE") + max(0, net)}

    def affordable(self, ps, depth: int, inserted) -> bool:
        return all(n <= self.budget[k] for k, n in self.braces(ps, depth, inserted).items() if n)

    def between_properties(self, stack: list) -> bool:
        """Whether the parser may go on with a property, a block or a '}'."""
        return any(t in self.grammar.sync or t == "$END" for t in self.states[stack[-1]])

    def run(self, stack: list, inserted, tokens) -> tuple[int, list]:
        """How many of `tokens` the parser accepts from `stack` after the
        inserted token types (-1 if it refuses those), and its stack then;
        a keyword may be read as an identifier, as the contextual lexer
        would."""
        stack = list(stack)
        for ttype in inserted:
            if not self._feed(stack, ttype):
                return -1, stack
        for n, tok in enumerate(tokens):
            if not self._feed(stack, self.token_type(tok, self.states[stack[-1]])):
                return n, stack
        return len(tokens), stack

    def token_type(self, tok: Token, row) -> str:
        if tok.type not in row and tok.type in self.grammar.keyword_types and "NAME" in row:
            return "NAME"
        return tok.type

    def _feed(self, stack: list, ttype: str) -> bool:
        """Lark's LALR step (lalr_parser_state.feed_token) without values."""
        states = self.states
        while True:
            action = states[stack[-1]].get(ttype)
            if action is None:
                return False
            kind, arg = action
            if kind is _SHIFT:
                stack.append(arg)
                return True
            size = len(arg.expansion)
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][arg.origin.name][1])
            if ttype == "$END" and stack[-1] == self.end_state:
                return True

    # -- repairing -----------------------------------------------------------
    def apply(self, ps, plan, tok: Token) -> None:
        depth, inserted = plan
        for k, n in self.braces(ps, depth, inserted).items():
            self.budget[k] -= n
        if depth:
            del ps.state_stack[-depth:]
            del ps.value_stack[-depth:]
        for ttype in inserted:
            ps.feed_token(_Missing.new_borrow_pos(ttype, self.grammar.placeholder(ttype), tok))
        ttype = self.token_type(tok, self.states[ps.position])
        ps.feed_token(tok if ttype == tok.type else type(tok).new_borrow_pos(ttype, tok.value, tok))

    def close(self, ps) -> None:
        """At the end of the input: abandon the blocks still open, so the
        declarations completed so far (imports among them) stand."""
        end = Token("$END", "")
        stack = ps.state_stack
        for depth in range(len(stack)):
            if self.run(stack[:len(stack) - depth], (), (end,))[0] == 1:
                if depth:
                    del ps.state_stack[-depth:]
                    del ps.value_stack[-depth:]
                return


class _Lookahead:
    """The tokens after an error, lexed on demand with the root lexer from a
    private copy of the lexer state, each with, for text that does not lex,
    what its E001 is made from: a spoilt string or number
    becomes a `_Missing` STRING or NUMBER, any other stray character `$BAD`.
    The end of the text is an `$END` token."""

    def __init__(self, recovery: _Recovery, cursor: "larkparser.LexerCursor", expected: list[str]):
        self.recovery = recovery
        self.cursor = cursor
        self.expected = expected
        # from the base-th token on: the token, and for a lexical error how to
        # make its E001 (made only when it is reported)
        self.items: list[tuple[Token, tuple | None]] = []
        self.base = 0

    def token(self, i: int) -> Token:
        assert i >= self.base, (i, self.base)
        while len(self.items) <= i - self.base:
            self.items.append(self._lex())
        return self.items[i - self.base][0]

    def diagnostic(self, i: int) -> Diagnostic | None:
        self.token(i)
        error = self.items[i - self.base][1]
        if error is None:
            return None
        rec = self.recovery
        return lexical_error(rec.text, *error, rec.path, self.expected)[0]

    def forget(self, i: int) -> None:
        """Tokens up to the i-th are no longer needed."""
        if i - self.base >= 1024:
            del self.items[:i - self.base]
            self.base = i

    def tokens(self, i: int, n: int) -> list[Token]:
        out = []
        while len(out) < n and self.token(i).type not in ("$END", "$BAD"):
            out.append(self.token(i))
            i += 1
        return out

    def _lex(self):
        if self.items and self.items[-1][0].type == "$END":
            return self.items[-1]
        cursor = self.cursor
        try:
            return cursor.next_token(), None
        except EOFError:
            pos, line, column = cursor.position()
            return Token("$END", "", pos, line, column, line, column, pos), None
        except UnexpectedCharacters as e:
            rec = self.recovery
            pos = e.pos_in_stream
            ch = rec.text[pos]
            ttype = "STRING" if ch == '"' else "NUMBER" if ch.isdigit() else "$BAD"
            tok = _Missing(ttype, rec.grammar.placeholder(ttype), pos, e.line, e.column)
            cursor.skip(rec.text[pos:bad_lexeme_end(rec.text, pos)])
            tok.end_pos, tok.end_line, tok.end_column = cursor.position()
            return tok, (pos, e.line, e.column)

    def window(self, i: int, line: int) -> tuple[list[Token], bool]:
        """Up to _WINDOW tokens from the i-th on, while they start on `line`,
        and whether they reach the end of the line (then the repair must
        leave the parser between properties); after a '{' that ends the
        line, the first token of the next line."""
        out: list[Token] = []
        while len(out) < _WINDOW:
            tok = self.token(i)
            if tok.type == "$BAD":  # no repair parses past it
                return out + [tok], False
            if tok.line != line or tok.type == "$END":
                if out and out[-1].type == "_LBRACE" and tok.type != "$END":
                    return out + [tok], False
                return out, True
            out.append(tok)
            i += 1
        return out, False

    def matching_brace(self, i: int) -> int:
        """The index of the '}' that closes the '{' at i (i = -1: the token
        that failed), or of the last token before the end, at least i; the
        lexical errors on the way are reported."""
        depth, i = (1, 0) if i < 0 else (0, i)
        while True:
            tok = self.token(i)
            if tok.type == "$END":
                return i - 1
            if self.diagnostic(i) is not None:
                self.recovery.report(self.diagnostic(i))
            if tok.type == "_LBRACE":
                depth += 1
            elif tok.type == "RBRACE":
                depth -= 1
                if depth == 0:
                    return i
            i += 1

    def commit(self, view: "larkparser.ParserView", i: int) -> None:
        """Move the parser's lexer to just after the i-th token (the token
        that failed, for i = -1, is behind it already)."""
        if i < 0:
            return
        view.move_lexer(self.token(i))

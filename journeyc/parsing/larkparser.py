"""Lark: the one module of journeyc that touches Lark's internals.

Lark is the grammar's compiler (it builds the LALR tables the fast driver
runs, journeyc.parsing.tables) and the parser of text with errors (with the
recovery of journeyc.parsing.recovery). Everything journeyc reads from
Lark's insides goes through here: the analysed grammar (`analysis`), the
parser state recovery steers (`ParserView`), the saved parser. (Lark's
public API, `lark.Token` and `lark.exceptions`, is used where it is needed.)

The Lark parser is built once per grammar, not once per process: analysing
the grammar (LALR tables, strict conflict checks) takes about 150 ms;
loading the analysed parser takes about 10 ms. The analysed parser is saved
in the user's cache folder (`$JOURNEYC_CACHE_DIR`, else
`$XDG_CACHE_HOME/journeyc`, else `~/.cache/journeyc`), under a key made of
the grammar's text, the Lark version and the options, so any change to the
grammar (journeyc/parsing/journey.lark) or to Lark builds a new one. The
file is written atomically and only loaded when the current user owns it; a missing,
damaged or foreign cache is simply rebuilt. `JOURNEYC_NO_CACHE=1` turns the
cache off. `JOURNEYC_CACHE_DIR` names the folder of every cache journeyc
keeps: the result cache (journeyc.resultcache) writes its entries there too.
"""
from __future__ import annotations

import io
import os
from functools import lru_cache
from typing import NamedTuple

# strict=False at run time: Lark's strict mode needs `interegular`, which is
# not a dependency. Strict mode only adds checks (no shift/reduce conflict, no
# colliding terminals) and builds the same tables; tests/parsing/test_tables.py
# builds the grammar with STRICT, so a conflict never reaches a release.
OPTIONS = dict(parser="lalr", lexer="contextual", strict=False, maybe_placeholders=True, propagate_positions=False)
STRICT = dict(OPTIONS, strict=True)


def cache_dir() -> str | None:
    if os.environ.get("JOURNEYC_NO_CACHE"):
        return None
    explicit = os.environ.get("JOURNEYC_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "journeyc")


def cache_key(grammar_text: str) -> str:
    import hashlib

    import lark

    material = "\0".join([grammar_text, lark.__version__, repr(sorted(OPTIONS.items()))])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def cache_path(grammar_text: str):
    """The cached Lark parser's file (a pathlib.Path), or None."""
    from pathlib import Path

    folder = cache_dir()
    return None if folder is None else Path(folder) / f"parser-{cache_key(grammar_text)}.lark"


def build(grammar_text: str, **runtime):
    """The Lark parser for `grammar_text`, with the runtime options
    (transformer, lexer_callbacks), from the cache when it can be."""
    from lark import Lark

    path = cache_path(grammar_text)
    if path is not None:
        loaded = _load(path, runtime)
        if loaded is not None:
            return loaded
    parser = Lark(grammar_text, **OPTIONS, **runtime)
    if path is not None:
        _save(parser, path)
    return parser


def _load(path, runtime: dict):
    from lark import Lark

    try:
        st = os.stat(path)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None  # someone else's file: never unpickle it
        with open(path, "rb") as f:
            data = f.read()
        parser = Lark.__new__(Lark)
        parser._load(io.BytesIO(data), **runtime)
        return parser
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or stale cache file is rebuilt
        return None


def _save(parser, path) -> None:
    from lark.lark import _LOAD_ALLOWED_OPTIONS

    from ..errors import JourneycError
    from ..fsutil import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        parser.save(buf, exclude_options=_LOAD_ALLOWED_OPTIONS)
        write_atomic(str(path), buf.getvalue())
    except (OSError, JourneycError):
        pass  # a cache that cannot be written is no cache


# ---------------------------------------------------------------------------
# the parser of the process


@lru_cache(maxsize=1)
def parser():
    """(Lark parser, SyntaxBuilder, comments list): the one Lark parser of
    the process (built or loaded from the cache), with the rule callbacks
    passed in as its transformer, so no parse tree is built; the comments
    the lexer meets are appended to the list."""
    from . import grammar
    from .callbacks import SyntaxBuilder

    builder = SyntaxBuilder()
    comments: list = []
    lark = build(grammar.text(), transformer=builder, lexer_callbacks={"COMMENT": comments.append})
    return lark, builder, comments


def fresh(grammar_text: str, strict: bool = False, **runtime):
    """A Lark parser built from the grammar's text, no cache involved."""
    from lark import Lark

    return Lark(grammar_text, **(STRICT if strict else OPTIONS), **runtime)


# ---------------------------------------------------------------------------
# the analysed grammar, as plain data (journeyc.parsing.tables builds on it)


class Terminal(NamedTuple):
    name: str
    regexp: str
    literal: str | None  # the text of a terminal defined by a plain string
    priority: int
    max_width: int
    length: int  # of the pattern's text (Lark's last tie-break)


def analysis(lark) -> tuple[list[Terminal], dict, dict, int, int]:
    """(terminals, states, rules, start state, end state) of a Lark LALR
    parser: `states` maps a state to {symbol: state to go to, or ~rule id
    for a reduction}; `rules` maps a rule id to (origin, number of
    children, child filter, expand1, callback name), the child filter being
    what Lark's ParseTreeBuilder does with the children: None (all kept),
    or (((index, splice, Nones to add before), ...), Nones to add after)."""
    from lark.lexer import PatternStr
    from lark.parse_tree_builder import maybe_create_child_filter
    from lark.parsers.lalr_analysis import Shift

    terminals = [Terminal(t.name, t.pattern.to_regexp(),
                          t.pattern.value if isinstance(t.pattern, PatternStr) else None,
                          t.priority, t.pattern.max_width, len(t.pattern.value))
                 for t in lark.terminals]
    table = lark.parser.parser.parser.parse_table
    rules, index = {}, {}

    def rule_id(rule) -> int:
        if rule not in index:
            o = rule.options
            chain = maybe_create_child_filter(rule.expansion, o.keep_all_tokens, False, o.empty_indices)
            if chain is None:
                spec = None
            elif len(chain.args) == 2:  # ChildFilterLALR(to_include, nones_to_add)
                spec = (tuple(tuple(x) for x in chain.args[0]), chain.args[1])
            else:  # ChildFilterLALR_NoPlaceholders([(i, to_expand)])
                spec = (tuple((i, e, 0) for i, e in chain.args[0]), 0)
            name = rule.alias or o.template_source or rule.origin.name
            index[rule] = len(index)
            rules[index[rule]] = (str(rule.origin.name), len(rule.expansion), spec, bool(o.expand1 and not rule.alias),
                                  str(name))
        return index[rule]

    states = {}
    for state, actions in table.states.items():
        states[state] = {str(sym): arg if action is Shift else ~rule_id(arg)
                         for sym, (action, arg) in actions.items()}
    return terminals, states, rules, table.start_states["start"], table.end_states["start"]


def rule_names(lark) -> tuple[set[str], set[str]]:
    """(the grammar's named rules, its aliases): every name a reduction can
    call a callback by, helper rules (`_x`, Lark's `__x_star_n`) and inlined
    `?rule`s left out."""
    named, aliases = set(), set()
    for rule in lark.rules:
        origin = str(rule.origin.name)
        if rule.alias:
            aliases.add(str(rule.alias))
        elif not origin.startswith("_") and not rule.options.expand1:
            named.add(origin)
    return named, aliases


# ---------------------------------------------------------------------------
# the parser state recovery steers (Lark's on_error hook)


class ParserView:
    """What recovery reads and moves of Lark's interactive parser (handed
    to `on_error`): the parser's stacks (states, and the values the
    callbacks built, tokens not yet reduced among them), `feed_token`, the
    LALR table (`states`: state -> {symbol: (action, argument)}), the
    lexer's state and the root lexer (every terminal)."""

    def __init__(self, interactive):
        ps = interactive.parser_state
        self._ps = ps
        self.ls = interactive.lexer_thread.state
        self.root_lexer = interactive.lexer_thread.lexer.root_lexer
        self.states = ps.parse_conf.states
        self.end_state = ps.parse_conf.end_state
        self.state_stack: list = ps.state_stack
        self.value_stack: list = ps.value_stack
        self.feed_token = ps.feed_token

    @property
    def position(self):
        """The state the parser is in."""
        return self._ps.position

    def cursor(self) -> "LexerCursor":
        """A lexer of every terminal on a private copy of the lexer's state,
        starting where the parser's lexer is."""
        from copy import copy

        from lark.lexer import LexerState

        ls = self.ls
        return LexerCursor(self.root_lexer, LexerState(ls.text, copy(ls.line_ctr), ls.last_token))

    def move_lexer(self, tok) -> None:
        """Move the parser's lexer to just after `tok`."""
        from copy import copy

        ls = self.ls
        ctr = copy(ls.line_ctr)
        ctr.char_pos, ctr.line, ctr.column = tok.end_pos, tok.end_line, tok.end_column
        ctr.line_start_pos = tok.end_pos - tok.end_column + 1
        ls.line_ctr = ctr
        if tok.type not in ("$END", "$BAD"):
            ls.last_token = tok


class LexerCursor:
    """Lexing ahead of the parser (recovery's lookahead)."""

    def __init__(self, lexer, state):
        self.lexer = lexer
        self.state = state

    def next_token(self):
        """The next token; EOFError at the end, UnexpectedCharacters where
        no terminal matches."""
        return self.lexer.next_token(self.state)

    def position(self) -> tuple[int, int, int]:
        """(offset, line, column) of the cursor."""
        ctr = self.state.line_ctr
        return ctr.char_pos, ctr.line, ctr.column

    def skip(self, text: str) -> None:
        """Move past `text`, which starts at the cursor."""
        self.state.line_ctr.feed(text)


def shift_action():
    """The action of a shift in the LALR table (`ParserView.states`): a
    reduction's action is any other value, its argument the rule."""
    from lark.parsers.lalr_analysis import Shift

    return Shift


def literals(lark) -> dict[str, str]:
    """The terminals defined by a plain string: name -> text."""
    return {t.name: t.pattern.value for t in lark.terminals if t.pattern.type == "str"}

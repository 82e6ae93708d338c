"""A fast parser for text that parses, generated from `grammar/journey.lark`.

Lark is the grammar's compiler: it builds the LALR tables (strictly, with no
conflicts) and, in journeyc.parse, parses with error recovery. Importing
Lark and running its general-purpose lexer cost more than the rest of a
small check, so text that parses goes through this driver instead:

* the **tables** are derived once from the Lark parser of the grammar (the
  LALR states, the terminal patterns, and for each rule the child filter
  Lark would apply: which children are kept, spliced or padded with None)
  and cached as plain data (marshal) in the user cache folder, keyed by the
  grammar's text and the Python and journeyc versions;
* the **lexer** is one regular expression made of the grammar's terminal
  patterns, with the contextual rule of LANGUAGE.md: a word is a keyword
  only where the parser can accept that keyword, an identifier elsewhere;
* the **rule callbacks** are journeyc.syntax.SyntaxBuilder's, the same ones
  Lark calls.

At the first token the tables do not accept it gives up (`None`), and the
caller parses the text again with Lark, which owns recovery and the E001
messages. tests/test_fastparse.py checks that both build the same syntax
for every spec and test input, and that the tables match the grammar.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from functools import lru_cache

from . import __version__
from .model import SourceFile
from .syntax import SyntaxBuilder, _Children, comment, gc_paused

TABLES_FORMAT = 3  # actions as one int: a shift's (or goto's) state, or ~rule for a reduction


class FastToken:
    """The token shape the rule callbacks read (a subset of lark.Token)."""

    __slots__ = ("type", "value", "line", "column", "end_line", "end_column", "start_pos")

    def __init__(self, type_, value, line, column, end_line, end_column, start_pos):
        self.type = type_
        self.value = value
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.start_pos = start_pos


# ---------------------------------------------------------------------------
# the tables: derived from Lark once, then plain data


def derive(lark) -> dict:
    """The driver's tables from the Lark parser of the grammar."""
    from lark.lexer import PatternStr
    from lark.parse_tree_builder import maybe_create_child_filter
    from lark.parsers.lalr_analysis import Shift

    terminals = lark.terminals
    word = re.compile(next(t for t in terminals if t.name == "NAME").pattern.to_regexp())
    keywords, alternatives = {}, []
    for t in terminals:
        if isinstance(t.pattern, PatternStr) and word.fullmatch(t.pattern.value):
            keywords[t.pattern.value] = t.name  # folded into NAME, decided by the parser state
        else:
            alternatives.append(t)
    # Lark's own order: priority, then the longest possible match, then the pattern's length
    alternatives.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    space = next(t for t in alternatives if t.name == "WS")  # skipped by the token's own match
    alternatives.remove(space)
    scanner = (f"(?:{space.pattern.to_regexp()})?(?:"
               + "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in alternatives) + ")")
    table = lark.parser.parser.parser.parse_table
    rules, index = [], {}

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
            index[rule] = len(rules)
            rules.append((str(rule.origin.name), len(rule.expansion), spec, bool(o.expand1 and not rule.alias),
                          str(name)))
        return index[rule]

    states = {}
    for state, actions in table.states.items():
        states[state] = {str(sym): arg if action is Shift else ~rule_id(arg)
                         for sym, (action, arg) in actions.items()}
    return {"format": TABLES_FORMAT, "scanner": scanner, "keywords": keywords,
            "comment": "COMMENT", "states": states, "rules": rules,
            "start": table.start_states["start"], "end": table.end_states["start"]}


def _tables_path(grammar_text: str):
    from .parsercache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    key = f"{zlib.crc32(grammar_text.encode('utf-8')):08x}-{len(grammar_text)}"
    python = f"{sys.implementation.cache_tag}"
    return os.path.join(folder, f"fast-{key}-{python}-{__version__}-{TABLES_FORMAT}.marshal")


def load_data(grammar_text: str) -> dict:
    """The tables from the cache, or derived (and cached) from Lark."""
    path = _tables_path(grammar_text)
    if path is not None:
        try:
            st = os.stat(path)
            if not hasattr(os, "getuid") or st.st_uid == os.getuid():
                with open(path, "rb") as f:
                    data = marshal.loads(f.read())
                if isinstance(data, dict) and data.get("format") == TABLES_FORMAT:
                    return data
        except (OSError, ValueError, EOFError, TypeError):
            pass  # missing or damaged: derive again
    from .parse import _parser

    data = derive(_parser()[0])
    if path is not None:
        from .fsutil import write_atomic
        from .load import JourneycError

        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomic(path, marshal.dumps(data))
        except (OSError, JourneycError):
            pass  # a cache that cannot be written is no cache
    return data


class Tables:
    """The tables bound to a SyntaxBuilder: ready to parse."""

    def __init__(self, data: dict, builder: SyntaxBuilder):
        self.scanner = re.compile(data["scanner"])
        self.keywords = data["keywords"]
        self.comment = data["comment"]
        self.states = data["states"]
        self.start_state = data["start"]
        self.end_state = data["end"]
        self.builder = builder
        self.rules = [(origin, size, _reducer(builder, spec, expand1, name))
                      for origin, size, spec, expand1, name in data["rules"]]


def _reducer(builder: SyntaxBuilder, spec, expand1: bool, name: str):
    """What a reduction by one rule does, as Lark's ParseTreeBuilder would
    do it: filter the children, splice helper rules, pad optional ones with
    None, then call the builder (or pass a single child through, `?rule`)."""
    method = getattr(builder, name, None)
    call = method if method is not None else _Children
    if expand1:
        inner = call

        def call(children, inner=inner):
            return children[0] if len(children) == 1 else inner(children)
    if spec is None:
        return call
    to_include, append_none = spec
    # The shapes most reductions have, without the general loop below:
    if not append_none and all(not add_none for _, _, add_none in to_include):
        if to_include == ((0, True, 0), (1, True, 0)):  # a repetition growing by one more (`__x_star_n`)
            def grow(children, call=call):
                filtered = children[0].children
                filtered += children[1].children
                return call(filtered)
            return grow
        if to_include == ((0, True, 0),):  # a repetition's first item
            return lambda children, call=call: call(children[0].children)
        if not any(to_expand for _, to_expand, _ in to_include):  # some children dropped (punctuation)
            keep = tuple(i for i, _, _ in to_include)
            return lambda children, keep=keep, call=call: call([children[i] for i in keep])

    def reduce(children, to_include=to_include, append_none=append_none, call=call):
        filtered = []
        for i, to_expand, add_none in to_include:
            if add_none:
                filtered += [None] * add_none
            if to_expand:
                if filtered:
                    filtered += children[i].children
                else:
                    filtered = children[i].children
            else:
                filtered.append(children[i])
        if append_none:
            filtered += [None] * append_none
        return call(filtered)

    return reduce


@lru_cache(maxsize=1)
def tables() -> Tables:
    from . import grammar

    return Tables(load_data(grammar.text()), SyntaxBuilder())


# ---------------------------------------------------------------------------
# the driver


def parse(t: Tables, text: str, on_comment) -> object | None:
    """Parse `text`; returns the start rule's value, or None at the first
    thing the grammar does not accept. Comments go to `on_comment(token)`."""
    scan = t.scanner.match
    keywords = t.keywords
    comment_kind = t.comment
    states = t.states
    rules = t.rules
    state_stack = [t.start_state]
    value_stack: list = []
    pos, line, line_start = 0, 1, 0
    while True:
        m = scan(text, pos)
        if m is None:
            if text[pos:].strip(" \t\r\n"):
                return None  # a character no terminal matches
            kind, token = "$END", None  # reduce until the start rule is complete
        else:
            kind = m.lastgroup
            start, end = m.span(kind)
            if start != pos:  # white space skipped
                newlines = text.count("\n", pos, start)
                if newlines:
                    line += newlines
                    line_start = text.rindex("\n", pos, start) + 1
            value = text[start:end]
            column = start - line_start + 1
            if "\n" in value:  # a """long string"""
                end_line = line + value.count("\n")
                end_line_start = start + value.rindex("\n") + 1
            else:
                end_line, end_line_start = line, line_start
            token = FastToken(kind, value, line, column, end_line, end - end_line_start + 1, start)
            pos, line, line_start = end, end_line, end_line_start
            if kind == comment_kind:
                on_comment(token)
                continue
        actions = states[state_stack[-1]]
        if kind == "NAME":
            keyword = keywords.get(token.value)
            if keyword is not None and keyword in actions:
                kind = token.type = keyword
        while True:
            action = actions.get(kind)
            if action is None:
                return None
            if action >= 0:  # shift
                if kind == "$END":
                    return None
                state_stack.append(action)
                value_stack.append(token)
                break
            origin, n, reduce = rules[~action]
            if n:
                children = value_stack[-n:]
                del state_stack[-n:]
                del value_stack[-n:]
            else:
                children = []
            value = reduce(children)
            if kind == "$END" and origin == "start" and len(state_stack) == 1:
                return value
            value_stack.append(value)
            state_stack.append(states[state_stack[-1]][origin])
            actions = states[state_stack[-1]]


def parse_source(text: str, path: str, real_path: str | None = None):
    """(SourceFile, diagnostics) for text that parses, else None (then
    journeyc.parse.parse_text reports the syntax errors)."""
    t = tables()
    builder = t.builder
    builder.file = path
    builder.problems = []
    found: list = []
    with gc_paused(len(text)):
        blocks = parse(t, text, found.append)
    if blocks is None:
        return None
    comments = tuple(comment(tok, text, path) for tok in found)
    return SourceFile(path, real_path or path, text, blocks, comments), list(builder.problems)

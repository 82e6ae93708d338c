"""The fast driver: parses text that parses, without Lark.

Importing Lark and running its general-purpose lexer cost more than the
rest of a small check, so text that parses goes through this driver: the
LALR tables and the lexer derived from the grammar
(journeyc.parsing.tables), and the rule callbacks of
journeyc.parsing.callbacks, the same ones Lark calls.

At the first token the tables do not accept it gives up (`None`), and
journeyc.parsing.parse hands the text to Lark with recovery
(journeyc.parsing.recovery), which owns the E001 messages.
tests/parsing/test_tables.py checks that both build the same syntax for
every spec and test input, and that the tables match the grammar.
"""
from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

from .. import patterns
from ..model import SourceFile
from ..gcpause import gc_paused
from .callbacks import SyntaxBuilder, comment


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


class Tables:
    """The tables bound to a SyntaxBuilder: ready to parse."""

    def __init__(self, data: dict, builder: SyntaxBuilder):
        self.scanner = patterns.compile(data["scanner"])  # (kept between runs: 0.6 ms)
        self.keywords = data["keywords"]
        self.comment = data["comment"]
        self.states = data["states"]
        self.start_state = data["start"]
        self.end_state = data["end"]
        self.builder = builder
        self.rules = [_rule(builder, *rule) for rule in data["rules"]]


# How the driver reduces by the commonest rules of a large file without a
# call (the rule's size in `Tables.rules` is replaced by one of these; about
# half of all reductions): a helper rule of one child (`_touchpoint_item`)
# is the list of that child; a repetition's first item (`__x_star_n`) is the
# item itself; a repetition growing by one more is the list grown in place.
WRAP, PASS, GROW = -1, -2, -3


def _rule(builder: SyntaxBuilder, origin: str, size: int, spec, expand1: bool, name: str):
    """(origin, size or WRAP/PASS/GROW, reduce) of one rule."""
    reduce = _reducer(builder, spec, expand1, name)
    if origin == "_decl":
        return origin, size, _declared(builder, reduce)
    if origin == "start":
        return origin, size, reduce
    if reduce is _spliced and size == 1:
        return origin, WRAP, reduce
    if reduce is _first and size == 1:
        return origin, PASS, reduce
    if reduce is _grow_spliced:
        return origin, GROW, reduce
    return origin, size, reduce


def _spliced(children):
    """A helper rule's value (a rule with no callback: `_stage_item`, Lark's
    `__x_star_n`): its children, as the list itself, spliced into the parent
    (where Lark's path has a callbacks._Children holder)."""
    return children


def _grow_spliced(children):
    """A helper repetition growing by one more: its list, grown in place."""
    filtered = children[0]
    filtered += children[1]
    return filtered


_first = itemgetter(0)  # a repetition's first item, spliced


def _declared(builder: SyntaxBuilder, reduce):
    """The reduction of `_decl` (a top-level declaration, spliced into
    `start`): what `on_decl` of the parse (`builder.on_decl`) does not keep
    is dropped as soon as it is parsed."""
    def declared(children):
        decls = reduce(children)
        on_decl = builder.on_decl
        if on_decl is None:
            return decls
        return [d for d in decls if on_decl(d)]

    return declared


def _reducer(builder: SyntaxBuilder, spec, expand1: bool, name: str):
    """What a reduction by one rule does, as Lark's ParseTreeBuilder would
    do it: filter the children, splice helper rules, pad optional ones with
    None, then call the builder (or pass a single child through, `?rule`).
    The value of a helper rule is the plain list of its children."""
    method = getattr(builder, name, None)
    call = method if method is not None else _spliced
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
            if call is _spliced:
                return _grow_spliced
            else:
                def grow(children, call=call):
                    filtered = children[0]
                    filtered += children[1]
                    return call(filtered)
            return grow
        if to_include == ((0, True, 0),):  # a repetition's first item
            if call is _spliced:
                return _first
            return lambda children, call=call: call(children[0])
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
                    filtered += children[i]
                else:
                    filtered = children[i]
            else:
                filtered.append(children[i])
        if append_none:
            filtered += [None] * append_none
        return call(filtered)

    return reduce


@lru_cache(maxsize=1)
def tables() -> Tables:
    from . import grammar
    from .tables import load_data

    return Tables(load_data(grammar.text()), SyntaxBuilder())


# ---------------------------------------------------------------------------
# the driver


def run(t: Tables, text: str, on_comment, expect: bool = False) -> object | None:
    """Parse `text`; returns the start rule's value, or None at the first
    thing the grammar does not accept. Comments go to `on_comment(token)`.
    With `expect`, `text` is the start of a file: returns the terminals the
    grammar accepts after it (editors complete keywords with them).

    Per token: one match of the scanner, one slice, one FastToken; the text
    of an identifier is shared by every token that spells it the same way
    (a dict rather than sys.intern: no call, and freed with the parse)."""
    scan = t.scanner.match
    keywords = t.keywords
    comment_kind = t.comment
    states = t.states
    rules = t.rules
    Token = FastToken
    shared: dict[str, str] = {}
    share = shared.setdefault
    # (declared for mypy, so that benchmarks/parser_options.py can compile
    # this module with mypyc and measure it)
    kind: str = ""
    keyword: str | None = None
    result: object = None
    state = t.start_state
    state_stack = [state]
    value_stack: list = []
    push_state = state_stack.append
    push_value = value_stack.append
    pop_state = state_stack.pop
    pop_value = value_stack.pop
    count = text.count
    wrap, pass_ = WRAP, PASS
    pos, line, line_start = 0, 1, 0
    while True:
        m = scan(text, pos)
        actions = states[state]
        if m is None:
            if text[pos:].strip(" \t\r\n"):
                return None  # a character no terminal matches
            if expect:
                return set(states[state_stack[-1]])
            kind = "$END"  # reduce until the start rule is complete
            token = None
        else:
            kind = m.lastgroup  # type: ignore[assignment]
            start, end = m.span(kind)
            if start != pos:  # white space skipped
                newlines = count("\n", pos, start)
                if newlines:
                    line += newlines
                    line_start = text.rindex("\n", pos, start) + 1
            value = text[start:end]
            if kind == "NAME":
                keyword = keywords.get(value)
                if keyword is not None and keyword in actions:
                    kind = keyword
                else:
                    value = share(value, value)
            if "\n" in value:  # a """long string"""
                end_line = line + value.count("\n")
                end_line_start = start + value.rindex("\n") + 1
                token = Token(kind, value, line, start - line_start + 1, end_line, end - end_line_start + 1, start)
                line, line_start = end_line, end_line_start
            else:
                token = Token(kind, value, line, start - line_start + 1, line, end - line_start + 1, start)
            pos = end
            if kind == comment_kind:
                on_comment(token)
                continue
        while True:
            action = actions.get(kind)
            if action is None:
                return None
            if action >= 0:  # shift
                if kind == "$END":
                    return None
                push_state(action)
                push_value(token)
                state = action
                break
            origin, n, reduce = rules[~action]
            if n < 0:  # WRAP, PASS or GROW (see _rule), the value stack changed in place
                if n == wrap:
                    value_stack[-1] = [value_stack[-1]]
                    pop_state()
                elif n == pass_:
                    pop_state()
                else:
                    tail = pop_value()
                    value_stack[-1] += tail
                    del state_stack[-2:]
            else:
                if n == 1:
                    pop_state()
                    result = reduce([pop_value()])
                elif n:
                    children = value_stack[-n:]
                    del state_stack[-n:]
                    del value_stack[-n:]
                    result = reduce(children)
                else:
                    result = reduce([])
                if kind == "$END" and origin == "start" and len(state_stack) == 1:
                    return result
                push_value(result)
            state = states[state_stack[-1]][origin]
            push_state(state)
            actions = states[state]


def expected(text: str) -> set[str] | None:
    """The keywords (and `->`) the grammar accepts after `text`, the start
    of a file; None when `text` already has a syntax error."""
    t = tables()
    t.builder.file = "<completion>"
    t.builder.problems = []
    found = run(t, text, lambda tok: None, expect=True)
    if not isinstance(found, set):
        return None
    words = {terminal: word for word, terminal in t.keywords.items()}
    return {words[terminal] for terminal in found if terminal in words} | {"->" for _ in ("ARROW",) if "ARROW" in found}


def parse_source(text: str, path: str, real_path: str | None = None, on_decl=None):
    """(SourceFile, diagnostics) for text that parses, else None (then
    recovery reports the syntax errors: journeyc.parsing.parse). `on_decl`:
    see journeyc.parsing.parse."""
    t = tables()
    builder = t.builder
    builder.file = path
    builder.problems = []
    builder.on_decl = on_decl
    found: list = []
    try:
        with gc_paused(len(text)):
            blocks = run(t, text, found.append)
    finally:
        builder.on_decl = None
    if blocks is None:
        return None
    comments = tuple(comment(tok, text, path) for tok in found)
    return SourceFile(path, real_path or path, text, blocks, comments), list(builder.problems)  # type: ignore[arg-type]

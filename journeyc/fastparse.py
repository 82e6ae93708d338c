"""A fast driver for the grammar's own LALR tables, for text that parses.

Lark's parser spends about half its time in its general-purpose lexer. This
driver uses the parse table and the rule callbacks of the very `Lark`
instance built from `grammar/journey.lark` (so the grammar stays the one
source of truth), with a lexer made from the grammar's own terminal
patterns and the contextual rule of LANGUAGE.md: a word is a keyword only
where the parser can accept that keyword, an identifier elsewhere.

It handles the happy path only. At the first token the table does not
accept (or a character no terminal matches) it returns None, and the caller
parses the text again with Lark's own parser, which owns error recovery and
the E001 messages. `tests/test_fastparse.py` checks that both give the same
syntax for every spec and test input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lark.lexer import PatternStr


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

    def __str__(self):
        return self.value

    def __eq__(self, other):  # compared with plain strings by callbacks ("true")
        return self.value == (other.value if isinstance(other, FastToken) else other)

    def __hash__(self):
        return hash(self.value)


@dataclass(frozen=True)
class Tables:
    """What the driver needs, derived once from a Lark instance."""

    scanner: re.Pattern  # one alternation; group names are terminal names
    keywords: dict  # word -> keyword terminal name, for keywords an identifier could also match
    name_terminal: str
    ignore: frozenset
    states: dict
    start_state: int
    end_state: int
    callbacks: dict
    shift: object


def tables(lark) -> Tables:
    """Derive the scanner and the tables from the Lark instance."""
    from lark.parsers.lalr_analysis import Shift

    terminals = lark.terminals
    name_re = next(t for t in terminals if t.name == "NAME")
    word = re.compile(name_re.pattern.to_regexp())
    keywords = {}
    alternatives = []
    for t in terminals:
        if isinstance(t.pattern, PatternStr) and word.fullmatch(t.pattern.value):
            keywords[t.pattern.value] = t.name  # folded into NAME, decided by the parser state
        else:
            alternatives.append(t)
    # Lark's own order: priority, then the longest possible match, then the pattern's length
    alternatives.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    # White space is skipped by the same match that finds the next token.
    space = next(t for t in alternatives if t.name == "WS")
    alternatives.remove(space)
    scanner = re.compile(f"(?:{space.pattern.to_regexp()})?(?:"
                         + "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in alternatives) + ")")
    parser = lark.parser.parser.parser  # lark.parsers.lalr_parser._Parser
    table = parser.parse_table
    return Tables(scanner, keywords, "NAME", frozenset(lark.lexer_conf.ignore), table.states,
                  table.start_states["start"], table.end_states["start"], parser.callbacks, Shift)


def parse(t: Tables, text: str, on_comment) -> object | None:
    """Parse `text`; returns the start rule's value, or None at the first
    thing the grammar does not accept. Comments go to `on_comment(token)`."""
    scan = t.scanner.match
    keywords = t.keywords
    ignore = t.ignore  # only COMMENT reaches here: WS is skipped by the scanner
    states = t.states
    callbacks = t.callbacks
    shift = t.shift
    state_stack = [t.start_state]
    value_stack: list = []
    pos, line, line_start, size = 0, 1, 0, len(text)
    while True:
        m = scan(text, pos)
        if m is None:
            if text[pos:].strip(" \t\r\n"):
                return None  # a character no terminal matches
            break
        kind = m.lastgroup
        start = m.start(kind)
        if start != pos:  # white space skipped
            newlines = text.count("\n", pos, start)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, start) + 1
        end = m.end()
        value = m.group(kind)
        column = start - line_start + 1
        if "\n" in value:  # a """long string"""
            end_line = line + value.count("\n")
            end_line_start = start + value.rindex("\n") + 1
        else:
            end_line, end_line_start = line, line_start
        if kind in ignore:
            on_comment(FastToken(kind, value, line, column, end_line, end - end_line_start + 1, start))
            pos, line, line_start = end, end_line, end_line_start
            continue
        actions = states[state_stack[-1]]
        if kind == "NAME":
            keyword = keywords.get(value)
            if keyword is not None and keyword in actions:
                kind = keyword
        token = FastToken(kind, value, line, column, end_line, end - end_line_start + 1, start)
        pos, line, line_start = end, end_line, end_line_start
        while True:
            action = actions.get(kind)
            if action is None:
                return None
            op, arg = action
            if op is shift:
                state_stack.append(arg)
                value_stack.append(token)
                break
            n = len(arg.expansion)
            if n:
                children = value_stack[-n:]
                del state_stack[-n:]
                del value_stack[-n:]
            else:
                children = []
            value_stack.append(callbacks[arg](children))
            state_stack.append(states[state_stack[-1]][arg.origin.name][1])
            actions = states[state_stack[-1]]
    # end of input
    while True:
        action = states[state_stack[-1]].get("$END")
        if action is None:
            return None
        op, arg = action
        if op is shift:  # pragma: no cover - the end is never shifted
            return None
        n = len(arg.expansion)
        if n:
            children = value_stack[-n:]
            del state_stack[-n:]
            del value_stack[-n:]
        else:
            children = []
        value = callbacks[arg](children)
        if arg.origin.name == "start" and len(state_stack) == 1:
            return value
        value_stack.append(value)
        state_stack.append(states[state_stack[-1]][arg.origin.name][1])

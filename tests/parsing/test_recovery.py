"""Syntax error recovery (LANGUAGE.md, Diagnostics, "Syntax errors"): one
run reports every mistake of a file, one E001 each, at its own line and
column; no E001 that an earlier one merely caused; at most one per line."""
from __future__ import annotations

import re

import pytest

from journeyc.compiler import compile_root
from journeyc.load import Session
from journeyc.parsing import parse as parse_text

from conftest import SPECS, write

BASE = '''\
owner growth "Growth"
persona admin "Admin" { kind customer }
kpi activation "Activation" {
  unit percent
  target >= 40%
  source first_party "Analytics"
}
journey saas "SaaS" {
  owner growth
  stage trial "Trial" {
    entry
    phase conversion
    measure activation
    touchpoint welcome "Welcome email" {
      channel email
      area marketing
      audience admin
      score 4
      message "Your trial lasts 14 days" {
        claim trial_days = 14 days
        tone educate
      }
    }
    -> retention "converts"
  }
  stage retention "Retention" {
    touchpoint sorry "Apology" { channel email area support recovery }
    -> trial "renews"
  }
}
'''
LINES = BASE.splitlines()


def line_of(text: str) -> int:
    """The 1-based number of the first line of BASE that contains text."""
    return next(i for i, line in enumerate(LINES, 1) if text in line)


def errors(text: str):
    _, found = parse_text(text, "t.journey")
    assert all(d.code == "E001" for d in found)
    return found


def mutate(*edits: tuple[str, str]) -> str:
    """BASE with, for each (old, new), the first line holding `old` replaced
    by the line with `old` replaced by `new`."""
    lines = list(LINES)
    for old, new in edits:
        i = line_of(old) - 1
        lines[i] = lines[i].replace(old, new, 1)
    return "\n".join(lines) + "\n"


def test_the_base_text_parses():
    assert errors(BASE) == []


# (what goes wrong, the edit, the expected line (of `old`, or given), column)
MISTAKES = [
    ("a misspelt property keyword", ("channel email", "chanel email"), None, 7),
    ("a misspelt block keyword", ('touchpoint welcome', 'touchpiont welcome'), None, 5),
    ("a misspelt stage keyword", ('stage retention', 'stgae retention'), None, 3),
    ("a misspelt top-level keyword", ('persona admin', 'presona admin'), None, 1),
    ("a property without its value", ("phase conversion", "phase"), "measure activation", 13),
    ("a score without its number", ("score 4", "score"), "message \"Your", 7),
    ("a target without its number", ("target >= 40%", "target >="), "source first_party", 3),
    ("a target without comparator", ("target >= 40%", "target 40%"), None, 10),
    ("a stray character", ("area marketing", "area marketing $"), None, 22),
    ("a word too many", ("  owner growth", "  owner growth extra"), None, 16),
    ("a string too many", ("audience admin", 'audience admin "all"'), None, 22),
    ("an unterminated string", ('"Welcome email" {', '"Welcome email {'), None, 24),
    ("a bad escape", ('"Trial" {', '"Tri\\al" {'), None, 19),
    ("a number glued to its unit", ("claim trial_days = 14 days", "claim trial_days = 14days"), None, 28),
    ("a transition without target", ('-> retention "converts"', '-> "converts"'), None, 8),
    ("a missing '{'", ('touchpoint welcome "Welcome email" {', 'touchpoint welcome "Welcome email"'),
     "channel email", 7),
    ("a claim without '='", ("claim trial_days = 14 days", "claim trial_days 14 days"), None, 26),
    ("a list with a trailing comma", ("audience admin", "audience admin,"), "score 4", 13),
    ("a missing '}' of a touchpoint", ("    }\n    -> retention", None), None, None),
]


@pytest.mark.parametrize("what, edit, expected_line, column", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_one_mistake_gives_one_error_at_its_place(what, edit, expected_line, column):
    old, new = edit
    if new is None:  # delete the first line of `old`
        first, second = old.split("\n")
        lines = list(LINES)
        i = next(i for i, line in enumerate(lines) if line == first and lines[i + 1].startswith(second))
        del lines[i]
        text = "\n".join(lines) + "\n"
        expected = i + 1  # the transition now stands inside the touchpoint
    else:
        text = mutate(edit)
        expected = line_of(expected_line) if expected_line else line_of(old)
    found = errors(text)
    assert [d.span.line for d in found] == [expected], [(d.span.line, d.message) for d in found]
    if column is not None:
        assert found[0].span.column == column, found[0].message


def test_three_broken_lines_give_three_errors():
    text = mutate(("persona admin", "presona admin"),
                  ("area marketing", "area marketing @"),
                  ("-> trial \"renews\"", "-> \"renews\""))
    found = errors(text)
    assert [d.span.line for d in found] == [line_of("persona admin"), line_of("area marketing"),
                                            line_of("-> trial")]
    assert [d.span.column for d in found] == [1, 22, 8]


def test_an_error_on_every_line_of_a_block():
    text = "journey j {\n  stage s {\n    phase @\n    owner $\n    entry 3\n    measure ,\n  }\n}\n"
    assert [d.span.line for d in errors(text)] == [3, 4, 5, 6]


def test_at_most_one_error_per_line():
    found = errors("journey j { stage s { @ phase $ owner % entry ! } }\nowner o \"x\" \"y\"\n")
    assert [d.span.line for d in found] == [1, 2]


def test_a_misplaced_property_is_dropped_and_leaves_the_braces_balanced():
    # `score` belongs to a touchpoint: recovery must not open a block for it
    # (the end of the file would then lack a '}')
    text = mutate(("-> retention \"converts\"", "score 3"))
    assert [d.span.line for d in errors(text)] == [line_of("-> retention")]


def test_an_extra_closing_brace_is_reported_once():
    text = mutate(('touchpoint sorry "Apology" { channel email area support recovery }',
                   'touchpoint sorry "Apology" { channel email area support recovery } }'))
    found = errors(text)
    assert len(found) == 1
    assert found[0].span.line in (line_of("touchpoint sorry"), line_of("-> trial"))


def test_an_unterminated_string_that_swallows_the_brace():
    text = mutate(('owner growth "Growth"', 'owner growth "Growth {'),
                  ('persona admin "Admin" { kind customer }', 'persona admin "Admin" {\n  kind customer\n}'))
    found = errors(text)
    assert len(found) == 1 and "unterminated string" in found[0].message
    assert (found[0].span.line, found[0].span.column) == (1, 14)


def test_unknown_block_is_skipped_whole():
    text = BASE.replace("  stage retention", "  { nonsense { deeper } -> }\n  stage retention")
    assert len(errors(text)) == 1


# ---- the end of the input ----------------------------------------------------

@pytest.mark.parametrize("text, position", [
    ("journey j {\n  stage a { # open\n    entry  # note\n\n", (3, 10)),
    ('owner o { description """a\n# not a comment\n"""  # but this is\n', (3, 4)),
    ('owner o { description """x # y"""\n#\n', (1, 34)),
    ('journey j { stage s { -> t "label with } and # inside"', (1, 55)),
    ("journey j {\r\n  stage s {\r\n", (2, 12)),
    ("journey", (1, 8)),
])
def test_unexpected_end_points_just_after_the_last_real_token(text, position):
    found = errors(text)
    assert (found[-1].span.line, found[-1].span.column) == position
    assert "unexpected end of file" in found[-1].message


def test_end_of_input_after_an_error_is_not_reported_again():
    # the file ends inside the block where the error was: one error
    assert len(errors("journey j {\n  stage s {\n    @")) == 1


# ---- what recovery leaves behind ------------------------------------------------

TERMINAL_NAMES = re.compile(r"\b(RBRACE|LBRACE|_RBRACE|_LBRACE|__ANON_\d+|NAME|STRING|LONG_STRING|NUMBER|"
                            r"PERCENT_NUMBER|\$END|\$BAD|_COMMA|ARROW|GE|LE|EQ)\b")


@pytest.mark.parametrize("what, edit, expected_line, column", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_messages_stay_in_plain_words(what, edit, expected_line, column):
    if edit[1] is None:
        return
    for d in errors(mutate(edit)):
        assert not TERMINAL_NAMES.search(d.message), d.message


def test_expected_words_are_what_the_parser_really_accepts_there():
    # after a title string, Lark's merged LALR state would list every keyword
    (d,) = errors('owner o "x" "y"\n')
    assert d.message == "unexpected string: expected a KPI, a channel, a fact, a journey, a persona, an import, 'owner' or '{'"


def test_imports_of_a_file_with_syntax_errors_are_still_followed(tmp_path, monkeypatch):
    write(tmp_path, "main.journey", 'import "other.journey"\nimport\nowner o "x" @\njourney j { stage s { } }\n')
    write(tmp_path, "other.journey", "owner p {\n  descripton \"typo\"\n}\n")
    monkeypatch.chdir(tmp_path)
    result = compile_root(Session(), "main.journey")
    got = sorted((d.span.file, d.span.line, d.code) for d in result.errors)
    # the import without a path is one E001 (at the next token), not an E004
    # for the folder; the stray '@' on that line is not reported again
    assert got == [("main.journey", 3, "E001"), ("other.journey", 2, "E001")]


def test_recovery_keeps_comments_once(tmp_path):
    source, found = parse_text("# a\nowner o @ # b\n# c\nowner p\n", "t.journey")
    assert len(found) == 1
    assert [c.text for c in source.comments] == ["# a", "# b", "# c"]


# ---- the specs, broken one line at a time ------------------------------------------

def next_code_line(text: str, lineno: int) -> int:
    lines = text.split("\n")
    return next((i for i in range(lineno + 1, len(lines) + 1)
                 if lines[i - 1].strip() and not lines[i - 1].lstrip().startswith("#")), lineno)


KEYWORD = re.compile(r"^(\s*)([a-z]{4,})\b")


def broken_lines(path):
    """For each line of the spec: a misspelt leading keyword, a stray
    character and a dropped last word, where that breaks the file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#") or '"""' in line:
            continue
        variants = [line + " @"]
        m = KEYWORD.match(line)
        if m:
            w = m.group(2)
            variants.append(m.group(1) + w[0] + w[2] + w[1] + w[3:] + line[m.end():])
        words = line.split()
        if len(words) >= 2 and '"' not in words[-1] and words[-1] not in "{}":
            variants.append(line[:line.rstrip().rfind(words[-1])])
        for v in variants:
            yield i + 1, "\n".join(lines[:i] + [v] + lines[i + 1:])


@pytest.mark.parametrize("name", ["saas.journey", "catalog/kpis.journey"])
def test_every_line_of_a_spec_broken_alone_gives_one_error(name):
    checked = 0
    for lineno, text in broken_lines(SPECS / name):
        found = errors(text)
        if not found:  # still valid (a unit word, a keyword read as a name...)
            continue
        checked += 1
        assert len(found) == 1, (lineno, [(d.span.line, d.message) for d in found])
        # at the broken line, or where a value missing there is found missing
        assert lineno <= found[0].span.line <= next_code_line(text, lineno), (lineno, found[0].message)
    assert checked > 100 or name != "saas.journey"


def test_adjacent_broken_lines_are_each_reported():
    # the line after an error is not swallowed by its recovery: 'score' is
    # not read as a name to make line 2 parse
    text = mutate(("area marketing", "area marketing @"), ("score 4", "score"))
    found = errors(text)
    assert [d.span.line for d in found] == [line_of("area marketing"), line_of("message \"Your")]
    assert found[1].message.startswith("unexpected 'message': expected a number")

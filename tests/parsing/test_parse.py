"""The grammar and the parser: every lexical feature of LANGUAGE.md, and
E001 in plain words."""
from __future__ import annotations

import re

import pytest

from journeyc.load import load_text
from journeyc.model import Block, Item
from journeyc.parsing import parse as parse_text
from journeyc.parsing.callbacks import decode_string


def parse_ok(text: str):
    source, errors = parse_text(text, "t.journey")
    assert errors == [], [e.message for e in errors]
    return source


def e001(text: str):
    _, errors = parse_text(text, "t.journey")
    assert len(errors) >= 1 and all(e.code == "E001" for e in errors)
    return errors[0]


def items(block: Block, key: str):
    return [i for i in block.items if isinstance(i, Item) and i.key == key]


def test_keywords_where_identifiers_stand_are_identifiers():
    src = parse_ok("journey stage { stage owner { -> measure } stage measure { owner kpi } }")
    journey = src.blocks[0]
    assert journey.name.text == "stage"
    owner_stage, measure_stage = [b for b in journey.items if isinstance(b, Block)]
    assert owner_stage.name.text == "owner"
    assert items(owner_stage, "->")[0].args[0].text == "measure"
    assert items(measure_stage, "owner")[0].args[0].text == "kpi"


def test_journey_map_keywords_where_identifiers_stand_are_identifiers():
    """The 1.1 keywords (state, opportunity, for, status, impact, goal,
    evidence, layer, recovers, action, thought, confidence) name things and
    are enumerated values wherever only an identifier can stand."""
    src = parse_ok("owner status persona goal journey state { owner status state future"
                   " stage for { owner status goal \"g\" -> layer }"
                   " stage layer { touchpoint evidence { audience goal layer support recovers thought } "
                   "touchpoint thought { confidence high recovers evidence, action } touchpoint action { } }"
                   " opportunity impact \"T\" { for for, evidence owner status status done impact low } }")
    journey = src.blocks[2]
    assert journey.name.text == "state"
    assert items(journey, "state")[0].args[0].text == "future"
    for_stage, layer_stage, opp = [b for b in journey.items if isinstance(b, Block)]
    assert (for_stage.name.text, items(for_stage, "->")[0].args[0].text) == ("for", "layer")
    assert items(for_stage, "goal")[0].args[0].text == "g"
    evidence, thought, action = layer_stage.items
    assert [evidence.name.text, thought.name.text, action.name.text] == ["evidence", "thought", "action"]
    assert [a.text for a in items(evidence, "recovers")[0].args] == ["thought"]
    assert [a.text for a in items(thought, "recovers")[0].args] == ["evidence", "action"]
    assert (opp.kind, opp.name.text, opp.title.text) == ("opportunity", "impact", "T")
    assert [a.text for a in items(opp, "for")[0].args] == ["for", "evidence"]
    assert items(opp, "owner")[0].args[0].text == "status"
    assert items(opp, "status")[0].args[0].text == "done"


def test_numbers_units_and_comparators():
    src = parse_ok('kpi a { target >= 1_000_000 } kpi b { target <= 2.5 days } kpi c { target > 40% }'
                   ' kpi d { target < 0.4 } kpi e { target = 14.0 USD }')
    targets = [items(b, "target")[0].args[0] for b in src.blocks]
    assert [(t.op, t.number.value, t.number.unit) for t in targets] == [
        (">=", 1_000_000, None), ("<=", 2.5, "days"), (">", 40, "%"), ("<", 0.4, None), ("=", 14.0, "USD")]
    assert isinstance(targets[0].number.value, int) and isinstance(targets[4].number.value, float)
    # a value's span covers its number and unit together
    span = targets[1].number.span
    assert span.end_column - span.column == len("2.5 days")


def test_unit_word_cannot_be_a_keyword():
    # after a number, `source` is the next property, not a unit
    src = parse_ok("kpi k { target >= 14 source first_party }")
    assert items(src.blocks[0], "target")[0].args[0].number.unit is None
    assert items(src.blocks[0], "source")[0].args[0].text == "first_party"


@pytest.mark.parametrize("bad", ["14days", "2e5", "1_", "1.", "3__4"])
def test_number_glued_to_letters_is_a_syntax_error(bad):
    err = e001(f"kpi k {{ target >= {bad} }}")
    assert err.span.line == 1 and err.span.column == 19


def test_strings_escapes_and_triple_quotes():
    src = parse_ok('owner a "say \\"hi\\" \\\\ \\n\\t\\u00e9" { description """two\nlines "quoted" # not a comment""" }')
    owner = src.blocks[0]
    assert owner.title.text == 'say "hi" \\ \n\té'
    assert items(owner, "description")[0].args[0].text == 'two\nlines "quoted" # not a comment'


def test_surrogate_pair_escapes_join_and_lone_ones_are_replaced():
    assert decode_string('"\\ud83d\\ude00"') == "\U0001F600"
    assert decode_string('"a\\ud800b"') == "a\ufffdb"


def test_comments_anywhere_white_space_may_stand():
    src = parse_ok("# head\njourney # a\n j # b\n { # c\n stage # d\n s { -> # e\n s } } # tail")
    assert len(src.comments) == 7
    assert src.comments[0].alone and not src.comments[1].alone


def test_bom_and_crlf():
    lf = load_text("\ufeffjourney j {\r\n  stage s {\r\n    owner x\r\n  }\r\n}\r\n".encode("utf-8"), "t.journey")
    assert lf.load_errors == []
    stage = lf.source.blocks[0].items[0]
    owner = items(stage, "owner")[0]
    assert (owner.span.line, owner.span.column) == (3, 5)
    assert (owner.args[0].span.column, owner.args[0].span.end_column) == (11, 12)


def test_columns_count_code_points():
    src = parse_ok('owner a "héllo wörld 😀" owner b')
    assert src.blocks[1].span.column == 25


def test_message_claims_values():
    src = parse_ok('journey j { stage s { touchpoint t { message "m" { claim a = 14 days claim b = true '
                   'claim c = "Pro" claim d = 29 USD claim e = 40% tone calm } } } }')
    message = src.blocks[0].items[0].items[0].items[0]
    values = [i.args[1] for i in items(message, "claim")]
    assert [type(v).__name__ for v in values] == ["Num", "Bool", "Str", "Num", "Num"]
    assert items(message, "tone")[0].args[0].text == "calm"


# ---- E001 in words ----------------------------------------------------------

TERMINAL_NAMES = re.compile(r"\b(RBRACE|LBRACE|_RBRACE|__ANON_\d+|NAME|STRING|NUMBER|\$END|_COMMA)\b")


@pytest.mark.parametrize("text", [
    "journey j { stage a { -> } }",
    "journey j { stage a { touchpoint t { channel } } }",
    "journey j { stage a {",
    "owner",
    "kpi k { target 5 }",
    "journey j { stage a { measure k, } }",
    "persona p { kind }",
    "journey j { stage a { touchpoint t { message \"x\" { claim a = } } } }",
    "@",
    "journey j { model flywheel stage",
])
def test_e001_says_what_was_expected_in_words(text):
    err = e001(text)
    assert "expected" in err.message
    assert not TERMINAL_NAMES.search(err.message), err.message


def test_e001_expected_list_is_sorted_and_stable():
    err = e001("journey j { stage a { touchpoint t { } 42 } }")
    assert err.message == ("unexpected number 42: expected a KPI, a touchpoint, 'description', 'entry', 'evidence', 'goal', "
                           "'measure', 'owner', 'phase', a transition ('->') or '}'")
    # the same words whatever the order Lark happened to give
    again = e001("journey j { stage a { touchpoint t { } 42 } }")
    assert again.message == err.message


def test_unexpected_end_of_input_points_just_after_the_last_token():
    err = e001('journey j {\n  stage a { # open\n    touchpoint t { channel email }  # note\n\n')
    assert (err.span.line, err.span.column) == (3, 35)
    assert "unexpected end of file" in err.message


def test_end_of_input_after_a_multiline_string():
    err = e001('owner o { description """a\n# not a comment\n"""')
    assert (err.span.line, err.span.column) == (3, 4)


def test_unterminated_string_points_at_its_opening_quote():
    err = e001('owner growth "Growth team  # oops\njourney j { stage a { } }')
    assert (err.span.line, err.span.column) == (1, 14)
    assert "unterminated string" in err.message


def test_invalid_escape():
    err = e001('owner a "bad \\q escape"')
    assert (err.span.line, err.span.column) == (1, 14)
    assert "escape" in err.message


def test_identifiers_are_ascii():
    err = e001("owner café")
    assert (err.span.line, err.span.column) == (1, 10)

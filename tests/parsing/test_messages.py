"""Messages that coach (issue 11, section 3): each mistake a newcomer makes
first gets a message that says what to write instead, at the same line and
column as before, one E001 per mistake."""
from __future__ import annotations

import journeyc
from journeyc.text import and_list, or_list
from journeyc.wording import declaration_hint, named

from test_recovery import BASE, errors, line_of, mutate


def only_error(text: str):
    (d,) = errors(text)
    return d.span.line, d.span.column, d.message, d.suggestion


# ---- syntax errors ------------------------------------------------------------

STAGE_ITEMS = ("a KPI, a touchpoint, 'description', 'entry', 'evidence', 'goal', 'measure', 'owner', 'phase', "
               "a transition ('->') or '}'")
TOUCHPOINT_ITEMS = ("a channel, a message, 'action', 'area', 'audience', 'confidence', 'description', 'evidence', "
                    "'layer', 'measure', 'owner', 'recovers', 'recovery', 'score', 'thought' or '}'")


def test_a_misspelt_block_keyword_gets_a_did_you_mean():
    assert only_error(mutate(("touchpoint welcome", "touchpiont welcome"))) == (
        line_of("touchpoint welcome"), 5,
        "unexpected 'touchpiont': expected a KPI, a touchpoint, 'description', 'entry', 'evidence', 'goal', "
        "'measure', 'owner', 'phase', 'target', a transition ('->'), ',' or '}'",
        "did you mean 'touchpoint'?")


def test_a_misspelt_top_level_keyword_gets_a_did_you_mean():
    assert only_error(mutate(("journey saas", "journy saas"))) == (
        line_of("journey saas"), 1,
        "unexpected 'journy': expected a KPI, a channel, a fact, a journey, a persona, an import or 'owner'",
        "did you mean 'journey'?")


def test_a_misspelt_property_keyword_gets_a_did_you_mean():
    assert only_error(mutate(("phase conversion", "phse conversion"))) == (
        line_of("phase conversion"), 5, f"unexpected 'phse': expected {STAGE_ITEMS}", "did you mean 'phase'?")


def test_a_misspelt_keyword_read_as_a_unit_is_pointed_at():
    # after `score 4`, `mesage` reads as the score's unit: the parse fails at
    # the string, and the error points at the misspelt word
    text = mutate(('message "Your', 'mesage "Your'))
    assert only_error(text) == (line_of('message "Your'), 7, f"unexpected 'mesage': expected {TOUCHPOINT_ITEMS}",
                                "did you mean 'message'?")


def test_a_hyphenated_word_suggests_the_underscore():
    assert only_error(mutate(("phase conversion", "phase post-sale"))) == (
        line_of("phase conversion"), 15, "unexpected character '-': names are joined with '_', not '-'",
        "did you mean 'post_sale'?")


def test_an_unquoted_title_says_to_quote_it():
    assert only_error(mutate(('stage retention "Retention"', "stage retention Retention"))) == (
        line_of("stage retention"), 19,
        "unexpected 'Retention': expected a string or '{'; put the title in quotes: \"Retention\"", None)
    line, column, message, _ = only_error(mutate(('stage retention "Retention"', "stage retention Retention stage")))
    assert (line, column) == (line_of("stage retention"), 19)
    assert message.endswith('put the title in quotes: "Retention stage"')


def test_unquoted_text_says_to_quote_it():
    assert only_error(mutate(('message "Your trial lasts 14 days"', "message Your trial"))) == (
        line_of('message "Your'), 15, "unexpected 'Your': expected 'from' or a string; put the text in quotes: \"Your trial\"",
        None)


def test_a_slash_comment_says_comments_start_with_hash():
    assert only_error("// the growth team\n" + BASE) == (
        1, 1, "unexpected character '/': comments start with '#' and run to the end of the line", None)


def test_a_dollar_amount_says_how_to_write_money():
    assert only_error(mutate(("claim trial_days = 14 days", "claim price = $59.99"))) == (
        line_of("claim trial_days"), 23,
        "unexpected character '$': write an amount of money as a number and a currency code ('59.99 USD')", None)
    # as the message says: it parses
    assert errors(mutate(("claim trial_days = 14 days", "claim price = 59.99 USD"))) == []


def test_a_missing_brace_at_the_end_names_the_block_and_where_it_opened():
    text = BASE.rstrip("\n").rsplit("\n", 1)[0] + "\n"  # the journey's '}' removed
    assert only_error(text) == (
        line_of("-> trial") + 1, 4,
        "unexpected end of file: journey \"SaaS\" [saas] (opened on line 8) is not closed: add its '}'", None)


def test_several_open_blocks_are_named_innermost_first():
    line, column, message, _ = only_error('journey j {\n  stage s "Start" {\n    touchpoint t {\n')
    assert message == ("unexpected end of file: touchpoint 't' (opened on line 3), stage \"Start\" [s] (opened on "
                       "line 2) and journey 'j' (opened on line 1) are not closed: add their '}'")


def test_a_missing_brace_in_the_middle_names_the_block_left_open():
    lines = BASE.split("\n")
    i = line_of("-> retention") - 2  # the touchpoint's '}'
    assert lines[i].strip() == "}"
    text = "\n".join(lines[:i] + lines[i + 1:])
    assert only_error(text) == (
        line_of("-> retention") - 1, 5,
        "unexpected '->': touchpoint \"Welcome email\" [welcome] (opened on line 14) is not closed: add its '}' "
        "before '->'", None)


def test_each_coached_mistake_is_still_one_error_at_its_place():
    text = mutate(("touchpoint welcome", "touchpiont welcome"), ("phase conversion", "phase post-sale"),
                  ('stage retention "Retention"', "stage retention Retention"))
    found = errors(text)
    assert [(d.span.line, d.span.column) for d in found] == [
        (line_of("phase conversion"), 15), (line_of("touchpoint welcome"), 5), (line_of("stage retention"), 19)]


# ---- names and references ------------------------------------------------------

def compile_errors(text: str):
    comp, diagnostics = journeyc.compile_source(text, filename="m.journey")
    assert comp is None
    return [(d.span.line, d.span.column, d.message, d.suggestion) for d in diagnostics]


def test_an_undefined_kpi_with_no_close_match_shows_the_declaration_to_add():
    assert compile_errors(mutate(("measure activation", "measure churn_rate"))) == [
        (line_of("measure activation"), 13, "undefined KPI 'churn_rate': no KPI of that name is declared",
         'declare it: kpi churn_rate "..." { ... }')]


def test_an_undefined_owner_or_persona_shows_the_declaration_to_add():
    assert compile_errors(mutate(("  owner growth", "  owner sales"), ("audience admin", "audience buyer"))) == [
        (line_of("  owner growth"), 9, "undefined owner 'sales': no owner of that name is declared",
         'declare it: owner sales "..."'),
        (line_of("audience admin"), 16, "undefined persona 'buyer': no persona of that name is declared",
         'declare it: persona buyer "..." { kind customer }')]


def test_an_undefined_stage_shows_the_stage_to_add_in_its_journey():
    assert compile_errors(mutate(('-> trial "renews"', "-> renewal"))) == [
        (line_of("-> trial"), 8, "undefined stage 'renewal': journey \"SaaS\" [saas] has no stage of that name",
         'declare it in journey "SaaS" [saas]: stage renewal "..." { ... }')]


def test_a_close_match_is_still_a_did_you_mean():
    assert compile_errors(mutate(("measure activation", "measure activaton")))[0][3] == "did you mean 'activation'?"


# ---- lint findings name entities by title --------------------------------------

def lint(text: str):
    comp, diagnostics = journeyc.compile_source(text, filename="m.journey")
    assert comp is not None, diagnostics
    return diagnostics


def test_findings_name_entities_by_title_with_the_id_in_brackets():
    found = {}
    for d in lint('journey j "Onboarding flow" {\n  stage a "First steps" { }\n  stage b { }\n}\n'):
        found.setdefault(d.code, d.message)  # the first one: stage a's
    assert found["M001"].startswith("stage \"First steps\" [a] measures nothing")
    assert found["O001"] == ("stage \"First steps\" [a] has no owner: give it one (`owner <team>`), or give "
                             "journey \"Onboarding flow\" [j] a default owner, so a team answers for it")
    assert found["X001"].startswith("journey \"Onboarding flow\" [j] has no recovery touchpoint")
    # without a title: the id
    assert any(d.message.startswith("stage 'b' measures nothing") for d in lint("journey j {\n stage b { }\n}\n"))


def test_x004_on_a_journey_without_touchpoints_says_so():
    (d,) = [d for d in lint('journey j "Empty" {\n  stage a { }\n}\n') if d.code == "X004"]
    assert d.message == ("journey \"Empty\" [j] has no touchpoints, so none of the seven areas of the complete "
                         "product experience (marketing, sales, technology, supporting_systems, integrations, "
                         "support and policies) is covered: add the touchpoints where customers meet the product, "
                         "each with its `area`")


def test_titles_in_messages_cannot_break_out_of_their_quotes():
    assert named("stage", "s", 'A "quoted"\nline \\ end') == 'stage "A \\"quoted\\"\\nline \\\\ end" [s]'
    assert named("stage", "s", "\u202eevil") == 'stage "\\u202eevil" [s]'


def test_lists_and_hints_are_phrased_in_one_place():
    assert and_list(["a"]) == "a" and and_list(["a", "b", "c"]) == "a, b and c"
    assert or_list(["a", "b"]) == "a or b"
    assert declaration_hint("kpi", "churn_rate") == 'declare it: kpi churn_rate "..." { ... }'


def test_coaching_reads_only_near_the_mistake():
    # a run of words far longer than any name: no suggestion made of all of it
    (d,) = errors("owner o " + "ab-" * 2000 + "\n")
    assert d.message.endswith("; put the title in quotes: \"ab\"") and len(d.message) < 200
    (d,) = errors("journey j { stage s { phase " + "a-" * 2000 + "b } }\n")
    assert d.suggestion is None and d.message.startswith("unexpected character '-': expected ")


def test_lists_of_entities_in_findings_use_titles_too():
    found = {d.code: d for d in lint(
        'owner a "Growth team"\nowner b\npersona p "Payer"\n'
        'journey j "J" {\n  stage buy "Buy" { entry phase conversion -> after }\n'
        '  stage after "Aftercare" {\n'
        '    touchpoint t1 { channel email owner a message "Welcome aboard" }\n'
        '    touchpoint t2 "Hello" { channel email owner b message "Welcome aboard" }\n  }\n'
        '  stage lost "Lost" { }\n}\n')}
    assert found["C002"].message.startswith(
        "touchpoint \"Hello\" [t2] repeats what touchpoint 't1' already says to an overlapping audience on email in "
        "stage \"Aftercare\" [after] (\"Welcome aboard\"): owners 'b' and \"Growth team\" [a] should agree")
    assert "(\"Aftercare\" [after], \"Lost\" [lost])" in found["M002"].message
    assert "from the entry stage \"Buy\" [buy];" in found["F002"].message

"""Figures read from message text (LANGUAGE.md 1.1, "Figures in message text")
and the fact each figure is about."""
from __future__ import annotations

import pytest

from journeyc.figures import FactIndex, extract
from journeyc.model import Span


def locate(a, b):
    return Span("t", 1, a + 1, 1, b + 1)


def figs(text):
    return [(f.kind, f.number, f.unit, f.text) for f in extract(text, locate)]


@pytest.mark.parametrize("text, expected", [
    ("Start your 14-day free trial", [("duration", 14, "day", "14-day")]),
    ("Orders over $1,000.50 ship free", [("money", 1000.5, "USD", "$1,000.50")]),
    ("Free shipping over €35.", [("money", 35, "EUR", "€35")]),
    ("£20 and ¥500", [("money", 20, "GBP", "£20"), ("money", 500, "JPY", "¥500")]),
    ("Your trial lasts two weeks", [("duration", 2, "week", "two weeks")]),
    ("Your trial lasts Two Weeks", [("duration", 2, "week", "Two Weeks")]),
    ("Try it for a month", [("duration", 1, "month", "a month")]),
    ("An hour of onboarding", [("duration", 1, "hour", "An hour")]),
    ("one year, twelve months", [("duration", 1, "year", "one year"), ("duration", 12, "month", "twelve months")]),
    ("Save 20 percent today", [("percent", 20, "%", "20 percent")]),
    ("Save 20% today", [("percent", 20, "%", "20%")]),
    ("99.9% uptime", [("percent", 99.9, "%", "99.9%")]),
    ("Only 35 dollars", [("money", 35, "USD", "35 dollars")]),
    ("Only 35 Dollars", [("money", 35, "USD", "35 Dollars")]),
    ("500 yen, 3 euros, 2 pounds", [("money", 500, "JPY", "500 yen"), ("money", 3, "EUR", "3 euros"),
                                    ("money", 2, "GBP", "2 pounds")]),
    ("It costs 50 USD", [("money", 50, "USD", "50 USD")]),
    ("It costs 50 CHF", [("money", 50, "CHF", "50 CHF")]),
    ("It costs 50 usd", []),                          # codes only in upper case
    ("A car with 2 cup holders", []),                 # no money
    ("Refunds in 5 working days", [("duration", 5, "working day", "5 working days")]),
    ("Refunds in 5 business days", [("duration", 5, "business day", "5 business days")]),
    ("Refunds in 7 calendar days", [("duration", 7, "day", "7 calendar days")]),
    ("Within 4\u00a0hours", [("duration", 4, "hour", "4\u00a0hours")]),   # a no-break space is a space
    ("30 minutes, 2 hours", [("duration", 30, "minute", "30 minutes"), ("duration", 2, "hour", "2 hours")]),
    ("We have 14 teams", []),
    ("Version 2.5 is out", []),
    ("14days", []),
    ("thirteen days", []),
    ("Call 555-1234", []),
    ("", []),
])
def test_every_form_of_the_contract(text, expected):
    assert figs(text) == expected


def test_spans_are_exact():
    (f,) = extract("Start your 14-day free trial", locate)
    assert (f.start, f.end) == (11, 17)
    assert f.span == Span("t", 1, 12, 1, 18)
    (f,) = extract("over $1,000.50!", locate)
    assert "over $1,000.50!"[f.start:f.end] == "$1,000.50"


def test_countdowns_are_figures_about_no_fact():
    found = extract("3 days left in your trial, 2 weeks remaining, 5 days to go", locate)
    assert [(f.text, f.countdown) for f in found] == [("3 days", True), ("2 weeks", True), ("5 days", True)]
    index = FactIndex([("trial", ("trial",), "minutes", frozenset())])
    assert all(f.fact is None for f in index.attribute("3 days left in your trial", extract(
        "3 days left in your trial", locate), frozenset()))


def test_text_without_digits_or_duration_words_is_not_scanned():
    assert extract("Welcome aboard, we are glad you are here", locate) == ()


def about(text, facts, audience=frozenset()):
    index = FactIndex(facts)
    return [(f.text, f.fact) for f in index.attribute(text, extract(text, locate), audience)]


TRIAL = ("trial_length", ("free trial", "trial"), "minutes", frozenset())
REFUND = ("refund_window", ("refund", "money back"), "minutes", frozenset())
SHIPPING = ("shipping_min", ("free shipping",), "money:USD", frozenset({"guest"}))


def test_a_figure_is_about_a_fact_whose_phrase_is_in_its_sentence():
    assert about("Start your 14-day free trial today.", [TRIAL]) == [("14-day", "trial_length")]
    assert about("Start today. A 14-day period.", [TRIAL]) == [("14-day", None)]          # another sentence
    assert about("Trial\n14 days", [TRIAL]) == [("14 days", None)]                          # a line break ends it
    assert about("Free shipping over $35 with a 14-day trial", [TRIAL, SHIPPING]) == [
        ("$35", "shipping_min"), ("14-day", "trial_length")]


def test_phrases_match_whole_words_case_insensitively_and_in_the_plural():
    assert about("REFUNDS within 30 days", [REFUND]) == [("30 days", "refund_window")]
    assert about("Trials last 30 days", [TRIAL]) == [("30 days", "trial_length")]
    assert about("Money  back in 4 weeks", [REFUND]) == [("4 weeks", "refund_window")]
    assert about("Our trialware: 30 days", [TRIAL]) == [("30 days", None)]
    assert about("Refundable in 30 days", [REFUND]) == [("30 days", None)]


def test_the_closest_figure_of_the_facts_dimension_and_a_tie_to_the_figure_after():
    assert about("14 days or 30 days trial", [TRIAL]) == [("14 days", None), ("30 days", "trial_length")]
    assert about("1 day trial 1 day", [TRIAL]) == [("1 day", None), ("1 day", "trial_length")]
    # a percent is not the fact's dimension: the duration further away is the one
    assert about("14 days, then a trial at 20%", [TRIAL]) == [("14 days", "trial_length"), ("20%", None)]


def test_a_figure_is_about_one_fact_overlapping_audience_first_then_closest_then_first_declared():
    a = ("a", ("plan",), "minutes", frozenset({"guest"}))
    b = ("b", ("offer",), "minutes", frozenset({"member"}))
    assert about("plan 14 days offer", [a, b], frozenset({"member"})) == [("14 days", "b")]
    assert about("plan 14 days offer", [a, b], frozenset({"guest"})) == [("14 days", "a")]
    assert about("plan 14 days  offer", [a, b], frozenset()) == [("14 days", "a")]       # closer
    assert about("plan  14 days offer", [a, b], frozenset()) == [("14 days", "b")]
    c = ("c", ("plan",), "minutes", frozenset())
    d = ("d", ("plan",), "minutes", frozenset())
    assert about("plan 14 days", [c, d]) == [("14 days", "c")]                             # declared first


def test_overlapping_phrases_are_all_found():
    short = ("short", ("trial",), "minutes", frozenset())
    long = ("long", ("free trial",), "money:USD", frozenset())
    assert about("free trial 14 days, $5", [short, long]) == [("14 days", "short"), ("$5", "long")]


def test_a_check_without_figures_never_compiles_the_scanner(tmp_path):
    import subprocess
    import sys

    spec = tmp_path / "j.journey"
    spec.write_text('journey j { stage s { touchpoint t { message "Welcome aboard" } } }\n', encoding="utf-8")
    code = ("import sys, journeyc, journeyc.figures as f; journeyc.check([sys.argv[1]]); "
            "print(len(f._FIGURE), 'lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False"]
    spec.write_text('journey j { stage s { touchpoint t { message "A 14-day trial" } } }\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]

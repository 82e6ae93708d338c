"""C006's heuristic: the must-report and must-not-report examples of docs/c006.md."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeyc
from journeyc.lint.context import customer_facing
from journeyc.lint.rules.communication import figure_topics
from journeyc.figures import extract
from journeyc.model import Span

PERSONAS = "persona member { kind customer }\npersona guest { kind customer }\n"


def c006(first: str, second: str, a1: str = "", a2: str = "", facts: str = "") -> list:
    text = PERSONAS + facts + f'''journey j {{ stage s {{
  touchpoint t1 {{ channel web {a1} message "{first}" }}
  touchpoint t2 {{ channel email {a2} message "{second}" }}
}} }}
'''
    comp, diags = journeyc.compile_source(text, filename="c006.journey")
    assert comp is not None, [d.message for d in diags]
    return [d for d in diags if d.code == "C006"]


@pytest.mark.parametrize("first, second, later, earlier", [
    ("Start your 14-day free trial", "Start your 30-day free trial", "30-day", "14-day"),
    ("Free shipping on orders over $50", "Free shipping on orders over $35", "$35", "$50"),
    ("20% off your first box", "25% off your first box", "25%", "20%"),
    ("Start your 14-day free trial", "Free trial for 30 days", "30 days", "14-day"),
])
def test_must_report(first, second, later, earlier):
    (d,) = c006(first, second)
    assert d.span.line == 5  # the later message's string
    assert f'"{later}"' in d.message and f'"{earlier}"' in d.message
    assert "'t1'" in d.message and "'t2'" in d.message
    assert len(d.related) == 1 and d.related[0].span.line == 4


@pytest.mark.parametrize("first, second, a1, a2, facts", [
    ("Free shipping on orders over $50", "Free shipping on orders over 50 EUR", "", "", ""),
    ("Free trial for 30 days", "Free trial for 1 month", "", "", ""),
    ("Start your 14-day free trial", "Start your 2-week free trial", "", "", ""),
    ("Members get 15% off every order", "Members get 5% off every order", "audience member", "audience guest", ""),
    ("Annual plans: 20% off", "Monthly plans: 10% off", "", "", ""),
    ("Refunds within 30 days.", "Refunds within 14 days.", "", "", 'fact refund_window = 30 days { phrase "refund" }\n'),
    ("Only 3 days left in your trial", "Only 5 days left in your trial", "", "", ""),
])
def test_must_not_report(first, second, a1, a2, facts):
    assert c006(first, second, a1, a2, facts) == []


def test_a_fact_covering_the_figures_gets_c005_instead():
    text = PERSONAS + '''fact refund_window = 30 days { phrase "refund" }
journey j { stage s {
  touchpoint t1 { channel web message "Refunds within 30 days." }
  touchpoint t2 { channel email message "Refunds within 14 days." }
} }
'''
    _, diags = journeyc.compile_source(text, filename="c.journey")
    assert [d.code for d in diags if d.code in ("C005", "C006")] == ["C005"]


def test_backstage_and_support_touchpoints_take_no_part():
    comp, _ = journeyc.compile_source(PERSONAS + 'journey j { stage s { touchpoint t { channel web } } }',
                                      filename="c.journey")
    t = comp.journeys[0].stages[0].touchpoints[0]
    assert customer_facing(t)
    assert not customer_facing(_Layered(t, "backstage")) and not customer_facing(_Layered(t, "support"))
    assert customer_facing(_Layered(t, "frontstage"))


class _Layered:
    """A touchpoint with a `layer` (the field issue 13 adds to the model)."""

    def __init__(self, t, layer):
        self.t, self.layer = t, layer


def topics(text):
    figures = extract(text, lambda a, b: Span("t", 1, a + 1, 1, b + 1))
    return [sorted(t) if t is not None else None for t in figure_topics(text, figures)]


def test_topics():
    assert topics("Start your 14-day free trial") == [["free", "trial"]]
    assert topics("Free shipping on orders over $50") == [["free", "over", "shipping", "order"][:0] or
                                                          ["free", "order", "over", "shipping"]]
    assert topics("Only $50!") == [None]
    # each word goes to the nearest figure of the dimension
    assert topics("Annual plans 20% off, monthly plans 10% off") == [["annual", "off", "plan"],
                                                                     ["monthly", "off", "plan"]]
    # figures of other dimensions share the words
    assert topics("Free shipping over $50 within 3 days") == [["free", "over", "shipping", "within"],
                                                              ["free", "over", "shipping", "within"]]


def word(i: int) -> str:
    return "".join(chr(ord("a") + int(d)) for d in str(i))


def test_many_messages_are_indexed_not_compared_in_pairs():
    lines = [f'  touchpoint t{i} {{ channel web message "Start your 14-day free trial, offer {word(i)}" }}'
             for i in range(2000)]
    lines.append('  touchpoint late { channel web message "Start your 14-day free trial, offer zz" }')
    text = 'journey j { stage s {\n' + "\n".join(lines) + '\n} }\n'
    _, diags = journeyc.compile_source(text, filename="many.journey")
    # "offer <word>" differs in every message: no two figures are about the same thing
    assert [d.code for d in diags if d.code == "C006"] == []
    lines.append('  touchpoint last { channel web message "Start your 15-day free trial, offer h" }')
    text = 'journey j { stage s {\n' + "\n".join(lines) + '\n} }\n'
    _, diags = journeyc.compile_source(text, filename="many.journey")
    found = [d for d in diags if d.code == "C006"]
    assert len(found) == 1 and "'last'" in found[0].message


ALPHABET = "ab Z9_.!?\n\t,-é€ß"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_shortcuts_find_the_same_words_and_sentences(text):
    """ASCII text's words are found with a plain [A-Za-z]+ (twice as fast as
    the Unicode class), and a text without `.`, `!`, `?` or a line break is
    one sentence without a scan: both give what the general patterns give."""
    from journeyc.figures import SENTENCE_END, sentence_ends
    from journeyc.lint.rules.communication import _ASCII_WORD, _WORD

    if text.isascii():
        assert _ASCII_WORD.findall(text) == _WORD.findall(text)
        assert [m.span() for m in _ASCII_WORD.finditer(text, 2, 30)] == [m.span() for m in _WORD.finditer(text, 2, 30)]
    assert sentence_ends(text) == [m.start() for m in SENTENCE_END.finditer(text)]

"""Every rule of the grammar that builds a node has its callback in
journeyc.parsing.callbacks: a grammar rule added without one fails here,
not at run time (`'_Children' object has no attribute 'kind'`)."""
from __future__ import annotations

from journeyc.parsing import grammar, larkparser
from journeyc.parsing.callbacks import SyntaxBuilder


def missing_callbacks(grammar_text: str) -> list[str]:
    """The named rules and aliases of `grammar_text` with no callback."""
    named, aliases = larkparser.rule_names(larkparser.fresh(grammar_text))
    return sorted(name for name in named | aliases if not callable(getattr(SyntaxBuilder, name, None)))


def test_every_named_rule_and_alias_has_a_callback():
    named, aliases = larkparser.rule_names(larkparser.fresh(grammar.text()))
    assert {"start", "journey_decl", "string", "comparator"} <= named  # the rules are really read
    assert {"measure_list", "measure_target", "message_from"} <= aliases
    assert "_decl" not in named and "value" not in named  # helper and inlined (`?value`) rules build no node
    assert missing_callbacks(grammar.text()) == []


def test_a_rule_added_without_its_callback_is_caught():
    text = grammar.text()
    anchor = "             | evidence | layer | recovers | action | thought | confidence\n"
    assert anchor in text
    text = text.replace(anchor, anchor.rstrip("\n") + " | gadget\ngadget: GADGET NAME\n", 1)
    text = text.replace('IMPORT: "import"\n', 'IMPORT: "import"\nGADGET: "gadget"\n', 1)
    text = text.replace("message_tone: TONE NAME", "message_tone: TONE NAME -> colour", 1)
    assert missing_callbacks(text) == ["colour", "gadget"]

"""The model builder (E006, E007, E009) and the resolver (E002, E003,
phases, owners, entries, loop-backs)."""
from __future__ import annotations

import journeyc


def compile_text(text: str, tmp_path, name="t.journey"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return journeyc.compile_file(path)


def codes(diags):
    return [(d.code, d.span.line, d.span.column) for d in diags]


def test_phase_inference_owner_inheritance_entries_and_loop_backs(tmp_path):
    comp, diags = compile_text("""
owner growth
owner cs
journey j {
  owner growth
  stage a { -> b }
  stage b { phase conversion -> c }
  stage c { owner cs touchpoint t { channel email } touchpoint u { channel email owner growth } -> a -> c -> d }
  stage d { phase pre_sale -> c }
}
""", tmp_path)
    assert not [d for d in diags if d.code.startswith("E")]
    (j,) = comp.journeys
    a, b, c, d = j.stages
    assert [(s.phase, s.phase_inferred) for s in j.stages] == [
        ("pre_sale", True), ("conversion", False), ("post_sale", True), ("pre_sale", False)]
    assert (a.owner, a.owner_inherited) == ("growth", True)
    assert (c.owner, c.owner_inherited) == ("cs", False)
    t, u = c.touchpoints
    assert (t.owner, t.owner_inherited) == ("cs", True)
    assert (u.owner, u.owner_inherited) == ("growth", False)
    # post_sale -> pre_sale is a loop-back; post_sale -> post_sale (itself) is not; c -> d (pre_sale) is
    assert [(tr.to.text, tr.loop_back) for tr in c.transitions] == [("a", True), ("c", False), ("d", True)]
    assert [tr.loop_back for tr in d.transitions] == [False]  # d is pre-sale
    assert j.entries == ("a",)


def test_explicit_entries_and_unknown_phases(tmp_path):
    comp, _ = compile_text("journey j { stage a { -> b } stage b { entry -> a } stage c { entry } }", tmp_path)
    (j,) = comp.journeys
    assert j.entries == ("b", "c")
    assert [(s.phase, s.phase_inferred) for s in j.stages] == [(None, False)] * 3
    assert not any(tr.loop_back for s in j.stages for tr in s.transitions)


def test_unowned_stage_has_no_owner(tmp_path):
    comp, _ = compile_text("journey j { stage a { touchpoint t { channel web } } }", tmp_path)
    stage = comp.journeys[0].stages[0]
    assert (stage.owner, stage.owner_inherited) == (None, False)
    assert (stage.touchpoints[0].owner, stage.touchpoints[0].owner_inherited) == (None, False)


def test_e002_kind_mismatch_is_named(tmp_path):
    _, diags = compile_text("""
persona prospect { kind prospect }
owner growth
journey j { owner prospect stage a { touchpoint t { channel web audience growth } } }
""", tmp_path)
    msgs = {d.code: d.message for d in diags}
    e002 = [d for d in diags if d.code == "E002"]
    assert [(d.span.line, d.span.column) for d in e002] == [(4, 19), (4, 74)]
    assert "'prospect' is a persona, not an owner" in e002[0].message
    assert "'growth' is an owner, not a persona" in e002[1].message
    assert msgs


def test_e002_suggestions(tmp_path):
    _, diags = compile_text("""
owner growth
journey j { owner grwth stage onboarding { } stage b { -> onbording } }
""", tmp_path)
    assert [d.suggestion for d in diags] == ["did you mean 'growth'?", "did you mean 'onboarding'?"]


def test_e003_shared_namespace_with_related_earlier_declaration(tmp_path):
    _, diags = compile_text("owner growth\nkpi growth { target >= 1 }\njourney j { stage a { kpi growth } }\n", tmp_path)
    e003 = [d for d in diags if d.code == "E003"]
    assert [(d.span.line, d.span.column) for d in e003] == [(2, 5), (3, 27)]
    assert all(d.related[0].span.line == 2 - 1 for d in e003)
    assert "already declared as an owner" in e003[0].message


def test_e006_ranges(tmp_path):
    _, diags = compile_text("""
kpi pct { unit percent target >= 101 }
kpi ok { unit percent target >= 100 }
kpi raw { target >= 250% }
journey j {
  stage a {
    measure pct target <= 120
    measure ok target >= 0
    touchpoint t { channel web score 0 }
    touchpoint u { channel web score 5 }
    touchpoint v { channel web score 3 days }
  }
}
""", tmp_path)
    assert {d.code for d in diags} == {"E006"}
    e006 = sorted((d.span.line, d.span.column) for d in diags)
    assert e006 == [(2, 34), (4, 21), (7, 27), (9, 38), (11, 38)]


def test_e007_every_enumeration(tmp_path):
    _, diags = compile_text("""
persona p { kind custommer }
kpi k { unit precent cadence dayly category retension source frist_party }
journey j {
  model funel
  business subscriptions
  stage a { phase conversoin touchpoint t { channel web area sale } }
}
""", tmp_path)
    got = {d.message.split("'")[1]: d.suggestion for d in diags if d.code == "E007"}
    assert got == {
        "custommer": "did you mean 'customer'?", "precent": "did you mean 'percent'?",
        "dayly": "did you mean 'daily'?", "retension": "did you mean 'retention'?",
        "frist_party": "did you mean 'first_party'?", "funel": "did you mean 'funnel'?",
        "subscriptions": "did you mean 'subscription'?", "conversoin": "did you mean 'conversion'?",
        "sale": "did you mean 'sales'?",
    }


def test_e009_every_once_only_property(tmp_path):
    _, diags = compile_text("""
owner o { contact "a" contact "b" }
persona p { kind customer kind prospect }
kpi k { unit count unit count target >= 1 target >= 2 cadence daily cadence daily }
journey j {
  model funnel model funnel
  promise "p" { tone a tone b }
  stage s {
    entry entry
    touchpoint t {
      channel web channel email
      recovery recovery
      score 1 score 2
      message "m" { tone x tone y claim a = 1 claim a = 1 }
    }
  }
}
""", tmp_path)
    e009 = [d for d in diags if d.code == "E009"]
    keys = sorted(d.message.split("'")[1] for d in e009)
    assert keys == sorted(["contact", "kind", "unit", "target", "cadence", "model", "tone", "entry",
                           "channel", "recovery", "score", "tone"])
    assert all(d.related and d.related[0].span.line == d.span.line for d in e009)


def test_compile_errors_block_lint_and_output(tmp_path):
    comp, diags = compile_text("journey j { stage a { owner nobody } }", tmp_path)
    assert comp is None
    assert [d.code for d in diags] == ["E002"]

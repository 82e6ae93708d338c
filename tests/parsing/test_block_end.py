"""Blocks record where they end: the span of their closing `}` (Block.end,
and `end` on the journeys, stages, touchpoints and KPIs built from them),
the same from both parsers; what places findings on a diagram reads it."""
from __future__ import annotations

from journeyc import compile_file
from journeyc.backends import diagram
from journeyc.codes import E006
from journeyc.model import Block, Span
from journeyc.parsing import driver, parse
from journeyc.parsing.recovery import parse_with_recovery

TEXT = '''owner o "O"
channel web
kpi k { unit percent } kpi bare
fact f = 3 { phrase "three }" }
journey j "J" {
  promise "p" { tone warm }
  stage s { # a comment with a } in it
    touchpoint t { channel web message "a } b" { tone warm }
      description """x
}"""
    }
    touchpoint u { channel web }
  }
}
'''


def ends(blocks) -> dict:
    """(kind, name or title) -> (line, column) of the block's `}`, or None."""
    out = {}
    for b in blocks:
        if isinstance(b, Block):
            label = b.name.text if b.name else b.title.text
            out[(b.kind, label)] = (b.end.line, b.end.column) if b.end else None
            out.update(ends(b.items))
    return out


def test_each_block_records_its_closing_brace():
    source, errors = parse(TEXT, "f.journey")
    assert errors == []
    assert ends(source.blocks) == {
        ("owner", "o"): None, ("channel", "web"): None, ("kpi", "k"): (3, 22), ("kpi", "bare"): None,
        ("fact", "f"): (4, 31), ("journey", "j"): (14, 1), ("promise", "p"): (6, 27),
        ("stage", "s"): (13, 3), ("touchpoint", "t"): (11, 5), ("message", "a } b"): (8, 60),
        ("touchpoint", "u"): (12, 32)}
    lines = TEXT.split("\n")
    for line, column in filter(None, ends(source.blocks).values()):
        assert lines[line - 1][column - 1] == "}"
    journey = next(b for b in source.blocks if isinstance(b, Block) and b.kind == "journey")
    assert journey.end == Span("f.journey", 14, 1, 14, 2)


def test_both_parsers_record_the_same_ends():
    fast = driver.parse_source(TEXT, "f.journey")
    slow = parse_with_recovery(TEXT, "f.journey")
    assert fast == slow


def test_a_brace_recovery_inserted_records_no_end():
    text = "journey j {\n  stage s {\n    touchpoint t { channel web\n  }\n  stage r { touchpoint x { channel web } }\n}\n"
    source, errors = parse(text, "f.journey")
    assert [(d.code, d.span.line) for d in errors] == [("E001", 5)]  # stage 's' is not closed
    assert ends(source.blocks) == {("journey", "j"): (6, 1), ("stage", "s"): None, ("touchpoint", "t"): (4, 3),
                                   ("stage", "r"): (5, 42), ("touchpoint", "x"): (5, 40)}


def test_the_model_keeps_the_ends(tmp_path):
    path = tmp_path / "f.journey"
    path.write_text(TEXT, encoding="utf-8")
    comp, _ = compile_file(path)
    j = comp.journeys[0]
    (s,) = j.stages
    t, u = s.touchpoints
    assert [(x.end.line, x.end.column) for x in (j, s, t, u)] == [(14, 1), (13, 3), (11, 5), (12, 32)]
    assert (comp.kpis["k"].end.line, comp.kpis["bare"].end) == (3, None)


def test_findings_are_placed_by_the_recorded_ends(tmp_path):
    """A `}` in a string or a comment does not end a block: a finding the
    model keeps no span for goes to the innermost block holding it."""
    path = tmp_path / "f.journey"
    path.write_text(TEXT, encoding="utf-8")
    comp, _ = compile_file(path)
    file = comp.journeys[0].span.file
    at = lambda line, column: E006.at(Span(file, line, column, line, column + 1), "x")  # noqa: E731
    findings = [at(9, 7), at(11, 5), at(12, 3), at(13, 3), at(3, 9), at(3, 27), at(4, 14)]
    placed = diagram.place_findings(comp, findings)
    j = comp.journeys[0]
    (s,) = j.stages
    t, u = s.touchpoints
    assert placed.of_touchpoint(t) == findings[0:2]  # the description after `"a } b"`, and the `}`
    assert placed.of_stage(s) == [findings[2], findings[3]]  # between the touchpoints; the stage's `}`
    assert placed.of_kpi("k") == [findings[4]]
    assert placed.of_kpi("bare") == [findings[5]]  # a KPI without a body: its line
    assert placed.elsewhere == [findings[6]]  # a fact: no block of a diagram

"""The Mermaid backend: golden flowcharts and journey diagrams for every
spec, and the structure that keeps user text inert: every line of the
output is one of the statements journeyc writes, and user text sits only
inside labels, as entities where Mermaid could read it as syntax.

(tests/outputs/test_mermaid_browser.py has real Mermaid, in Chromium, render them.)
Golden files: tests/golden/mermaid/; `pytest --update-golden` rewrites them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import journeyc
from journeyc.backends import diagram, mermaid

from conftest import GOLDEN, REPO, run_journeyc, spec_files

INPUTS = GOLDEN / "inputs"
HOSTILE = INPUTS / "hostile.journey"
FINDINGS = INPUTS / "findings.journey"


def compile_input(path: Path):
    comp, diagnostics = journeyc.compile_file(path)
    assert comp is not None, [d.message for d in diagnostics]
    return comp, diagnostics


def golden_cases():
    """(golden name, input, kind, annotate): a flowchart and a journey diagram per input."""
    inputs = [(p.stem, p) for p in spec_files()] + [("hostile", HOSTILE), ("findings", FINDINGS),
                                                    ("edges", INPUTS / "edges.journey")]
    cases = []
    for name, path in inputs:
        cases.append((f"{name}.mmd", path, "flowchart", False))
        cases.append((f"{name}.journey.mmd", path, "journey", False))
    cases.append(("findings.annotated.mmd", FINDINGS, "flowchart", True))
    cases.append(("map.mmd", INPUTS / "map.journey", "flowchart", False))  # blueprint layers
    # a catalogue compiled alone: no journey, still valid Mermaid
    cases.append(("catalog-teams.mmd", REPO / "specs" / "catalog" / "teams.journey", "flowchart", False))
    cases.append(("catalog-teams.journey.mmd", REPO / "specs" / "catalog" / "teams.journey", "journey", False))
    return cases


def render(path: Path, kind: str, annotate: bool = False) -> str:
    comp, diagnostics = compile_input(path)
    if kind == "journey":
        return mermaid.to_journey(comp)
    return mermaid.to_flowchart(comp, diagnostics if annotate else None)


@pytest.mark.parametrize("name,path,kind,annotate", golden_cases(), ids=[c[0] for c in golden_cases()])
def test_golden_mermaid(name, path, kind, annotate, golden, monkeypatch):
    monkeypatch.chdir(REPO)
    golden(f"mermaid/{name}", render(path.relative_to(REPO), kind, annotate))


def test_every_golden_mermaid_file_has_its_input():
    names = {c[0] for c in golden_cases()}
    stale = sorted(p.name for p in (GOLDEN / "mermaid").glob("*.mmd") if p.name not in names)
    assert not stale, f"golden Mermaid files for specs that no longer exist: {stale}"


def test_cli_formats_match_the_golden_files():
    for fmt, suffix in (("mermaid", "mmd"), ("mermaid-journey", "journey.mmd")):
        proc = run_journeyc(["compile", "specs/dtc.journey", "--format", fmt], cwd=REPO)
        assert proc.returncode == 0, proc.stderr.decode()
        assert proc.stdout.decode() == (GOLDEN / "mermaid" / f"dtc.{suffix}").read_text(encoding="utf-8")


# -- structure: user text cannot make a statement -----------------------------------

LABEL = r'"(?:[^"]*)"'
FLOWCHART_LINE = re.compile("|".join([
    r"flowchart TB",
    r"\s+direction (?:TB|LR)",
    r"\s+%% stages are listed last to first so that Mermaid lays them out first to last",
    rf"\s+subgraph (?:j\d+|s\d+|legend)\[{LABEL}\]",
    rf"\s+(?:j\d+c|s\d+c|t\d+|legend\d+)\[{LABEL}\]",
    r"\s+end",
    r"\s+s\d+ --> s\d+",
    rf"\s+s\d+ -->\|{LABEL}\| s\d+",
    rf"\s+s\d+ -\.->\|{LABEL}\| s\d+",
    r"\s+classDef [a-z_]+ [a-z-]+:[#0-9a-z]+(?:,[a-z-]+:[#0-9a-z .]+)*",
    r"\s+class [a-z0-9,]+ [a-z_]+",
    r"\s+style [a-z0-9]+ [a-z-]+:[#0-9a-z]+(?:,[a-z-]+:[#0-9a-z]+)*",
    r"\s+linkStyle \d+ [a-z-]+:[#0-9a-z]+(?:,[a-z-]+:[#0-9a-z]+)*",
]))


def labels(text: str) -> list[str]:
    return re.findall(LABEL, text)


@pytest.mark.parametrize("path", [HOSTILE, FINDINGS, INPUTS / "edges.journey"] + spec_files(), ids=lambda p: p.name)
def test_every_flowchart_line_is_a_known_statement(path):
    for annotate in (False, True):
        out = render(path, "flowchart", annotate)
        for line in out.splitlines():
            assert FLOWCHART_LINE.fullmatch(line), line
        for label in labels(out):
            inner = label[1:-1]
            # only journeyc's own markup; everything else from users is an entity
            bare = re.sub(r"</?b>|<br/>", "", inner)
            assert "<" not in bare and ">" not in bare and '"' not in bare, label
            assert "%%" not in bare and "--" not in bare and "`" not in bare and "$" not in bare, label
            assert re.fullmatch(r"(?:[^#&;]|#\d+;)*", bare), label  # `#` only as an entity; no `&`, `;`


JOURNEY_LINE = re.compile(r"journey|    title [^:#;\n]+|    section [^:#;\n]+|        [^:#;\n]+: [1-5](?:\.\d+)?(?:: [^:#;\n]+)?"
                          r"|    %% [^{\n][^\n]*")


def _decode(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


@pytest.mark.parametrize("path", [HOSTILE, FINDINGS] + spec_files(), ids=lambda p: p.name)
def test_every_journey_diagram_line_is_a_known_statement(path):
    out = render(path, "journey")
    for line in out.splitlines():
        # entities hide `#` and `;`; the rest must match the journey grammar's pieces
        assert JOURNEY_LINE.fullmatch(re.sub(r"#\d+;", "X", line)), line


def test_journey_diagram_sections_tasks_scores_and_actors():
    comp, _ = compile_input(REPO / "specs" / "saas.journey")
    out = mermaid.to_journey(comp)
    lines = out.splitlines()
    j = comp.journeys[0]
    assert lines[0] == "journey"
    assert lines[1] == f"    {mermaid.ACTORS_NOTE}"
    assert lines[2] == f"    {mermaid.UNSCORED_NOTE}"  # the spec has touchpoints without a score
    assert _decode(lines[3]) == f"    title {diagram.title_of(j)}"
    sections = [_decode(line[len("    section "):]) for line in lines if line.startswith("    section ")]
    assert sections == [diagram.title_of(s) for s in j.stages]
    tasks = [line.strip() for line in lines if line.startswith("        ")]
    tps = [t for s in j.stages for t in s.touchpoints]
    assert len(tasks) == len(tps) and all(s.touchpoints for s in j.stages)
    assert any(t.score is None for t in tps) and any(t.score is not None for t in tps)
    for task, t in zip(tasks, tps):
        parts = task.split(": ")
        if t.score is None:  # visibly unscored, at the neutral 3
            assert (_decode(parts[0]), parts[1]) == (diagram.title_of(t) + " (not scored)", "3")
        else:
            assert (_decode(parts[0]), parts[1]) == (diagram.title_of(t), mermaid._score(t))
        # the actors are the audience alone, not the owner
        actors = [_decode(a) for a in parts[2].split(", ")] if len(parts) > 2 else []
        assert actors == list(dict.fromkeys(diagram.persona_title(comp, a.text) for a in t.audience))


def test_a_stage_without_touchpoints_gets_a_placeholder_task():
    comp, _ = journeyc.compile_source('journey j "J" {\n  stage a "Empty" { -> b }\n  stage b "Full" {\n'
                                      '    touchpoint t "T" { channel email score 4 }\n  }\n}\n',
                                      filename="p.journey")
    assert mermaid.to_journey(comp) == (
        "journey\n"
        f"    {mermaid.ACTORS_NOTE}\n"
        f"    {mermaid.UNSCORED_NOTE}\n"
        "    title J\n"
        "    section Empty\n"
        "        No touchpoints (not scored): 3\n"
        "    section Full\n"
        "        T: 4\n")


def test_every_task_scored_needs_no_unscored_note():
    comp, _ = journeyc.compile_source('journey j "J" {\n  stage a "A" {\n'
                                      '    touchpoint t "T" { channel email score 2 audience p }\n  }\n}\n'
                                      'persona p "Payer"\n', filename="p.journey")
    assert mermaid.to_journey(comp) == f"journey\n    {mermaid.ACTORS_NOTE}\n    title J\n    section A\n        T: 2: Payer\n"


def test_hostile_titles_round_trip_through_the_entities():
    comp, _ = compile_input(HOSTILE)
    out = mermaid.to_flowchart(comp)
    decoded = [_decode(re.sub(r"</?b>", "", lab[1:-1])).replace("<br/>", "\n") for lab in labels(out)]
    for s in comp.journeys[0].stages:
        assert diagram.title_of(s) in decoded
        for t in s.touchpoints:
            assert any(lab.startswith(diagram.title_of(t) + "\n") for lab in decoded), t.title
        for tr in s.transitions:
            if tr.label:
                assert any(diagram.clean(tr.label) in lab for lab in decoded), tr.label
    journey = mermaid.to_journey(comp)
    titles = {_decode(line.strip().split(": ")[0]) for line in journey.splitlines() if line.startswith("        ")}
    for s in comp.journeys[0].stages:
        for t in s.touchpoints:
            assert diagram.one_line(t.title) + ("" if t.score else mermaid.UNSCORED) in titles


def test_esc_covers_mermaid_syntax():
    for text, forbidden in [('"', '"'), ("a%%b", "%%"), ("-->", "-->"), ("a -.-> b", "-.->"), ("x==>y", "==>"),
                            ("<script>", "<"), ("#lt;", "#lt;"), ("&amp;", "&"), ("end", None), ("`md`", "`"),
                            ("$$x^2$$", "$"), ("a|b", "|"), ("[x]", "["), ("{x}", "{"), ("\ufb02\u00b0\u00b6\u00df", "\u00b6")]:
        out = mermaid.esc(text)
        if forbidden:
            assert forbidden not in out, (text, out)
        assert _decode(out) == text
    assert mermaid.esc("line\nbreak") == "line<br/>break"
    assert mermaid.esc("line\nbreak", journey=True) == "line break"
    assert ":" not in mermaid.esc("a:b, c;d", journey=True) and "," not in mermaid.esc("a,b", journey=True)
    assert mermaid.esc("Sign-up and in-app") == "Sign-up and in-app"  # a lone hyphen stays readable


def test_flowchart_content():
    comp, diagnostics = compile_input(FINDINGS)
    out = mermaid.to_flowchart(comp, diagnostics)
    j = comp.journeys[0]
    assert out.startswith("flowchart TB\n")
    assert out.count("subgraph s") == len(j.stages)
    loops = [tr for s in j.stages for tr in s.transitions if tr.loop_back]
    assert out.count(" -.->|") == len(loops) and out.count(f"linkStyle") == len(loops)
    assert f"stroke:{diagram.LOOP_COLOUR}" in out
    assert "class t2 pain,error" in out or re.search(r"class [a-z0-9,]*t2[a-z0-9,]* error", out)
    assert "C001, C003, X003" in _decode(out)
    assert "pre_sale" in out and "conversion" in out and "post_sale" in out
    assert "subgraph legend" in out
    # each stage's card: phase, owner and KPIs with targets
    decoded = _decode(out)
    for s in j.stages:
        for use in diagram.kpi_uses(comp, s.measures):
            assert use.text() in decoded
    assert "owner: Growth" in decoded


from hypothesis import given, settings  # noqa: E402

from test_dot import NASTY, compile_titles  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(NASTY)
def test_any_title_keeps_the_statements_intact(title):
    comp, diagnostics = compile_titles(title)
    out = mermaid.to_flowchart(comp, diagnostics)
    for line in out.splitlines():
        assert FLOWCHART_LINE.fullmatch(line), line
    for line in mermaid.to_journey(comp).splitlines():
        assert JOURNEY_LINE.fullmatch(re.sub(r"#\d+;", "X", line)), line
    shown = diagram.text_of(title)
    if shown:
        decoded = [_decode(re.sub(r"</?b>", "", lab[1:-1])).replace("<br/>", "\n") for lab in labels(out)]
        assert shown in decoded  # a stage's subgraph title: exactly the title


def test_flowchart_marks_the_blueprint_layers():
    from journeyc.backends import mermaid

    comp, _ = compile_input(INPUTS / "map.journey")
    out = mermaid.to_flowchart(comp)
    hidden = re.search(r"^\s*class ([\w,]+) hidden$", out, re.M).group(1).split(",")
    labels = dict(re.findall(r'^\s*(t\d+)\["<b>([^<]+)</b>', out, re.M))
    assert sorted(labels[n] for n in hidden if n in labels) == ["Fraud check", "Payment provider"]
    assert "#9676; backstage: not seen by customers" in out and "#9676; support: not seen by customers" in out
    assert "backstage or support: not seen by customers" in out  # the legend

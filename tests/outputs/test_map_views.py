"""The journey-map views: the service blueprint (`--view blueprint`), the
emotion curve per persona (`--view emotion`) and the flow view made
readable (rows of stages, a legend for every symbol, owners and audiences):
golden files, the drawing's content, injection safety, determinism."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import journeyc
from journeyc.backends import blueprint, diagram, dot, emotion

from conftest import GOLDEN, REPO, run_journeyc, spec_files, write
from test_dot import HOSTILE, HOSTILE_TEXTS, needs_dot

MAP = GOLDEN / "inputs" / "map.journey"
SVG = "{http://www.w3.org/2000/svg}"


def compiled(path):
    comp, diags = journeyc.compile_file(path)
    assert comp is not None, [x.message for x in diags]
    return comp


def texts(svg: str | bytes) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter() if el.tag.endswith("}text") or el.tag == "text"]


@pytest.mark.parametrize("path", [MAP, HOSTILE] + spec_files(), ids=lambda p: p.stem)
def test_golden_views(path, golden, monkeypatch):
    monkeypatch.chdir(REPO)
    comp = compiled(path.relative_to(REPO))
    golden(f"views/{path.stem}.blueprint.dot", blueprint.to_dot(comp))
    golden(f"views/{path.stem}.emotion.svg", emotion.to_svg(comp))


# -- emotion --------------------------------------------------------------------

def test_emotion_curves_follow_the_contract(tmp_path):
    """One curve per persona: scored frontstage touchpoints whose audience
    includes it or is empty, in journey order; unscored ones are gaps;
    backstage and support touchpoints take no part."""
    path = write(tmp_path, "e.journey", """
persona a "Admin" persona b "Buyer" persona c "Shared only"
journey j {
  stage one {
    touchpoint t1 { channel web score 4 }
    touchpoint t2 { channel web score 2 audience a }
    touchpoint back { channel web score 1 layer backstage }
  }
  stage two {
    touchpoint t3 { channel web audience a }
    touchpoint t4 { channel web score 5 audience b }
    touchpoint t5 { channel web score 3 layer support }
    touchpoint t6 { channel web score 3 }
  }
}
""")
    comp = compiled(path)
    em = diagram.EmotionMap(comp, comp.journeys[0])
    assert [t.id.text for _, t in em.slots] == ["t1", "t2", "t3", "t4", "t6"]
    assert [(c.persona, c.points) for c in em.curves] == [
        ("a", {0: 4, 1: 2, 2: None, 4: 3}), ("b", {0: 4, 3: 5, 4: 3}), ("c", {0: 4, 4: 3})]
    svg = emotion.to_svg(comp)
    root = ET.fromstring(svg)
    lines = [el.get("points") for el in root.iter(SVG + "polyline")]
    # admin: t1-t2, then a gap at t3 (unscored), then t6 alone; buyer: t1-t4-t6; c: t1-t6
    assert [len(line.split()) for line in lines] == [2, 3, 2]
    assert len(list(root.iter(SVG + "circle"))) == 8
    assert {"Admin", "Buyer", "Shared only"} <= set(texts(svg))
    assert "\u2639 t2" in texts(svg)  # the pain point is marked


def test_emotion_everyone_when_no_persona_and_no_score(tmp_path):
    path = write(tmp_path, "e.journey", 'journey j { stage s { touchpoint t { channel web } } }')
    svg = emotion.to_svg(compiled(path))
    assert "no touchpoint has a score" in texts(svg)


def test_emotion_is_at_most_1360_wide(tmp_path):
    stages = "\n".join(f"stage s{i} {{ touchpoint t{i} {{ channel web score {1 + i % 5} }} }}" for i in range(80))
    svg = emotion.to_svg(compiled(write(tmp_path, "w.journey", f"journey j {{ {stages} }}")))
    assert float(ET.fromstring(svg).get("width")) <= 1360


def test_emotion_escapes_every_hostile_title():
    svg = emotion.to_svg(compiled(HOSTILE))
    ET.fromstring(svg)  # well formed
    assert "<script" not in svg and "<b>" not in svg and "<img" not in svg
    shown = " ".join(texts(svg))
    assert "<script>alert('journey')</script>" in shown


# -- blueprint --------------------------------------------------------------------

def test_blueprint_rows_columns_and_recovers_edges():
    comp = compiled(MAP)
    source = blueprint.to_dot(comp)
    for row in ("Customer actions", "Frontstage", "Line of visibility", "Backstage", "Support"):
        assert f">{row}<" in source
    # each `recovers` is an edge from the recovery's port to the pain point's
    ports = dict(re.findall(r'<TD PORT="(p\d+)"><TABLE[^>]*>.*?<B>([^<]+)</B>', source))
    edges = re.findall(r'(c\d+):(p\d+)(?::w)? -> (c\d+):(p\d+)(?::w)? \[[^]]*xlabel=recovers', source)
    assert sorted((ports[a], ports[b]) for _, a, _, b in edges) == [
        ("Delay apology", "Checkout"), ("Delay apology", "Tracking page")]
    assert "\u25b8 Pays" in source and "\u2691 goal: Find a gift that fits" in source
    # backstage and support touchpoints sit below the line of visibility
    fraud = source.index("Fraud check")
    assert source.index(">Backstage<") < fraud or source.rindex("Line of visibility") < fraud


@needs_dot
def test_blueprint_through_the_cli_in_every_format(tmp_path):
    for fmt in ("dot", "svg", "png", "pdf"):
        out = tmp_path / f"b.{fmt}"
        proc = run_journeyc(["compile", MAP, "--format", fmt, "--view", "blueprint", "-o", out], cwd=REPO)
        assert proc.returncode == 0, proc.stderr
        assert out.stat().st_size > 1000
    svg = (tmp_path / "b.svg").read_bytes()
    assert "Line of visibility" in texts(svg)


@needs_dot
def test_blueprint_escapes_every_hostile_title():
    comp = compiled(HOSTILE)
    svg = dot.render(blueprint.to_dot(comp), "svg").decode()
    ET.fromstring(svg)  # well formed, and the titles show literally
    shown = "".join("".join(texts(svg)).split())
    for s in comp.journeys[0].stages:
        for decl in (s, *s.touchpoints):
            title = "".join(diagram.title_of(decl).split())
            assert title[:12] in shown, title


def test_view_and_format_mistakes_are_usage_errors():
    for args in (["--format", "png", "--view", "emotion"], ["--format", "json", "--view", "blueprint"],
                 ["--format", "svg", "--view", "blueprint", "--annotate"]):
        proc = run_journeyc(["compile", MAP, *args], cwd=REPO)
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr
        assert b"--view" in proc.stderr


def test_emotion_through_the_cli_is_the_backend(tmp_path):
    proc = run_journeyc(["compile", MAP, "--format", "svg", "--view", "emotion"], cwd=REPO)
    assert proc.returncode == 0
    assert proc.stdout.decode() == emotion.to_svg(compiled(MAP.relative_to(REPO) if False else MAP))


# -- the flow view ------------------------------------------------------------------

@needs_dot
def test_flow_view_wraps_many_stages_into_rows(tmp_path):
    stages = "\n".join(f'stage s{i} "Stage number {i}" {{ touchpoint t{i} "Touchpoint {i}" {{ channel web }} '
                       f'-> s{i + 1} }}' for i in range(11)) + '\nstage s11 { -> s0 }'
    comp = compiled(write(tmp_path, "w.journey", f"journey j {{ {stages} }}"))
    root = ET.fromstring(dot.render(dot.to_dot(comp), "svg"))
    width_pt = float(root.get("viewBox").split()[2])
    assert width_pt * 4 / 3 <= 1600, width_pt  # without wrapping, twelve stages are about 4,000 px


def test_flow_legend_owner_and_audience():
    source = dot.to_dot(compiled(MAP))
    for symbol in ("\u25c6 KPI measured", "(inferred)", "\u25b6 entry", "backstage or support",
                   "pain point", "recovery", "loop-back", "transition"):
        assert symbol in source.rsplit("Legend", 1)[1], symbol
    # the fraud check's owner differs from its stage's; the gift guide is for the gift buyer
    fraud = source[source.index("Fraud check"):]
    assert "owner: Operations" in fraud[:600] and "backstage (not seen by customers)" in fraud[:600]
    guide = source[source.index("Gift guide"):]
    assert "for: Gift buyer" in guide[:400]
    # the checkout's owner is the stage's: not repeated
    checkout = source[source.index("Checkout"):source.index("Fraud check")]
    assert "owner:" not in checkout


def test_readme_shows_the_screenshots_and_views():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("saas-report.png", "saas-blueprint.png", "saas-emotion.svg"):
        assert f"](docs/{name})" in readme, name
        assert (REPO / "docs" / name).stat().st_size > 1000, name
    assert "python docs/screenshots.py" in readme
    # the README's SVG views are what the commands it shows make today
    for view in ("blueprint", "emotion"):
        command = f"journeyc compile specs/saas.journey --format svg --view {view} -o docs/saas-{view}.svg"
        assert command in readme
        proc = run_journeyc(command.split()[1:-2], cwd=REPO)
        assert proc.returncode == 0
        assert texts(proc.stdout) == texts((REPO / "docs" / f"saas-{view}.svg").read_bytes()), \
            f"docs/saas-{view}.svg is stale: run .venv/bin/python docs/screenshots.py"


def test_readme_journey_map_example_compiles(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The journey map", 1)[1].split("\n## ", 1)[0]
    (source,) = re.findall(r"```journey\n(.*?)```", section, re.S)
    comp = compiled(write(tmp_path, "map.journey", source))
    (j,) = comp.journeys
    assert j.opportunities[0].owner == "product_squad" and j.stages[1].touchpoints[0].recovery


HOSTILE_MAP = r'''
owner o "<b>team</b>"
persona p "</text><script>alert(1)</script>"
journey j "<svg onload=alert(1)> \"q\" \\" {
  state future
  stage s "]]> <!-- stage -->" {
    goal "<script>alert('goal')</script> & \\N"
    evidence "javascript:alert(1)"
    touchpoint t "<img src=x onerror=alert(2)>" {
      channel web audience p score 1 layer backstage
      evidence "<a href=x>e</a>" confidence low
    }
    touchpoint r "</title><title>x" {
      channel web recovers t score 4 action "<i>does</i> %% -->" thought "\"thinks\" \\"
    }
  }
  opportunity op "<script>alert('opp')</script>" { for t, s owner o description "</div><div>" }
}
'''


@needs_dot
def test_journey_map_text_cannot_escape_any_view(tmp_path):
    from journeyc.backends import mermaid, report

    comp = compiled(write(tmp_path, "h.journey", HOSTILE_MAP))
    svg = dot.render(blueprint.to_dot(comp), "svg").decode()
    shown = "".join("".join(texts(svg)).split())
    for text in ("<script>alert('goal')</script>&\\N", "<i>does</i>%%-->", '"thinks"\\'):
        assert text in shown, text
    em = emotion.to_svg(comp)
    ET.fromstring(em)
    assert "</text><script>alert(1)</script>" in texts(em) and "<script" not in em
    page = report.render_report([comp], [], None)
    assert "<script" not in page and "<img" not in page and "<a href=x" not in page and "</div><div>" not in page
    for text in ("&lt;script&gt;alert(&#x27;opp&#x27;)&lt;/script&gt;", "&lt;a href=x&gt;e&lt;/a&gt;",
                 "javascript:alert(1)"):
        assert text in page, text
    flow = mermaid.to_flowchart(comp)
    assert "<img" not in flow and "<script" not in flow

"""`journeyc report`: one self-contained HTML page per run. These tests
read the page with Python's HTML parser (tests/outputs/test_report_browser.py loads
it in Chromium): its structure per journey, escaped user text, nothing that
loads or runs, and the CLI around it."""
from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeyc
from journeyc.backends import diagram, report
from journeyc.language import AREAS

from conftest import GOLDEN, REPO, run_journeyc, spec_files, write

INPUTS = GOLDEN / "inputs"
HOSTILE = INPUTS / "hostile.journey"
FINDINGS = INPUTS / "findings.journey"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("JOURNEYC_REQUIRE_TOOLS"),
                               reason="Graphviz's dot is not installed (apt-get install graphviz)")


class Page(HTMLParser):
    """The page as a flat list of elements (tag, attributes, text inside)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(text)

    VOID = {"meta", "br", "input", "link", "img", "hr", "col", "source", "wbr", "area", "base", "embed"}

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": [e["tag"] for e in self.stack],
              "classes": [c for e in self.stack for c in (e["attrs"].get("class") or "").split()]}
        self.elements.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1]["tag"] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        for el in self.stack:
            el["text"] += data

    def find(self, tag=None, cls=None):
        return [e for e in self.elements if (tag is None or e["tag"] == tag)
                and (cls is None or cls in (e["attrs"].get("class") or "").split())]


def fake_svg(comp, journey, diagnostics) -> str:
    """A stand-in diagram, for tests that are about the rest of the page."""
    return '<svg class="diagram-svg" xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def fake_blueprint(comp, journey) -> str:
    return '<svg class="diagram-svg blueprint-fake" xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'


def build(paths, diagram_svg=fake_svg) -> tuple[str, list]:
    from journeyc.compiler import run_check
    from journeyc.load import Session

    session = Session()
    run = run_check([str(p) for p in paths], session)
    comps = [r.compilation for r in run.results]
    assert all(comps), [d.message for d in run.diagnostics]
    return report.render_report(comps, run.diagnostics, None, diagram_svg, blueprint_svg=fake_blueprint), run


def test_structure_per_journey(monkeypatch):
    monkeypatch.chdir(REPO)
    html, run = build([p.relative_to(REPO) for p in spec_files()])
    page = Page(html)
    journeys = [j for r in run.results for j in r.compilation.journeys]
    sections = [e for e in page.find("section", "journey") if (e["attrs"].get("id") or "").startswith("journey-")]
    assert len(sections) == len(journeys) == 3
    # the title says which state the map is of
    assert [e["text"] for e in page.find("h2")][:3] == [f"{diagram.title_of(j)} {j.state} state" for j in journeys]
    tables = page.find("table", "stages")
    assert len(tables) == len(journeys)
    rows = page.find("tr", "stage-row")
    assert len(rows) == sum(len(j.stages) for j in journeys)
    assert [r["attrs"]["data-phase"] for r in rows] == [s.phase or "unknown" for j in journeys for s in j.stages]
    coverage = page.find("table", "coverage")
    assert len(coverage) == len(journeys)
    headers = [e["text"] for e in page.elements if e["tag"] == "th" and "coverage" in e["classes"]
               and e["attrs"].get("scope") == "col"]
    assert headers[:8] == ["Stage"] + [diagram.AREA_TITLES[a] for a in AREAS]
    cards = [e["text"] for e in page.find("h4")]
    for title in ("Stages measured", "Phases measured", "First-party KPIs"):
        assert cards.count(title) == len(journeys)
    assert len(page.find("div", "diagram")) == 2 * len(journeys)  # the flow and the blueprint
    assert len(page.find("div", "blueprint")) == len(journeys)
    assert len(page.find("div", "chart")) == len(journeys)
    h3 = [e["text"].strip() for e in page.find("h3")]
    for title in ("Diagram", "Emotion curve", "Service blueprint", "Pain points", "Opportunities", "Stages",
                  "Coverage of the complete product experience", "Measurement"):
        assert h3.count(title) == len(journeys)
    assert sum(t.startswith("Lint findings") for t in h3) == len(journeys)


def test_stage_table_content():
    html, run = build([REPO / "specs" / "saas.journey"])
    page = Page(html)
    comp = run.results[0].compilation
    j = comp.journeys[0]
    rows = page.find("tr", "stage-row")
    for row, s in zip(rows, j.stages):
        text = row["text"]
        assert diagram.title_of(s) in text
        assert diagram.PHASE_STYLE[s.phase][0] in text
        assert diagram.owner_title(comp, s.owner) in text
        for use in diagram.kpi_uses(comp, s.measures):
            assert use.title in text
            assert diagram.target_text(use.target) in text
            for src in use.kpi.sources:
                assert ("first-party" if src.kind == "first_party" else "third-party") in text
                assert src.name is None or src.name in text
        for t in s.touchpoints:
            assert diagram.title_of(t) in text


def test_coverage_matrix_and_measurement_summary():
    html, run = build([FINDINGS])
    page = Page(html)
    caption = page.find("caption")[0]["text"]
    assert caption == "3 of 7 areas covered; missing: technology, supporting systems, integrations, policies"
    foot = [e["attrs"]["class"] for e in page.elements if e["tag"] == "td" and "coverage" in e["classes"]
            and "tfoot" in e["parents"]]
    assert foot == ["ok", "ok", "gap", "gap", "gap", "ok", "gap"]
    cards = {e["text"]: e for e in page.find("div", "card")}
    text = " ".join(cards)
    assert "3 of 4" in text and "Not measured: Buy" in text
    assert "67% 2 of 3 KPIs" in text  # reach and churn first-party, panel third-party only
    assert "third-party only: 1" in text
    assert "\u2716 frequency" in text and "\u2716 spend" in text and "\u2714 acquisition" in text
    assert "\u2716 0 of 1 stage" in text  # the conversion stage measures nothing


def test_findings_with_locations(monkeypatch):
    monkeypatch.chdir(REPO)
    html, run = build([FINDINGS.relative_to(REPO)])
    page = Page(html)
    tables = page.find("table", "findings")
    assert len(tables) == 2  # the journey's, and the findings outside it
    rows = page.find("tr", "finding")
    assert len(rows) == len(run.diagnostics) == 12
    locs = [e["text"] for e in page.elements if e["tag"] == "code" and "loc" in e["classes"]]
    expected = {f"{d.span.file}:{d.span.line}:{d.span.column}" for d in run.diagnostics}
    assert set(locs) == expected
    assert any(loc.startswith("tests/golden/inputs/findings.journey:36:") for loc in locs)
    other = next(e for e in page.elements if e["attrs"].get("id") == "other-findings")
    assert "O002" in other["text"] and "M007" in other["text"]
    stage_codes = {r["text"].split("\n")[0]: r["text"] for r in page.find("tr", "stage-row")}
    assert any("F002" in t for t in stage_codes.values())


def test_clean_spec_says_so():
    html, run = build([REPO / "specs" / "saas.journey"])
    assert not [d for d in run.diagnostics]
    assert "No lint findings." in html and 'id="other-findings"' not in html


# -- safety ------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere():
    html, _ = build([HOSTILE])
    page = Page(html)
    tags = {e["tag"] for e in page.elements}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "header", "div", "p", "span", "h1", "h2",
                    "h3", "h4", "nav", "a", "main", "section", "code", "blockquote", "input", "label", "svg",
                    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "li", "caption", "pre", "b",
                    "footer", "rect", "text", "line", "polyline", "circle"}, tags
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>bold" not in html
    for el in page.elements:
        for name, value in el["attrs"].items():
            assert not name.startswith("on"), (el["tag"], name)
            assert name not in ("src", "srcset", "action", "formaction", "xlink:href"), (el["tag"], name)
            if name == "href":
                assert value.startswith("#"), value
            assert "javascript:" not in (value or "").lower()
    body = " ".join(e["text"] for e in page.find("body"))
    for text in ["<script>alert('journey')</script> \"\\", "<b>bold</b>", "<<TABLE>>", "a:b", "%%", "-->",
                 "<img src=x onerror=alert(1)>", "javascript:alert(1)", "<img src=x onerror=alert(2)>",
                 "]]> <!-- -->", "vendor\\", "ends with a backslash \\", "&amp; &lt; #quot; #lt; &#60; \\N \\G \\L"]:
        assert text in body, text


def test_self_contained():
    html, _ = build([FINDINGS])
    page = Page(html)
    csp = next(e for e in page.find("meta") if e["attrs"].get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp["attrs"]["content"]
    assert not page.find("script") and not page.find("link") and not page.find("img")
    assert len(page.find("style")) == 1
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/)", html)


@needs_dot
def test_report_through_the_cli(tmp_path):
    out = tmp_path / "report.html"
    proc = run_journeyc(["report", FINDINGS, "-o", out])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    page = Page(html)
    svgs = page.find("svg")
    # the flow diagram (annotated), the emotion curve, the blueprint
    assert [svg["attrs"]["class"] for svg in svgs] == ["diagram-svg", "chart-svg", "diagram-svg"]
    assert "C001, C003, X003, X006" in svgs[0]["text"]
    assert "Line of visibility" in svgs[2]["text"]
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    # without -o: standard output, same page
    proc = run_journeyc(["report", FINDINGS])
    assert proc.returncode == 0 and proc.stdout.decode("utf-8") == html


def test_report_with_compile_errors_writes_nothing(tmp_path):
    bad = write(tmp_path, "bad.journey", 'journey j "J" { stage a { -> nowhere } \n')
    out = tmp_path / "report.html"
    out.write_text("last good")
    proc = run_journeyc(["report", bad, "-o", out])
    assert proc.returncode == 1 and b"E001" in proc.stderr
    assert out.read_text() == "last good"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.html")]


def test_report_usage_errors(tmp_path):
    for args in (["report", tmp_path / "missing.journey"], ["report", HOSTILE, "--watch"],
                 ["report", HOSTILE, "--config", tmp_path / "nope.toml"]):
        proc = run_journeyc(args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert b"Traceback" not in proc.stderr and proc.stderr.count(b"\n") <= 4


def test_report_respects_the_lint_configuration(tmp_path):
    spec = write(tmp_path, "j.journey", FINDINGS.read_text(encoding="utf-8"))
    write(tmp_path, "journeyc.toml", 'ignore = ["C", "F002"]\n')
    html, run = build([spec])
    codes = {d.code for d in run.diagnostics}
    assert codes  # sanity: the default configuration was not applied here

    from journeyc.commands import lint_run
    from journeyc.load import Session

    run = lint_run([str(spec)], Session(), None)
    codes = {d.code for d in run.diagnostics}
    assert "C001" not in codes and "F002" not in codes and "M001" in codes


def test_inline_svg_strips_the_prolog_and_comments():
    svg = (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
           b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- Generated by graphviz -->\n'
           b'<svg width="8pt" height="8pt" xmlns="http://www.w3.org/2000/svg">\n<title>journeyc</title>\n'
           b'<g><!-- t1 --><text>&lt;b&gt;</text></g>\n</svg>\n')
    out = report.inline_svg(svg)
    assert out.startswith('<svg class="diagram-svg" role="img" width="8pt"')
    assert "<!--" not in out and "<title>" not in out and "DOCTYPE" not in out
    assert "<text>&lt;b&gt;</text>" in out


def test_the_wheel_ships_the_report_stylesheet(tmp_path):
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("journeyc-*.whl")
    with zipfile.ZipFile(wheel) as z:
        assert z.read("journeyc/backends/report.css") == (REPO / "journeyc" / "backends" / "report.css").read_bytes()
        for module in ("dot", "mermaid", "report", "diagram"):
            assert f"journeyc/backends/{module}.py" in z.namelist()
        assert "journeyc/watch.py" in z.namelist()


from hypothesis import given, settings  # noqa: E402

from test_dot import NASTY, compile_titles  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(NASTY)
def test_any_title_is_text_in_the_report(title):
    comp, diagnostics = compile_titles(title)
    html = report.render_report([comp], diagnostics, None, fake_svg)
    page = Page(html)
    assert not page.find("script") and not page.find("img") and not page.find("iframe")
    for el in page.elements:
        assert not any(name.startswith("on") for name in el["attrs"]), el
    shown = diagram.text_of(title)
    if shown:
        stage_names = [e["text"] for e in page.find("span", "stage-name")]
        assert stage_names == [shown] * 3


def test_report_without_graphviz_is_written_without_diagrams_and_says_so(tmp_path):
    # a PATH on which there is no `dot`
    (tmp_path / "bin").mkdir()
    out = tmp_path / "report.html"
    proc = run_journeyc(["report", FINDINGS, "-o", out], env={"PATH": str(tmp_path / "bin")})
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode() == (
        "journeyc: report: Graphviz's `dot` program was not found on PATH, so the report was written without its "
        "diagrams: install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`; "
        "others: https://graphviz.org/download/) and run `journeyc report` again to draw them\n")
    page = Page(out.read_text(encoding="utf-8"))
    # the emotion curve is SVG journeyc writes itself; no picture needs Graphviz
    assert [s["attrs"].get("class") for s in page.find("svg")] == ["chart-svg"]
    assert [p["text"] for p in page.find("p") if "no-diagram" in p["attrs"].get("class", "")] == [
        "No diagram: Graphviz's dot program was not found when this report was written. Install Graphviz and run "
        "journeyc report again to draw it.",
        "No blueprint: Graphviz's dot program was not found when this report was written. Install Graphviz and run "
        "journeyc report again to draw it."]
    assert "--format svg" not in proc.stderr.decode()


def test_message_inventory_and_facts_table(tmp_path):
    write(tmp_path, "copy/mail.html", "<p>Your free trial lasts <b>30 days</b>.</p>")
    spec = write(tmp_path, "j.journey", '''persona member "Member <b>" { kind customer }
fact trial_length = 14 days { phrase "free trial" description "The <trial>" }
fact plan = "Pro"
journey j { stage s "Sign-up" {
  touchpoint ad "Ad" { channel web audience member message "Start your 14-day free trial" { tone calm claim plan = "Team" } }
  touchpoint mail "Mail" { channel email message from "copy/mail.html" }
} }
''')
    html, run = build([spec])
    page = Page(html)
    (inventory,) = page.find("table", "messages")
    rows = [e for e in page.elements if e["tag"] == "tr" and "messages" in e["classes"] and "tbody" in e["parents"]]
    assert len(rows) == 2
    for x in ("Sign-up", "Ad", "Member <b>", "14-day", "calm", "trial_length, plan"):
        assert x in rows[0]["text"], (x, rows[0]["text"])
    assert "Start your 14-day free trial" in rows[0]["text"]
    assert "copy/mail.html" in rows[1]["text"] and "everyone" in rows[1]["text"] and "30 days" in rows[1]["text"]
    assert "C005" in rows[1]["text"]
    (facts,) = page.find("table", "facts-table")
    fact_rows = [e for e in page.elements if e["tag"] == "tr" and "facts-table" in e["classes"] and "tbody" in e["parents"]]
    assert len(fact_rows) == 2
    assert "The <trial>" in fact_rows[0]["text"] and "14 days" in fact_rows[0]["text"]
    assert "Ad: \u201c14-day\u201d \u2714 agrees" in fact_rows[0]["text"]
    assert "Mail: \u201c30 days\u201d \u2716 disagrees" in fact_rows[0]["text"]
    assert 'Ad: claim "Team" \u2716 disagrees' in fact_rows[1]["text"]
    assert "Member &lt;b&gt;" in html


# -- the journey map ----------------------------------------------------------------

MAP = INPUTS / "map.journey"


def test_pain_point_table():
    html, _ = build([MAP])
    page = Page(html)
    cells = []
    for e in page.elements:
        if "pain-points" not in e["classes"]:
            continue
        if e["tag"] == "tr":
            cells.append([])
        elif e["tag"] in ("th", "td") and e["parents"][-1] == "tr":
            cells[-1].append(_flat(e["text"]))
    cells = cells[1:]  # the header
    assert [c[0] for c in cells] == _flats(["Checkout Buy", "Fraud check backstage Buy", "Tracking page Wait"])
    checkout, fraud, tracking = cells
    assert checkout[1:] == _flats(["\u2639 2", "Checkout usability study, March (stage)", "high",
                                   "\u271a Delay apology", "One-click checkout planned"])
    assert fraud[3:] == ["notgiven", "none", "none"]
    assert tracking[2] == _flat("Ticket analysis, Q3") and tracking[5] == _flat("Live delivery estimate in progress")


def test_opportunities_board_by_status():
    html, _ = build([MAP])
    page = Page(html)
    columns = page.find("div", "board-col")
    assert [c["attrs"]["data-status"] for c in columns] == ["idea", "planned", "in_progress", "done", "dropped"]
    text = {c["attrs"]["data-status"]: _flat(c["text"]) for c in columns}
    assert _flat("Post-purchase survey") in text["idea"] and _flat("owner Growth (journey default)") in text["idea"]
    assert _flat("One-click checkout high impact owner IT for Checkout (touchpoint) Save cards") in text["planned"]
    assert _flat("for Tracking page (touchpoint), Wait (stage)") in text["in_progress"]
    assert text["done"] == "done0"


def test_state_in_the_title(tmp_path):
    path = write(tmp_path, "f.journey", 'journey j "Planned" { state future stage s { } }')
    html, _ = build([path])
    h2 = [_flat(e["text"]) for e in Page(html).find("h2")]
    assert h2[0] == "Plannedfuturestate"


def test_compare_current_and_future(tmp_path):
    from journeyc.compiler import run_check
    from journeyc.load import Session

    def comps(path):
        run = run_check([str(path)], Session())
        return [r.compilation for r in run.results]

    now, later = comps(REPO / "specs" / "saas.journey"), comps(REPO / "specs" / "future" / "saas.journey")
    html = report.render_report(now + later, [], None, fake_svg, blueprint_svg=fake_blueprint, compare=(now, later))
    page = Page(html)
    section = next(e for e in page.elements if e["attrs"].get("id") == "compare")
    rows = [_flat(r["text"]) for r in page.elements if r["tag"] == "tr" and "changes" in r["classes"]][1:]
    assert rows == _flats([
        "changed touchpoint Plan checkout checkout score: 3 score: 4",
        "changed touchpoint Staff import with column matching staff_import title: Staff import from a spreadsheet"
        "score: 2 title: Staff import with column matchingscore: 4",
        "added touchpoint Sunday rota nudge sunday_nudge",
        "removed touchpoint Spreadsheet clean-up by care import_cleanup"])
    # both curves in one chart: the current ones dashed
    assert "Shift manager (current)" in section["text"] and "future state" in section["text"]
    assert [_flat(e["text"]) for e in page.find("h2")][1:3] == _flats([
        "Shiftwell self-serve subscription current state", "Shiftwell self-serve subscription future state"])


def test_compare_through_the_cli(tmp_path):
    out = tmp_path / "c.html"
    proc = run_journeyc(["report", "--compare", "specs/saas.journey", "specs/future/saas.journey", "-o", out],
                        cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    assert 'id="compare"' in out.read_text(encoding="utf-8")
    for args in (["report"], ["report", "specs/saas.journey", "--compare", "a", "b"]):
        proc = run_journeyc(args, cwd=REPO)
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr


def _flat(text: str) -> str:
    """Text without white space (adjacent elements' texts run together)."""
    return "".join(text.split())


def _flats(texts: list[str]) -> list[str]:
    return [_flat(t) for t in texts]

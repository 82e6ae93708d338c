"""The HTML report in headless Chromium: it loads from a file with no
console message, no page error and no request (the browser context is
offline, and the page's Content-Security-Policy forbids loading anything),
and the page the browser builds has the structure the report promises,
with hostile text shown as text.

Needs what tests/outputs/test_mermaid_browser.py needs, and Graphviz's `dot`. Set
JOURNEYC_SCREENSHOTS=DIR to keep a full-page screenshot of each report."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

import journeyc
from journeyc.backends import diagram
from journeyc.language import AREAS

from conftest import GOLDEN, REPO, run_journeyc, spec_files

from test_mermaid_browser import BROWSER, require_browser_tools

pytestmark = pytest.mark.browser
INPUTS = GOLDEN / "inputs"
HOSTILE = INPUTS / "hostile.journey"
FINDINGS = INPUTS / "findings.journey"


def report_inputs():
    return [(p.stem, [p]) for p in spec_files()] + [("hostile", [HOSTILE]), ("findings", [FINDINGS]),
                                                     ("all-specs", [REPO / "specs"])]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    require_browser_tools()
    folder = tmp_path_factory.mktemp("reports")
    files = {}
    for name, paths in report_inputs():
        out = folder / f"{name}.html"
        proc = run_journeyc(["report", *[p.relative_to(REPO) for p in paths], "-o", out], cwd=REPO)
        assert proc.returncode == 0, proc.stderr.decode()
        files[str(out)] = name
    args = list(files)
    shots = os.environ.get("JOURNEYC_SCREENSHOTS")
    if shots:
        args = ["--screenshot-dir", shots] + args
    proc = subprocess.run(["node", str(BROWSER / "check_report.mjs"), *args], cwd=BROWSER, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-4000:]
    return {files[r["file"]]: r for r in json.loads(proc.stdout)}


NAMES = [n for n, _ in report_inputs()]


@pytest.mark.parametrize("name", NAMES)
def test_loads_clean_and_offline(loaded, name):
    r = loaded[name]
    assert r["status"] in (0, 200, None)
    assert r["consoleMessages"] == [], r["consoleMessages"]
    assert r["pageErrors"] == []
    assert r["requests"] == []
    assert r["scripts"] == 0 and r["dangerous"] == [] and r["dangerousAttributes"] == []
    assert "default-src 'none'" in r["csp"]
    assert r["width"] <= r["viewport"], "the page scrolls sideways: only diagrams and wide tables may"


def _journeys(name):
    paths = dict(report_inputs())[name]
    from journeyc.compiler import run_check

    run = run_check([str(p.relative_to(REPO)) for p in paths])  # as the report was made: from REPO
    return [(r.compilation, j) for r in run.results for j in r.compilation.journeys], run.diagnostics


@pytest.mark.parametrize("name", NAMES)
def test_structure(loaded, name, monkeypatch):
    monkeypatch.chdir(REPO)
    r = loaded[name]
    journeys, diagnostics = _journeys(name)
    assert [j["title"] for j in r["journeys"]] == [f"{diagram.title_of(j)} {j.state} state" for _, j in journeys]
    for page_j, (comp, j) in zip(r["journeys"], journeys):
        assert page_j["headings"][:10] == ["Diagram", "Emotion curve", "Service blueprint", "Pain points",
                                           "Opportunities", "Stages", "Coverage of the complete product experience",
                                           "Measurement", "Messages", "Facts"]
        assert page_j["headings"][10].startswith("Lint findings")
        assert page_j["stageHeader"] == ["#", "Stage", "Phase", "Owner", "KPIs, targets and sources",
                                         "Touchpoints", "Findings"]
        assert [row["name"] for row in page_j["stageRows"]] == [diagram.title_of(s) for s in j.stages]
        assert [row["phase"] for row in page_j["stageRows"]] == [s.phase or "unknown" for s in j.stages]
        assert page_j["coverageHeader"] == ["Stage"] + [diagram.AREA_TITLES[a] for a in AREAS]
        assert page_j["coverageRows"] == len(j.stages)
        covered = {t.area for s in j.stages for t in s.touchpoints if t.area}
        assert page_j["coverageFoot"] == ["ok" if a in covered else "gap" for a in AREAS]
        assert page_j["measurementCards"][:3] == ["Stages measured", "Phases measured", "First-party KPIs"]
        svg = page_j["svg"]
        assert svg and svg["width"] > 200 and svg["height"] > 100
        assert any(diagram.title_of(j).split("\n")[0][:20] in t for t in svg["texts"])
        assert page_j["noFindings"] == (page_j["findingRows"] == [])
        for row in page_j["findingRows"]:
            assert row[0].split()[-1] in ("error", "warning", "info")
            assert any(row[4] == f"{d.span.file}:{d.span.line}:{d.span.column}" for d in diagnostics), row


def test_fit_to_width(loaded):
    fit = loaded["saas"]["fit"]
    assert fit["before"] <= fit["box"], "the saas diagram fits the page's width by default"
    assert fit["after"] > fit["box"], "Actual size draws it at its natural size, wider than the page"


def test_findings_report(loaded):
    r = loaded["findings"]
    (j,) = r["journeys"]
    codes = sorted(row[1][:4] for row in j["findingRows"])
    assert codes == ["C001", "C003", "F002", "M001", "M003", "M006", "X003", "X004", "X005", "X006"]
    assert r["other"] and r["otherRows"] == 2
    lost = next(row for row in j["stageRows"] if row["name"] == "Lost")
    assert lost["cells"][-1] == "F002"
    assert "C001, C003, X003, X006" in " ".join(j["svg"]["texts"])


def test_hostile_report_shows_text_literally(loaded):
    r = loaded["hostile"]
    text = r["bodyText"]
    for s in ["<script>alert('journey')</script> \"\\", "<b>bold</b> & <<TABLE>>", "<<TABLE>>", "a:b", "%%",
              "-->", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "<img src=x onerror=alert(2)>",
              "]]> <!-- -->", "vendor\\", "ends with a backslash \\", "&amp; &lt; #quot; #lt; &#60; \\N \\G \\L",
              "[x] (y) {z} |w| `v` ;u", 'Say "hi" \\n \\']:
        assert s in text, s
    assert r["title"] == "Journey report: <script>alert('journey')</script> \"\\"
    svg_text = " ".join(r["journeys"][0]["svg"]["texts"])
    assert "<script>alert(1)</script>" in svg_text and "<img src=x onerror=alert(1)>" in svg_text
    assert set(r["tags"]) <= {
        "html", "head", "meta", "title", "style", "body", "header", "div", "p", "span", "h1", "h2", "h3", "h4",
        "nav", "a", "main", "section", "code", "blockquote", "input", "label", "table", "thead", "tbody", "tfoot",
        "tr", "th", "td", "ul", "li", "caption", "pre", "b", "footer",
        "svg", "g", "polygon", "path", "text", "ellipse", "polyline", "rect", "line", "circle", "br"}, r["tags"]


def test_fixture_compiles():
    comp, _ = journeyc.compile_file(HOSTILE)
    assert comp is not None

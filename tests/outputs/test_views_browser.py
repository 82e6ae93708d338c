"""Every view a person looks at, in headless Chromium at 1,400 px wide: the
HTML report and the SVG views (flow, blueprint, emotion curve) show no
horizontal overflow of the page, for the specs, the journey-map input and
the hostile input. Needs what tests/outputs/test_mermaid_browser.py needs, and
Graphviz's `dot`."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import GOLDEN, REPO, run_journeyc, spec_files

from test_mermaid_browser import BROWSER, require_browser_tools

pytestmark = pytest.mark.browser
INPUTS = [*spec_files(), REPO / "specs" / "future" / "saas.journey", GOLDEN / "inputs" / "map.journey",
          GOLDEN / "inputs" / "hostile.journey"]
VIEWS = ("flow", "blueprint", "emotion")


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    require_browser_tools()
    folder = tmp_path_factory.mktemp("views")
    files = []
    for path in INPUTS:
        name = f"{path.parent.name}-{path.stem}"
        for view in VIEWS:
            out = folder / f"{name}.{view}.svg"
            proc = run_journeyc(["compile", path, "--format", "svg", "--view", view, "-o", out], cwd=REPO)
            assert proc.returncode == 0, proc.stderr.decode()
            files.append(out)
        out = folder / f"{name}.report.html"
        proc = run_journeyc(["report", path, "-o", out], cwd=REPO)
        assert proc.returncode == 0, proc.stderr.decode()
        files.append(out)
    out = folder / "compare.report.html"
    proc = run_journeyc(["report", "--compare", "specs/saas.journey", "specs/future/saas.journey", "-o", out],
                        cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    files.append(out)
    proc = subprocess.run(["node", str(BROWSER / "check_views.mjs"), *map(str, files)], cwd=BROWSER,
                          capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-4000:]
    results = json.loads(proc.stdout)
    assert len(results) == len(files)
    return {r["file"].rsplit("/", 1)[-1]: r for r in results}


def names():
    out = [f"{p.parent.name}-{p.stem}.{v}.svg" for p in INPUTS for v in VIEWS]
    return out + [f"{p.parent.name}-{p.stem}.report.html" for p in INPUTS] + ["compare.report.html"]


@pytest.mark.parametrize("name", names())
def test_no_horizontal_overflow_at_1400_px(laid_out, name):
    r = laid_out[name]
    assert r["viewport"] == 1400
    assert r["scrollWidth"] <= r["clientWidth"], f"{name} is {r['scrollWidth']} px wide at a 1,400 px window"
    assert r["pageErrors"] == [] and r["consoleMessages"] == []
    assert r["height"] > 100

"""Real Mermaid accepts journeyc's Mermaid: every flowchart and journey
diagram (every spec in specs/, the hostile titles, the annotated findings)
is parsed and rendered to SVG by the `mermaid` npm package in headless
Chromium, in both Mermaid versions tests/browser/package.json pins (11, the
line GitHub's markdown has long used, and 12), with no parse error, no
console error, no request, and user text that stays text.

Needs Chromium (/usr/bin/chromium, or JOURNEYC_CHROMIUM), node and
`npm ci --prefix tests/browser`; .ci/run installs all three. Set
JOURNEYC_SCREENSHOTS=DIR to keep a PNG of each diagram."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import REPO

from test_mermaid import HOSTILE, golden_cases, render

pytestmark = pytest.mark.browser
BROWSER = REPO / "tests" / "browser"
MERMAIDS = ("mermaid", "mermaid12")


def require_browser_tools() -> None:
    """Skip when Chromium or node is missing (fail instead under
    JOURNEYC_REQUIRE_TOOLS=1, as in .ci/run); fail when the npm packages
    are missing, saying how to install them."""
    chromium = os.environ.get("JOURNEYC_CHROMIUM", "/usr/bin/chromium")
    missing = []
    if not os.path.exists(chromium):
        missing.append(f"Chromium at {chromium} (Debian: apt-get install chromium; or set JOURNEYC_CHROMIUM)")
    if shutil.which("node") is None:
        missing.append("node (Debian: apt-get install nodejs npm)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("JOURNEYC_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    for package in ("playwright-core", "mermaid", "mermaid12"):
        if not (BROWSER / "node_modules" / package / "package.json").exists():
            pytest.fail(f"tests/browser/node_modules/{package} is missing: run `npm ci --prefix tests/browser`")


def run_node(script: str, args: list[str]) -> list[dict]:
    proc = subprocess.run(["node", str(BROWSER / script), *args], cwd=BROWSER, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-4000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    require_browser_tools()
    folder = tmp_path_factory.mktemp("mermaid")
    files = {}
    for name, path, kind, annotate in golden_cases():
        f = folder / name
        f.write_text(render(path, kind, annotate), encoding="utf-8")
        files[str(f)] = name
    args = list(files)
    shots = os.environ.get("JOURNEYC_SCREENSHOTS")
    if shots:
        args = ["--screenshots", shots] + args
    results = run_node("render_mermaid.mjs", args)
    by_case = {}
    requests = {}
    for r in results:
        if r["file"] is None:
            requests[r["mermaid"]] = r["requests"]
        else:
            by_case[(files[r["file"]], r["mermaid"])] = r
    return by_case, requests


CASES = [c[0] for c in golden_cases()]


@pytest.mark.parametrize("version", MERMAIDS)
@pytest.mark.parametrize("name", CASES)
def test_mermaid_parses_and_renders(rendered, name, version):
    by_case, _ = rendered
    r = by_case[(name, version)]
    assert r["error"] is None, r["error"]
    assert r["parsed"] is True
    assert r["diagramType"] in (("journey",) if ".journey." in name else ("flowchart-v2", "flowchart"))
    assert r["svg"] is True and r["svgLength"] > 1000
    assert not r["errorText"], "Mermaid drew its error diagram"
    assert r["consoleErrors"] == []
    assert r["dangerous"] == [] and r["dangerousAttributes"] == []
    assert "script" not in r["tags"] and "a" not in r["tags"] and "img" not in r["tags"]
    assert r["size"][0] > 100 and r["size"][1] > 100


def test_mermaid_loads_nothing(rendered):
    _, requests = rendered
    assert set(requests) == set(MERMAIDS)
    assert all(reqs == [] for reqs in requests.values()), requests


HOSTILE_OWNER = 'Team "quoted" \\ back\\'
HOSTILE_SHOWN = [
    "<script>alert('journey')</script>",
    HOSTILE_OWNER,
    "<b>bold</b>",
    "<<TABLE>>",
    "a:b",
    "%%",
    "-->",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "ends with a backslash \\",
    "&amp; &lt; #quot; #lt; &#60; \\N \\G \\L",
    "[x] (y) {z} |w| `v` ;u",
]


@pytest.mark.parametrize("version", MERMAIDS)
@pytest.mark.parametrize("name", ["hostile.mmd", "hostile.journey.mmd"])
def test_hostile_titles_show_literally(rendered, name, version):
    by_case, _ = rendered
    text = by_case[(name, version)]["text"]
    for s in HOSTILE_SHOWN:
        if name == "hostile.journey.mmd" and s == HOSTILE_OWNER:
            continue  # the journey diagram's actors are the audience alone
        assert s in text, f"{s!r} not shown literally"
    if name == "hostile.journey.mmd":
        # actors: the audience personas' titles, separators and all; not the owner
        assert "a:b, c;d #35; %% --> end" in text
        assert HOSTILE_OWNER not in text
        assert "No touchpoints (not scored)" in text  # the stage without touchpoints is drawn
    else:
        assert "javascript:alert('loop')" in text and "first line" in text and "second line" in text


def test_hostile_input_is_the_fixture():
    assert HOSTILE.exists()

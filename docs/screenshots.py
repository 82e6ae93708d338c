"""Make the screenshots the README shows, with journeyc itself and headless
Chromium (what the browser tests use), at 1,400 px wide:

    .venv/bin/python docs/screenshots.py

writes docs/saas-report.png (the HTML report of specs/saas.journey, the
whole page) and docs/saas-blueprint.png (its service blueprint), and the
SVG views the README embeds (docs/saas-blueprint.svg, docs/saas-emotion.svg).
Needs Graphviz's `dot`, node, and the npm packages of tests/browser
(`npm ci --prefix tests/browser`)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
BROWSER = REPO / "tests" / "browser"
SPEC = "specs/saas.journey"


def journeyc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "journeyc", *args], cwd=REPO, check=True)


def main() -> int:
    journeyc("compile", SPEC, "--format", "svg", "--view", "blueprint", "-o", "docs/saas-blueprint.svg")
    journeyc("compile", SPEC, "--format", "svg", "--view", "emotion", "-o", "docs/saas-emotion.svg")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "saas-report.html")
        journeyc("report", SPEC, "-o", report)
        blueprint = os.path.join(tmp, "saas-blueprint.svg")
        shutil.copyfile(DOCS / "saas-blueprint.svg", blueprint)
        shots = os.path.join(tmp, "shots")
        proc = subprocess.run(["node", "check_views.mjs", "--screenshot-dir", shots, report, blueprint],
                              cwd=BROWSER, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return 1
        for r in json.loads(proc.stdout):
            if r["scrollWidth"] > r["clientWidth"]:
                sys.stderr.write(f"{r['file']}: {r['scrollWidth']} px wide at 1,400 px\n")
                return 1
            target = DOCS / os.path.basename(r["screenshot"])
            shutil.copyfile(r["screenshot"], target)
            print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

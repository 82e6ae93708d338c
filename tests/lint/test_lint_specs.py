"""The example specs in specs/ follow every lint rule: `journeyc check specs/`
reports nothing (a finding there is either fixed or suppressed with a
comment that says why)."""
from __future__ import annotations

import json

from conftest import REPO, SPECS, run_journeyc


def test_specs_folder_is_clean(cli):
    r = cli(["check", "--output-format", "json", "specs"], cwd=REPO)
    doc = json.loads(r.stdout)
    assert doc["diagnostics"] == [], [f"{d['file']}:{d['line']}: {d['code']} {d['message']}" for d in doc["diagnostics"]]
    assert r.exit_code == 0
    assert doc["summary"]["files"] == len(list(SPECS.rglob("*.journey")))


def test_specs_folder_is_clean_even_for_infos_as_a_subprocess():
    proc = run_journeyc(["check", "--fail-on", "info", "specs/"], cwd=REPO)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert b"All checks passed" in proc.stdout


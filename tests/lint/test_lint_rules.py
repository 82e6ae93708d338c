"""Every lint rule against its fixture in tests/rules/, through the CLI.

A fixture is written like the conformance cases: `# checks: CODES` names the
codes it judges, `# expect: CODE "word"...` marks a line where a diagnostic
with that code must be reported (and the words its message or suggestion
must contain). The (file, line, code) multiset reported for the judged codes
must equal the expected one, exactly as ../shared/conformance/run compares.

A fixture is a `.journey` file (checked alone) or a folder (checked as
`journeyc check .` from inside it: every root of the folder, with the
folder's journeyc.toml if it has one), for the facts judged over a whole run.
Every fixture runs in-process through click's CliRunner; the folders and a
few files also run as a subprocess.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import CASES, run_journeyc

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

EXPECT = re.compile(r"#\s*expect:\s*([A-Z]\d{3})((?:\s+\"[^\"]*\")*)")
CHECKS = re.compile(r"#\s*checks:\s*([A-Z0-9_, ]+)")
WORD = re.compile(r"\"([^\"]*)\"")


def fixtures() -> list[Path]:
    return sorted(p for p in RULES_DIR.iterdir() if p.suffix == ".journey" or p.is_dir())


def read_expectations(root: Path, files: list[Path]):
    checks, expected, words = set(), Counter(), {}
    for f in files:
        rel = f.relative_to(root).as_posix()
        text = f.read_bytes().decode("utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), start=1):
            m = CHECKS.search(line)
            if m:
                checks |= {c.strip() for c in m.group(1).split(",") if c.strip()}
            for m in EXPECT.finditer(line):
                key = (rel, lineno, m.group(1))
                expected[key] += 1
                words.setdefault(key, []).extend(WORD.findall(m.group(2)))
    return checks, expected, words


def case_layout(case: Path) -> tuple[Path, str, list[Path]]:
    """(folder to run in, path argument, files holding expectations)."""
    if case.is_dir():
        if (case / "main.journey").exists() and case.parent == CASES:
            return case, "main.journey", sorted(case.rglob("*.journey"))
        return case, ".", sorted(case.rglob("*.journey"))
    return case.parent, case.name, [case]


def compare(case: Path, stdout: str, exit_code: int, output_text: str) -> list[str]:
    root, _, files = case_layout(case)
    checks, expected, words = read_expectations(root, files)
    assert checks, f"no '# checks:' line in {case.name}"
    problems = []
    if "Traceback (most recent call last)" in output_text:
        problems.append("printed a traceback")
    if exit_code not in (0, 1):
        problems.append(f"exit code {exit_code}: {output_text[-400:]}")
    doc = json.loads(stdout)
    got, texts = Counter(), {}
    for d in doc["diagnostics"]:
        if "ALL" not in checks and d["code"] not in checks:
            if d["code"].startswith("E") and not any(c.startswith("E") for c in checks):
                problems.append(f"unexpected compile error {d['file']}:{d['line']}: {d['code']} {d['message']}")
            continue
        p = Path(d["file"])
        rel = (root / p).resolve().relative_to(root.resolve()).as_posix() if not p.is_absolute() else d["file"]
        key = (rel, d["line"], d["code"])
        got[key] += 1
        texts.setdefault(key, []).append(f"{d['message']} {d.get('suggestion') or ''}".lower())
    for key in sorted((expected - got).keys()):
        problems.append("missing    {}:{}: {}".format(*key))
    for key in sorted((got - expected).keys()):
        problems.append("unexpected {}:{}: {}  ({})".format(*key, texts[key][0][:150]))
    for key, ws in words.items():
        for w in ws:
            if key in texts and not any(w.lower() in t for t in texts[key]):
                problems.append("{}:{}: {} does not mention {!r}: {}".format(*key, w, texts[key][0][:150]))
    return problems


@pytest.mark.parametrize("case", fixtures(), ids=lambda p: p.name)
def test_fixture_in_process(case, cli):
    root, arg, _ = case_layout(case)
    r = cli(["check", "--output-format", "json", arg], cwd=root)
    assert compare(case, r.stdout, r.exit_code, r.output) == []


SUBPROCESS = [p for p in fixtures() if p.is_dir() or p.name.startswith(("c002", "s001", "m007"))]


@pytest.mark.parametrize("case", SUBPROCESS, ids=lambda p: p.name)
def test_fixture_as_subprocess(case):
    root, arg, _ = case_layout(case)
    proc = run_journeyc(["check", "--output-format", "json", arg], cwd=root)
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert compare(case, out, proc.returncode, out + err) == []


def conformance_cases() -> list[Path]:
    if not CASES.is_dir():
        return []
    return sorted(p for p in CASES.iterdir()
                  if p.suffix == ".journey" or (p.is_dir() and (p / "main.journey").exists()))


@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is not beside the checkout")
@pytest.mark.parametrize("case", conformance_cases(), ids=lambda p: p.name)
def test_conformance_case_in_process(case, cli):
    """The shared conformance cases, compared the same way in-process (the
    conformance runner itself runs them as subprocesses in CI)."""
    root, arg, _ = case_layout(case)
    r = cli(["check", "--output-format", "json", arg], cwd=root)
    assert compare(case, r.stdout, r.exit_code, r.output) == []


def test_every_rule_has_a_fixture():
    from journeyc.lint.rules import RULES

    names = {p.name for p in fixtures()}
    for r in RULES:
        stem = f"{r.code.lower()}_{r.name.replace('-', '_')}.journey"
        assert stem in names, f"missing fixture tests/rules/{stem}"


def test_fixtures_judge_every_rule_beyond_the_conformance_cases():
    """Each fixture expects at least one finding and judges its own rule."""
    for case in fixtures():
        root, _, files = case_layout(case)
        checks, expected, _ = read_expectations(root, files)
        assert expected, f"{case.name} expects nothing"
        assert {code for _, _, code in expected} <= checks, case.name

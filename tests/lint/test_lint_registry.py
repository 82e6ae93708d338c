"""The rule registry: what each rule declares next to its check, against the
contract (LANGUAGE.md's table), the README's table, `journeyc rules` and
`journeyc explain`, and each rule's own bad and good examples."""
from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, SHARED

from journeyc.codes import COMPILE_ERRORS
from journeyc.diagnostics import SEVERITIES
from journeyc.lint.rule import COMPILATION, RUN, SUPPRESSION, Rule
from journeyc.lint.rules import RULES, by_code

FAMILIES = {"F": "flow", "M": "measurement", "C": "communication", "O": "ownership", "X": "experience",
            "S": "suppression"}
LANGUAGE = SHARED / "spec" / "LANGUAGE.md"


def lint_codes(text: str, filename: str) -> list[str]:
    import journeyc

    comp, diagnostics = journeyc.compile_source(text, filename=filename)
    assert comp is not None, [f"{d.code} {d.message}" for d in diagnostics]
    return [d.code for d in diagnostics]


def test_registry_lists_every_rule_once_in_code_order():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) == 28
    order = "FMCOXS"
    assert codes == sorted(codes, key=lambda c: (order.index(c[0]), c))
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_rule_declares_everything_next_to_its_check(r: Rule):
    assert re.fullmatch(r"[FMCOXS]\d{3}", r.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name)
    assert r.severity in SEVERITIES
    assert r.summary.endswith(".") and "\n" not in r.summary and len(r.summary) < 110
    assert len(r.doc) > 200, "the documentation says what it catches and why it matters"
    assert r.doc == r.check.__doc__.strip() or r.doc.splitlines()[0] in r.check.__doc__
    assert r.bad.strip() and r.good.strip() and r.bad != r.good
    assert r.family == FAMILIES[r.code[0]], "one module per rule family"
    assert r.scope in (COMPILATION, RUN, SUPPRESSION)
    assert by_code(r.code) is r


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_bad_example_fires_and_good_example_does_not(r: Rule, tmp_path):
    assert r.code in lint_codes(r.bad, str(tmp_path / "bad.journey")), f"{r.code}'s bad example does not fire it"
    assert r.code not in lint_codes(r.good, str(tmp_path / "good.journey")), f"{r.code}'s good example fires it"


def contract_table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in LANGUAGE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*([FMCOXS]\d{3})\s*\|\s*([a-z-]+)\s*\|\s*(error|warning|info)\s*\|", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


@pytest.mark.skipif(not LANGUAGE.exists(), reason="../shared/spec is not beside the checkout")
def test_registry_matches_the_contract():
    table = contract_table()
    # M008, O003 and X006 (version 1.1) are implemented on other branches (issue 13 and its siblings)
    assert {r.code for r in RULES} <= set(table)
    assert set(table) - {r.code for r in RULES} <= {"M008", "O003", "X006"}
    for r in RULES:
        assert (r.name, r.severity) == table[r.code], r.code


def readme_rule_rows() -> list[tuple[str, str, str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Lint rules", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        m = re.match(r"\|\s*`?([FMCOXS]\d{3})`?\s*\|\s*`?([a-z-]+)`?\s*\|\s*(\w+)\s*\|\s*(.*?)\s*\|\s*$", line)
        if m:
            rows.append(m.groups())
    return rows


def test_readme_rule_table_matches_the_registry():
    assert readme_rule_rows() == [(r.code, r.name, r.severity, r.summary) for r in RULES], \
        "README.md's 'Lint rules' table differs from journeyc.lint.rules.RULES"


def test_rules_command_table_and_json(cli):
    r = cli(["rules"])
    assert r.exit_code == 0
    for rule in RULES:
        assert re.search(rf"^{rule.code}\s+{rule.name}\s+{rule.severity}\s+", r.output, re.M), rule.code
    r = cli(["rules", "--output-format", "json"])
    doc = json.loads(r.output)
    assert [d["code"] for d in doc] == [rule.code for rule in RULES]
    c004 = next(d for d in doc if d["code"] == "C004")
    assert c004["options"] == [{"name": "max-messages", "default": 3, "help": by_code("C004").options[0].help}]
    assert {d["family"] for d in doc} == set(FAMILIES.values())


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_explain_shows_documentation_and_examples(cli, r):
    out = cli(["explain", r.code]).output
    assert out.startswith(f"{r.code} {r.name}: {r.summary}")
    assert "Bad:" in out and "Good:" in out
    assert r.bad.splitlines()[0] in out and r.good.splitlines()[-1] in out


@pytest.mark.parametrize("e", COMPILE_ERRORS, ids=lambda e: e.code)
def test_explain_compile_errors(cli, e):
    r = cli(["explain", e.code.lower()])
    assert r.exit_code == 0
    assert r.output.startswith(f"{e.code} {e.name}: {e.summary}")
    assert "cannot be disabled" in r.output


def test_explain_by_name_and_unknown_code(cli):
    assert cli(["explain", "repetitive-messaging"]).output.startswith("C002 repetitive-messaging")
    r = cli(["explain", "X009"])
    assert r.exit_code == 2
    assert "unknown rule code 'X009'" in r.output

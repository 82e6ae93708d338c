"""CI output formats (SARIF 2.1.0 validated against the OASIS schema, GitHub
workflow commands, JUnit XML, GitLab Code Quality), --statistics, and
baselines."""
from __future__ import annotations

import json
from collections import Counter
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, SPECS, benchmark_module, run_journeyc, write

from journeyc.diagnostics import Diagnostic
from journeyc.formats import Report
from journeyc.formats.github import escape_data, escape_property, render_github
from journeyc.model import Span

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-2.1.0.json"

A = """\
channel kiosk "Kiosk"
journey a {
  stage s {
    touchpoint t1 { channel web message "14 days" { claim trial = 14 days } }
    touchpoint t2 { channel emial message "30 days" { claim trial = 30 days } }
  }
}
"""
BROKEN = "journey b { owner nobody stage s { } }\n"


@pytest.fixture
def repo(tmp_path):
    """A repository: specs/a.journey (lint findings), specs/b.journey (a compile error)."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "specs/a.journey", A)
    write(tmp_path, "specs/b.journey", BROKEN)
    return tmp_path


def run(cli, cwd, *args):
    return cli(["check", *args], cwd=cwd)


# -- SARIF ------------------------------------------------------------------------------------------

def sarif(cli, cwd, *paths):
    r = run(cli, cwd, "--output-format", "sarif", *(paths or ("specs",)))
    assert r.exit_code == 1
    return json.loads(r.stdout)


def test_sarif_validates_against_the_schema(cli, repo):
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = sarif(cli, repo)
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    assert errors == []


def test_sarif_tool_driver_lists_every_rule(cli, repo):
    from journeyc.codes import COMPILE_ERRORS
    from journeyc.lint.rules import RULES

    driver = sarif(cli, repo)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "journeyc"
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES] + [e.code for e in COMPILE_ERRORS]
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    c002 = next(r for r in driver["rules"] if r["id"] == "C002")
    assert "Bad:" in c002["help"]["text"] and "```journey" in c002["help"]["markdown"]


def test_sarif_results(cli, repo):
    run_ = sarif(cli, repo)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
    by_rule = {}
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        by_rule.setdefault(res["ruleId"], []).append(res)
    c001 = by_rule["C001"][0]
    assert c001["level"] == "error"
    loc = c001["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "specs/a.journey", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 5, "startColumn": 55, "endLine": 5, "endColumn": 60}
    assert c001["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert by_rule["X004"][0]["level"] == "note"
    assert "did you mean 'email'?" in by_rule["X005"][0]["message"]["text"]
    assert by_rule["E002"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "specs/b.journey"
    prints = [r["partialFingerprints"]["journeyc/v1"] for r in run_["results"]]
    assert len(set(prints)) == len(prints)


def test_sarif_fingerprints_survive_unrelated_edits(cli, repo):
    before = {(r["ruleId"], r["partialFingerprints"]["journeyc/v1"]) for r in sarif(cli, repo)["runs"][0]["results"]
              if r["ruleId"] != "E002"}
    write(repo, "specs/a.journey", "# a comment\n\n# and another\n" + A.replace("  stage s {", "  stage s {\n\n"))
    after_doc = sarif(cli, repo)["runs"][0]["results"]
    after = {(r["ruleId"], r["partialFingerprints"]["journeyc/v1"]) for r in after_doc if r["ruleId"] != "E002"}
    assert before == after
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after_doc if r["ruleId"] == "C001"} \
        == {10}
    # Run from elsewhere with another path: the same repository-relative identity.
    again = sarif(cli, repo / "specs", "a.journey")["runs"][0]["results"]
    assert {(r["ruleId"], r["partialFingerprints"]["journeyc/v1"]) for r in again} == after


def test_sarif_outside_the_repository_uses_absolute_uris(cli, tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    outside = write(tmp_path, "elsewhere/a.journey", A)
    doc = sarif(cli, tmp_path / "repo", str(outside))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}


# -- GitHub -----------------------------------------------------------------------------------------

def test_github_escaping():
    assert escape_data("50% off\r\nnow: a, b") == "50%25 off%0D%0Anow: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_workflow_commands():
    d = Diagnostic("C003", "off-promise-tone", "warning", "100% off!\nbuy: now, please",
                   Span("specs/x,y:z.journey", 3, 5, 3, 9), suggestion="did you mean 'empower'?")
    info = Diagnostic("X004", "missing-cpe-area", "info", "m", Span("a.journey", 1, 1, 1, 8))
    err = Diagnostic("E002", "undefined-reference", "error", "e", Span("a.journey", 2, 3, 2, 4))
    out = render_github(Report([d, info, err], root="/nowhere")).splitlines()
    assert out[0] == ("::warning file=specs/x%2Cy%3Az.journey,line=3,col=5,endLine=3,endColumn=9,"
                      "title=C003 (off-promise-tone)::100%25 off!%0Abuy: now, please%0Ahelp: did you mean 'empower'?")
    assert out[1].startswith("::notice file=a.journey,line=1,col=1,")
    assert out[2].startswith("::error file=a.journey,line=2,col=3,")
    assert len(out) == 3


def test_github_format_through_the_cli(cli, repo):
    r = run(cli, repo / "specs", "--output-format", "github", "a.journey", "b.journey")
    lines = r.stdout.splitlines()
    assert r.exit_code == 1
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any(line.startswith("::error file=specs/a.journey,line=5,col=55,") and "title=C001" in line
               for line in lines), "paths are relative to the repository root"


# -- JUnit ------------------------------------------------------------------------------------------

JUNIT_XSD = Path(__file__).resolve().parent.parent / "data" / "junit-10.xsd"  # Jenkins xunit plugin's schema


def junit_valid(text: str) -> list[str]:
    """The errors of the document against junit-10.xsd (lxml: libxml2, as xmllint)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(JUNIT_XSD)))
    doc = etree.fromstring(text.encode("utf-8"))
    return [] if schema.validate(doc) else [str(e) for e in schema.error_log]


def test_junit(cli, repo):
    from journeyc.lint.rules import RULES

    r = run(cli, repo, "--output-format", "junit", "--ignore", "S001", "specs")
    assert junit_valid(r.stdout) == []
    root = ET.fromstring(r.stdout)
    assert root.tag == "testsuites" and root.get("skipped") is None
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"specs/a.journey", "specs/b.journey"}
    a = suites["specs/a.journey"]
    cases = {c.get("name"): c for c in a.findall("testcase")}
    assert len(cases) == int(a.get("tests"))
    # a testcase per diagnostic, named by code and location, with one failure
    c001 = cases["C001 contradictory-claims at specs/a.journey:5:55"]
    assert [f.get("type") for f in c001.findall("failure")] == ["error"]
    assert len(cases["X005 unknown-channel at specs/a.journey:5:29"].findall("failure")) == 1
    # the enabled rules that found nothing pass
    assert cases["F002 unreachable-stage"].find("failure") is None
    assert "C001 contradictory-claims" not in cases
    assert all(len(c.findall("failure")) <= 1 for c in cases.values())
    assert int(a.get("failures")) == sum(1 for c in cases.values() if c.find("failure") is not None)
    # info findings are below --fail-on warning: passing testcases, their text in system-out
    (x004,) = [c for name, c in cases.items() if name.startswith("X004 missing-cpe-area at ")]
    assert x004.find("failure") is None and "X004" in x004.find("system-out").text
    b = suites["specs/b.journey"]
    b_cases = {c.get("name"): c for c in b.findall("testcase")}
    assert b_cases["E002 undefined-reference at specs/b.journey:1:19"].find("failure") is not None
    assert b_cases["F001 no-loop-back"].find("skipped") is not None
    assert int(b.get("skipped")) == len(RULES) - 1
    assert int(root.get("tests")) == int(a.get("tests")) + int(b.get("tests"))
    assert int(root.get("failures")) == int(a.get("failures")) + int(b.get("failures"))


def test_junit_failures_follow_fail_on(cli, repo):
    def failures(*options):
        r = run(cli, repo, "--output-format", "junit", *options, "specs/a.journey")
        root = ET.fromstring(r.stdout)
        return r.exit_code, int(root.get("failures")), len(root.findall(".//failure"))

    assert failures("--fail-on", "error") == (1, 1, 1)  # C001 alone
    code, n, elements = failures("--fail-on", "info")
    assert code == 1 and n == elements > 3
    assert failures("--fail-on", "never") == (0, 0, 0)
    # a run that exits 0 shows no failed test
    assert failures("--fail-on", "never", "--ignore", "C001")[0] == 0


def test_junit_counts_agree_for_junitparser(cli, repo):
    from junitparser import Failure, JUnitXml, Skipped

    r = run(cli, repo, "--output-format", "junit", "--fail-on", "info", "specs")
    xml = JUnitXml.fromstring(r.stdout.encode("utf-8"))
    total_tests = total_failures = 0
    for suite in xml:
        cases = list(suite)
        results = [type(res) for case in cases for res in case.result]
        assert suite.tests == len(cases)
        assert suite.failures == results.count(Failure) == sum(1 for c in cases if not c.is_passed
                                                                   and not c.is_skipped)
        assert suite.skipped == results.count(Skipped)
        total_tests += suite.tests
        total_failures += suite.failures
    assert (xml.tests, xml.failures) == (total_tests, total_failures) and total_failures > 3
    before = (xml.tests, xml.failures, xml.errors)
    xml.update_statistics()  # junitparser's own count from the testcases
    assert (xml.tests, xml.failures, xml.errors) == before


def test_junit_cleans_characters_xml_cannot_hold_and_keeps_carriage_returns():
    from journeyc.formats.junit import render_junit

    d = Diagnostic("C003", "off-promise-tone", "warning", "bell\x07 <&> cr\r\nlf", Span("a.journey", 1, 1, 1, 2))
    text = render_junit(Report([d], files=["a.journey"], linted=frozenset({"a.journey"}), enabled=("C003",)))
    assert junit_valid(text) == []
    assert "\r" not in text and "cr&#13;" in text
    root = ET.fromstring(text)
    failure = root.find("testsuite/testcase/failure")
    assert failure.get("message") == "bell\\x07 <&> cr\r\nlf"
    assert failure.text.endswith("bell\\x07 <&> cr\r\nlf")  # the carriage return survives parsing


# -- GitLab ---------------------------------------------------------------------------------------------

def test_gitlab_code_quality(cli, repo):
    r = run(cli, repo / "specs", "--output-format", "gitlab", "a.journey", "b.journey")
    issues = json.loads(r.stdout)
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"].startswith("specs/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    c001 = next(i for i in issues if i["check_name"] == "C001")
    assert c001["severity"] == "major" and c001["description"].startswith("C001 contradictory-claims: claim")
    assert next(i for i in issues if i["check_name"] == "X004")["severity"] == "info"


def test_gitlab_paths_are_relative_to_the_repository_root_from_anywhere(tmp_path):
    repo = tmp_path / "work"
    (repo / ".git").mkdir(parents=True)
    write(repo, "specs/x.journey", A)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, arg in ((elsewhere, "../work/specs/x.journey"), (repo / "specs", "x.journey"),
                     (tmp_path, str(repo / "specs" / "x.journey"))):
        proc = run_journeyc(["check", "--output-format", "gitlab", arg], cwd=cwd)
        assert proc.returncode == 1, proc.stderr
        paths = {i["location"]["path"] for i in json.loads(proc.stdout)}
        assert paths == {"specs/x.journey"}, (cwd, arg)
        # and SARIF's URIs, relative to the same root
        proc = run_journeyc(["check", "--output-format", "sarif", arg], cwd=cwd)
        run_ = json.loads(proc.stdout)["runs"][0]
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]} \
            == {"specs/x.journey"}
        assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"


def test_gitlab_fingerprints_are_unique_for_identical_findings():
    from journeyc.formats.gitlab import render_gitlab

    d = Diagnostic("C003", "off-promise-tone", "warning", "m", Span("a.journey", 1, 1, 1, 2), entity="j/s/t#tone:x")
    twin = Diagnostic("C003", "off-promise-tone", "warning", "m", Span("a.journey", 2, 1, 2, 2), entity="j/s/t#tone:x")
    issues = json.loads(render_gitlab(Report([d, twin], root="/")))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]
    assert issues[1]["fingerprint"] == issues[0]["fingerprint"] + ":2"


# -- statistics ------------------------------------------------------------------------------------------

def test_statistics(cli, repo):
    r = run(cli, repo, "--statistics", "specs")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[-1].split() == [str(len(json.loads(run(cli, repo, "--output-format", "json", "specs").stdout)
                                         ["diagnostics"])), "total"]
    assert any(line.split()[1:3] == ["C001", "contradictory-claims"] for line in lines[:-1])
    doc = json.loads(run(cli, repo, "--statistics", "--output-format", "json", "specs").stdout)
    counts = [d["count"] for d in doc]
    assert counts == sorted(counts, reverse=True)
    assert {"code": "E002", "name": "undefined-reference", "severity": "error", "count": 1} in doc
    r = run(cli, repo, "--statistics", "--output-format", "sarif", "specs")
    assert r.exit_code == 2


def test_statistics_of_a_clean_run(cli, tmp_path):
    write(tmp_path, "a.journey", "journey j { stage a { } }\n")
    r = run(cli, tmp_path, "--statistics", "--select", "C", "a.journey")
    assert r.exit_code == 0 and r.stdout == "No diagnostics.\n"


# -- baselines --------------------------------------------------------------------------------------------

def json_codes(r) -> list[str]:
    return [d["code"] for d in json.loads(r.stdout)["diagnostics"]]


def test_baseline_records_and_absorbs_findings(cli, repo):
    r = run(cli, repo, "--write-baseline", "baseline.json", "--output-format", "json", "specs")
    assert json_codes(r) == ["E002"], "compile errors are never baselined"
    assert r.exit_code == 1
    doc = json.loads((repo / "baseline.json").read_text())
    assert doc["version"] == 1
    files = {f["file"] for f in doc["findings"]}
    assert files == {"specs/a.journey"}
    assert {"code": "C001", "file": "specs/a.journey", "entity": "a/s/t2#claim:trial", "count": 1} \
        .items() <= next(f for f in doc["findings"] if f["code"] == "C001").items()
    assert [p.name for p in repo.iterdir() if p.name.startswith(".baseline")] == []

    write(repo, "specs/b.journey", "journey b { stage s { phase conversion touchpoint r { recovery } } }\n")
    r = run(cli, repo, "--baseline", "baseline.json", "--output-format", "json", "specs/a.journey")
    assert json_codes(r) == [] and r.exit_code == 0


def test_baseline_survives_line_moves_and_reports_new_findings(cli, repo):
    write(repo, "specs/b.journey", "journey b { stage s { phase conversion touchpoint r { recovery } } }\n")
    run(cli, repo, "--write-baseline", "baseline.json", "specs")
    moved = "# moved down\n\n" + A.replace('    touchpoint t2', '    touchpoint t3 { channel web message "7" { claim trial = 7 days } }\n    touchpoint t2')
    write(repo, "specs/a.journey", moved)
    r = run(cli, repo, "--baseline", "baseline.json", "--output-format", "json", "specs")
    new = json.loads(r.stdout)["diagnostics"]
    assert [(d["code"], d["line"]) for d in new] == [("C001", 7)]
    assert "7 days" in new[0]["message"]
    # Run from another folder: the baseline's paths are relative to the baseline itself.
    r = run(cli, repo / "specs", "--baseline", "../baseline.json", "--output-format", "json", ".")
    assert [d["code"] for d in json.loads(r.stdout)["diagnostics"]] == ["C001"]


def test_baseline_counts_identical_fingerprints(cli, tmp_path):
    spec = 'journey j { promise "p" { tone calm } stage s { touchpoint t { message "a" { tone loud } message "b" { tone loud } } } }\n'
    write(tmp_path, "a.journey", spec)
    run(cli, tmp_path, "--select", "C003", "--write-baseline", "base.json", "a.journey")
    assert json.loads((tmp_path / "base.json").read_text())["findings"][0]["count"] == 2
    write(tmp_path, "a.journey", spec.replace('message "b"', 'message "b" { tone loud } message "c"'))
    r = run(cli, tmp_path, "--select", "C003", "--baseline", "base.json", "--output-format", "json", "a.journey")
    assert json_codes(r) == ["C003"]


@pytest.mark.parametrize("content, words", [
    (None, ["cannot read the baseline"]),
    ("{not json", ["not a journeyc baseline"]),
    ('{"version": 9, "findings": []}', ["not a journeyc baseline"]),
    ('{"version": 1, "findings": [{"code": "C001"}]}', ["finding 1 is malformed"]),
])
def test_bad_baseline_exits_2(cli, tmp_path, content, words):
    write(tmp_path, "a.journey", A)
    if content is not None:
        write(tmp_path, "base.json", content)
    r = run(cli, tmp_path, "--baseline", "base.json", "a.journey")
    assert r.exit_code == 2
    for w in words:
        assert w in r.output


def test_baseline_options_are_exclusive(cli, tmp_path):
    write(tmp_path, "a.journey", A)
    r = run(cli, tmp_path, "--baseline", "x.json", "--write-baseline", "y.json", "a.journey")
    assert r.exit_code == 2 and "not both" in r.output


def test_write_baseline_as_a_subprocess(tmp_path):
    write(tmp_path, "a.journey", A)
    proc = run_journeyc(["check", "--write-baseline", "b.json", "a.journey"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"recorded" in proc.stderr
    assert json.loads((tmp_path / "b.json").read_text())["findings"]


# -- text ------------------------------------------------------------------------------------

def test_related_locations_in_text_output(cli, repo):
    r = run(cli, repo / "specs", "a.journey")
    assert "note: 'trial' = 14 days claimed here at a.journey:4:" in r.stdout
    assert "help: did you mean 'email'?" in r.stdout


# -- SARIF within GitHub's limits --------------------------------------------------------------------

def many_findings(stages: int, errors: int, infos: int) -> str:
    """A spec with about 3 warnings per stage (M001, O001, F002), `errors`
    contradictory claims (C001) and `infos` unused KPIs (M007)."""
    lines = [f"kpi unused{i} {{ target >= 1 source first_party }}" for i in range(infos)]
    lines += ["journey big {", "  stage s0 { entry"]
    lines += [f'    touchpoint t{i} {{ channel email message "m{i}" {{ claim price = {i} USD }} }}'
              for i in range(errors + 1)]
    lines.append("  }")
    lines += [f"  stage s{i} {{ }}" for i in range(1, stages)]
    return "\n".join(lines) + "\n}\n"


def test_sarif_keeps_the_most_severe_results_within_githubs_limit(cli, tmp_path):
    import jsonschema

    from journeyc.formats.sarif import MAX_RESULTS

    (tmp_path / ".git").mkdir()
    write(tmp_path, "big.journey", many_findings(10_000, errors=50, infos=100))
    every = json.loads(run(cli, tmp_path, "--output-format", "json", "big.journey").stdout)["diagnostics"]
    severities = Counter(d["severity"] for d in every)
    assert len(every) > 30_000 and severities["error"] == 50 and severities["info"] == 101
    doc = sarif(cli, tmp_path, "big.journey")
    run_ = doc["runs"][0]
    results = run_["results"]
    assert len(results) == MAX_RESULTS == 25_000
    levels = Counter(r["level"] for r in results)
    assert levels == {"error": 50, "warning": MAX_RESULTS - 50}  # every error kept, every info left out
    left = len(every) - MAX_RESULTS
    (notification,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "warning"
    assert notification["message"]["text"] == (
        f"journeyc found {len(every):,} results; GitHub code scanning accepts at most 25,000 per run, so the "
        f"{left:,} least severe were left out ({left - 101:,} warnings and 101 infos). Run `journeyc check` with "
        "another output format to see every finding.")
    # the kept results stay in the order of the diagnostics
    order = [(r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]) for r in results]
    assert order == sorted(order)
    # the document is valid SARIF (validated with a sample of the results, for time)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    run_["results"] = results[:50] + results[-50:]
    assert sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str) == []


def test_sarif_under_the_limit_has_no_notification(cli, repo):
    invocation = sarif(cli, repo)["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": True}


def test_sarif_stays_within_githubs_other_limits(cli, repo):
    from journeyc.formats import sarif as s

    doc = sarif(cli, repo)
    assert len(doc["runs"]) <= s.MAX_RUNS
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) <= s.MAX_RULES
    assert all(len(r["properties"]["tags"]) <= s.MAX_TAGS for r in rules)
    # a result's locations (its own and the related ones) are capped
    from journeyc.diagnostics import Diagnostic, Related

    span = Span("a.journey", 1, 1, 1, 2)
    d = Diagnostic("C001", "contradictory-claims", "error", "m", span,
                   related=tuple(Related(span._replace(line=i), f"r{i}") for i in range(1, 2001)))
    (result,) = json.loads(s.render_sarif(Report([d], root=str(repo))))["runs"][0]["results"]
    assert len(result["locations"]) + len(result["relatedLocations"]) == s.MAX_LOCATIONS


def _reference_json(diagnostics, files):
    """The JSON document as json.dumps writes it (what iter_json writes directly)."""
    import json

    from journeyc.render import JSON_VERSION, diagnostic_to_json, summary

    doc = {"version": JSON_VERSION, "diagnostics": [diagnostic_to_json(d) for d in diagnostics],
           "summary": summary(diagnostics, files)}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_json_output_is_json_dumps_byte_for_byte(tmp_path):
    from journeyc import check as run_check
    from journeyc.diagnostics import Diagnostic, Related
    from journeyc.model import Span
    from journeyc.render import iter_json, render_json

    generate_rich = benchmark_module("generate_rich")
    generated = run_check([generate_rich.generate(tmp_path / "rich", 300)])
    hostile = "\"\\\n\t\x00\x1f\x7f</script>\u2028\u00e9\U0001f600 \ud800"
    span = Span(hostile, 1, 2, 3, 4)
    made = [Diagnostic("C001", "n", "error", hostile, span, (Related(span, hostile), Related(span, "x")), hostile),
            Diagnostic("X004", "n", "info", "m", span, (), None, "e")]
    for diagnostics in ([], made, generated, run_check([str(SPECS)])):
        for files in (0, 7):
            expected = _reference_json(diagnostics, files)
            assert render_json(diagnostics, files) == expected
            assert "".join(iter_json(diagnostics, files, batch=3)) == expected

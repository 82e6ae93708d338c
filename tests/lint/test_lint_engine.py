"""The lint engine: rules run only on compilations without compile errors,
run-level facts, dedupe across compilations, determinism, suppression
details, and a crashing rule reported on one line (exit 2)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write

import journeyc
from journeyc.config import Config, from_table
from journeyc.diagnostics import WARNING
from journeyc.lint import lint
from journeyc.lint import rules as registry
from journeyc.lint.rule import rule

CLEAN_ENOUGH = "journey ok { stage a { phase conversion touchpoint r { recovery } } }\n"


def diags(result) -> list[dict]:
    return json.loads(result.stdout)["diagnostics"]


def test_lint_runs_only_on_compilations_without_compile_errors(cli, tmp_path):
    write(tmp_path, "broken.journey", "journey broken { owner nobody stage a { } }\n")
    write(tmp_path, "fine.journey", "journey fine { stage a { } }\n")
    r = cli(["check", "--output-format", "json", "."], cwd=tmp_path)
    found = {(os.path.normpath(d["file"]), d["code"]) for d in diags(r)}
    assert ("broken.journey", "E002") in found
    assert not any(f == "broken.journey" and c != "E002" for f, c in found)
    assert ("fine.journey", "F004") in found
    assert r.exit_code == 1


def test_a_shared_file_is_linted_once_however_many_roots_import_it(cli, tmp_path):
    write(tmp_path, "shared.journey", "journey shared { stage a { } }\n")
    write(tmp_path, "a.journey", 'import "shared.journey"\n' + CLEAN_ENOUGH)
    write(tmp_path, "b.journey", 'import "shared.journey"\n' + CLEAN_ENOUGH.replace("ok", "ok2"))
    r = cli(["check", "--output-format", "json", "a.journey", "b.journey", "shared.journey"], cwd=tmp_path)
    shared = [(d["line"], d["code"]) for d in diags(r) if d["file"] == "shared.journey"]
    assert len(shared) == len(set(shared)) == 5
    assert shared.count((1, "F004")) == 1


def test_related_locations_of_one_diagnostic_from_two_compilations_are_merged(tmp_path):
    # The same C001 (same code and location) with different related claims in two compilations.
    write(tmp_path, "shared.journey", 'journey s { stage a { touchpoint t { message "x" { claim days = 30 } } } }\n')
    write(tmp_path, "a.journey", 'journey a { stage a { touchpoint ta { message "x" { claim days = 14 } } } }\n'
                                 'import "shared.journey"\n')
    write(tmp_path, "b.journey", 'journey b { stage a { touchpoint tb { message "x" { claim days = 7 } } } }\n'
                                 'import "shared.journey"\n')
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        found = [d for d in journeyc.check(["a.journey", "b.journey"]) if d.code == "C001"]
    finally:
        os.chdir(old)
    assert len(found) == 1
    assert [(r.span.file, r.span.line) for r in found[0].related] == [("a.journey", 1), ("b.journey", 1)]


def test_run_level_facts_span_every_compilation(tmp_path):
    write(tmp_path, "catalog.journey", "owner team\nkpi k { source first_party }\n")
    write(tmp_path, "a.journey", 'import "catalog.journey"\njourney a { stage s { measure k target >= 1 } }\n')
    write(tmp_path, "b.journey", 'import "catalog.journey"\njourney b { owner team stage s { measure k } }\n')
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        alone = {d.code for d in journeyc.check(["b.journey"]) if d.span.file == "catalog.journey"}
        together = {d.code for d in journeyc.check(["."]) if d.span.file == "catalog.journey"}
        catalog_alone = {d.code for d in journeyc.check(["catalog.journey"])}
    finally:
        os.chdir(old)
    assert alone == {"M004"}  # b gives k no target; a is not part of this run
    assert together == set()  # a gives the target, b uses the owner
    assert catalog_alone == {"M007", "O002"}


def test_output_is_sorted_and_deterministic(tmp_path):
    spec = tmp_path / "spec.journey"
    spec.write_text("owner z\nowner y\n" + "\n".join(
        f'journey j{i} {{ stage a {{ touchpoint t {{ channel c{i} score 1 }} }} }}' for i in range(30)) + "\n")
    outputs = set()
    for seed in ("0", "1", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "journeyc", "check", "--output-format", "json", str(spec)],
                              capture_output=True, env=env, cwd=tmp_path)
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    ds = json.loads(outputs.pop())["diagnostics"]
    assert ds == sorted(ds, key=lambda d: (d["file"], d["line"], d["column"], d["code"]))


# -- suppression -------------------------------------------------------------------------------------

SUPPRESSED = """\
owner team
journey j {  # journeyc: ignore[X004] -- areas live in the other journey
  owner team
  stage a { phase conversion -> b }  # journeyc: ignore[M001]
  stage b { touchpoint r { recovery } -> a }  # journeyc: ignore[M001, O001]
}
"""


def test_suppressed_findings_and_s001(cli, tmp_path):
    write(tmp_path, "s.journey", SUPPRESSED)
    got = [(d["line"], d["code"]) for d in diags(cli(["check", "--output-format", "json", "s.journey"], cwd=tmp_path))]
    # b is post-sale and M002 speaks for it (line 2), so line 5's M001 never fires: S001 there.
    assert got == [(2, "M002"), (5, "S001")]


def test_s001_respects_selection(cli, tmp_path):
    write(tmp_path, "s.journey", SUPPRESSED)

    def got(*args):
        return [(d["line"], d["code"]) for d in diags(cli(["check", "--output-format", "json", *args, "s.journey"],
                                                            cwd=tmp_path))]

    assert got("--ignore", "S001") == [(2, "M002")]
    # Comments that name only rules that are not enabled are not reported.
    assert got("--select", "S001") == []
    assert got("--select", "S001,O") == [(5, "S001")]
    # A suppression counts as used when its rule fires, enabled or not.
    assert got("--select", "S001,M004") == []


def test_suppression_does_not_hide_compile_errors_and_is_not_judged_without_lint(cli, tmp_path):
    write(tmp_path, "e.journey", "journey j {  # journeyc: ignore\n  owner nobody  # journeyc: ignore[E002]\n"
                                 "  stage a { }\n}\n")
    r = cli(["check", "--output-format", "json", "e.journey"], cwd=tmp_path)
    assert [(d["line"], d["code"]) for d in diags(r)] == [(2, "E002")]


def test_directive_forms():
    from journeyc.model import Comment, SourceFile, Span
    from journeyc.suppress import parse_suppressions

    def parse(text, alone=False):
        src = SourceFile("f", "f", "", (), (Comment(text, Span("f", 3, 1, 3, 1 + len(text)), alone),))
        found = parse_suppressions(src)
        return [(s.target_line, None if s.codes is None else sorted(s.codes)) for s in found]

    assert parse("# journeyc: ignore") == [(3, None)]
    assert parse("# journeyc: ignore", alone=True) == [(4, None)]
    assert parse("#journeyc:ignore[M001,O001] because") == [(3, ["M001", "O001"])]
    assert parse("# journeyc: ignore [ X001 ]") == [(3, ["X001"])]
    assert parse("# expect: M001  # journeyc: ignore[F002]") == [(3, ["F002"])]
    assert parse("# journeyc: ignored") == []
    assert parse("# journeyc: ignore-me") == []
    assert parse("# about journeyc") == []


# -- a rule that raises ------------------------------------------------------------------------------------

@rule("Z999", "always-fails", WARNING, "Fails.", bad="journey j { stage a { } }", good="journey j { stage a { } }")
def always_fails(r, ctx):
    """A rule that divides by zero, to test that the engine reports a crash on one line."""
    yield from ()
    1 / 0


@pytest.fixture
def failing_rule(monkeypatch):
    monkeypatch.setattr(registry, "RULES", registry.RULES + (always_fails,))


def test_a_crashing_rule_is_one_line_and_exit_2(cli, tmp_path, failing_rule):
    write(tmp_path, "a.journey", CLEAN_ENOUGH)
    r = cli(["check", "a.journey"], cwd=tmp_path)
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("journeyc: internal error in rule Z999 (always-fails): ZeroDivisionError: division by zero")
    assert "Traceback" not in r.output


def test_a_crashing_rule_with_debug_shows_the_traceback(cli, tmp_path, failing_rule):
    write(tmp_path, "a.journey", CLEAN_ENOUGH)
    r = cli(["--debug", "check", "a.journey"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "Traceback (most recent call last)" in r.output
    assert "always_fails" in r.output and "ZeroDivisionError" in r.output


def test_a_crashing_rule_through_the_api(tmp_path, failing_rule):
    from journeyc.lint import RuleCrash

    write(tmp_path, "a.journey", CLEAN_ENOUGH)
    with pytest.raises(RuleCrash) as info:
        journeyc.check(tmp_path / "a.journey")
    assert info.value.rule is always_fails and isinstance(info.value.error, ZeroDivisionError)


def test_a_crashing_rule_as_a_subprocess(tmp_path):
    """The crash report of the installed command, through a rule injected
    with a small wrapper module."""
    write(tmp_path, "a.journey", CLEAN_ENOUGH)
    wrapper = tmp_path / "inject.py"
    wrapper.write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(REPO / 'tests')!r}, {str(Path(__file__).resolve().parent)!r}]\n"
        "from journeyc.lint import rules\n"
        "from test_lint_engine import always_fails\n"
        "rules.RULES = rules.RULES + (always_fails,)\n"
        "from journeyc.cli import main\n"
        "main(prog_name='journeyc')\n")
    proc = subprocess.run([sys.executable, str(wrapper), "check", "a.journey"], capture_output=True, cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.startswith("journeyc: internal error in rule Z999 (always-fails): ZeroDivisionError")
    assert err.count("\n") == 1 and "Traceback" not in err


# -- the API ---------------------------------------------------------------------------------------------

def test_lint_api_with_a_configuration(tmp_path):
    comp, _ = journeyc.compile_source("journey j { stage a { } }\n", filename=str(tmp_path / "x.journey"))
    assert {d.code for d in lint([comp])} == {"F004", "X001", "X004", "M001", "O001"}
    assert {d.code for d in lint([comp], from_table({"select": ["X"]}))} == {"X001", "X004"}
    assert {d.code for d in lint([comp], Config(select=("O",)))} == {"O001"}
    assert lint([]) == []


def test_every_lint_finding_has_an_entity_path(tmp_path):
    text = (REPO.parent / "shared" / "conformance" / "cases" / "c001_contradictory_claims.journey")
    if not text.exists():
        pytest.skip("no conformance cases")
    found = journeyc.check(text)
    assert found and all(d.entity for d in found if not d.is_compile_error)
    c001 = next(d for d in found if d.code == "C001")
    assert c001.entity == "j/a/rep#claim:trial_days"


# -- the collector during lint -------------------------------------------------------------------------------

def test_a_large_lint_runs_with_the_cyclic_collector_paused(tmp_path):
    """Lint of a large run pauses the collector (journeyc.gcpause), through
    the API too, and resumes it afterwards; a small run leaves it alone."""
    import gc

    from journeyc.load import Session
    from journeyc.resolve import resolve

    seen = []

    @rule("Z998", "collector-state", WARNING, "Records the collector's state.",
          bad="journey j { stage a { } }", good="journey j { stage a { } }")
    def collector_state(r, ctx):
        """Records whether the cyclic collector is on while rules run."""
        seen.append(gc.isenabled())
        yield from ()

    def lint_of(text: str) -> None:
        main = write(tmp_path, "main.journey", text)
        files, errors = Session().collect(str(main))
        comp, resolve_errors = resolve([lf.module for lf in files], str(main))
        assert comp is not None and not errors and not resolve_errors
        lint([comp], rules=(collector_state,))

    assert gc.isenabled()
    lint_of("".join(f'owner team{i} "Team {i}" {{ description "The team number {i}" }}\n' for i in range(3000)))
    lint_of('owner team "Team"\n')
    assert seen == [False, True] and gc.isenabled()

"""Runs over many files on several processes (journeyc.parallel) print
exactly what a run in one process prints."""
from __future__ import annotations

import json

import pytest

from journeyc import parallel, workers
from journeyc.parallel import run_check
from journeyc.lint import RuleCrash

from conftest import CASES, run_journeyc, write


def make_tree(tmp_path, count=60):
    """Many small specs, a catalogue several import, a cycle, suppressions
    and run-level facts (unused KPIs and owners in a shared file)."""
    write(tmp_path, "journeyc.toml", "")  # the project root: imports of ../catalog.journey stay inside
    write(tmp_path, "specs/catalog.journey",
          'owner shared_team\nkpi shared_kpi { target >= 1 source first_party }\n'
          'kpi never_used { target >= 1 source first_party }  # journeyc: ignore[M007]\n')
    for i in range(count):
        body = (f'import "../catalog.journey"\njourney j{i} {{ owner shared_team stage a {{ measure shared_kpi '
                f'touchpoint t {{ channel {"emial" if i % 7 == 0 else "email"} score {1 + i % 5} }} -> b }} '
                f'stage b {{ phase conversion -> a }} }}  # journeyc: ignore[X004]\n'
                if i % 3 else f'journey solo{i} {{ stage a {{ owner nobody{i % 2} }} }}\n')
        write(tmp_path, f"specs/team{i % 4}/spec{i:03d}.journey", body)
    write(tmp_path, "specs/loop/a.journey", 'import "b.journey"\njourney la { stage s { } }\n')
    write(tmp_path, "specs/loop/b.journey", 'import "a.journey"\n')
    write(tmp_path, "specs/broken.journey", "journey x { stage {\n")
    return tmp_path / "specs"


def test_workers_are_used_only_for_many_files(tmp_path):
    make_tree(tmp_path, count=10)
    assert parallel.workers_for([str(tmp_path / "specs")], None) == 1
    make_tree(tmp_path, count=60)
    assert parallel.workers_for([str(tmp_path / "specs")], 2) == 2
    assert parallel.workers_for([str(tmp_path / "specs")], 1) == 1
    assert parallel.workers_for([str(tmp_path / "specs" / "catalog.journey")], 2) == 1


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "github", "junit", "gitlab"])
def test_same_bytes_with_and_without_workers(tmp_path, fmt):
    make_tree(tmp_path)
    serial = run_journeyc(["check", "--jobs", "1", "--output-format", fmt, "specs"], cwd=tmp_path)
    several = run_journeyc(["check", "--jobs", "2", "--output-format", fmt, "specs"], cwd=tmp_path)
    assert serial.returncode == several.returncode == 1
    assert several.stdout == serial.stdout
    assert b"Traceback" not in several.stderr


def test_run_level_facts_and_cycles_are_judged_once(tmp_path):
    specs = make_tree(tmp_path)
    serial = run_check([str(specs)], jobs=1)
    several = run_check([str(specs)], jobs=2)
    assert several.diagnostics == serial.diagnostics
    assert (several.files, several.paths, several.linted) == (serial.files, serial.paths, serial.linted)
    codes = [d.code for d in several.diagnostics]
    assert codes.count("E005") == 1 and "X005" in codes and "X001" in codes
    assert "M007" not in codes and "O002" not in codes  # the shared catalogue is used, and suppressed


def test_a_crashing_rule_in_a_worker_names_the_rule(tmp_path, monkeypatch):
    from journeyc.lint import rules

    specs = make_tree(tmp_path)

    def boom(r, ctx):
        raise ZeroDivisionError("injected")

    # Rules are immutable: the registry gets a copy of X001 with the failing check
    # (the forked workers inherit it).
    monkeypatch.setattr(rules, "RULES", tuple(r._replace(check=boom) if r.code == "X001" else r
                                              for r in rules.RULES))
    with pytest.raises(RuleCrash) as caught:
        run_check([str(specs)], jobs=2)
    assert "X001" in str(caught.value) and "ZeroDivisionError: injected" in str(caught.value)
    assert "boom" in caught.value.error.trace


def test_conformance_cases_with_workers():
    serial = run_journeyc(["check", "--jobs", "1", "--output-format", "json", "."], cwd=CASES)
    several = run_journeyc(["check", "--jobs", "2", "--output-format", "json", "."], cwd=CASES)
    assert json.loads(several.stdout) == json.loads(serial.stdout)


def test_scan_reads_each_file_once_however_long_the_import_chain(tmp_path, monkeypatch):
    """A chain of imports is followed once, not once per file of it (that
    was quadratic)."""
    from journeyc import load
    from journeyc.load import Session

    write(tmp_path, "journeyc.toml", "")
    n = 300
    for i in range(n):
        write(tmp_path, f"chain/f{i}.journey", f'import "f{(i + 1) % n}.journey"\nowner o{i}\n')
    reads = []
    real_load_text = load.load_text
    monkeypatch.setattr(load, "load_text", lambda data, path, real=None, *rest: reads.append(real) or
                        real_load_text(data, path, real, *rest))
    files = [str(tmp_path / f"chain/f{i}.journey") for i in range(n)]
    edges = workers._scan(Session(), files)
    assert len(edges) == n and len(reads) == n == len(set(reads))
    serial = run_check([str(tmp_path / "chain")], jobs=1)
    several = run_check([str(tmp_path / "chain")], jobs=2)
    assert several.diagnostics == serial.diagnostics and [d.code for d in serial.diagnostics] == ["E005"]

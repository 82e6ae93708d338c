"""Compilations: compile order, imports (E004, E005), display paths,
each file read once."""
from __future__ import annotations

import os
from pathlib import Path

from journeyc.compiler import compile_root, discover_roots, run_check
from journeyc.load import Session

from conftest import CASES, write


def test_compile_order_is_depth_first_and_a_diamond_is_read_once(tmp_path, monkeypatch, opened):
    write(tmp_path, "main.journey", 'import "a/a.journey"\nimport "b.journey"\njourney j { owner o stage s { } }\n')
    write(tmp_path, "a/a.journey", 'import "../common.journey"\nimport "../b.journey"\n')
    write(tmp_path, "b.journey", 'import "common.journey"\n')
    write(tmp_path, "common.journey", "owner o\n")
    monkeypatch.chdir(tmp_path)
    result = compile_root(Session(), "main.journey")
    assert result.errors == []
    assert result.compilation.sources == ["main.journey", "a/a.journey", "common.journey", "b.journey"]
    assert sorted(os.path.basename(p) for p in opened) == ["a.journey", "b.journey", "common.journey", "main.journey"]


def test_imported_file_paths_are_the_importers_path_joined(tmp_path, monkeypatch):
    write(tmp_path, "specs/main.journey", 'import "catalog/../catalog/x.journey"\njourney j { stage s { owner nobody } }\n')
    write(tmp_path, "specs/catalog/x.journey", "owner o\nowner o\n")
    monkeypatch.chdir(tmp_path)
    run = run_check(["specs/main.journey"])
    # sorted by file, line, column, code
    assert [(d.code, d.span.file, d.span.line) for d in run.diagnostics] == [
        ("E003", "specs/catalog/x.journey", 2), ("E002", "specs/main.journey", 2)]


def test_e004_missing_and_folder(tmp_path, monkeypatch):
    write(tmp_path, "main.journey", 'import "nope.journey"\nimport "dir"\njourney j { stage s { } }\n')
    (tmp_path / "dir").mkdir()
    monkeypatch.chdir(tmp_path)
    run = run_check(["main.journey"])
    assert [(d.code, d.span.line, d.span.column) for d in run.diagnostics] == [("E004", 1, 8), ("E004", 2, 8)]
    assert "does not exist" in run.diagnostics[0].message and "is a folder" in run.diagnostics[1].message


def test_e005_cycle_spelled_out_and_reported_once(tmp_path, monkeypatch):
    write(tmp_path, "a.journey", 'import "b.journey"\njourney j { stage s { } }\n')
    write(tmp_path, "b.journey", 'import "c.journey"\n')
    write(tmp_path, "c.journey", 'import "a.journey"\n')
    monkeypatch.chdir(tmp_path)
    run = run_check(["a.journey", "b.journey"])
    e005 = [d for d in run.diagnostics if d.code == "E005"]
    assert len(e005) == 1
    assert e005[0].span.file == "c.journey"
    assert "a.journey -> b.journey -> c.journey -> a.journey" in e005[0].message


def test_a_file_importing_itself(tmp_path, monkeypatch):
    write(tmp_path, "self.journey", 'import "self.journey"\njourney j { stage s { } }\n')
    monkeypatch.chdir(tmp_path)
    (d,) = run_check(["self.journey"]).diagnostics
    assert d.code == "E005" and "self.journey -> self.journey" in d.message


def test_load_errors_hide_the_other_compile_errors(tmp_path, monkeypatch):
    write(tmp_path, "main.journey", 'import "broken.journey"\njourney j { owner nobody stage s { } }\n')
    write(tmp_path, "broken.journey", "owner o {\n")
    monkeypatch.chdir(tmp_path)
    run = run_check(["main.journey"])
    assert [d.code for d in run.diagnostics] == ["E001"]


def test_roots_of_a_folder(tmp_path, monkeypatch):
    write(tmp_path, "specs/a.journey", 'import "lib/shared.journey"\njourney a { stage s { } }\n')
    write(tmp_path, "specs/b.journey", 'import "lib/shared.journey"\njourney b { stage s { } }\n')
    write(tmp_path, "specs/lib/shared.journey", "owner o\n")
    write(tmp_path, "specs/loop/x.journey", 'import "y.journey"\n')
    write(tmp_path, "specs/loop/y.journey", 'import "x.journey"\n')
    monkeypatch.chdir(tmp_path)
    assert discover_roots(Session(), ["specs"]) == ["specs/a.journey", "specs/b.journey", "specs/loop/x.journey"]
    # a file named on the command line is a root even when others import it
    assert discover_roots(Session(), ["specs/lib/shared.journey", "specs"])[0] == "specs/lib/shared.journey"


def test_conformance_imports_ok_case():
    import os

    old = os.getcwd()
    os.chdir(CASES / "imports_ok")
    try:
        run = run_check(["main.journey"])
    finally:
        os.chdir(old)
    assert [(d.code, d.span.file, d.span.line) for d in run.diagnostics] == [("E002", "main.journey", 8)]

"""Imports stay inside the project (LANGUAGE.md, E010): an import that
resolves, symbolic links followed, outside the project root is refused
without the file being opened; an absolute path always is;
`--allow-imports-outside-root` lifts the first. Cycles (E005), a file
importing itself, diamonds read once, files that are not regular files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeyc import load
from journeyc.compiler import compile_root, run_check
from journeyc.load import JourneycError, Session

from conftest import write
from reliability import assert_answered, cli


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write(root, "journeyc.toml", "")
    write(tmp_path, "outside.journey", "owner secret\n")
    return root


def codes(result):
    return [(d.code, d.span.line, d.span.column) for d in result.errors]


def test_relative_import_out_of_the_project_is_refused_unread(tmp_path, monkeypatch, opened):
    root = project(tmp_path)
    write(root, "specs/main.journey", 'owner o\nimport "../../outside.journey"\n')
    monkeypatch.chdir(root)
    result = compile_root(Session(), "specs/main.journey")
    assert codes(result) == [("E010", 2, 8)]
    assert "outside the project root" in result.errors[0].message
    assert str(tmp_path / "outside.journey") not in opened


def test_a_symbolic_link_out_of_the_project_is_refused_unread(tmp_path, monkeypatch, opened):
    root = project(tmp_path)
    write(root, "main.journey", 'import "linked.journey"\n')
    (root / "linked.journey").symlink_to(tmp_path / "outside.journey")
    (root / "folder").symlink_to(tmp_path)
    write(root, "second.journey", 'import "folder/outside.journey"\n')
    monkeypatch.chdir(root)
    assert codes(compile_root(Session(), "main.journey")) == [("E010", 1, 8)]
    assert codes(compile_root(Session(), "second.journey")) == [("E010", 1, 8)]
    assert str(tmp_path / "outside.journey") not in opened


def test_a_symbolic_link_inside_the_project_is_followed(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root, "lib/owners.journey", "owner o\n")
    write(root, "main.journey", 'import "alias.journey"\njourney j { owner o stage s { } }\n')
    (root / "alias.journey").symlink_to(root / "lib" / "owners.journey")
    monkeypatch.chdir(root)
    assert compile_root(Session(), "main.journey").errors == []


@pytest.mark.parametrize("allow", [False, True])
def test_an_absolute_path_is_always_refused(tmp_path, monkeypatch, opened, allow):
    root = project(tmp_path)
    write(root, "inside.journey", "owner o\n")
    write(root, "main.journey", f'import "{root / "inside.journey"}"\nimport "/etc/passwd"\n')
    monkeypatch.chdir(root)
    result = compile_root(Session(allow_imports_outside_root=allow), "main.journey")
    assert codes(result) == [("E010", 1, 8), ("E010", 2, 8)]
    assert all("absolute path" in d.message for d in result.errors)
    assert "/etc/passwd" not in opened and str(root / "inside.journey") not in opened


def test_the_option_lifts_the_project_root(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root, "main.journey", 'import "../outside.journey"\njourney j { owner secret stage s { } }\n')
    monkeypatch.chdir(root)
    assert codes(compile_root(Session(), "main.journey")) == [("E010", 1, 8)]
    assert compile_root(Session(allow_imports_outside_root=True), "main.journey").errors == []
    result = cli(["check", "--allow-imports-outside-root", "--output-format", "json", "main.journey"], cwd=root)
    assert_answered(result)
    assert '"E010"' not in result.stdout


@pytest.mark.parametrize("marker", ["journeyc.toml", "pyproject.toml", ".git"])
def test_the_project_root_is_the_nearest_folder_with_a_marker(tmp_path, monkeypatch, marker):
    top = tmp_path / "top"
    (top / marker).parent.mkdir(parents=True, exist_ok=True)
    if marker == ".git":
        (top / ".git").mkdir()
    else:
        (top / marker).write_text("", encoding="utf-8")
    write(top, "shared/owners.journey", "owner o\n")
    write(top, "teams/a/main.journey", 'import "../../shared/owners.journey"\njourney j { owner o stage s { } }\n')
    write(tmp_path, "beyond.journey", "owner b\n")
    write(top, "teams/a/bad.journey", 'import "../../../beyond.journey"\n')
    monkeypatch.chdir(tmp_path)
    assert compile_root(Session(), "top/teams/a/main.journey").errors == []
    assert [d.code for d in compile_root(Session(), "top/teams/a/bad.journey").errors] == ["E010"]


def test_without_a_marker_the_root_files_folder_is_the_project(tmp_path, monkeypatch):
    write(tmp_path, "plain/sub/main.journey", 'import "../lib.journey"\n')
    write(tmp_path, "plain/lib.journey", "owner o\n")
    monkeypatch.chdir(tmp_path)
    if any((p / m).exists() for p in (tmp_path, *tmp_path.parents) for m in ("journeyc.toml", "pyproject.toml", ".git")):
        pytest.skip("a project marker above the temporary folder")
    assert [d.code for d in compile_root(Session(), "plain/sub/main.journey").errors] == ["E010"]


# ---- cycles ------------------------------------------------------------------------

def test_a_cycle_is_spelled_out_at_the_import_that_closes_it(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root, "a.journey", 'import "b.journey"\nowner a\n')
    write(root, "b.journey", 'owner b\nimport "c.journey"\n')
    write(root, "c.journey", '\n\nimport "a.journey"\n')
    monkeypatch.chdir(root)
    result = compile_root(Session(), "a.journey")
    (d,) = result.errors
    assert (d.code, d.span.file, d.span.line) == ("E005", "c.journey", 3)
    assert "a.journey -> b.journey -> c.journey -> a.journey" in d.message


def test_a_file_importing_itself(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root, "self.journey", 'owner o\nimport "./self.journey"\n')
    monkeypatch.chdir(root)
    (d,) = compile_root(Session(), "self.journey").errors
    assert (d.code, d.span.line) == ("E005", 2)
    assert "self.journey -> self.journey" in d.message


def test_each_cycle_once_per_run(tmp_path, monkeypatch):
    root = project(tmp_path)
    write(root, "a.journey", 'import "b.journey"\n')
    write(root, "b.journey", 'import "a.journey"\n')
    write(root, "c.journey", 'import "a.journey"\njourney j { stage s { } }\n')
    monkeypatch.chdir(root)
    run = run_check(["c.journey", "a.journey", "b.journey"], Session())
    assert [d.code for d in run.diagnostics] == ["E005"]


def test_a_long_cycle_is_named_without_flooding_the_message(tmp_path, monkeypatch):
    root = project(tmp_path)
    n = 500
    for i in range(n):
        write(root, f"f{i}.journey", f'import "f{(i + 1) % n}.journey"\n')
    monkeypatch.chdir(root)
    (d,) = compile_root(Session(), "f0.journey").errors
    assert d.code == "E005" and d.span.file == f"f{n - 1}.journey"
    assert d.message.startswith("import cycle: f0.journey -> f1.journey -> ")
    assert "f499.journey -> f0.journey" in d.message and d.message.count(" -> ") == 10


def test_a_lattice_of_diamonds_reads_each_file_once(tmp_path, monkeypatch, opened):
    # 30 layers of two files each importing both files of the next layer:
    # 2^30 import paths, 61 files, each read once
    root = project(tmp_path)
    layers = 30
    for i in range(layers):
        for side in "ab":
            imports = "" if i == layers - 1 else f'import "l{i + 1}a.journey"\nimport "l{i + 1}b.journey"\n'
            write(root, f"l{i}{side}.journey", imports + f"owner o{i}{side}\n")
    write(root, "main.journey", 'import "l0a.journey"\nimport "l0b.journey"\njourney j { owner o0a stage s { } }\n')
    monkeypatch.chdir(root)
    result = compile_root(Session(), "main.journey")
    assert result.errors == []
    assert len(result.files) == 2 * layers + 1
    assert sorted(opened) == sorted(set(opened)) and len(opened) == 2 * layers + 1


# ---- what cannot be imported -------------------------------------------------------

def test_folders_fifos_and_nul_are_import_errors_not_hangs(tmp_path, monkeypatch):
    root = project(tmp_path)
    (root / "folder.journey").mkdir()
    os.mkfifo(root / "pipe.journey")
    write(root, "main.journey", 'import "folder.journey"\nimport "pipe.journey"\nimport "a\\u0000b.journey"\n'
                                'import "missing.journey"\n')
    monkeypatch.chdir(root)
    result = compile_root(Session(), "main.journey")
    assert [(d.code, d.span.line) for d in result.errors] == [("E004", 1), ("E004", 2), ("E004", 3), ("E004", 4)]
    assert "is a folder" in result.errors[0].message
    assert "is not a regular file" in result.errors[1].message
    assert "does not exist" in result.errors[3].message


def test_a_fifo_as_a_root_is_refused_not_read(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pipe.journey")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(JourneycError, match="is not a regular file"):
        run_check(["pipe.journey"], Session())
    result = cli(["check", "."], cwd=tmp_path)
    assert result.exit_code == 2 and "pipe.journey: is not a regular file" in result.stderr

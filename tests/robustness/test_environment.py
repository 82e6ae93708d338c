"""Errors of the environment: unreadable files, folders given as files,
files that vanish mid-run, a read-only output folder, a full disk, a closed
or full standard output, locales and file names that are not UTF-8. Each
gives a clear one-line message and exit 2 (or, for an imported file, E004),
never a traceback, and nothing half-written.

The tests run as root in CI, where permissions do not stop reads or
writes: there the failures are injected; as another user they are real."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyc import compiler, load
from journeyc.compiler import compile_root
from journeyc.load import Session

from conftest import SPECS, write
from reliability import assert_answered, cli

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def deny_reading(monkeypatch, path: Path):
    """Reading `path` fails as a file without read permission does."""
    if not IS_ROOT:
        path.chmod(0)
        return
    real = load.read_bytes
    target = os.path.realpath(path)

    def read_bytes(name):
        if os.path.realpath(name) == target:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real(name)

    monkeypatch.setattr(load, "read_bytes", read_bytes)


def test_an_unreadable_root_is_a_clear_exit_2(tmp_path, monkeypatch):
    secret = write(tmp_path, "secret.journey", "owner o\n")
    deny_reading(monkeypatch, secret)
    result = cli(["check", secret])
    assert result.exit_code == 2
    assert result.stderr == f"journeyc: {secret}: cannot read: Permission denied\n"


def test_an_unreadable_import_is_e004(tmp_path, monkeypatch):
    write(tmp_path, "journeyc.toml", "")
    write(tmp_path, "main.journey", 'import "secret.journey"\n')
    deny_reading(monkeypatch, write(tmp_path, "secret.journey", "owner o\n"))
    monkeypatch.chdir(tmp_path)
    (d,) = compile_root(Session(), "main.journey").errors
    assert d.code == "E004" and "secret.journey cannot be read (Permission denied)" in d.message


def test_a_folder_named_like_a_journey_file(tmp_path):
    (tmp_path / "dir.journey").mkdir()
    write(tmp_path, "dir.journey/inner.journey", "owner o\n")
    result = cli(["check", "--output-format", "json", tmp_path / "dir.journey"])
    assert_answered(result)  # a folder is a folder: the files in it are checked
    result = cli(["compile", SPECS / "saas.journey", "-o", tmp_path])  # -o a folder: a file in it
    assert result.exit_code == 0 and (tmp_path / "saas.json").is_file()


@pytest.mark.parametrize("option", ["--config", "--baseline"])
def test_a_folder_where_a_file_is_expected(tmp_path, option):
    result = cli(["check", option, tmp_path, SPECS / "saas.journey"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "is a directory" in result.stderr


def test_a_root_that_vanishes_mid_run(tmp_path, monkeypatch):
    write(tmp_path, "a.journey", "owner a\n")
    write(tmp_path, "b.journey", "owner b\n")
    listed = compiler.journey_files

    def list_then_delete(folder, *args):
        found = listed(folder, *args)
        (tmp_path / "b.journey").unlink()
        return found

    monkeypatch.setattr(compiler, "journey_files", list_then_delete)
    result = cli(["check", tmp_path])
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("journeyc: ") and "b.journey: " in line
    assert line.endswith(("does not exist", "No such file or directory"))


def test_an_import_that_vanishes_between_looking_and_reading(tmp_path, monkeypatch):
    write(tmp_path, "journeyc.toml", "")
    write(tmp_path, "main.journey", 'import "gone.journey"\n')
    gone = write(tmp_path, "gone.journey", "owner o\n")
    real = load.read_bytes

    def read_bytes(name):
        if os.path.basename(name) == "gone.journey":
            gone.unlink()
        return real(name)

    monkeypatch.setattr(load, "read_bytes", read_bytes)
    monkeypatch.chdir(tmp_path)
    (d,) = compile_root(Session(), "main.journey").errors
    assert d.code == "E004" and "cannot be read (No such file or directory)" in d.message


def test_a_read_only_output_folder(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    write(out, "saas.json", "old")
    out.chmod(0o555)
    if IS_ROOT:  # root writes into read-only folders: the kernel's answer to anyone else, simulated
        real_open = os.open

        def os_open(path, flags, *args, **kwargs):
            if flags & os.O_CREAT and Path(path).parent == out:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", os_open)
    try:
        result = cli(["compile", SPECS / "saas.journey", "-o", out / "saas.json"])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2 and "saas.json: cannot write: Permission denied" in result.stderr
    assert (out / "saas.json").read_text() == "old" and os.listdir(out) == ["saas.json"]


def test_an_output_folder_that_does_not_exist(tmp_path):
    result = cli(["compile", SPECS / "saas.journey", "-o", tmp_path / "no" / "such" / "out.json"])
    assert result.exit_code == 2
    assert "out.json: cannot write: No such file or directory" in result.stderr
    assert os.listdir(tmp_path) == []


def run(*args, stdout=subprocess.PIPE, env=None, cwd=None):
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "journeyc", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, env=full_env, cwd=cwd)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["check", "--output-format", "json", SPECS], ["compile", SPECS / "saas.journey"],
                                  ["schema"]], ids=["check", "compile", "schema"])
def test_a_full_standard_output(args):
    with open("/dev/full", "w") as full:
        proc = run(*args, stdout=full)
    assert proc.returncode == 2
    assert proc.stderr == b"journeyc: cannot write to standard output: No space left on device\n"


def test_a_closed_standard_output():
    proc = subprocess.run(f'"{sys.executable}" -m journeyc check "{SPECS / "saas.journey"}" >&-', shell=True,
                          stderr=subprocess.PIPE)
    assert proc.returncode in (0, 1) and b"Traceback" not in proc.stderr


def test_a_reader_that_goes_away():
    proc = subprocess.Popen([sys.executable, "-m", "journeyc", "check", "--output-format", "json", "--fail-on",
                             "never", SPECS], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() in (0, 2) and b"Traceback" not in err and b"Exception ignored" not in err


def test_file_names_that_are_not_utf8_and_any_output_encoding(tmp_path):
    if sys.platform == "darwin":
        pytest.skip("macOS file systems refuse names that are not UTF-8")
    (tmp_path / os.fsdecode(b"\xff\xfe.journey")).write_text("owner o\n", encoding="utf-8")
    write(tmp_path, "café.journey", 'owner café_team "Café ☃"\n')
    outputs = set()
    for encoding in ("utf-8", "ascii", "latin-1"):
        proc = run("check", "--output-format", "json", ".", env={"PYTHONIOENCODING": encoding}, cwd=tmp_path)
        assert proc.returncode in (0, 1), proc.stderr
        outputs.add(proc.stdout)
    (out,) = outputs  # the same bytes whatever the locale asks for
    doc = json.loads(out.decode("utf-8"))
    assert sorted({d["file"] for d in doc["diagnostics"]}) == ["./café.journey", "./\ufffd\ufffd.journey"]
    proc = run("compile", os.fsdecode(b"\xff\xfe.journey"), cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["sources"] == ["\ufffd\ufffd.journey"]

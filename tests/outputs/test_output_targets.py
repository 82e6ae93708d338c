"""`-o` never destroys what it names (issue 17, part 2): a device or a FIFO
is written in place, never renamed over; a symbolic link stays a link and
the file it points to is replaced atomically; `-o -` is standard output;
outputs that would land on one file stop the run before anything is
written; a folder that does not exist is named as such."""
from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from journeyc.fsutil import write_atomic
from journeyc.load import JourneycError
from journeyc.outputs import VIEWS

from conftest import SPECS, run_journeyc, write

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
FORMATS = ["json", "dot", "mermaid", "mermaid-journey", "svg"]
SAAS = SPECS / "saas.journey"


def stdout_of(fmt: str) -> bytes:
    proc = run_journeyc(["compile", "--format", fmt, SAAS])
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def null_device(tmp_path) -> str:
    """A character device that discards what is written: a clone of
    /dev/null where the tests may create one (as root), else /dev/null."""
    if IS_ROOT:
        path = tmp_path / "null"
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return str(path)
    return os.devnull


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_character_device_stays_a_device(null_device, fmt):
    before = os.stat(null_device)
    proc = run_journeyc(["compile", "--format", fmt, SAAS, "-o", null_device])
    assert proc.returncode == 0 and proc.stderr == b""
    after = os.stat(null_device)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert [n for n in os.listdir(os.path.dirname(null_device)) if ".journeyc-" in n] == []


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def reader():
        with open(path, "rb") as f:
            got.append(f.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, got


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fifo_is_written_in_place(tmp_path, fmt):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    proc = run_journeyc(["compile", "--format", fmt, SAAS, "-o", fifo])
    thread.join(60)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got == [stdout_of(fmt)]
    assert os.listdir(tmp_path) == ["pipe"]


def test_a_report_into_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    proc = run_journeyc(["report", SAAS, "-o", fifo])
    thread.join(60)
    assert proc.returncode == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got[0].startswith(b"<!DOCTYPE html>")


def test_a_socket_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        proc = run_journeyc(["compile", SAAS, "-o", path])
        assert proc.returncode == 2
        assert proc.stderr.decode() == f"journeyc: {path}: cannot write: it is a socket, not a file, a device or a FIFO\n"
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_symbolic_link_stays_a_link(tmp_path, fmt):
    write(tmp_path, "real/out.txt", "old")
    link = tmp_path / "link.out"
    link.symlink_to("real/out.txt")
    chain = tmp_path / "chain.out"
    chain.symlink_to("link.out")
    for name in (link, chain):
        proc = run_journeyc(["compile", "--format", fmt, SAAS, "-o", name])
        assert proc.returncode == 0, proc.stderr
        assert os.path.islink(name)
    assert os.readlink(link) == "real/out.txt" and os.readlink(chain) == "link.out"
    assert (tmp_path / "real" / "out.txt").read_bytes() == stdout_of(fmt)
    assert sorted(os.listdir(tmp_path / "real")) == ["out.txt"]  # replaced atomically there, nothing left over


def test_a_dangling_link_creates_the_file_it_points_to(tmp_path):
    (tmp_path / "out").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to("out/new.json")
    assert run_journeyc(["compile", SAAS, "-o", link]).returncode == 0
    assert os.path.islink(link) and (tmp_path / "out" / "new.json").read_bytes() == stdout_of("json")


def test_write_atomic_through_a_link_keeps_the_mode_of_the_target(tmp_path):
    target = write(tmp_path, "t.json", "old")
    target.chmod(0o640)
    (tmp_path / "l.json").symlink_to(target)
    write_atomic(str(tmp_path / "l.json"), b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    (tmp_path / "loop.json").symlink_to("loop.json")
    with pytest.raises(JourneycError, match="loop.json: cannot write: Too many levels of symbolic links"):
        write_atomic(str(tmp_path / "loop.json"), b"x")


def test_a_baseline_through_a_link(tmp_path):
    write(tmp_path, "real/baseline.json", "{}")
    (tmp_path / "b.json").symlink_to("real/baseline.json")
    proc = run_journeyc(["check", "--write-baseline", "b.json", SAAS], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert os.path.islink(tmp_path / "b.json") and b'"findings"' in (tmp_path / "real" / "baseline.json").read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_dash_is_standard_output(tmp_path, fmt):
    proc = run_journeyc(["compile", "--format", fmt, SAAS, "-o", "-"], cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == stdout_of(fmt)
    assert os.listdir(tmp_path) == []


def test_dash_is_standard_output_for_a_report(tmp_path):
    proc = run_journeyc(["report", SAAS, "-o", "-"], cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith(b"<!DOCTYPE html>")
    assert os.listdir(tmp_path) == []


def test_dash_with_several_roots_asks_for_a_folder(tmp_path):
    proc = run_journeyc(["compile", SPECS, "-o", "-"], cwd=tmp_path)
    assert proc.returncode == 2 and b"give -o FOLDER" in proc.stderr and os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_roots_of_one_name_get_their_folders_as_prefix(tmp_path, fmt):
    write(tmp_path, "specs/a/main.journey", "journey a { stage s { } }\n")
    write(tmp_path, "specs/b/main.journey", "journey b { stage s { } }\n")
    write(tmp_path, "specs/c.journey", "journey c { stage s { } }\n")
    (tmp_path / "out").mkdir()
    proc = run_journeyc(["compile", "--format", fmt, "specs", "-o", "out/"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    ext = VIEWS["flow"][fmt].extension
    assert sorted(os.listdir(tmp_path / "out")) == sorted([f"a-main.{ext}", f"b-main.{ext}", f"c.{ext}"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_colliding_outputs_stop_before_anything_is_written(tmp_path, fmt):
    # specs/a/main.journey is written as a-main (two roots are named main);
    # specs/a-main.journey would land on the same file
    write(tmp_path, "specs/a/main.journey", "journey a { stage s { } }\n")
    write(tmp_path, "specs/b/main.journey", "journey b { stage s { } }\n")
    write(tmp_path, "specs/a-main.journey", "journey c { stage s { } }\n")
    (tmp_path / "out").mkdir()
    proc = run_journeyc(["compile", "--format", fmt, "specs", "-o", "out/"], cwd=tmp_path)
    assert proc.returncode == 2
    ext = VIEWS["flow"][fmt].extension
    assert proc.stderr.decode() == (f"journeyc: specs/a-main.journey and specs/a/main.journey would both be written "
                                    f"to out/a-main.{ext}: nothing written; compile them with separate -o folders "
                                    "(or rename one)\n")
    assert os.listdir(tmp_path / "out") == []


def test_an_output_folder_that_does_not_exist_is_named_as_such(tmp_path):
    proc = run_journeyc(["compile", SAAS, "-o", "newdir/"], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == b"journeyc: newdir/: the folder does not exist; create it first\n"
    proc = run_journeyc(["compile", SPECS, "-o", "newdir/"], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == (b"journeyc: newdir/: the folder does not exist; create it first (with several roots, "
                           b"-o names a folder)\n")
    write(tmp_path, "file", "x")
    proc = run_journeyc(["compile", SPECS, "-o", "file"], cwd=tmp_path)
    assert proc.stderr == b"journeyc: file: not a folder; with several roots, -o names a folder\n"
    assert sorted(os.listdir(tmp_path)) == ["file"]

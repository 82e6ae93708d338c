"""Atomic outputs: every file journeyc writes (`compile -o`, `report -o`,
baselines) is written to a temporary file in the same folder, flushed and
fsynced, then `os.replace`d. Injected failures (the write raises, the disk
is full, `os.replace` raises, the process is terminated or killed mid-write)
leave the old file byte-identical and no temporary file behind."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from journeyc import fsutil
from journeyc.fsutil import write_atomic
from journeyc.load import JourneycError

from conftest import SPECS
from reliability import cli

OLD = b"the old contents\n"


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_writes_whole_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "out.json"
    write_atomic(str(target), b"x" * (3 * fsutil.CHUNK + 17))
    assert target.read_bytes() == b"x" * (3 * fsutil.CHUNK + 17)
    assert listing(tmp_path) == ["out.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_replacing_keeps_the_mode_of_the_old_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


def test_a_folder_is_not_overwritten(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(JourneycError, match="is a folder"):
        write_atomic(str(tmp_path / "out"), b"x")


def failing(name: str, after: int = 0, error: int = errno.EIO):
    """A replacement for os.<name> that works `after` times, then raises."""
    real = getattr(os, name)
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) > after:
            raise OSError(error, os.strerror(error))
        if name == "write":  # a short write, as a filling disk gives
            fd, data = args
            return real(fd, bytes(data[:5]))
        return real(*args, **kwargs)

    return fake


FAULTS = [
    ("open", 0, errno.EACCES),      # the folder is read-only
    ("write", 0, errno.ENOSPC),     # the disk is full at once
    ("write", 3, errno.ENOSPC),     # ... after some bytes went out
    ("fsync", 0, errno.EIO),
    ("fchmod", 0, errno.EPERM),
    ("replace", 0, errno.EXDEV),
]


@pytest.mark.parametrize("name, after, error", FAULTS, ids=[f"{n}-{a}-{errno.errorcode[e]}" for n, a, e in FAULTS])
def test_a_failure_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, name, after, error):
    target = tmp_path / "out.json"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, name, failing(name, after, error))
    with pytest.raises(JourneycError, match=f"out.json: cannot write: {os.strerror(error)}"):
        write_atomic(str(target), b"new contents " * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["out.json"]


@pytest.mark.parametrize("name, after, error", FAULTS[:3] + FAULTS[-1:],
                         ids=["read-only-folder", "disk-full", "disk-fills", "replace-fails"])
def test_compile_o_fails_cleanly(tmp_path, monkeypatch, name, after, error):
    target = tmp_path / "saas.json"
    target.write_bytes(OLD)
    monkeypatch.setattr(os, name, failing(name, after, error))
    result = cli(["compile", SPECS / "saas.journey", "-o", target])
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert f"saas.json: cannot write: {os.strerror(error)}" in result.stderr
    assert "Traceback" not in result.output
    assert target.read_bytes() == OLD and listing(tmp_path) == ["saas.json"]


def test_a_baseline_is_written_atomically(tmp_path, monkeypatch):
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(OLD)
    monkeypatch.setattr(os, "replace", failing("replace"))
    result = cli(["check", "--write-baseline", baseline, SPECS / "saas.journey"])
    monkeypatch.undo()
    assert result.exit_code == 2 and "baseline.json: cannot write" in result.stderr, result.output
    assert baseline.read_bytes() == OLD and listing(tmp_path) == ["baseline.json"]


def test_a_report_is_written_atomically(tmp_path, monkeypatch):
    report = tmp_path / "report.html"
    report.write_bytes(OLD)
    monkeypatch.setattr(os, "replace", failing("replace"))  # (the report runs Graphviz: os.write must work)
    result = cli(["report", SPECS / "saas.journey", "-o", report])
    monkeypatch.undo()
    assert result.exit_code == 2 and "report.html: cannot write" in result.stderr, result.output
    assert report.read_bytes() == OLD and listing(tmp_path) == ["report.html"]


# ---- killed mid-write ---------------------------------------------------------------

STALL = textwrap.dedent("""
    import os, sys, time
    marker = sys.argv[1]
    real_write = os.write
    def stall(fd, data):
        n = real_write(fd, bytes(data[:10]))   # some bytes reach the temporary file
        open(marker, "w").close()
        time.sleep(60)
        return n
    os.write = stall
    from journeyc.cli import main
    main(sys.argv[2:])
""")


def stalled_compile(tmp_path: Path, target: Path) -> subprocess.Popen:
    marker = tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", STALL, str(marker), "compile", str(SPECS / "saas.journey"),
                             "-o", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(600):
        if marker.exists():
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"the write never started: {proc.communicate()}")


def test_terminated_mid_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "saas.json"
    target.write_bytes(OLD)
    proc = stalled_compile(tmp_path, target)
    assert any(".journeyc-" in n for n in listing(out))  # the temporary file is there
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert b"journeyc: terminated" in err and b"Traceback" not in err
    assert target.read_bytes() == OLD
    assert listing(out) == ["saas.json"]


def test_killed_mid_write(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "saas.json"
    target.write_bytes(OLD)
    proc = stalled_compile(tmp_path, target)
    proc.kill()  # SIGKILL: nothing can run in the process
    proc.communicate(timeout=60)
    assert target.read_bytes() == OLD
    # the orphaned temporary file goes with the next write into the folder
    write_atomic(str(out / "other.json"), b"{}")
    assert listing(out) == ["other.json", "saas.json"]
    assert target.read_bytes() == OLD


def test_temporary_files_of_live_processes_are_left_alone(tmp_path):
    live = tmp_path / f".x.json.journeyc-{os.getppid()}-abcd.tmp"
    live.write_bytes(b"")
    write_atomic(str(tmp_path / "y.json"), b"{}")
    assert live.exists()


CACHE_FAILS = textwrap.dedent("""
    import os, sys
    def refuse(src, dst):
        raise OSError(28, "No space left on device")
    os.replace = refuse
    from journeyc.cli import main
    main(sys.argv[1:])
""")


def test_caches_are_written_atomically_or_not_at_all(tmp_path):
    """The parser caches (journeyc.parsing.larkparser, journeyc.parsing.tables) go
    through write_atomic: when the write fails the run goes on, and the
    cache folder holds no temporary file."""
    cache = tmp_path / "cache"
    broken = tmp_path / "broken.journey"
    broken.write_text("journey j { stage s { @ } }\n", encoding="utf-8")  # Lark parses it: both caches
    env = dict(os.environ, JOURNEYC_CACHE_DIR=str(cache))
    env.pop("JOURNEYC_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-c", CACHE_FAILS, "check", str(broken)], env=env, capture_output=True)
    assert proc.returncode == 1 and b"E001" in proc.stdout, proc.stderr
    assert [p.name for p in cache.iterdir() if ".journeyc-" in p.name] == []
    proc = subprocess.run([sys.executable, "-m", "journeyc", "check", str(broken)], env=env, capture_output=True)
    assert proc.returncode == 1
    written = sorted(p.name for p in cache.iterdir())
    assert written and not any(".journeyc-" in n for n in written)

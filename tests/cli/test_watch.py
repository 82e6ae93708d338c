"""Watch mode: a save rebuilds (debounced), a syntax error is shown and the
last good output stays, a new import's folder is followed, an editor's
rename-over-the-file save is seen, and Ctrl-C ends it quietly.

The waits below only stop a broken watcher from hanging the run: each
waits for an event (a build) and fails if it never comes."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from journeyc import watch
from journeyc.commands import compile as compile_command, report as report_command

from conftest import REPO, write

GIVE_UP = 120  # seconds: only ever reached when no build happens at all

SPEC = '''owner growth "Growth"
journey j "Journey" {
  owner growth
  stage a "First" { touchpoint t "Welcome" { channel email area marketing } -> b }
  stage b "Second" { phase conversion }
}
'''


class Watcher:
    """watch_paths in a thread; every build's status arrives on a queue."""

    def __init__(self, paths, build, debounce_ms=100):
        self.builds: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.error = None

        def run():
            try:
                watch.watch_paths([str(p) for p in paths], build, debounce_ms=debounce_ms, stop_event=self.stop,
                                  on_build=self.builds.put)
            except BaseException as e:  # noqa: BLE001 - reported by the test
                self.error = e
                self.builds.put("crashed")

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def next_build(self):
        status = self.builds.get(timeout=GIVE_UP)
        assert status != "crashed", self.error
        return status

    def settle(self):
        """Let the watcher start watching (its first build is done)."""
        time.sleep(0.5)

    def close(self):
        self.stop.set()
        self.thread.join(timeout=GIVE_UP)
        assert not self.thread.is_alive()
        assert self.error is None, self.error


@pytest.fixture
def dot_build(tmp_path):
    out = tmp_path / "out" / "j.dot"
    out.parent.mkdir()

    def build(read):
        return compile_command.once(
            compile_command.Options((str(tmp_path / "spec" / "j.journey"),), str(out), "dot"), read)

    return build, out


def test_save_rebuilds_and_a_syntax_error_keeps_the_last_good_output(tmp_path, dot_build, capsys):
    build, out = dot_build
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        first = out.read_text()
        assert "Welcome" in first
        w.settle()
        spec.write_text(SPEC.replace("Welcome", "Hello again"), encoding="utf-8")
        assert w.next_build() == 0
        assert "Hello again" in out.read_text()
        good = out.read_bytes()
        spec.write_text(SPEC.replace("-> b }", "-> b"), encoding="utf-8")  # a missing brace
        assert w.next_build() == 1
        assert out.read_bytes() == good
        err = capsys.readouterr().err
        assert "E001" in err and "last good output is kept" in err
        spec.write_text(SPEC.replace("Welcome", "Fixed"), encoding="utf-8")
        assert w.next_build() == 0
        assert "Fixed" in out.read_text()
        assert not [p for p in out.parent.iterdir() if p.name != "j.dot"]  # no temporary files left
    finally:
        w.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_an_editor_save_that_renames_over_the_file_is_seen(tmp_path, dot_build):
    build, out = dot_build
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        w.settle()
        tmp = spec.with_name(".j.journey.swp~")
        tmp.write_text(SPEC.replace("Welcome", "Renamed in"), encoding="utf-8")
        os.replace(tmp, spec)
        assert w.next_build() == 0
        assert "Renamed in" in out.read_text()
    finally:
        w.close()


def test_changes_together_are_one_build(tmp_path, dot_build):
    build, out = dot_build
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    w = Watcher([spec], build, debounce_ms=400)
    try:
        assert w.next_build() == 0
        w.settle()
        for i in range(6):
            spec.write_text(SPEC.replace("Welcome", f"Edit {i}"), encoding="utf-8")
        assert w.next_build() == 0
        time.sleep(1.5)
        extra = []
        while not w.builds.empty():
            extra.append(w.builds.get_nowait())
        assert len(extra) <= 1, f"six quick saves made {1 + len(extra)} builds"
        assert "Edit 5" in out.read_text()
    finally:
        w.close()


def test_a_new_import_in_another_folder_is_followed(tmp_path):
    out = tmp_path / "out.dot"
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    lib = write(tmp_path / "lib", "teams.journey", 'owner extra "Extra team"\n')
    (tmp_path / "pyproject.toml").write_text("")  # the project root: lib/ may be imported

    def build(read):
        return compile_command.once(compile_command.Options((str(spec),), str(out), "mermaid"), read)

    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        w.settle()
        spec.write_text('import "../lib/teams.journey"\n' + SPEC.replace("owner growth\n  stage a",
                                                                         "owner extra\n  stage a"), encoding="utf-8")
        assert w.next_build() == 0
        assert "Extra team" in out.read_text()
        w.settle()
        lib.write_text('owner extra "Renamed team"\n', encoding="utf-8")
        assert w.next_build() == 0
        assert "Renamed team" in out.read_text()
    finally:
        w.close()


def test_report_watch_rebuilds(tmp_path, monkeypatch):
    from journeyc.backends import report

    monkeypatch.setattr(report, "default_diagram", lambda comp, j, diags, timeout=None: "<svg></svg>")
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    out = tmp_path / "report.html"

    def build(read):
        return report_command.once(report_command.Options(output=str(out)), [[str(spec)]], read)

    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        assert "Welcome" in out.read_text()
        w.settle()
        spec.write_text(SPEC.replace("Welcome", "Report edit"), encoding="utf-8")
        assert w.next_build() == 0
        assert "Report edit" in out.read_text()
    finally:
        w.close()


def test_a_vanished_file_is_reported_and_watching_goes_on(tmp_path, dot_build, capsys):
    build, out = dot_build
    spec = write(tmp_path / "spec", "j.journey", SPEC)
    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        w.settle()
        spec.unlink()
        assert w.next_build() is None
        assert "no such file" in capsys.readouterr().err
        assert out.exists()
        spec.write_text(SPEC.replace("Welcome", "Back"), encoding="utf-8")
        assert w.next_build() == 0
        assert "Back" in out.read_text()
    finally:
        w.close()


def test_relevant_and_folders():
    assert watch.relevant("/a/b/x.journey") and watch.relevant("journeyc.toml") and watch.relevant("pyproject.toml")
    assert not watch.relevant("/a/out.svg") and not watch.relevant("/a/.x.journey.tmp")
    folders = watch.folders_to_watch([str(REPO / "specs")], [])
    assert str((REPO / "specs").resolve()) in folders and str((REPO / "specs" / "catalog").resolve()) in folders


def _wait_for_line(lines: queue.Queue, needle: str, seen: list) -> None:
    while True:
        line = lines.get(timeout=GIVE_UP)
        seen.append(line)
        if needle in line:
            return


@pytest.mark.parametrize("command", ["compile", "report"])
def test_cli_watch_until_ctrl_c(tmp_path, command):
    spec = write(tmp_path, "j.journey", SPEC)
    out = tmp_path / ("out.mmd" if command == "compile" else "out.html")
    args = ["compile", "--format", "mermaid"] if command == "compile" else ["report"]
    env = dict(os.environ)
    if command == "report":
        pytest.importorskip("graphviz")
        if not any(os.access(os.path.join(p, "dot"), os.X_OK) for p in env.get("PATH", "").split(os.pathsep)):
            pytest.skip("Graphviz's dot is not installed")
    proc = subprocess.Popen([sys.executable, "-m", "journeyc", *args, "--watch", "-o", str(out), str(spec)],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()
    seen: list = []
    try:
        _wait_for_line(lines, "watching", seen)
        assert any(f"wrote {out}" in line for line in seen)
        time.sleep(0.5)
        spec.write_text(SPEC.replace("Welcome", "Watched edit"), encoding="utf-8")
        _wait_for_line(lines, "wrote", seen)
        assert "Watched edit" in out.read_text()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=GIVE_UP) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.1)
    while not lines.empty():
        seen.append(lines.get_nowait())
    assert not any("Traceback" in line for line in seen), "".join(seen)


def test_watch_needs_an_output_file(tmp_path):
    spec = write(tmp_path, "j.journey", SPEC)
    for args in (["compile", "--watch", spec], ["report", "--watch", spec]):
        proc = subprocess.run([sys.executable, "-m", "journeyc", *map(str, args)], capture_output=True)
        assert proc.returncode == 2 and b"-o" in proc.stderr and b"Traceback" not in proc.stderr


def test_a_copy_file_change_rebuilds(tmp_path):
    out = tmp_path / "out.json"
    spec = write(tmp_path / "spec", "j.journey",
                 'journey j { stage a { touchpoint t { channel email message from "../copy/mail.txt" } } }\n')
    copy = write(tmp_path / "copy", "mail.txt", "Welcome aboard")
    (tmp_path / "pyproject.toml").write_text("")  # the project root: copy/ may be read

    def build(read):
        return compile_command.once(compile_command.Options((str(spec),), str(out), "json"), read)

    w = Watcher([spec], build)
    try:
        assert w.next_build() == 0
        assert "Welcome aboard" in out.read_text()
        w.settle()
        copy.write_text("Hello again", encoding="utf-8")
        assert w.next_build() == 0
        assert "Hello again" in out.read_text()
    finally:
        w.close()

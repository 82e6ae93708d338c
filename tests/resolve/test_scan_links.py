"""A folder scan reads only what the user pointed at (issue 17, part 1): a
symbolic link that resolves outside the project root is left out with a
warning naming the link, never quoting its target, the confinement E010
gives imports; `--allow-imports-outside-root` opts in. A dangling link or a
loop of links is left out with a warning, and the rest is checked. A path
named on the command line is read as asked; one that does not exist is
still exit 2. Every output format, one process or several."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from journeyc import load
from journeyc.compiler import run_check
from journeyc.load import Session

from conftest import run_journeyc, write
from reliability import CHECK_FORMATS

SECRET = "TOPSECRET-4242"
MANY = 50  # enough files that `-j 2` really uses two processes (parallel.MIN_FILES)


def leaky_project(tmp_path: Path, many: bool = False) -> Path:
    """A project whose specs/ holds a link to a file outside it (holding a
    secret), a link to a folder outside it, a dangling link and a loop."""
    root = tmp_path / "project"
    write(root, "journeyc.toml", "")
    write(tmp_path, "outside/secret.journey", f'owner leak "{SECRET}"\njourney x {{ stage s {{ -> nowhere }} }}\n')
    write(root, "specs/ok.journey", 'journey ok { stage s { owner nobody } }\n')
    for i in range(MANY if many else 0):
        write(root, f"specs/many/m{i:03d}.journey", f'journey m{i} {{ stage s {{ }} }}\n')
    (root / "specs" / "evil.journey").symlink_to(tmp_path / "outside" / "secret.journey")
    (root / "specs" / "elsewhere").symlink_to(tmp_path / "outside")
    (root / "specs" / "dangling.journey").symlink_to(root / "specs" / "gone.journey")
    (root / "specs" / "loop1.journey").symlink_to("loop2.journey")
    (root / "specs" / "loop2.journey").symlink_to("loop1.journey")
    return root


EXPECTED_WARNINGS = [
    "journeyc: warning: specs/dangling.journey: skipped: a symbolic link to nothing (dangling: its target does "
    "not exist)",
    "journeyc: warning: specs/elsewhere: skipped: a symbolic link that leads outside the project root {root}; "
    "pass --allow-imports-outside-root to read it",
    "journeyc: warning: specs/evil.journey: skipped: a symbolic link that leads outside the project root {root}; "
    "pass --allow-imports-outside-root to read it",
    "journeyc: warning: specs/loop1.journey: skipped: a symbolic link that never resolves (a loop of links)",
    "journeyc: warning: specs/loop2.journey: skipped: a symbolic link that never resolves (a loop of links)",
]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_links_out_of_the_project_are_skipped_with_a_warning(tmp_path, fmt, jobs):
    root = leaky_project(tmp_path, many=True)
    proc = run_journeyc(["check", "--jobs", jobs, "--output-format", fmt, "specs"], cwd=root)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1  # the findings of the files that were read, not exit 2
    assert SECRET not in out + err and str(tmp_path / "outside") not in out + err  # nor the target's path
    assert err.splitlines() == [w.format(root=os.path.realpath(root)) for w in EXPECTED_WARNINGS]
    assert "specs/ok.journey" in out and "secret" not in out
    if fmt == "json":
        files = {d["file"] for d in json.loads(out)["diagnostics"]}
        assert "specs/ok.journey" in files and not any("evil" in f or "elsewhere" in f for f in files)


def test_same_bytes_with_one_process_and_several(tmp_path):
    root = leaky_project(tmp_path, many=True)
    serial = run_journeyc(["check", "--jobs", "1", "--output-format", "json", "specs"], cwd=root)
    several = run_journeyc(["check", "--jobs", "2", "--output-format", "json", "specs"], cwd=root)
    assert (serial.returncode, serial.stdout, serial.stderr) == (several.returncode, several.stdout, several.stderr)


def test_nothing_outside_is_opened(tmp_path, monkeypatch, opened):
    root = leaky_project(tmp_path)
    monkeypatch.chdir(root)
    session = Session()
    run = run_check(["specs"], session)
    assert opened == [str(root.resolve() / "specs" / "ok.journey")]
    assert len(run.warnings) == 5 and all(SECRET not in w for w in run.warnings)


@pytest.mark.parametrize("command", [["compile", "specs", "-o", "out"], ["report", "specs", "-o", "out/r.html"],
                                     ["compile", "specs", "--format", "mermaid", "-o", "out"]])
def test_compile_and_report_do_not_copy_what_lies_outside(tmp_path, command):
    root = leaky_project(tmp_path)
    write(root, "specs/ok.journey", 'journey ok { stage s { } }\n')
    (root / "out").mkdir()
    proc = run_journeyc(command, cwd=root)
    assert proc.returncode == 0, proc.stderr
    written = b"".join(p.read_bytes() for p in (root / "out").iterdir())
    assert written and SECRET.encode() not in written
    assert b"specs/evil.journey: skipped" in proc.stderr and SECRET.encode() not in proc.stderr


def test_the_option_opts_in(tmp_path):
    root = leaky_project(tmp_path)
    proc = run_journeyc(["check", "--allow-imports-outside-root", "--output-format", "concise", "specs"], cwd=root)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    # read as asked; the file both links lead to is one file, named by the first path in path order
    assert "specs/elsewhere/secret.journey:2:" in out
    assert b"evil.journey" not in proc.stderr and b"elsewhere" not in proc.stderr
    assert b"dangling.journey: skipped" in proc.stderr  # a dangling link stays skipped


def test_a_link_inside_the_project_is_followed(tmp_path):
    root = tmp_path / "project"
    write(root, "journeyc.toml", "")
    write(root, "shared/lib/a.journey", 'journey a { stage s { owner nobody } }\n')
    write(root, "specs/b.journey", 'journey b { stage s { } }\n')
    (root / "specs" / "alias.journey").symlink_to(root / "shared" / "lib" / "a.journey")
    (root / "specs" / "lib").symlink_to(root / "shared" / "lib")
    (root / "specs" / "self").symlink_to(root / "specs")  # a folder reached again: listed once
    proc = run_journeyc(["check", "--output-format", "json", "specs"], cwd=root)
    assert proc.stderr == b""
    files = sorted({d["file"] for d in json.loads(proc.stdout)["diagnostics"]})
    assert files == ["specs/alias.journey", "specs/b.journey"]  # lib/a.journey is the same file as alias


def test_a_path_named_on_the_command_line_is_read_as_asked(tmp_path):
    root = leaky_project(tmp_path)
    proc = run_journeyc(["check", "--output-format", "concise", "specs/evil.journey"], cwd=root)
    assert proc.returncode == 1 and b"specs/evil.journey:2:" in proc.stdout
    for missing in ("specs/dangling.journey", "specs/loop1.journey", "specs/nothing.journey"):
        proc = run_journeyc(["check", "--jobs", "1", missing], cwd=root)
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr
        assert proc.stderr.decode().startswith(f"journeyc: {missing}: "), proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_dangling_link_alone_does_not_stop_the_run(tmp_path, jobs):
    write(tmp_path, "specs/good.journey", 'journey good { stage s { } }\n')
    for i in range(MANY):
        write(tmp_path, f"specs/more/m{i:03d}.journey", f'journey m{i} {{ stage s {{ }} }}\n')
    (tmp_path / "specs" / "stale.journey").symlink_to(tmp_path / "specs" / "removed.journey")
    proc = run_journeyc(["check", "--jobs", jobs, "--output-format", "json", "--fail-on", "never", "specs"],
                        cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["summary"]["files"] == MANY + 1
    assert proc.stderr.decode().splitlines() == [
        "journeyc: warning: specs/stale.journey: skipped: a symbolic link to nothing (dangling: its target does "
        "not exist)"]

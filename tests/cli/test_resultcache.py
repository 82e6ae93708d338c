"""The result cache (journeyc.resultcache): a hit replays the same bytes in
every format without running the compiler; any change to what the result
depends on misses; a damaged entry or a cache that cannot be written is
never an error."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import SPECS, write
from journeyc import parallel, resultcache
from journeyc.commands import check as check_command
from journeyc.outputs import DIAGNOSTIC_FORMATS

CATALOG = '''owner growth "Growth"
persona prospect "Prospect" { kind prospect }
kpi reach "Reach" { unit count target >= 10 source first_party category acquisition }
'''
MAIN = '''import "catalog.journey"
journey j "J" {
  owner growth
  promise "P" { tone empower }
  stage a "A" {
    entry
    measure reach
    touchpoint t "T" { channel emial area marketing audience prospect
      message "Hi" { claim trial_days = 14 days tone playful } }
  }
}
'''
FORMATS = tuple(DIAGNOSTIC_FORMATS)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (with a journeyc.toml) as the working folder, the cache on."""
    monkeypatch.delenv("JOURNEYC_NO_RESULT_CACHE", raising=False)
    monkeypatch.delenv("JOURNEYC_NO_CACHE", raising=False)
    monkeypatch.delenv("JOURNEYC_CACHE_DIR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    root = tmp_path / "proj"
    root.mkdir()
    write(root, "journeyc.toml", 'ignore = ["X004"]\n')
    write(root, "catalog.journey", CATALOG)
    write(root, "main.journey", MAIN)
    monkeypatch.chdir(root)
    return root


class Counting:
    """Counts the real runs (parallel.run_check: serial or in worker processes) of checks run in-process."""

    def __init__(self, monkeypatch):
        self.runs = 0
        real = parallel.run_check

        def counted(*args, **kwargs):
            self.runs += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(parallel, "run_check", counted)


def check(capsys, *paths, **options):
    code = check_command.run(check_command.Options(tuple(paths) or ("main.journey",), **options))
    return code, capsys.readouterr().out


def test_hit_replays_every_format_byte_for_byte(project, capsys, monkeypatch):
    counting = Counting(monkeypatch)
    for fmt in FORMATS:
        fresh = check(capsys, fmt=fmt, no_cache=True)
        first = check(capsys, fmt=fmt)
        runs = counting.runs
        again = check(capsys, fmt=fmt)
        assert counting.runs == runs, f"{fmt}: the second check ran the compiler"
        assert fresh == first == again, fmt
    assert "X005" in fresh[1] and fresh[0] == 1
    for options in ({"statistics": True}, {"fail_on": "never"}, {"fail_on": "error"}, {"select": "C003"}):
        assert check(capsys, no_cache=True, **options) == check(capsys, **options) == check(capsys, **options)
    cache = project / ".journeyc_cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert any(p.name.startswith("check-") for p in cache.iterdir())


def test_a_first_check_waits_for_no_disk(project, capsys, monkeypatch):
    """The entry and the .gitignore are written without fsync (a damaged
    entry fails its digest: test_a_damaged_entry_is_a_miss), so a first
    check does not wait for the disk."""
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    counting = Counting(monkeypatch)
    first = check(capsys)
    assert synced == []
    assert check(capsys) == first and counting.runs == 1
    assert (project / ".journeyc_cache" / ".gitignore").read_text(encoding="utf-8") == resultcache.GITIGNORE


def test_text_output_shows_source_lines_on_a_hit(project, capsys):
    first = check(capsys)
    assert "channel emial" in first[1]  # the source line under X005
    assert check(capsys) == first


def test_miss_on_a_changed_import(project, capsys, monkeypatch):
    counting = Counting(monkeypatch)
    first = check(capsys, fmt="json")
    write(project, "catalog.journey", CATALOG.replace("target >= 10 ", ""))  # M004 now
    second = check(capsys, fmt="json")
    assert counting.runs == 2
    assert "M004" in second[1] and "M004" not in first[1]
    assert check(capsys, fmt="json", no_cache=True) == second


def test_miss_on_a_changed_configuration(project, capsys):
    first = check(capsys, fmt="concise")
    assert "X005" in first[1]
    write(project, "journeyc.toml", 'ignore = ["X004", "X005"]\n')
    second = check(capsys, fmt="concise")
    assert "X005" not in second[1]
    write(project, "journeyc.toml", 'ignore = ["X004"]\nfail-on = "never"\n')  # fail-on comes from the cache too
    assert check(capsys, fmt="concise") == (0, first[1])
    assert check(capsys, fmt="concise") == (0, first[1])


def test_miss_when_a_configuration_appears_nearer(project, capsys):
    sub = project / "sub"
    write(sub, "catalog.journey", CATALOG)
    write(sub, "main.journey", MAIN)
    first = check(capsys, "sub/main.journey", fmt="concise")
    write(sub, "journeyc.toml", 'ignore = ["C003"]\n')
    second = check(capsys, "sub/main.journey", fmt="concise")
    assert "C003" in first[1] and "C003" not in second[1]


def test_miss_when_a_missing_import_appears(project, capsys):
    write(project, "main.journey", 'import "later.journey"\n' + MAIN)
    first = check(capsys, fmt="concise")
    assert "E004" in first[1]
    write(project, "later.journey", 'owner later "Later"\n')
    second = check(capsys, fmt="concise")
    assert "E004" not in second[1] and "O002" in second[1]


def test_miss_when_a_symbolic_link_points_elsewhere(project, capsys):
    write(project, "a.journey", CATALOG)
    write(project, "b.journey", CATALOG.replace("target >= 10 ", ""))
    os.symlink("a.journey", project / "catalog.journey.link")
    write(project, "main.journey", MAIN.replace('"catalog.journey"', '"catalog.journey.link"'))
    first = check(capsys, fmt="concise")
    os.remove(project / "catalog.journey.link")
    os.symlink("b.journey", project / "catalog.journey.link")
    second = check(capsys, fmt="concise")
    assert "M004" not in first[1] and "M004" in second[1]


def test_miss_on_a_new_file_in_a_scanned_folder(project, capsys):
    first = check(capsys, ".", fmt="json")
    write(project, "sub/extra.journey", 'owner extra "Extra"\n')
    second = check(capsys, ".", fmt="json")
    assert "extra.journey" not in first[1] and "extra.journey" in second[1]
    os.remove(project / "sub" / "extra.journey")
    assert check(capsys, ".", fmt="json") == first


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "folder", "other-format", "altered"])
def test_a_damaged_entry_is_a_miss(project, capsys, monkeypatch, damage):
    first = check(capsys, fmt="json")
    (entry,) = [p for p in (project / ".journeyc_cache").iterdir() if p.name.startswith("check-")]
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"\x00\xffnot marshal" * 10)
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "folder":
        entry.unlink()
        entry.mkdir()
    elif damage == "altered":  # readable, but not what was written (entries are not fsynced): its digest fails
        import marshal

        fmt, digest, content = marshal.loads(data)
        entry.write_bytes(marshal.dumps((fmt, digest, marshal.dumps(marshal.loads(content)[:-1] + ("never",)))))
    else:
        import marshal

        entry.write_bytes(marshal.dumps((resultcache.FORMAT + 1,) + marshal.loads(data)[1:]))
    counting = Counting(monkeypatch)
    assert check(capsys, fmt="json") == first
    assert counting.runs == 1
    if damage != "folder":  # the entry is written again, and replays
        assert check(capsys, fmt="json") == first
        assert counting.runs == 1


def test_an_unreadable_entry_is_a_miss(project, capsys, monkeypatch):
    first = check(capsys, fmt="json")
    real_open = open

    def failing_open(path, *args, **kwargs):
        if os.path.basename(str(path)).startswith("check-") and "r" in (args[0] if args else kwargs.get("mode", "r")):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    counting = Counting(monkeypatch)
    assert check(capsys, fmt="json") == first
    assert counting.runs == 1


def test_a_cache_folder_that_cannot_be_written_is_no_cache(project, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    first = check(capsys, fmt="json", cache_dir=str(blocker / "cache"))
    assert first == check(capsys, fmt="json", no_cache=True)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_read_only_cache_folder_is_no_cache(project, capsys, tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if not hasattr(os, "geteuid") or os.geteuid() == 0:  # root writes anyway: refuse as the system would others
        real_open = os.open

        def refusing_open(path, flags, *args, **kwargs):
            if str(path).startswith(str(folder)) and flags & os.O_CREAT:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    try:
        plain = check(capsys, fmt="json", no_cache=True)
        assert check(capsys, fmt="json", cache_dir=str(folder)) == plain
        assert check(capsys, fmt="json", cache_dir=str(folder)) == plain
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_cache_folder_through_the_command_line(project, tmp_path):
    """As a user meets it: exit status and bytes as without a cache, nothing on standard error."""
    blocker = tmp_path / "ro-file"
    blocker.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNEYC_NO_RESULT_CACHE", "FORCE_COLOR")}
    base = [sys.executable, "-m", "journeyc", "check", "--output-format", "json", "main.journey"]
    plain = subprocess.run(base + ["--no-cache"], capture_output=True, env=env)
    blocked = subprocess.run(base + ["--cache-dir", str(blocker / "cache")], capture_output=True, env=env)
    assert (blocked.returncode, blocked.stdout, blocked.stderr) == (plain.returncode, plain.stdout, b"")


def test_no_cache_writes_nothing(project, capsys, monkeypatch):
    check(capsys, no_cache=True)
    monkeypatch.setenv("JOURNEYC_NO_RESULT_CACHE", "1")
    check(capsys)
    assert not (project / ".journeyc_cache").exists()


def test_cache_dir_option_and_environment(project, capsys, monkeypatch, tmp_path):
    check(capsys, cache_dir=str(tmp_path / "opt"))
    assert any(p.name.startswith("check-") for p in (tmp_path / "opt").iterdir())
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path / "env"))
    check(capsys)
    assert any(p.name.startswith("check-") for p in (tmp_path / "env").iterdir())
    assert not (project / ".journeyc_cache").exists()


def test_default_folder_is_the_project_root(project, capsys):
    write(project, "deep/er/x.journey", CATALOG)
    check(capsys, "deep/er/x.journey")
    assert (project / ".journeyc_cache").is_dir()
    assert not (project / "deep" / "er" / ".journeyc_cache").exists()


def test_many_files_in_worker_processes(project, capsys, monkeypatch):
    for i in range(60):
        write(project, f"many/f{i:02d}.journey", MAIN if i % 3 else CATALOG)
        write(project, "many/catalog.journey", CATALOG)
    counting = Counting(monkeypatch)
    serial = check(capsys, "many", fmt="json", jobs=1, no_cache=True)
    first = check(capsys, "many", fmt="json", jobs=2)
    again = check(capsys, "many", fmt="json", jobs=2)
    assert serial == first == again
    assert counting.runs == 2
    write(project, "many/catalog.journey", CATALOG.replace("target >= 10 ", ""))  # read by a worker
    changed = check(capsys, "many", fmt="json", jobs=2)
    assert counting.runs == 3 and "M004" in changed[1]
    assert changed == check(capsys, "many", fmt="json", jobs=1, no_cache=True)


def test_a_hit_loads_no_compiler(project):
    env = {k: v for k, v in os.environ.items() if k != "JOURNEYC_NO_RESULT_CACHE"}
    code = ("import sys; sys.argv = ['journeyc', 'check', 'main.journey']\n"
            "from journeyc import launch\n"
            "try:\n    launch.run()\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(sys.modules)))")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert first.stdout == again.stdout and "X005" in again.stdout
    loaded = set(first.stderr.split()), set(again.stderr.split())
    for module in ("journeyc.parsing.driver", "journeyc.build", "journeyc.lint", "journeyc.config"):
        assert module in loaded[0]
        assert module not in loaded[1]


def test_specs_replay(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("JOURNEYC_NO_RESULT_CACHE", raising=False)
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path))
    for fmt in FORMATS:
        plain = check(capsys, str(SPECS), fmt=fmt, no_cache=True)
        assert check(capsys, str(SPECS), fmt=fmt) == plain == check(capsys, str(SPECS), fmt=fmt)


def test_a_file_name_that_is_not_utf8_is_checked_every_time(project, capsys, monkeypatch):
    """Its diagnostics name it with U+FFFD, which names no file: its source
    line could not be read again on a hit, so such a run is not recorded."""
    name = os.fsdecode(b"bad\xff.journey")
    (project / name).write_text(MAIN.replace('import "catalog.journey"\n', ""), encoding="utf-8")
    counting = Counting(monkeypatch)
    first = check(capsys, name)
    assert "\ufffd" in first[1] and "channel emial" in first[1]
    assert check(capsys, name) == first
    assert counting.runs == 2


def test_miss_on_a_changed_or_appearing_copy_file(project, capsys, monkeypatch):
    """Copy files are inputs: their bytes, their real path and their absence."""
    counting = Counting(monkeypatch)
    write(project, "facts.journey", 'fact trial_days = 14 days { phrase "trial" }\n')
    write(project, "main.journey", 'import "facts.journey"\n' + MAIN.replace(
        'message "Hi" { claim trial_days = 14 days tone playful }', 'message from "copy/mail.txt"'))
    first = check(capsys, fmt="concise")
    assert "E004" in first[1]  # the copy file does not exist yet
    write(project, "copy/mail.txt", "Your trial lasts 14 days.")
    second = check(capsys, fmt="concise")
    assert "E004" not in second[1] and "C005" not in second[1]
    assert check(capsys, fmt="concise") == second and counting.runs == 2  # unchanged: a hit
    write(project, "copy/mail.txt", "Your trial lasts 30 days.")
    third = check(capsys, fmt="concise")
    assert counting.runs == 3 and "C005" in third[1]
    assert check(capsys, fmt="concise", no_cache=True) == third


def test_a_run_that_left_links_out_is_not_replayed_without_its_warnings(project, capfd):
    os.symlink("/nonexistent/target.journey", project / "dangling.journey")
    for _ in range(2):
        code = check_command.run(check_command.Options((".",), fmt="concise"))
        err = capfd.readouterr().err
        assert "dangling.journey: skipped: a symbolic link to nothing" in err, err
    assert code == 1

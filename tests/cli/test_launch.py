"""The executable's start (journeyc.launch): a plain `journeyc check PATH...`
runs without click, and says and exits exactly what click's `check` does
with the same paths; every other command line goes to click."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from journeyc import launch
from journeyc.cli import check as click_check
from journeyc.commands import check as check_command

from conftest import CASES, SPECS, run_journeyc, write


@pytest.mark.parametrize("argv", [
    ["check", "a.journey"],
    ["check", "a.journey", "specs", "missing.journey"],
    ["check", "name with spaces.journey", "x=y.journey", "ünïcode.journey"],
])
def test_plain_check_lines(argv):
    assert launch.plain_check(argv) == argv[1:]


@pytest.mark.parametrize("argv", [
    [],
    ["check"],  # click reports the missing PATHS
    ["compile", "a.journey"],
    ["rules"],
    ["--debug", "check", "a.journey"],
    ["check", "--help"],
    ["check", "-h", "a.journey"],
    ["check", "a.journey", "--output-format", "json"],
    ["check", "a.journey", "-j1"],
    ["check", "-"],
    ["check", "--", "a.journey"],
    ["check", ""],
    ["Check", "a.journey"],
])
def test_other_lines_go_to_click(argv):
    assert launch.plain_check(argv) is None


def test_shell_completion_goes_to_click(monkeypatch):
    monkeypatch.setenv("_JOURNEYC_COMPLETE", "bash_complete")
    assert launch.plain_check(["check", "a.journey"]) is None


def test_an_unreadable_path_goes_to_click(tmp_path, monkeypatch):
    """click.Path() refuses an existing path it cannot read, with its own
    usage error: the launcher leaves that to click."""
    secret = write(tmp_path, "secret.journey", "owner o\n")
    monkeypatch.setattr(launch.os, "access", lambda path, mode: os.path.realpath(path) != str(secret.resolve()))
    assert launch.plain_check(["check", str(secret)]) is None
    assert launch.plain_check(["check", str(tmp_path / "missing.journey")]) == [str(tmp_path / "missing.journey")]


def test_the_defaults_are_clicks():
    """The check's Options defaults are the values click gives the `check`
    command's options when none is written, so a line with no option means
    the same on both ways (the launcher runs `Options(paths)`)."""
    defaults = check_command.Options._field_defaults
    with click_check.make_context("check", ["a.journey"]) as ctx:
        parsed = dict(ctx.params)
    assert parsed.pop("paths") == ("a.journey",)
    assert set(parsed) | {"paths"} == set(check_command.Options._fields)
    assert parsed == defaults


@pytest.mark.parametrize("name", ["check", "compile", "report", "fmt", "diff", "init", "rules"])
def test_every_commands_defaults_are_its_options(name):
    """click reads each command's defaults from its Options: a command line
    with no option builds the Options a caller gets by leaving them out."""
    import importlib

    from journeyc.cli import main

    module = importlib.import_module(f"journeyc.commands.{name}")
    command = main.commands[name]
    args = {"check": ["a"], "compile": ["a"], "diff": ["a", "b"]}.get(name, [])
    given = {"paths"} if args else set()
    with command.make_context(name, args) as ctx:
        parsed = dict(ctx.params)
    assert set(parsed) == set(module.Options._fields)
    assert {k: v for k, v in parsed.items() if k not in given} == \
        {k: v for k, v in module.Options._field_defaults.items() if k not in given}


HEAVY = ("click", "dataclasses", "inspect", "lark", "pygls", "lsprotocol")
# What a plain check of a small spec (no configuration file, no copy file,
# every name known, ASCII text) does without: each costs its start-up time.
NOT_AT_START = HEAVY + (
    "typing",  # journeyc.records, not typing.NamedTuple; collections.abc for annotations
    "contextlib", "importlib", "signal", "threading", "warnings",  # journeyc.commands, outputs, parsing.callbacks
    "difflib", "math", "unicodedata",  # C002 when it compares texts or meets text that is not ASCII
    "tomllib", "datetime",  # a configuration file
    "html.parser",  # an HTML copy file
    "fractions", "decimal",  # a number with a fractional part (journeyc.units)
)


def _modules_after(args, cwd, names=HEAVY, env=None) -> tuple[set, int]:
    """Which of `names` a `journeyc` process imported, and its exit code."""
    code = ("import sys\n"
            "from journeyc import launch\n"
            f"sys.argv = ['journeyc', *{list(map(str, args))!r}]\n"
            "try:\n"
            "    code = launch.run()\n"
            "except SystemExit as e:\n"
            "    code = e.code\n"
            "sys.stdout.flush()\n"
            f"print(sorted(m for m in {tuple(names)!r} if m in sys.modules), code, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env)
    modules, status = proc.stderr.strip().splitlines()[-1].rsplit(" ", 1)
    return set(eval(modules)), int(status)  # noqa: S307 - our own printout


def test_a_plain_check_loads_neither_click_nor_dataclasses():
    modules, status = _modules_after(["check", SPECS / "saas.journey"], SPECS)
    assert (modules, status) == (set(), 0)


def test_a_plain_check_of_a_small_spec_loads_only_what_it_needs(tmp_path):
    """The start of a small check, the result cache on (a miss, then a
    hit): none of NOT_AT_START."""
    write(tmp_path, "small.journey", SMALL)
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNEYC_NO_RESULT_CACHE", "JOURNEYC_NO_CACHE")}
    env["JOURNEYC_CACHE_DIR"] = str(tmp_path / "cache")
    for _ in ("miss", "hit"):
        modules, status = _modules_after(["check", "small.journey"], tmp_path, NOT_AT_START, env)
        assert (modules, status) == (set(), 1)  # (findings: F004, X001)
    assert any(p.name.startswith("check-") for p in (tmp_path / "cache").iterdir())


SMALL = """# A small spec: figures in its messages, two owners on one channel
owner growth "Growth"
owner cs "Customer success"
persona prospect "Prospect" { kind prospect }
kpi reach "Reach" { unit count target >= 5000 source first_party category acquisition }
journey small "Small" {
  model funnel
  owner growth
  stage discover "Discover" {
    entry
    measure reach
    touchpoint ad "Ad" { channel social area marketing audience prospect
      message "Start a 14-day trial" { claim trial_days = 14 days tone empower } }
    touchpoint post "Post" { channel social area marketing audience prospect owner cs
      message "Your trial lasts two weeks" }
  }
}
"""


def test_a_check_with_an_option_goes_through_click():
    modules, status = _modules_after(["check", "--jobs", "1", SPECS / "saas.journey"], SPECS)
    assert "click" in modules and status == 0
    assert not modules & {"pygls", "lsprotocol"}  # only `journeyc lsp` loads the language server


def _tree(tmp_path):
    """Specs with findings, compile errors and a configuration."""
    write(tmp_path, "journeyc.toml", 'fail-on = "info"\n[rules.C004]\nmax-messages = 1\n')
    write(tmp_path, "ok/main.journey", (SPECS / "saas.journey").read_text(encoding="utf-8").replace(
        'import "catalog/', 'import "../catalog/'))
    for f in (SPECS / "catalog").iterdir():
        write(tmp_path, f"catalog/{f.name}", f.read_text(encoding="utf-8"))
    write(tmp_path, "broken/syntax.journey", "journey j {\n  stage a {\n    owner\n  }\n")
    write(tmp_path, "broken/names.journey", "journey k { owner nobody\n stage a { measure nothing } }\n")
    write(tmp_path, "bad-config/journeyc.toml", "fail-on = 3\n")
    write(tmp_path, "bad-config/a.journey", "owner o\n")
    return tmp_path


@pytest.mark.parametrize("paths", [
    ["ok/main.journey"],
    ["ok"],
    ["broken"],
    ["broken/syntax.journey", "ok/main.journey", "missing.journey"],
    ["."],
    ["bad-config/a.journey"],
    ["missing.journey"],
])
def test_both_ways_say_the_same(tmp_path, paths):
    """`journeyc check PATHS` (no click) against `journeyc check --jobs 0
    PATHS` (click, the same options): the same bytes and exit code."""
    root = _tree(tmp_path)
    plain = run_journeyc(["check", *paths], cwd=root)
    through_click = run_journeyc(["check", "--jobs", "0", *paths], cwd=root)
    assert (plain.stdout, plain.stderr, plain.returncode) == \
        (through_click.stdout, through_click.stderr, through_click.returncode)
    assert plain.returncode in (0, 1, 2) and (plain.stdout or plain.stderr)


def test_both_ways_on_the_conformance_cases():
    plain = run_journeyc(["check", "."], cwd=CASES)
    through_click = run_journeyc(["check", "--jobs", "0", "."], cwd=CASES)
    assert (plain.stdout, plain.stderr, plain.returncode) == \
        (through_click.stdout, through_click.stderr, through_click.returncode)
    assert plain.returncode == 1 and b"error[E001]" in plain.stdout


def test_the_plain_way_turns_faults_into_one_line(tmp_path):
    """An internal fault on the plain way is one line and exit 2, as on
    click's way (the same `guarded`)."""
    write(tmp_path, "a.journey", "owner o\n")
    code = ("import sys\n"
            "import journeyc.compiler\n"
            "def broken(*a, **k):\n"
            "    raise RuntimeError('injected')\n"
            "journeyc.compiler.run_check = broken\n"
            "from journeyc import launch\n"
            "sys.argv = ['journeyc', 'check', 'a.journey']\n"
            "launch.main()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr == ("journeyc: internal error: RuntimeError: injected "
                           "(run with --debug for the traceback, and please report it)\n")


@pytest.mark.parametrize("pythonwarnings", ["", "default", "error"])
def test_the_plain_way_shows_no_python_warning(tmp_path, pythonwarnings):
    """Python's warnings are silenced on the plain way too, whether Python
    loaded `warnings` at start (-W, PYTHONWARNINGS) or not."""
    write(tmp_path, "a.journey", "owner o\n")
    code = ("import sys\n"
            "import journeyc.compiler\n"
            "real = journeyc.compiler.run_check\n"
            "def warning(*a, **k):\n"
            "    import _warnings\n"
            "    _warnings.warn('injected', UserWarning)\n"
            "    _warnings.warn('injected', DeprecationWarning)\n"
            "    return real(*a, **k)\n"
            "journeyc.compiler.run_check = warning\n"
            "from journeyc import launch\n"
            "sys.argv = ['journeyc', 'check', 'a.journey']\n"
            "launch.main()\n")
    env = dict(os.environ, PYTHONWARNINGS=pythonwarnings, JOURNEYC_NO_RESULT_CACHE="1")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert "Found 1 info in 1 file." in proc.stdout


def test_windows_goes_to_click(monkeypatch):
    """click expands wildcards in Windows arguments: only click knows how."""
    monkeypatch.setattr(launch.os, "name", "nt")
    assert launch.plain_check(["check", "*.journey"]) is None


def test_preparing_twice_adds_one_warnings_filter():
    """The executable prepares before it knows the command, and click's group
    prepares again: Python's warnings get one filter, not one per call."""
    code = ("import _warnings\n"
            "from journeyc.commands import prepare\n"
            "before = len(_warnings.filters)\n"
            "prepare(); prepare()\n"
            "print(len(_warnings.filters) - before)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, "1\n")

"""Configuration (CLI.md): discovery, select/ignore by code and prefix,
severities, per-file-ignores, rule options, fail-on, and errors that name
what is wrong (exit 2)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_journeyc, write

from journeyc.config import Config, ConfigError, GlobError, find_config, from_table, glob_matches, load_config

# One journey that fires F004 (no conversion), M001 and O001 (stage a), X001 and X004.
SPEC = "journey j { stage a { touchpoint t { channel web area marketing } } }\n"


def codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


def check(cli, cwd, *args):
    return cli(["check", "--output-format", "json", *args], cwd=cwd)


# -- discovery ---------------------------------------------------------------------

def test_journeyc_toml_found_upward_from_the_first_path(cli, tmp_path):
    write(tmp_path, "journeyc.toml", 'select = ["F"]\n')
    write(tmp_path, "specs/deep/a.journey", SPEC)
    assert codes(check(cli, tmp_path, "specs/deep/a.journey")) == ["F004"]
    assert codes(check(cli, tmp_path / "specs", "deep")) == ["F004"]


def test_pyproject_tool_table(cli, tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.journeyc]\nignore = ["X", "O"]\n')
    write(tmp_path, "a.journey", SPEC)
    assert codes(check(cli, tmp_path, "a.journey")) == ["F004", "M001"]


def test_pyproject_without_the_table_is_passed_over(cli, tmp_path):
    write(tmp_path, "journeyc.toml", 'select = ["M001"]\n')
    write(tmp_path, "sub/pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path, "sub/a.journey", SPEC)
    assert codes(check(cli, tmp_path, "sub/a.journey")) == ["M001"]
    assert find_config(str(tmp_path / "sub" / "a.journey")) == str(tmp_path / "journeyc.toml")


def test_journeyc_toml_wins_over_pyproject_in_one_folder(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.journeyc]\n")
    write(tmp_path, "journeyc.toml", "")
    assert find_config(str(tmp_path)) == str(tmp_path / "journeyc.toml")


def test_explicit_config(cli, tmp_path):
    write(tmp_path, "journeyc.toml", 'select = ["F"]\n')
    write(tmp_path, "other.toml", 'select = ["X001"]\n')
    write(tmp_path, "a.journey", SPEC)
    assert codes(check(cli, tmp_path, "--config", "other.toml", "a.journey")) == ["X001"]
    write(tmp_path, "elsewhere/pyproject.toml", '[tool.journeyc]\nselect = ["O"]\n')
    assert codes(check(cli, tmp_path, "--config", "elsewhere/pyproject.toml", "a.journey")) == ["O001"]


def test_no_configuration_means_every_rule(cli, tmp_path):
    write(tmp_path, "a.journey", SPEC)
    assert codes(check(cli, tmp_path, "a.journey")) == ["F004", "X001", "X004", "M001", "O001"]


# -- select and ignore -----------------------------------------------------------------

@pytest.mark.parametrize("select, ignore, expected", [
    (["ALL"], [], {"F004", "X001", "X004", "M001", "O001"}),
    (["M", "O"], [], {"M001", "O001"}),
    (["ALL"], ["X"], {"F004", "M001", "O001"}),
    (["M001"], ["M"], {"M001"}),  # the more specific selector wins
    (["M"], ["M001"], set()),
    (["X00"], ["X004"], {"X001"}),
    (["ALL"], ["ALL"], set()),
])
def test_select_and_ignore_by_code_and_prefix(select, ignore, expected):
    config = from_table({"select": select, "ignore": ignore})
    enabled = {c for c in ("F004", "X001", "X004", "M001", "O001") if config.enabled(c, "a.journey")}
    assert enabled == expected


def test_cli_select_replaces_and_ignore_adds(cli, tmp_path):
    write(tmp_path, "journeyc.toml", 'select = ["X"]\nignore = ["X004"]\n')
    write(tmp_path, "a.journey", SPEC)
    assert codes(check(cli, tmp_path, "a.journey")) == ["X001"]
    assert codes(check(cli, tmp_path, "--select", "M,O", "a.journey")) == ["M001", "O001"]
    assert codes(check(cli, tmp_path, "--select", "X", "--ignore", "X001", "a.journey")) == []
    assert codes(check(cli, tmp_path, "--select", " ALL , ", "a.journey")) == ["F004", "X001", "M001", "O001"]


def test_compile_errors_cannot_be_deselected(cli, tmp_path):
    write(tmp_path, "bad.journey", "journey j { owner nobody stage a { } }\n")
    r = check(cli, tmp_path, "--select", "X001", "bad.journey")
    assert codes(r) == ["E002"] and r.exit_code == 1
    r = check(cli, tmp_path, "--ignore", "E002", "bad.journey")
    assert r.exit_code == 2
    assert "'E002' is a compile error code" in r.output


# -- severities and fail-on ------------------------------------------------------------------

def test_severity_override_by_code_and_prefix(cli, tmp_path):
    write(tmp_path, "journeyc.toml", '[severity]\nX = "info"\nX001 = "error"\nM001 = "info"\n')
    write(tmp_path, "a.journey", SPEC)
    doc = json.loads(check(cli, tmp_path, "a.journey").stdout)
    severity = {d["code"]: d["severity"] for d in doc["diagnostics"]}
    assert severity == {"F004": "warning", "X001": "error", "X004": "info", "M001": "info", "O001": "warning"}
    assert doc["summary"]["errors"] == 1


def test_fail_on_from_configuration_and_command_line(cli, tmp_path):
    write(tmp_path, "a.journey", SPEC)
    write(tmp_path, "journeyc.toml", 'fail-on = "error"\n')
    assert check(cli, tmp_path, "a.journey").exit_code == 0
    assert check(cli, tmp_path, "--fail-on", "info", "a.journey").exit_code == 1
    write(tmp_path, "journeyc.toml", 'fail-on = "never"\n[severity]\nX001 = "error"\n')
    assert check(cli, tmp_path, "a.journey").exit_code == 0
    assert check(cli, tmp_path, "--fail-on", "error", "a.journey").exit_code == 1


# -- per-file-ignores ----------------------------------------------------------------------------

def test_per_file_ignores(cli, tmp_path):
    write(tmp_path, "journeyc.toml", '[per-file-ignores]\n"legacy/**/*.journey" = ["X", "F004"]\n'
                                     '"drafts" = ["ALL"]\n"*_old.journey" = ["M001"]\n')
    for name in ("legacy/a.journey", "legacy/deep/b.journey", "drafts/c.journey", "new/d.journey",
                 "new/e_old.journey"):
        write(tmp_path, name, SPEC)
    doc = json.loads(check(cli, tmp_path, ".").stdout)
    by_file: dict[str, set] = {}
    for d in doc["diagnostics"]:
        by_file.setdefault(Path(d["file"]).as_posix(), set()).add(d["code"])
    assert by_file == {
        "legacy/a.journey": {"M001", "O001"},
        "legacy/deep/b.journey": {"M001", "O001"},
        "new/d.journey": {"F004", "X001", "X004", "M001", "O001"},
        "new/e_old.journey": {"F004", "X001", "X004", "O001"},
    }


def test_per_file_ignores_are_relative_to_the_configuration_file(cli, tmp_path):
    write(tmp_path, "journeyc.toml", '[per-file-ignores]\n"specs/a.journey" = ["ALL"]\n')
    write(tmp_path, "specs/a.journey", SPEC)
    assert codes(check(cli, tmp_path / "specs", "a.journey")) == []


@pytest.mark.parametrize("pattern, path, match", [
    ("legacy/**/*.journey", "legacy/a.journey", True),
    ("legacy/**/*.journey", "legacy/x/y/a.journey", True),
    ("legacy/**/*.journey", "new/legacy/a.journey", False),
    ("legacy/*.journey", "legacy/x/a.journey", False),
    ("*.journey", "deep/down/a.journey", True),
    ("a?.journey", "ab.journey", True),
    ("[ab].journey", "c.journey", False),
    ("[!ab].journey", "c.journey", True),
    ("legacy", "legacy/x/a.journey", True),
    ("legacy/", "legacy/a.journey", True),
    ("./specs/*.journey", "specs/a.journey", True),
    ("**", "any/thing.journey", True),
])
def test_globs(pattern, path, match):
    assert glob_matches(pattern, path) is match


# -- rule options ---------------------------------------------------------------------------------

def test_rule_options_are_parsed_and_defaulted(tmp_path):
    from journeyc.lint.rules import by_code

    config = from_table({"rules": {"C004": {"max-messages": 5}, "X005": {"channels": ["kiosk"]}}})
    assert config.option(by_code("C004"), "max-messages") == 5
    assert config.option(by_code("C002"), "similarity") == 0.9
    assert config.option(by_code("X005"), "channels") == ("kiosk",)
    assert Config().option(by_code("C004"), "max-messages") == 3


# -- errors name what is wrong ----------------------------------------------------------------------

@pytest.mark.parametrize("toml, words", [
    ('selekt = ["ALL"]\n', ["selekt", "unknown key", "did you mean 'select'"]),
    ('select = ["Z"]\n', ["select", "'Z'"]),
    ('select = ["m001"]\n', ["'m001'", "did you mean 'M001'"]),
    ('select = "ALL"\n', ["select", "expected a list"]),
    ('ignore = ["M999"]\n', ["ignore", "'M999'"]),
    ('fail-on = "sometimes"\n', ["fail-on", "'sometimes'"]),
    ('[severity]\nM004 = "fatal"\n', ["severity.M004", "'fatal'"]),
    ('[severity]\nQ001 = "error"\n', ["severity.Q001"]),
    ('[per-file-ignores]\n"x/*" = ["NOPE"]\n', ["per-file-ignores", "'NOPE'"]),
    ('[rules.C004]\nmax-messages = 0\n', ["rules.C004.max-messages", "at least 1"]),
    ('[rules.C004]\nmax-messages = "3"\n', ["rules.C004.max-messages"]),
    ('[rules.C004]\nmax-messages = true\n', ["rules.C004.max-messages"]),
    ('[rules.C004]\nmax-mesages = 3\n', ["rules.C004.max-mesages", "unknown option", "max-messages"]),
    ('[rules.C002]\nsimilarity = 1.5\n', ["rules.C002.similarity"]),
    ('[rules.C002]\nsimilarity = 0\n', ["rules.C002.similarity"]),
    ('[rules.X005]\nchannels = ["ok", "not an id"]\n', ["rules.X005.channels", "'not an id'"]),
    ('[rules.F001]\nanything = 1\n', ["rules.F001.anything", "none"]),
    ('[rules.Z123]\n', ["rules.Z123", "unknown rule code"]),
    ('[rules]\nC004 = 3\n', ["rules.C004", "table"]),
    ('[tool.journeyc]\nselect = ["ALL"]\n', ["tool", "top level"]),
    ('select = [\n', ["invalid TOML"]),
])
def test_bad_configuration_exits_2_naming_the_key(cli, tmp_path, toml, words):
    write(tmp_path, "journeyc.toml", toml)
    write(tmp_path, "a.journey", SPEC)
    r = check(cli, tmp_path, "a.journey")
    assert r.exit_code == 2, r.output
    assert "journeyc.toml" in r.output
    for w in words:
        assert w in r.output, (w, r.output)
    assert "Traceback" not in r.output


def test_bad_pyproject_table_names_the_full_key(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.journeyc]\nfail_on = "error"\n')
    with pytest.raises(ConfigError, match=r"tool\.journeyc\.fail_on: unknown key \(did you mean 'fail-on'\?\)"):
        load_config(str(tmp_path / "pyproject.toml"))


def test_bad_cli_selection_and_missing_config_exit_2(cli, tmp_path):
    write(tmp_path, "a.journey", SPEC)
    r = check(cli, tmp_path, "--select", "M001,W001", "a.journey")
    assert r.exit_code == 2 and "--select: unknown rule code or prefix 'W001'" in r.output
    r = check(cli, tmp_path, "--config", "missing.toml", "a.journey")
    assert r.exit_code == 2 and "missing.toml" in r.output


def test_bad_configuration_as_a_subprocess(tmp_path):
    write(tmp_path, "journeyc.toml", "[rules.C004]\nmax-messages = -1\n")
    write(tmp_path, "a.journey", SPEC)
    proc = run_journeyc(["check", "a.journey"], cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert err.count("\n") == 1 and "rules.C004.max-messages" in err and "Traceback" not in err


# -- configuration mistakes are user errors (issue 17, part 4) ---------------------------------------

DEEP = 3000


@pytest.mark.parametrize("name, text, line", [
    ("journeyc.toml", '[per-file-ignores]\n"[z-a].journey" = ["F001"]\n',
     "journeyc.toml: per-file-ignores.\"[z-a].journey\": expected a glob: the range 'z-a' in '[z-a].journey' is "
     "reversed: write 'a-z'"),
    ("pyproject.toml", 'tool = "journeyc"\n',
     "pyproject.toml: tool: expected a table (such as [tool.journeyc]), got a string"),
    ("pyproject.toml", '[tool]\njourneyc = ["ALL"]\n',
     "pyproject.toml: tool.journeyc: expected a table of settings ([tool.journeyc]), got an array"),
    ("journeyc.toml", "select = " + "[" * DEEP + "]" * DEEP + "\n",
     "journeyc.toml: select: nested too deeply; expected at most 32 levels of arrays and tables"),
    ("journeyc.toml", "select = " + "[" * 100 + "]" * 100 + "\n",
     "journeyc.toml: select: nested too deeply; expected at most 32 levels of arrays and tables"),
    ("pyproject.toml", "[tool.journeyc.rules.X005]\nchannels = " + "[" * DEEP + "]" * DEEP + "\n",
     "pyproject.toml: tool.journeyc.rules.X005.channels: nested too deeply; expected at most 32 levels of arrays "
     "and tables"),
    ("journeyc.toml", "[severity]\nM001 = " + "[" * 40 + "]" * 40 + "\n",
     "journeyc.toml: severity.M001: nested too deeply; expected at most 32 levels of arrays and tables"),
])
def test_configuration_mistakes_are_one_line_and_exit_2(tmp_path, name, text, line):
    write(tmp_path, name, text)
    write(tmp_path, "a.journey", SPEC)
    for args in (["check", "a.journey"], ["check", "--output-format", "json", "--jobs", "1", "a.journey"],
                 ["compile", "--annotate", "--format", "dot", "a.journey"], ["report", "a.journey"]):
        proc = run_journeyc(args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.decode() == f"journeyc: {tmp_path / line}\n" and proc.stdout == b""


def test_a_config_fifo_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "c.toml")
    write(tmp_path, "a.journey", SPEC)
    proc = subprocess.run([sys.executable, "-m", "journeyc", "check", "--config", "c.toml", "a.journey"],
                          cwd=tmp_path, capture_output=True, timeout=120)  # a hang fails, not a time limit
    assert proc.returncode == 2
    assert proc.stderr == (b"journeyc: c.toml: not a regular file (a FIFO or a device); expected a journeyc.toml "
                           b"or pyproject.toml file\n")


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_journeyc_toml_that_is_no_file_is_an_error(tmp_path, kind):
    (tmp_path / "specs").mkdir()
    write(tmp_path, "specs/a.journey", SPEC)
    if kind == "folder":
        (tmp_path / "journeyc.toml").mkdir()
    else:
        os.mkfifo(tmp_path / "journeyc.toml")
    proc = subprocess.run([sys.executable, "-m", "journeyc", "check", "specs/a.journey"], cwd=tmp_path,
                          capture_output=True, timeout=120)
    what = "a folder" if kind == "folder" else "not a regular file"
    assert proc.returncode == 2
    assert proc.stderr.decode() == (f"journeyc: {tmp_path / 'journeyc.toml'}: is {what}; expected a journeyc.toml "
                                    "file (rename or remove it)\n")


@pytest.mark.parametrize("pattern, path, match", [
    ("[[a]x.journey", "[x.journey", True),
    ("[[a]x.journey", "ax.journey", True),
    ("[[a]x.journey", "bx.journey", False),
    ("[]a].journey", "].journey", True),
    ("[!]a].journey", "b.journey", True),
    ("[!]a].journey", "].journey", False),
    ("[a-]x", "-x", True),
    ("[[:digit:]]x", "7x", True),
    ("[[:digit:]]x", "ax", False),
    ("a[b", "a[b", True),
    ("*.journey", "a/b.journey", True),
    ("x/*.journey", "x/a/b.journey", False),
    ("x/?", "x//", False),
    ("x/[!a]", "x//", False),
    ("a*a*a*a*a*a*a*a*a*a*a*b", "a" * 60 + ".journey", False),
    ("a*a*a*a*a*a*a*a*a*a*a*b", "a" * 60 + "b", True),
    ("**/a**b", "x/y/aqq/rb", True),
])
def test_globs_as_posix_fnmatch(pattern, path, match):
    assert glob_matches(pattern, path) is match


def test_globs_agree_with_fnmatch_on_one_segment():
    import fnmatch
    import random
    import warnings

    rng = random.Random(17)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fnmatch's regular expressions warn on `[[`: the reference only
        for _ in range(3000):
            pattern = "".join(rng.choice(["a", "b", "*", "?", "[ab]", "[!a]", "[[a]", "]", "[", "-"])
                              for _ in range(rng.randint(1, 6)))
            name = "".join(rng.choice("ab[]-") for _ in range(rng.randint(0, 6)))
            try:
                ours = glob_matches(pattern, name)
            except GlobError:  # a reversed range: fnmatch drops it, journeyc refuses it (the user meant something)
                continue
            assert ours is fnmatch.fnmatchcase(name, pattern), (pattern, name)


def test_no_python_warning_reaches_the_user(tmp_path):
    write(tmp_path, "journeyc.toml", '[per-file-ignores]\n"[[a]x.journey" = ["ALL"]\n')
    write(tmp_path, "ax.journey", SPEC)
    write(tmp_path, "[x.journey", SPEC)
    write(tmp_path, "b.journey", SPEC)
    proc = run_journeyc(["check", "--output-format", "concise", "."], cwd=tmp_path,
                        env={"PYTHONWARNINGS": "default"})
    assert proc.stderr == b""
    files = {line.split(":")[0] for line in proc.stdout.decode().splitlines()}
    assert files == {"./b.journey"}

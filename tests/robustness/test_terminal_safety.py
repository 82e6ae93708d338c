"""Messages cannot carry terminal controls (issue 17, part 5): every control
character (C0 and C1 but tab, DEL, and the other unprintable characters) in
a message on standard error is shown escaped, whichever message it is: a
path that does not exist, click's own errors, a configuration key, a link a
folder scan skipped, a file written in watch mode."""
from __future__ import annotations

import os
import re

import pytest

from conftest import SPECS, run_journeyc, write
from reliability import CHECK_FORMATS

HOSTILE = "missing\x1b]0;title\x07\x9b2J\u202e\r"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


def assert_clean(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert not CONTROLS.search(text), repr(text)
    return text


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_a_missing_path_with_controls(tmp_path, fmt, jobs):
    proc = run_journeyc(["check", "--jobs", jobs, "--output-format", fmt, HOSTILE], cwd=tmp_path)
    assert proc.returncode == 2
    assert assert_clean(proc.stderr) == ("journeyc: missing\\x1b]0;title\\x07\\x9b2J\\u202e\\x0d: no such file or "
                                         "folder\n")


def test_the_plain_check_without_click(tmp_path):
    proc = run_journeyc(["check", HOSTILE], cwd=tmp_path)  # journeyc.launch runs it without click
    assert proc.returncode == 2 and "missing\\x1b]0;title" in assert_clean(proc.stderr)


@pytest.mark.parametrize("args", [
    ["compile", HOSTILE],
    ["compile", "--format", "svg", HOSTILE],
    ["report", HOSTILE],
    ["compile", SPECS / "saas.journey", "-o", HOSTILE + "/"],
    ["compile", SPECS / "saas.journey", "-o", os.path.join(HOSTILE, "x.json")],
    ["check", "--config", HOSTILE, SPECS / "saas.journey"],
    ["check", "--baseline", HOSTILE, SPECS / "saas.journey"],
    ["check", "--output-format", HOSTILE, SPECS / "saas.journey"],
    ["check", "--select", HOSTILE, SPECS / "saas.journey"],
    ["explain", HOSTILE],
    ["check", "--" + HOSTILE, "x"],
])
def test_every_message_is_escaped(tmp_path, args):
    proc = run_journeyc(args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "\\x1b]0;title" in assert_clean(proc.stderr)


def test_a_configuration_key_with_controls(tmp_path):
    write(tmp_path, "journeyc.toml", '"sel\\u001b]0;x\\u0007ect" = ["ALL"]\n')
    write(tmp_path, "a.journey", "journey j { stage s { } }\n")
    proc = run_journeyc(["check", "a.journey"], cwd=tmp_path)
    assert proc.returncode == 2 and "sel\\x1b]0;x\\x07ect: unknown key" in assert_clean(proc.stderr)


def test_a_skipped_link_with_controls(tmp_path):
    write(tmp_path, "specs/ok.journey", "journey j { stage s { } }\n")
    (tmp_path / "specs" / (HOSTILE.replace("\r", "") + ".journey")).symlink_to("gone.journey")
    proc = run_journeyc(["check", "--fail-on", "never", "specs"], cwd=tmp_path)
    assert proc.returncode == 0
    assert "specs/missing\\x1b]0;title\\x07\\x9b2J\\u202e.journey: skipped" in assert_clean(proc.stderr)

"""Internal faults, end to end: a bug inside one rule is one line naming the
rule and exit 2, whichever command runs the rules; a bug anywhere else is
one line "internal error" and exit 2; `--debug` shows the traceback; nothing
else ever prints one. (The engine's own tests are in test_lint_engine.py.)"""
from __future__ import annotations

import pytest

from journeyc import build, resolve
from journeyc.backends import json as json_backend
from journeyc.lint import rules as registry
from journeyc.lint.rule import rule
from journeyc.diagnostics import WARNING

from conftest import SPECS
from reliability import cli


@rule("Z998", "injected-fault", WARNING, "Fails.", bad="journey j { stage a { } }", good="journey j { stage a { } }")
def injected_fault(r, ctx):
    """A rule with a bug in it."""
    yield from ()
    {}["missing"]


@pytest.fixture
def faulty_rule(monkeypatch):
    monkeypatch.setattr(registry, "RULES", registry.RULES + (injected_fault,))
    # A rule added in memory is no change to the installed code the result cache
    # is keyed by: these checks must run, not replay (JOURNEYC_TEST_RESULT_CACHE=1 runs).
    monkeypatch.setenv("JOURNEYC_NO_RESULT_CACHE", "1")


COMMANDS = [
    ["check", SPECS / "saas.journey"],
    ["check", "--output-format", "sarif", SPECS],
    ["report", SPECS / "saas.journey"],
    ["compile", "--annotate", "--format", "dot", SPECS / "saas.journey"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=["check", "check-sarif-folder", "report", "compile-annotate"])
def test_a_fault_in_one_rule_is_one_line_naming_it(faulty_rule, args):
    result = cli(args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("journeyc: internal error in rule Z998 (injected-fault): KeyError: 'missing'")
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("args", COMMANDS[:1] + COMMANDS[2:3], ids=["check", "report"])
def test_debug_shows_where_the_rule_failed(faulty_rule, args):
    result = cli(["--debug", *args])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.output and "injected_fault" in result.output


def broken(*args, **kwargs):
    raise ZeroDivisionError("injected")


FAULTS = [(build.ModuleBuilder, "stage"), (resolve.Resolver, "check_journey"),
          (json_backend._Doc, "stage")]


@pytest.mark.parametrize("owner, name", FAULTS, ids=["build", "resolve", "json-backend"])
def test_a_fault_elsewhere_is_one_line_and_exit_2(monkeypatch, owner, name):
    monkeypatch.setattr(owner, name, broken)
    result = cli(["compile", SPECS / "saas.journey"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("journeyc: internal error: ZeroDivisionError: injected")
    assert "--debug" in line and "Traceback" not in result.output
    result = cli(["--debug", "compile", SPECS / "saas.journey"])
    assert result.exit_code != 0 and "ZeroDivisionError" in "".join(
        __import__("traceback").format_exception(result.exception) if result.exception else result.output)

"""Helpers of the reliability tests (fuzzing, limits, environment): run
journeyc on an input and check that it answered properly: a result or
diagnostics whose positions lie inside the files, exit status 0 or 1, valid
JSON, and never a traceback."""
from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from journeyc.cli import main
from journeyc.compiler import run_check
from journeyc.load import Session
from journeyc.render import render_concise, render_json, render_text

from journeyc.outputs import DIAGNOSTIC_FORMATS

CHECK_FORMATS = tuple(DIAGNOSTIC_FORMATS)
JSON_FORMATS = tuple(name for name, f in DIAGNOSTIC_FORMATS.items() if f.extension.endswith("json"))


def inside(span, lines_of: dict[str, list[str]]) -> bool:
    """Whether a span lies inside its file (given as its lines): lines from
    1 to the number of lines, columns from 1 to one past the end of the
    line (LANGUAGE.md, Positions), the end not before the start. A file
    journeyc could not decode (E008) has only line 1, column 1."""
    lines = lines_of.get(span.file, [""])

    def ok(line, column):
        return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1

    return ok(span.line, span.column) and ok(span.end_line, span.end_column) \
        and (span.end_line, span.end_column) >= (span.line, span.column)


@contextmanager
def watchdog(seconds: int, what: str = ""):
    """Turn a hang into a failure (an input journeyc never answers): not a
    time limit, a wait far beyond any answer's time."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def fire(signum, frame):
        raise AssertionError(f"no answer after {seconds} s: journeyc hangs on {what[:2000]!r}")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_run(paths: list[str], session: Session | None = None, hang: int = 120, what: str = ""):
    """Run `check` in-process on paths and check the answer; returns the
    run. An answer that takes more than `hang` seconds is a hang (on `what`,
    by default the paths)."""
    session = session or Session()
    with watchdog(hang, what or " ".join(paths)):
        run = run_check(paths, session)
    lines_of = {lf.path: lf.source.text.split("\n") for lf in session.files.values() if lf.source is not None}
    for d in run.diagnostics:
        for span in (d.span, *(r.span for r in d.related)):
            assert inside(span, lines_of), (d.code, d.message, span)
    syntax = [(d.span.file, d.span.line) for d in run.diagnostics if d.code == "E001"]
    assert len(syntax) == len(set(syntax)), "two E001 on one line"
    json.loads(render_json(run.diagnostics, run.files))
    render_concise(run.diagnostics)
    render_text(run.diagnostics, lambda f, n: None, run.files)
    for r in run.results:
        if r.compilation is not None:
            from journeyc.backends.json import dumps, to_json

            json.loads(dumps(to_json(r.compilation, with_locations=True)))
    return run


def cli(args, cwd=None, env=None):
    """The CLI in-process; exceptions are turned into a failed assertion by
    the caller (catch_exceptions=True keeps a crash visible in the result)."""
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=True)
    finally:
        os.chdir(old)


def assert_answered(result, allowed=(0, 1)):
    """The CLI answered: an allowed exit status and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"raised {result.exception!r}"
    assert result.exit_code in allowed, (result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output


def check_cli_formats(path: Path, cwd: Path, formats=CHECK_FORMATS):
    """`journeyc check` in every output format, and `compile` to JSON."""
    for fmt in formats:
        result = cli(["check", "--output-format", fmt, path], cwd=cwd)
        assert_answered(result)
        if fmt in JSON_FORMATS:
            json.loads(result.stdout)
    result = cli(["compile", path], cwd=cwd)
    assert_answered(result)
    if result.exit_code == 0:
        json.loads(result.stdout)

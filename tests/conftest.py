"""Shared test helpers: paths, golden files (`pytest --update-golden`
rewrites them; review the diff), the CLI through click's CliRunner and as a
subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
SHARED = REPO.parent / "shared"
CASES = SHARED / "conformance" / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"


# The result cache (journeyc.resultcache) is off in the suite, so every test
# sees a real run; JOURNEYC_TEST_RESULT_CACHE=1 runs the whole suite with it on
# (set JOURNEYC_CACHE_DIR too, so that no test folder gets a .journeyc_cache).
# tests/cli/test_resultcache.py turns it on where it tests it.
if os.environ.get("JOURNEYC_TEST_RESULT_CACHE") != "1":
    os.environ["JOURNEYC_NO_RESULT_CACHE"] = "1"


# The slow tests: reliability under size, faults and hostile input, the
# browsers, the tools installed from registries (pre-commit, vsce), whole-spec
# sweeps. `pytest` leaves them out so that a developer's run stays short;
# `pytest -m "slow and not fuzz"` runs them (.ci/run runs both; `-m fuzz`: the long fuzzing runs).
SLOW_FILES = {
    "test_limits.py", "test_atomic.py", "test_environment_faults.py", "test_environment.py", "test_fuzz.py",
    "test_determinism.py", "test_injection.py", "test_bounded.py", "test_install.py", "test_packaging.py",
    "test_precommit.py", "test_action.py", "test_vscode.py", "test_mermaid_browser.py", "test_report_browser.py",
    "test_views_browser.py", "test_recovery.py", "test_lint_properties.py", "test_parallel.py", "test_watch.py",
    "test_terminal_safety.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_FILES or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output (review the diff)")


@pytest.fixture
def golden(request):
    """golden(relative_path, text): compare with tests/golden/<path>, or
    rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden") or os.environ.get("JOURNEYC_UPDATE_GOLDEN") == "1"

    def check(rel: str, text: str):
        path = GOLDEN / rel
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path}: run pytest --update-golden and review it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{rel} differs from its golden file (pytest --update-golden rewrites it)"

    return check


def spec_files() -> list[Path]:
    """The root specs in specs/ (catalogues are imported, not roots)."""
    return sorted(p for p in SPECS.glob("*.journey"))


@pytest.fixture
def cli():
    """Run the CLI in-process with click's CliRunner: cli(args, cwd=None)."""
    from click.testing import CliRunner

    from journeyc.cli import main

    def run(args, cwd=None, input=None):
        runner = CliRunner()
        old = os.getcwd()
        try:
            if cwd:
                os.chdir(cwd)
            return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
        finally:
            os.chdir(old)

    return run


def run_journeyc(args, cwd=None, env=None, input=None) -> subprocess.CompletedProcess:
    """Run `python -m journeyc` as a subprocess."""
    full_env = dict(os.environ)
    full_env.pop("FORCE_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "journeyc", *[str(a) for a in args]], cwd=cwd, env=full_env,
                          capture_output=True, input=input)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def diagnostics_json(proc) -> list[dict]:
    return json.loads(proc.stdout)["diagnostics"]


def benchmark_module(name: str):
    """A module of benchmarks/ (generators the tests share with the benchmarks)."""
    import importlib
    import sys

    folder = str(REPO / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


@pytest.fixture
def opened(monkeypatch):
    """The real paths journeyc reads from disk in this process (every read
    goes through journeyc.load.read_bytes)."""
    from journeyc import load

    seen: list[str] = []
    real = load.read_bytes

    def recording(name):
        seen.append(os.path.realpath(name))
        return real(name)

    monkeypatch.setattr(load, "read_bytes", recording)
    return seen

"""A fresh machine: what `pip install .` with no extras gives a new user.

The parser tables ship in the package, so a check needs no cache folder and
writes none; a cache folder that can be neither created nor written (HOME and
XDG_CACHE_HOME below a regular file: that fails even for root) is no cache,
never a failure; and nothing imported at run time is outside the declared
dependencies (`interegular`, which Lark's strict mode wants, is made
unimportable here). `.ci/run` also does all this for real, in a throwaway
virtualenv built with plain `pip install .`."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, SPECS

# interegular is in the test extras, not a dependency: hide it as a plain install lacks it
RUN = ("import sys; sys.modules['interegular'] = None; sys.argv[0] = 'journeyc'; "
       "from journeyc.launch import main; main()")


def journeyc(env, *args, cwd=None):
    return subprocess.run([sys.executable, "-c", RUN, *args], env=env, cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def no_cache_env(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYC_")}
    env.update(HOME=str(blocker / "home"), XDG_CACHE_HOME=str(blocker / "cache"))
    return env


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.journey"
    path.write_text('journey j "J" {\n  stage s "S" {\n    touchpiont t "T" { channel email }\n  }\n}\n')
    return path


def test_every_command_runs_with_no_usable_cache_folder(no_cache_env, broken, tmp_path):
    spec = str(SPECS / "saas.journey")
    proc = journeyc(no_cache_env, "check", spec)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    out = tmp_path / "saas.json"
    proc = journeyc(no_cache_env, "compile", spec, "-o", str(out))
    assert proc.returncode == 0 and out.read_text().startswith("{"), proc.stderr
    proc = journeyc(no_cache_env, "report", spec, "-o", str(tmp_path / "saas.html"))
    assert proc.returncode == 0, proc.stderr
    assert "<html" in (tmp_path / "saas.html").read_text()
    for _ in range(2):  # Lark's parser, built for the error path, cannot be cached either
        proc = journeyc(no_cache_env, "check", str(broken))
        assert proc.returncode == 1 and "E001" in proc.stdout, proc.stdout + proc.stderr
        assert "internal error" not in proc.stdout + proc.stderr


def test_a_check_of_valid_text_needs_no_cache(tmp_path, broken):
    """With the tables in the package, checking text that parses reads and
    writes no cache: the first run costs what every later run costs."""
    cache = tmp_path / "xdg"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYC_")}
    env.update(XDG_CACHE_HOME=str(cache))
    proc = journeyc(env, "check", str(SPECS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(cache.rglob("*")) == []
    proc = journeyc(env, "check", str(broken))  # the error path builds Lark once, and caches it
    assert proc.returncode == 1 and "E001" in proc.stdout
    assert [p.name for p in cache.rglob("*.lark")]

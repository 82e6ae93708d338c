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


COLLECT = r"""
import sys, io, contextlib
sys.modules['interegular'] = None
from journeyc.cli import main
for argv in sys.argv[1:]:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(argv.split("\x1f"), standalone_mode=False)
        except SystemExit:
            pass
        except Exception as e:  # click's own exits
            pass
print("\n".join(sorted({m.split('.')[0] for m, v in sys.modules.items() if v is not None})))
"""


def test_every_module_imported_at_run_time_is_a_declared_dependency(tmp_path, broken):
    """What check, compile (every format), report, rules, explain and a
    syntax error import is the standard library, journeyc, its declared
    dependencies and what they require: never a test extra."""
    import importlib.metadata as md
    import re

    spec = str(SPECS / "saas.journey")
    commands = [["check", spec], ["check", str(broken)], ["compile", spec, "-o", str(tmp_path / "x.json")],
                ["compile", spec, "--format", "dot", "-o", str(tmp_path / "x.dot")],
                ["compile", spec, "--format", "mermaid-journey", "-o", str(tmp_path / "x.mmd")],
                ["compile", spec, "--format", "svg", "-o", str(tmp_path / "x.svg")],
                ["report", spec, "-o", str(tmp_path / "x.html")], ["rules"], ["explain", "C001"], ["schema"]]
    proc = subprocess.run([sys.executable, "-c", COLLECT, *("\x1f".join(c) for c in commands)],
                          capture_output=True, text=True, check=True)
    imported = set(proc.stdout.split())
    third_party = {m for m in imported - set(sys.stdlib_module_names) - {"journeyc", "__main__"}
                   if not m.startswith("_")}
    distributions = md.packages_distributions()

    def name(requirement: str) -> str:
        return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    allowed, todo = set(), ["journeyc"]
    while todo:
        dist = todo.pop()
        if dist in allowed:
            continue
        try:
            requirements = md.requires(dist) or []
        except md.PackageNotFoundError:  # a requirement for other Pythons (a marker): not installed here
            continue
        allowed.add(dist)
        for req in requirements:
            if "extra ==" not in req:
                todo.append(name(req))
    assert {"click", "lark", "graphviz"} <= third_party  # the run did load its dependencies
    for module in sorted(third_party):
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        assert owners & allowed, f"{module} (from {owners or 'nowhere'}) is imported but not a declared dependency"

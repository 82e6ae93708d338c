"""The package's layering: each module imports alone, the leaf modules load
nothing else of journeyc, the file-system and configuration modules load no
parser, and the import graph (imports inside functions included) has no
cycle."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "journeyc"

# Modules that import nothing else of journeyc (the package itself aside).
# (Any module loads the package first, and the package its version.)
PACKAGE_ITSELF = {"journeyc", "journeyc.version"}
LEAVES = {"journeyc.errors": set(), "journeyc.text": set(), "journeyc.version": set(), "journeyc.records": set(),
          "journeyc.patterns": set(),  # (journeyc.fsutil when it writes its file)
          "journeyc.gcpause": set(),
          # the file-system facts use only the two leaves
          "journeyc.project": {"journeyc.errors", "journeyc.text"}}
# What a parser is: Lark, and journeyc's parsing modules before and after
# they moved into journeyc/parsing/.
PARSER = ("lark", "journeyc.fastparse", "journeyc.parse", "journeyc.parsing", "journeyc.grammar",
          "journeyc.syntax", "journeyc.parsercache", "journeyc.load")
NO_PARSER = ("journeyc.fsutil", "journeyc.config", "journeyc.errors", "journeyc.text", "journeyc.project",
             "journeyc.resultcache")

# Import edges that still close a cycle, each with the issue that removes it.
# Remove a line when its edge is gone (test_known_cycle_edges_still_exist
# says so); never add one.
KNOWN_CYCLE_EDGES = {
}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of journeyc it imports, wherever the import
    statement stands (at the top, in a function, under a condition)."""
    mods = modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for a in node.names:  # `from . import x` imports the module x
                    out.add(f"{target}.{a.name}" if f"{target}.{a.name}" in mods else target)
        graph[name] = {m for m in out if m in mods and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's
    algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    component.append(m)
                    if m == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "journeyc.copyfiles" in graph["journeyc.load"]  # imported inside Session.copy
    assert "journeyc.text" in graph["journeyc.config"]  # imported inside find_config


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    for (a, b) in KNOWN_CYCLE_EDGES:
        graph.get(a, set()).discard(b)
    assert cycles(graph) == []


def test_known_cycle_edges_still_exist():
    """A known edge that is gone is taken off the list, so the list only shrinks."""
    graph = import_graph()
    gone = [edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph.get(edge[0], set())]
    assert gone == [], f"remove these from KNOWN_CYCLE_EDGES: {gone}"


# Imports each module in a process of its own, forked from one that has
# loaded nothing of journeyc (nor Lark), and reports what each one loaded.
_PROBE = """
import json, os, sys
names = json.loads(sys.argv[1])
report = {}
for name in names:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            __import__(name)
            loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('journeyc', 'lark'))
            out = {'loaded': loaded}
        except BaseException as e:
            out = {'error': f'{type(e).__name__}: {e}'}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    data = b''
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    report[name] = json.loads(data)
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def loaded() -> dict[str, dict]:
    names = sorted(modules())
    if not hasattr(__import__("os"), "fork"):
        pytest.fail("this test forks")
    proc = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(names)], capture_output=True, text=True,
                          cwd=PACKAGE.parent, check=True)
    return json.loads(proc.stdout)


def test_every_module_imports_alone(loaded):
    assert {name: r["error"] for name, r in loaded.items() if "error" in r} == {}
    assert set(loaded) == set(modules())


@pytest.mark.parametrize("leaf", sorted(LEAVES))
def test_leaf_modules_load_nothing_else_of_journeyc(loaded, leaf):
    assert set(loaded[leaf]["loaded"]) == PACKAGE_ITSELF | {leaf} | LEAVES[leaf]


def test_the_package_itself_loads_only_its_version(loaded):
    assert set(loaded["journeyc"]["loaded"]) == PACKAGE_ITSELF


@pytest.mark.parametrize("name", NO_PARSER)
def test_file_system_and_configuration_load_no_parser(loaded, name):
    parsers = [m for m in loaded[name]["loaded"] if m == "lark" or m.startswith(PARSER)]
    assert parsers == []

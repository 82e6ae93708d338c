"""The ways to parse faster that issue 18 names, measured against journeyc's
parser in one run, and how fast `check` could be with a parser that cost
nothing.

    python benchmarks/parser_options.py                         # 10,000 touchpoints
    python benchmarks/parser_options.py --size 10000 --runs 3 --output benchmarks/parser-options.json

For each generator (benchmarks/generate.py: few findings; generate_rich.py:
lint-rich) it parses the same main file, building the same syntax, with:

- `driver`: journeyc's table-driven driver (journeyc.parsing.driver), pure
  Python, as installed;
- `driver, mypyc`: the same module compiled by mypyc (a copy of the package
  in a temporary folder; `python -m mypyc journeyc/parsing/driver.py`), the
  way black ships; needs mypy (`pip install mypy`) and a C compiler, else
  it is reported as not measured, with the reason;
- `lark`: Lark's LALR parser with the grammar's contextual lexer and the
  same rule callbacks as its transformer (the path of text with errors);
- `lark + lark-cython`: the same with the lark-cython plugin
  (`pip install lark-cython`), else not measured.

Each is timed in a new process, in CPU time (less disturbed by other work on
a shared machine than wall time): the best of `--repeat` parses, the median
of `--runs` processes, the candidates alternating. Then `check
--output-format json` of the same spec (the median CPU time of `--runs`
processes, result cache off), and the bound it implies: the MB/s `check`
would reach if parsing cost nothing (size / (check - parse)).

No assertions: this measures. The comparison recorded for issue 18 is
benchmarks/parser-options.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import generate_rich  # noqa: E402

GENERATORS = {"plain": generate, "rich": generate_rich}

# One candidate's parse, in a new process: prints {"seconds": ...} or {"error": ...}.
CHILD = r'''
import json, sys, time
from journeyc import commands
commands.prepare()  # the collector as `journeyc check` tunes it
kind, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
if kind.startswith("driver"):
    from journeyc.parsing import driver
    compiled = not driver.__file__.endswith(".py")
    if compiled != (kind == "driver, mypyc"):
        print(json.dumps({"error": "the driver imported is " + driver.__file__})); sys.exit()
    driver.tables()
    def parse():
        found = driver.parse_source(text, path)
        assert found is not None, "the driver did not parse the spec"
else:
    from journeyc.parsing import grammar, larkparser
    from journeyc.parsing.callbacks import SyntaxBuilder
    extra = {}
    if kind == "lark + lark-cython":
        try:
            import lark_cython
        except ImportError:
            print(json.dumps({"error": "lark-cython is not installed (pip install lark-cython)"})); sys.exit()
        extra["_plugins"] = lark_cython.plugins
    builder = SyntaxBuilder()
    builder.file = path
    comments = []
    parser = larkparser.fresh(grammar.text(), transformer=builder,
                              lexer_callbacks={"COMMENT": comments.append}, **extra)
    def parse():
        del comments[:]
        parser.parse(text)
best = None
for _ in range(repeat):
    t = time.process_time()
    parse()
    spent = time.process_time() - t
    best = spent if best is None else min(best, spent)
print(json.dumps({"seconds": best}))
'''

# `check` of the spec in a new process, in CPU time (user + system, from the OS).
CHECK = r'''
import json, os, resource, subprocess, sys
env = dict(os.environ, JOURNEYC_NO_CACHE="1")
proc = subprocess.run([sys.executable, "-m", "journeyc", "check", "--no-cache", "--output-format", "json", sys.argv[1]],
                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
if proc.returncode not in (0, 1):
    print(json.dumps({"error": proc.stderr.decode()[-300:]})); sys.exit()
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": used.ru_utime + used.ru_stime}))
'''

CANDIDATES = ("driver", "driver, mypyc", "lark", "lark + lark-cython")


def child_env(pythonpath: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(pythonpath), JOURNEYC_NO_CACHE="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's install runs: with bytecode
    return env


def compiled_copy(folder: Path) -> tuple[Path | None, str]:
    """A copy of the package with journeyc/parsing/driver.py compiled by
    mypyc: (folder to put on PYTHONPATH, "") or (None, why not)."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return None, "mypy (mypyc) is not installed: pip install mypy"
    if shutil.which(os.environ.get("CC", "cc")) is None:
        return None, "no C compiler"
    copy = folder / "compiled"
    shutil.copytree(ROOT / "journeyc", copy / "journeyc",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd"))
    proc = subprocess.run([sys.executable, "-m", "mypyc", "--follow-imports=silent", "journeyc/parsing/driver.py"],
                          cwd=copy, capture_output=True, text=True, env=child_env(copy))
    if proc.returncode != 0 or not list((copy / "journeyc" / "parsing").glob("driver.*.so")):
        return None, "mypyc failed: " + (proc.stdout + proc.stderr).strip()[-500:]
    return copy, ""


def measure(kind: str, path: Path, pythonpath: Path, repeat: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), str(repeat)],
                          capture_output=True, text=True, env=child_env(pythonpath), cwd=pythonpath)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-500:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000, help="touchpoints of each spec (default 10000)")
    ap.add_argument("--runs", type=int, default=3, help="processes per candidate; the median is reported")
    ap.add_argument("--repeat", type=int, default=2, help="parses per process; the best is kept")
    ap.add_argument("--output", type=Path, help="write the results as JSON")
    args = ap.parse_args()

    results: dict = {"size": args.size, "runs": args.runs, "python": sys.version.split()[0], "specs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        compiled, why = compiled_copy(folder)
        paths = {kind: ROOT for kind in CANDIDATES}
        if compiled is not None:
            paths["driver, mypyc"] = compiled
        for name, gen in GENERATORS.items():
            main_file = gen.generate(folder / name, args.size)
            size_mb = main_file.stat().st_size / 1e6
            times: dict[str, list[float]] = {kind: [] for kind in CANDIDATES}
            errors: dict[str, str] = {}
            if compiled is None:
                errors["driver, mypyc"] = why
            for _ in range(args.runs):  # alternating, so that load hits every candidate alike
                for kind in CANDIDATES:
                    if kind in errors:
                        continue
                    found = measure(kind, main_file, paths[kind], args.repeat)
                    if "error" in found:
                        errors[kind] = found["error"]
                    else:
                        times[kind].append(found["seconds"])
            checks = []
            for _ in range(args.runs):
                proc = subprocess.run([sys.executable, "-c", CHECK, str(main_file)], capture_output=True,
                                      text=True, env=child_env(ROOT))
                found = json.loads(proc.stdout.strip().splitlines()[-1])
                if "error" in found:
                    raise SystemExit(f"check failed on {main_file}: {found['error']}")
                checks.append(found["seconds"])
            spec: dict = {"size_mb": round(size_mb, 3), "parsers": {}}
            base = statistics.median(times["driver"])
            for kind in CANDIDATES:
                if kind in errors:
                    spec["parsers"][kind] = {"not_measured": errors[kind]}
                    continue
                s = statistics.median(times[kind])
                spec["parsers"][kind] = {"seconds": round(s, 3), "mb_s": round(size_mb / s, 2),
                                         "time_vs_driver": round(s / base, 2)}
            check = statistics.median(checks)
            spec["check_seconds"] = round(check, 3)
            spec["check_mb_s"] = round(size_mb / check, 2)
            spec["parse_share_of_check"] = round(base / check, 2)
            spec["check_mb_s_if_parsing_cost_nothing"] = round(size_mb / (check - base), 2)
            results["specs"][name] = spec

    for name, spec in results["specs"].items():
        print(f"{name}: {spec['size_mb']} MB, {args.size} touchpoints")
        for kind, r in spec["parsers"].items():
            if "not_measured" in r:
                print(f"  {kind:20} not measured: {r['not_measured']}")
            else:
                print(f"  {kind:20} {r['seconds']:7.3f} s  {r['mb_s']:6.2f} MB/s  {r['time_vs_driver']:5.2f}x the driver's time")
        print(f"  check (CPU)          {spec['check_seconds']:7.3f} s  {spec['check_mb_s']:6.2f} MB/s; parsing is "
              f"{spec['parse_share_of_check']:.0%} of it; with a parser that cost nothing: "
              f"{spec['check_mb_s_if_parsing_cost_nothing']:.2f} MB/s")
    if args.output:
        args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

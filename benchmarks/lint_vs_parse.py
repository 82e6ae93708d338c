"""How long linting takes compared with parsing, on generated specs.

    python benchmarks/lint_vs_parse.py                 # 10k and 100k touchpoints
    python benchmarks/lint_vs_parse.py 1000 --runs 3
    python benchmarks/lint_vs_parse.py 10000 --generator rich   # the lint-rich specs

For each size: the medians of parse (read, parse and build every file),
resolve, lint (every rule, suppressions, configuration) through the API, and
of the whole `journeyc check` command as a subprocess. The specs come from
benchmarks/generate.py. No assertions: this measures, it does not judge.

The phases run with the garbage collector tuned as the command line tunes
it (`journeyc.commands.prepare`), and are timed in CPU time of this process
(`time.process_time`), which other processes on a shared machine disturb far
less than wall-clock time; the command's time is wall-clock.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import generate_rich  # noqa: E402

GENERATORS = {"plain": generate, "rich": generate_rich}


def phases(main: Path) -> dict[str, float]:
    from journeyc.commands import prepare
    from journeyc.lint import lint
    from journeyc.load import Session
    from journeyc.resolve import resolve

    prepare()  # the garbage collector as `journeyc check` tunes it
    clock = time.process_time
    t0 = clock()
    session = Session()
    files, errors = session.collect(str(main))
    t1 = clock()
    comp, resolve_errors = resolve([lf.module for lf in files], str(main))
    t2 = clock()
    assert comp is not None and not errors and not resolve_errors
    found = lint([comp])
    t3 = clock()
    return {"parse": t1 - t0, "resolve": t2 - t1, "lint": t3 - t2, "findings": len(found)}


def cli(main: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "journeyc", "check", "--output-format", "json", str(main)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--generator", choices=sorted(GENERATORS), default="plain",
                    help="benchmarks/generate.py (plain, the default) or generate_rich.py (rich)")
    args = ap.parse_args()
    print(f"{'touchpoints':>11}  {'parse':>8}  {'resolve':>8}  {'lint':>8}  {'lint/parse':>10}  "
          f"{'check (CLI)':>11}  findings")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            main_file = GENERATORS[args.generator].generate(Path(tmp) / str(n), n)
            runs = [phases(main_file) for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("parse", "resolve", "lint")}
            check = statistics.median(cli(main_file) for _ in range(max(1, args.runs // 2)))
            print(f"{n:>11}  {med['parse']:>7.2f}s  {med['resolve']:>7.2f}s  {med['lint']:>7.2f}s  "
                  f"{med['lint'] / med['parse']:>10.2f}  {check:>10.2f}s  {runs[0]['findings']}")


if __name__ == "__main__":
    main()

"""Bounded work (issue 17): the inputs that used to take minutes, with their
size and time, each as a ratio to a baseline of the same size measured in
the same run.

    python benchmarks/bounded.py            # the issue's sizes; writes benchmarks/bounded-results.json
    python benchmarks/bounded.py --quick    # small sizes

* E002 near misses: a journey whose N stages each link to a near miss of
  their own name (`stage_00001` -> `stage_00001x`), so each of the N E002
  looks for a suggestion among N names (was 55 s at N = 2,000). Baseline:
  the same journey with every link correct.
* A glob that backtracked: `per-file-ignores` pattern
  `a*a*a*a*a*a*a*a*a*a*a*b` and a file with a 60-letter name (was 20 s).
  Baseline: the same check without the configuration.
* A dense diagram: 80 stages with 12 links each (960 edges) to SVG (was
  123 s with nothing printed); now refused at once with a pointer to smaller
  views. A drawable big one, 40 stages x 6 links, gets the bounded layout
  (5.3 s before). Baseline: `specs/saas.journey` to SVG.

`benchmarks/run.py` reports these rows too (small sizes with --quick).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import machine, write_results  # noqa: E402
REPO = HERE.parent
BIN = Path(sys.executable).parent
JOURNEYC = [str(BIN / "journeyc")] if (BIN / "journeyc").exists() else [sys.executable, "-m", "journeyc"]


def timed(cmd, runs: int, cwd=None, ok=(0, 1)) -> float:
    """Median wall time of `cmd` (seconds) over `runs` runs."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if proc.returncode not in ok:
            raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def cpu_time(cmd, runs: int, cwd=None) -> float:
    """Median CPU time (user + system, seconds) of `cmd`: what the shared
    machine's load does not inflate."""
    import resource

    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def near_misses(n: int, miss: bool = True) -> str:
    lines = ['journey j "Near misses" {']
    lines += [f"  stage stage_{i:05d} {{ -> stage_{i:05d}{'x' if miss else ''} }}" for i in range(1, n + 1)]
    return "\n".join(lines + ["}"]) + "\n"


def dense(stages: int, links: int) -> str:
    out = ['owner team "Team"', 'journey dense "Dense" {', "  owner team"]
    for i in range(stages):
        out.append(f'  stage s{i:03d} "Stage {i}" {{')
        out.append(f'    touchpoint t{i:03d} "Touch {i}" {{ channel email }}')
        out += [f'    -> s{(i + k * 7) % stages:03d} "link {k}"' for k in range(1, links + 1)]
        out.append("  }")
    return "\n".join(out + ["}"]) + "\n"


PATTERN = "a*a*a*a*a*a*a*a*a*a*a*b"


def measure(work: Path, quick: bool, runs: int) -> list[tuple[str, float, str, str]]:
    """Rows (name, value, format, key) of the bounded cases."""
    rows = []
    work.mkdir(parents=True, exist_ok=True)

    # 1. E002 near misses
    n = 200 if quick else 2000
    (work / "near.journey").write_text(near_misses(n), encoding="utf-8")
    (work / "exact.journey").write_text(near_misses(n, miss=False), encoding="utf-8")
    near = timed([*JOURNEYC, "check", "--output-format", "concise", "near.journey"], runs, cwd=work)
    exact = timed([*JOURNEYC, "check", "--output-format", "concise", "exact.journey"], runs, cwd=work)
    near_cpu = cpu_time([*JOURNEYC, "check", "--output-format", "concise", "near.journey"], runs, cwd=work)
    rows += [(f"E002 near misses: {n} links (size)", n, "{:.0f}", "near_miss_count"),
             (f"check {n} near misses (s)", near, "{:.2f}", "near_miss_s"),
             (f"check {n} near misses (CPU s)", near_cpu, "{:.2f}", "near_miss_cpu_s"),
             (f"check {n} near misses / {n} correct links", near / exact, "{:.2f}x", "near_miss_ratio")]

    # 2. the glob that backtracked
    glob = work / "glob"
    glob.mkdir(exist_ok=True)
    name = "a" * 60 + ".journey"
    (glob / name).write_text('journey j { stage s { } }\n', encoding="utf-8")
    plain = timed([*JOURNEYC, "check", "--fail-on", "never", name], runs, cwd=glob)
    (glob / "journeyc.toml").write_text(f'[per-file-ignores]\n"{PATTERN}" = ["ALL"]\n', encoding="utf-8")
    with_glob = timed([*JOURNEYC, "check", "--fail-on", "never", name], runs, cwd=glob)
    sys.path.insert(0, str(REPO))
    from journeyc.config import glob_matches

    t = time.perf_counter()
    for _ in range(100):
        glob_matches(PATTERN, name)
    in_process = (time.perf_counter() - t) / 100
    rows += [(f"glob {PATTERN} vs {name[:3]}...(60 letters).journey (us)", in_process * 1e6, "{:.0f}", "glob_match_us"),
             ("check with that glob (s)", with_glob, "{:.3f}", "glob_check_s"),
             ("check with that glob / without", with_glob / plain, "{:.2f}x", "glob_ratio")]

    # 3. dense diagrams
    if shutil.which("dot") is None:
        rows.append(("dense diagrams: Graphviz's dot not installed", 0, "{:.0f}", "dense_skipped"))
        return rows
    (work / "dense.journey").write_text(dense(80, 12), encoding="utf-8")
    stages, links = (20, 4) if quick else (40, 6)
    (work / "big.journey").write_text(dense(stages, links), encoding="utf-8")
    saas = timed([*JOURNEYC, "compile", "--format", "svg", REPO / "specs" / "saas.journey", "-o", work / "saas.svg"],
                 runs)
    refused = timed([*JOURNEYC, "compile", "--format", "svg", "dense.journey", "-o", "dense.svg"], runs, cwd=work,
                    ok=(2,))
    drawn = timed([*JOURNEYC, "compile", "--format", "svg", "big.journey", "-o", "big.svg"], runs, cwd=work)
    rows += [("svg of specs/saas.journey (s)", saas, "{:.2f}", "saas_svg_s"),
             ("svg of 80 stages x 12 links: refused (s)", refused, "{:.2f}", "dense_svg_s"),
             ("... / svg of saas", refused / saas, "{:.2f}x", "dense_ratio"),
             (f"svg of {stages} stages x {links} links: bounded layout (s)", drawn, "{:.2f}", "big_svg_s"),
             ("... / svg of saas", drawn / saas, "{:.2f}x", "big_ratio")]
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--output", type=Path, default=HERE / "bounded-results.json")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="journeyc-bounded-"))
    try:
        rows = measure(work, args.quick, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"journeyc bounded cases ({'quick' if args.quick else 'full'}; medians of {args.runs} runs; "
          f"{os.cpu_count()} cores, Python {platform.python_version()})")
    for name, value, fmt, _ in rows:
        print(f"{name.ljust(width)}  {fmt.format(value):>10}")
    write_results(args.output, {"mode": "quick" if args.quick else "full", "runs": args.runs, "machine": machine(),
                                "results": {key: value for _, value, _, key in rows}})
    return 0


if __name__ == "__main__":
    sys.exit(main())

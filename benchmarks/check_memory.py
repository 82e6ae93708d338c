"""Peak memory and time of `journeyc check --output-format json` on the
lint-rich specs (benchmarks/generate_rich.py), as ratios to `json.load` of
the same spec's compiled JSON, for this code and, optionally, another
checkout of journeyc (`--before`, e.g. main at the commit a change started
from), run one after the other (interleaved) so that a busy machine treats
both alike.

    python benchmarks/check_memory.py --sizes 10000 --runs 3
    python benchmarks/check_memory.py --sizes 10000,100000 --runs 1 --before /tmp/main-checkout

Every check runs in a fresh process with a new empty cache folder
(JOURNEYC_CACHE_DIR), as `benchmarks/run.py` does; "cpu" is the child's
user + system time, "rss" its peak resident set (MB). Both codes' outputs
must be the same bytes. Writes benchmarks/results-check-memory.json
(`--output`). No assertions: this measures, it does not judge.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_rich  # noqa: E402
from results import machine, write_results  # noqa: E402

JSON_LOAD = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"


def measure(cmd: list[str], env: dict) -> tuple[float, float, float, str]:
    """(wall s, cpu s, peak RSS MB, digest of stdout) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        # cwd: not a checkout, whose journeyc `python -m` would put before PYTHONPATH
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env, cwd=env["JOURNEYC_CACHE_DIR"])
        wall = time.perf_counter() - t
        out.seek(0)
        digest = hashlib.sha256(out.read()).hexdigest()[:16]
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of the children is the largest of any child so far: measure() runs
    # each command in a child of its own (see main), so it is this command's.
    return wall, cpu, after.ru_maxrss / 1024, digest


def child(args: list[str]) -> None:
    """Run one measurement in this (fresh) process and print it."""
    code, work, *cmd = args
    env = dict(os.environ, JOURNEYC_CACHE_DIR=tempfile.mkdtemp(dir=work))
    if code:
        env["PYTHONPATH"] = code
    print(*measure(cmd, env))


def run_one(code: str, work: Path, cmd: list) -> dict:
    """One measurement in a fresh parent, so that its peak RSS is this command's alone."""
    out = subprocess.run([sys.executable, __file__, "--child", code, str(work), *map(str, cmd)],
                         capture_output=True, text=True, check=True).stdout.split()
    return {"wall_s": float(out[0]), "cpu_s": float(out[1]), "rss_mb": float(out[2]), "digest": out[3]}


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=[10_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--before", help="the folder of another journeyc checkout to compare with (its code is "
                                     "put first on PYTHONPATH)")
    ap.add_argument("--output", type=Path, default=HERE / "results-check-memory.json")
    args = ap.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has bytecode
    codes = {"after": str(HERE.parent)}
    if args.before:
        codes = {"before": str(Path(args.before).resolve()), **codes}
    python = sys.executable
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="journeyc-mem-") as tmp:
        work = Path(tmp)
        for n in args.sizes:
            main_file = generate_rich.generate(work / f"rich{n}", n)
            size_mb = sum(p.stat().st_size for p in main_file.parent.glob("*.journey")) / 1e6
            compiled = main_file.parent / "compiled.json"
            subprocess.run([python, "-m", "journeyc", "compile", main_file, "-o", compiled], check=True, cwd=work,
                           env=dict(os.environ, PYTHONPATH=codes["after"],
                                    JOURNEYC_CACHE_DIR=tempfile.mkdtemp(dir=work)))
            check = [python, "-m", "journeyc", "check", "--output-format", "json", "--fail-on", "never", main_file]
            rows: dict = {name: [] for name in codes}
            loads = []
            for _ in range(args.runs):
                loads.append(run_one("", work, [python, "-c", JSON_LOAD, compiled]))
                for name, code in codes.items():
                    rows[name].append(run_one(code, work, check))
            load = {k: statistics.median(r[k] for r in loads) for k in ("wall_s", "cpu_s", "rss_mb")}
            entry = {"size_mb": size_mb, "json_load": load}
            for name, runs in rows.items():
                med = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "cpu_s", "rss_mb")}
                med["mb_per_s_cpu"] = size_mb / med["cpu_s"]
                med["cpu_vs_json_load"] = med["cpu_s"] / load["cpu_s"]
                med["rss_vs_json_load"] = med["rss_mb"] / load["rss_mb"]
                med["digests"] = sorted({r["digest"] for r in runs})
                entry[name] = med
                print(f"rich {n}: {name:6s} cpu {med['cpu_s']:6.2f} s ({med['mb_per_s_cpu']:.2f} MB/s, "
                      f"{med['cpu_vs_json_load']:.1f}x json.load)  peak RSS {med['rss_mb']:6.0f} MB "
                      f"({med['rss_vs_json_load']:.2f}x json.load's {load['rss_mb']:.0f} MB)")
            if len({d for name in codes for d in entry[name]["digests"]}) != 1:
                print(f"rich {n}: the outputs differ", file=sys.stderr)
                return 1
            results[str(n)] = entry
    write_results(args.output, {"runs": args.runs, "sizes": args.sizes, "machine": machine(), "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())

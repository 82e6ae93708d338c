"""The fast parser against another checkout's, in the same run.

    python benchmarks/parse_compare.py                      # this checkout only
    python benchmarks/parse_compare.py --baseline ../main   # and main's parser, alternately

For each generator (benchmarks/generate.py, generate_rich.py) at `--size`
touchpoints: the CPU time (less disturbed than wall time by other work on a
shared machine) of `journeyc.parsing.driver.parse_source` on the main file (read
once; the driver's tables loaded before timing; the best of `--repeat`
parses, the median over `--runs` processes), alternating checkouts so that
load hits both alike; and the memory the syntax holds (tracemalloc). Prints
MB/s and the ratio; `--output` writes JSON (benchmarks/parse-results.json is
the comparison recorded for issue 18).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import generate_rich  # noqa: E402

CHILD = r'''
import gc, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from journeyc import commands
try:
    from journeyc.parsing import driver
except ImportError:  # a baseline from before journeyc/parsing/ (issue 16)
    from journeyc import fastparse as driver
commands.prepare()
text = open(sys.argv[2], encoding="utf-8").read()
driver.tables()
best = []
for _ in range(int(sys.argv[3])):
    t = time.process_time()
    result = driver.parse_source(text, "main.journey")
    best.append(time.process_time() - t)
    assert result is not None
    del result
gc.collect()
tracemalloc.start()
result = driver.parse_source(text, "main.journey")
size = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
print(min(best), size)
'''


def measure(checkout: Path, spec: Path, repeat: int) -> tuple[float, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(checkout), str(spec), str(repeat)],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="another checkout (its journeyc package is imported)")
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5, help="processes per checkout (median of their best times)")
    ap.add_argument("--repeat", type=int, default=3, help="parses per process (the best counts)")
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    ours = HERE.parent
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for gen in (generate, generate_rich):
            spec = gen.generate(Path(work) / gen.__name__, args.size)
            mb = spec.stat().st_size / 1e6
            times = {"ours": [], "baseline": []}
            memory = {}
            for _ in range(args.runs):
                for name, checkout in (("ours", ours), ("baseline", args.baseline)):
                    if checkout is None:
                        continue
                    t, size = measure(checkout.resolve(), spec, args.repeat)
                    times[name].append(t)
                    memory[name] = size
            row = {"size_mb": mb}
            for name, ts in times.items():
                if ts:
                    row[f"{name}_s"] = statistics.median(ts)
                    row[f"{name}_mb_s"] = mb / statistics.median(ts)
                    row[f"{name}_syntax_mb"] = memory[name] / 1e6
            if times["baseline"]:
                row["speedup"] = row["baseline_s"] / row["ours_s"]
            results[gen.__name__] = row
            print(f"{gen.__name__} {args.size} touchpoints ({mb:.1f} MB): " +
                  ", ".join(f"{k} {v:.3f}" for k, v in row.items()))
    if args.output:
        args.output.write_text(json.dumps({"size": args.size, "results": results}, indent=2, sort_keys=True) + "\n",
                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

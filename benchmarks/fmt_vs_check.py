"""`journeyc fmt --check` against `journeyc check` on one generated spec
(the row benchmarks/run.py prints, measured alone).

    python benchmarks/fmt_vs_check.py            # 10k touchpoints (the target: fmt < 2x check)
    python benchmarks/fmt_vs_check.py 1000 --runs 3
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import Bench  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("touchpoints", type=int, nargs="?", default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="journeyc-bench-fmt-"))
    try:
        bench = Bench(quick=False, runs=args.runs, work=work)
        bench.formatting(args.touchpoints)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, value, target in bench.rows:
        print(f"{name:<32} {value:>10}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

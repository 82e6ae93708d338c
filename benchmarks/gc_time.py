"""The time the cyclic garbage collector takes in one journeyc command, by
generation (gc.callbacks), and the command's CPU time; run in this process.

    JOURNEYC_CACHE_DIR=$(mktemp -d) python benchmarks/gc_time.py check --output-format json SPEC > /dev/null

Prints `{generation: (collections, seconds)}` and the CPU time on stderr.
"""
from __future__ import annotations

import gc
import sys
import time

stats: dict[int, tuple[int, float]] = {}
_started = [0.0]


def _callback(phase: str, info: dict) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
        return
    n, spent = stats.get(info["generation"], (0, 0.0))
    stats[info["generation"]] = (n + 1, spent + time.perf_counter() - _started[0])


def main() -> None:
    gc.callbacks.append(_callback)
    sys.argv = ["journeyc", *sys.argv[1:]]
    from journeyc.launch import main as journeyc

    cpu = time.process_time()
    try:
        journeyc()
    except SystemExit:
        pass
    shown = {g: (n, round(spent, 2)) for g, (n, spent) in sorted(stats.items())}
    print(f"collections {shown}, CPU {time.process_time() - cpu:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

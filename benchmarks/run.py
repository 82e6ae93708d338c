"""journeyc benchmarks: every figure is a ratio to a baseline measured in
the same run, so noisy machines still give comparable numbers.

    python benchmarks/run.py            # full: 1k, 10k and 100k touchpoints
    python benchmarks/run.py --quick    # small sizes, for CI (no assertions on time)
    python benchmarks/bounded.py        # only the bounded cases of issue 17, at the issue's sizes
    python benchmarks/run.py --cold-only      # the cold start only: a small spec's first check / python -c pass
    python benchmarks/run.py --figures-only   # figures in messages (20k) and lint's share at 10k
                                              # (writes --output; benchmarks/results-figures.json holds the 2026-12-03 run)
    python benchmarks/run.py --sizes 1000,10000 --runs 3

Every size is measured on both generators: `generate.py` (the density of
specs/, few findings) and `generate_rich.py` (lint-rich: about 0.77 findings
per touchpoint). Every run of journeyc gets a new empty cache folder
(JOURNEYC_CACHE_DIR), as a new user meets it, except the "again" figures,
which run the same check a second time with the first run's cache. Python
writes and reads bytecode in every child (PYTHONDONTWRITEBYTECODE is dropped
from their environment, and the cold check runs once before it is timed), as
in a user's installation: otherwise every run would compile every module.

Prints a table and writes benchmarks/results.json. Times are medians of
several runs; peak RSS is measured in a fresh process per run.
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

import bounded  # noqa: E402
from results import machine as results_machine, write_results  # noqa: E402
import generate  # noqa: E402
import generate_rich  # noqa: E402

BIN = Path(sys.executable).parent
JOURNEYC = [str(BIN / "journeyc")] if (BIN / "journeyc").exists() else [sys.executable, "-m", "journeyc"]

# A child that runs a command and reports its peak RSS (KiB) on stderr's last line.
RSS_WRAPPER = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")


def _label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 else str(n)


class Fresh:
    """An environment whose JOURNEYC_CACHE_DIR is a new empty folder for
    each run (`fresh=True`), or one given folder: so that a measured run
    takes neither results nor parser tables from a cache unless meant to."""

    def __init__(self, work: Path):
        self.work = work
        self.count = 0

    def env(self, folder: Path | None = None) -> dict:
        if folder is None:
            self.count += 1
            folder = self.work / "caches" / f"c{self.count}"
            folder.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # bytecode, as installed
        return dict(env, JOURNEYC_CACHE_DIR=str(folder))


FRESH: Fresh | None = None


def timed(cmd, runs: int, cwd=None, cache: Path | None = None) -> float:
    """Median wall time of `cmd` (seconds) over `runs` runs, each with an
    empty cache folder (or with the folder `cache`)."""
    times = []
    for _ in range(runs):
        env = FRESH.env(cache)
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def peak_rss_mb(cmd, runs: int) -> float:
    values = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *map(str, cmd)], capture_output=True, text=True,
                              env=FRESH.env())
        values.append(int(proc.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(values)


def py(code: str, *args) -> list[str]:
    return [sys.executable, "-c", code, *map(str, args)]


JSON_LOADS = "import json, sys; json.loads(open(sys.argv[1], encoding='utf-8').read())"
JSON_LOAD = "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))"
# the generators: (name, module, prefix of their result keys)
GENERATORS = (("plain", generate, ""), ("rich", generate_rich, "rich_"))


class Bench:
    def __init__(self, quick: bool, runs: int, work: Path):
        self.quick = quick
        self.runs = runs
        self.work = work
        self.rows: list[tuple[str, str, str]] = []
        self.results: dict = {}
        self.sizes: tuple | None = None

    def row(self, name: str, value: float, fmt: str, target: str = "", key: str | None = None):
        self.rows.append((name, fmt.format(value), target))
        self.results[key or name] = value

    def spec(self, gen, touchpoints: int) -> tuple[Path, Path, float]:
        """Generate a spec and its compiled JSON; return both paths and the spec's size in MB."""
        folder = self.work / f"{gen.__name__}{touchpoints}"
        main = gen.generate(folder, touchpoints)
        out = folder / "compiled.json"
        subprocess.run([*JOURNEYC, "compile", main, "-o", out], check=True, stdout=subprocess.DEVNULL,
                       env=FRESH.env())
        size_mb = sum(p.stat().st_size for p in folder.glob("*.journey")) / 1e6
        return main, out, size_mb

    def run(self) -> None:
        sizes = self.sizes or ((100, 1000) if self.quick else (1000, 10_000, 100_000))

        # 1. cold start
        cold = self.cold()

        # 2. throughput, memory and linearity on both generators
        for name, gen, prefix in GENERATORS:
            self.throughput(name, gen, prefix, sizes)

        # 3. journeyc fmt against check of the same file (10k touchpoints; quick: the largest quick size)
        self.formatting(10_000 if not self.quick else sizes[-1])

        # 4. many files
        count = 50 if self.quick else 1000
        folder = self.work / "many"
        for i in range(count):
            generate.small(folder, f"small{i:04d}.journey")
        many = timed([*JOURNEYC, "check", folder], self.runs)
        self.row(f"check {count} small files (s)", many, "{:.2f}", key="many_s")
        self.row(f"{count} files / one cold check", many / cold, "{:.1f}x", "<= 15" if not self.quick else "",
                 "many_ratio")

        # 5. the alternative: check-jsonschema on the same data as YAML
        self.alternative(sizes[-2] if not self.quick else sizes[-1])

        # 6. bounded work (issue 17): near misses, a backtracking glob, dense diagrams
        for name, value, fmt, key in bounded.measure(self.work / "bounded", self.quick, self.runs):
            self.row(name, value, fmt, key=key)

        # 7. figures in message text (C005, C006) and the share of lint in a check
        self.figures(2000 if self.quick else 20_000)
        for n in [n for n in (10_000, 100_000) if n in sizes and not self.quick] or [sizes[-1]]:
            self.lint_share(n)  # the sizes, 10k and 100k, when measured

    def cold(self) -> float:
        """A new user's first check of a small spec (empty cache folder), as
        a ratio to `python -c pass`; then the same check again. Returns the
        first check's time."""
        small = generate.small(self.work / "small")
        # one run first, so that the bytecode is written (pip writes it on install)
        timed([*JOURNEYC, "check", small], 1)
        bare = timed([sys.executable, "-c", "pass"], self.runs * 3)
        cold = timed([*JOURNEYC, "check", small], self.runs * 3)
        self.row("python -c pass (ms)", bare * 1000, "{:.1f}", key="bare_python_s")
        self.results["bare_python_s"] = bare
        self.row("cold check small.journey (ms)", cold * 1000, "{:.1f}", key="cold_check_s")
        self.results["cold_check_s"] = cold
        self.row("cold check / python -c pass", cold / bare, "{:.1f}x", "<= 2.5", "cold_ratio")
        again = self.again([*JOURNEYC, "check", small], self.runs * 3)
        self.row("the same check again, unchanged (ms)", again * 1000, "{:.1f}", key="again_check_s")
        self.results["again_check_s"] = again
        self.row("check again / first check", again / cold, "{:.2f}x", "<= 0.15", "again_ratio")
        self.row("(check again - python) / (first - python)", (again - bare) / (cold - bare), "{:.2f}x", "",
                 "again_ratio_net")
        return cold

    def figures(self, n: int) -> None:
        """A check where half the messages state (agreeing) figures, against
        the same check where no message holds a digit."""
        plain = generate.figures(self.work / f"figures{n}-none", n, False)
        stated = generate.figures(self.work / f"figures{n}-half", n, True)
        t_plain = timed([*JOURNEYC, "check", "--fail-on", "never", plain], self.runs)
        t_stated = timed([*JOURNEYC, "check", "--fail-on", "never", stated], self.runs)
        label = _label(n)
        self.row(f"figures {label}: check, no digits (s)", t_plain, "{:.2f}", key=f"figures_none_s_{n}")
        self.row(f"figures {label}: check, half state figures (s)", t_stated, "{:.2f}", key=f"figures_half_s_{n}")
        self.row(f"figures {label}: half / none", t_stated / t_plain, "{:.2f}x", "<= 1.3", f"figures_ratio_{n}")

    def lint_share(self, n: int) -> None:
        """Parse, resolve (figures read there) and lint in-process, in CPU
        time, with the command line's collector settings (lint_vs_parse.py)."""
        import lint_vs_parse

        main = self.spec(generate, n)[0]
        runs = [lint_vs_parse.phases(main) for _ in range(self.runs)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("parse", "resolve", "lint")}
        label = _label(n)
        self.row(f"spec {label}: parse (s)", med["parse"], "{:.2f}", key=f"parse_s_{n}")
        self.row(f"spec {label}: resolve, figures included (s)", med["resolve"], "{:.2f}", key=f"resolve_s_{n}")
        self.row(f"spec {label}: lint (s)", med["lint"], "{:.2f}", key=f"lint_s_{n}")
        self.row(f"spec {label}: lint / parse", med["lint"] / med["parse"], "{:.2f}", "<= 0.3", f"lint_share_{n}")

    def formatting(self, n: int) -> None:
        """`journeyc fmt --check` (parses, lays out, compares; writes nothing)
        against `journeyc check` of the same spec."""
        main = self.work / f"spec{n}" / "main.journey"
        if not main.exists():
            main = self.spec(generate, n)[0]
        check = timed([*JOURNEYC, "check", "--fail-on", "never", main], self.runs)
        fmt = timed([*JOURNEYC, "fmt", "--check", main], self.runs)
        label = _label(n)
        self.row(f"spec {label}: fmt --check (s)", fmt, "{:.2f}", key=f"fmt_s_{n}")
        self.row(f"spec {label}: fmt / check", fmt / check, "{:.2f}x", "< 2", "fmt_vs_check")

    def again(self, cmd, runs: int) -> float:
        """Median time of `cmd` run again with nothing changed (one run fills the cache)."""
        folder = self.work / "caches" / f"again{len(self.results)}"
        folder.mkdir(parents=True)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=FRESH.env(folder))
        return timed(cmd, runs, cache=folder)

    def throughput(self, name: str, gen, prefix: str, sizes) -> None:
        times = {}
        for n in sizes:
            main, compiled, size_mb = self.spec(gen, n)
            cmd = [*JOURNEYC, "check", "--output-format", "json", "--fail-on", "never", main]
            check = timed(cmd, self.runs)
            comp = timed([*JOURNEYC, "compile", main, "-o", main.parent / "out.json"], self.runs)
            loads = timed(py(JSON_LOADS, compiled), self.runs)
            times[n] = check
            label = f"{name} {_label(n)}"
            last = n == sizes[-1] and not self.quick
            self.row(f"{label}: size (MB)", size_mb, "{:.1f}", key=f"{prefix}size_mb_{n}")
            self.row(f"{label}: check --output-format json (s)", check, "{:.2f}", key=f"{prefix}check_s_{n}")
            self.row(f"{label}: check MB/s", size_mb / check, "{:.2f}", ">= 4" if last else "",
                     f"{prefix}check_mb_s_{n}")
            self.row(f"{label}: check / json.loads", check / loads, "{:.1f}x", "<= 5" if last else "",
                     f"{prefix}check_vs_json_{n}")
            self.row(f"{label}: compile / json.loads", comp / loads, "{:.1f}x", "", f"{prefix}compile_vs_json_{n}")
            self.results[f"{prefix}compile_s_{n}"] = comp
            self.results[f"{prefix}json_loads_s_{n}"] = loads
            if n == sizes[-1]:
                rss = peak_rss_mb(cmd, max(1, self.runs // 2))
                rss_json = peak_rss_mb(py(JSON_LOAD, compiled), max(1, self.runs // 2))
                self.row(f"{label}: peak RSS check (MB)", rss, "{:.0f}", key=f"{prefix}rss_check_mb_{n}")
                self.row(f"{label}: peak RSS / json.load", rss / rss_json, "{:.2f}x", "<= 1.5" if last else "",
                         f"{prefix}rss_ratio_{n}")
                self.results[f"{prefix}rss_json_mb_{n}"] = rss_json
                again = self.again(cmd, self.runs)
                self.row(f"{label}: check again, unchanged / first", again / check, "{:.3f}x", "<= 0.15",
                         f"{prefix}again_ratio_{n}")
                self.results[f"{prefix}again_s_{n}"] = again
        big, mid = sizes[-1], sizes[-2]
        self.row(f"{name}: time {_label(big)} / time {_label(mid)}", times[big] / times[mid], "{:.1f}",
                 "<= 10.5" if not self.quick else "", f"{prefix}linearity")

    def alternative(self, n: int) -> None:
        tool = BIN / "check-jsonschema"
        if not tool.exists():
            self.rows.append(("check-jsonschema", "not installed", "pip install check-jsonschema"))
            return
        main, compiled, _ = self.spec(generate, n)
        schema = self.work / "schema.json"
        schema.write_text(subprocess.run([*JOURNEYC, "schema"], capture_output=True, text=True, check=True).stdout)
        data = self.work / f"spec{n}.yaml"
        from ruamel.yaml import YAML

        yaml = YAML()
        with open(data, "w", encoding="utf-8") as f:
            yaml.dump(json.loads(compiled.read_text(encoding="utf-8")), f)
        alt = timed([tool, "--schemafile", schema, data], max(1, self.runs // 2))
        ours = timed([*JOURNEYC, "check", "--fail-on", "never", main], self.runs)
        label = _label(n)
        self.row(f"check-jsonschema {label} YAML (s)", alt, "{:.2f}", key="check_jsonschema_s")
        self.row(f"check-jsonschema / journeyc check ({label})", alt / ours, "{:.1f}x",
                 ">= 10" if not self.quick else "", "alternative_ratio")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, few runs (CI)")
    ap.add_argument("--runs", type=int, default=None, help="runs per measurement (median)")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    ap.add_argument("--figures-only", action="store_true",
                    help="only the figures measures (20k touchpoints, or 2k with --quick) and lint's share at 10k")
    ap.add_argument("--cold-only", action="store_true",
                    help="only the cold start: a small spec's first check against python -c pass, and again "
                         "(writes results only with --output)")
    ap.add_argument("--output", type=Path, default=None, help="where to write the results (default: results.json)")
    ap.add_argument("--sizes", type=lambda v: tuple(int(x) for x in v.split(",")), default=None,
                    help="touchpoint counts, comma-separated (at least two; the last gets the memory figures)")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="journeyc-bench-"))
    try:
        global FRESH
        FRESH = Fresh(work)
        bench = Bench(args.quick, runs, work)
        bench.sizes = args.sizes
        if args.figures_only:
            bench.figures(2000 if args.quick else 20_000)
            bench.lint_share(1000 if args.quick else 10_000)
        elif args.cold_only:
            bench.cold()
        else:
            bench.run()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    machine = dict(results_machine(), processor=platform.processor() or platform.machine())
    width = max(len(r[0]) for r in bench.rows)
    print(f"journeyc benchmarks ({'quick' if args.quick else 'full'}; medians of {runs} runs; "
          f"{machine['cpus']} cores, Python {machine['python']})")
    print(f"{'measure'.ljust(width)}  {'value':>10}  target")
    for name, value, target in bench.rows:
        print(f"{name.ljust(width)}  {value:>10}  {target}")
    if args.cold_only and args.output is None:
        return 0
    write_results(args.output or HERE / "results.json", {"mode": "quick" if args.quick else "full", "runs": runs,
                                "sizes": list(bench.sizes or ()), "machine": machine, "results": bench.results})
    return 0


if __name__ == "__main__":
    sys.exit(main())

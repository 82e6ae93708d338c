"""`journeyc check`: parse, resolve and lint; print the diagnostics in one
of the diagnostic formats (journeyc/outputs.py). Unchanged input replays
the diagnostics of the result cache (journeyc.resultcache). Loaded on the
plain `journeyc check PATH...` without click (journeyc.launch): keep its
imports light."""
from __future__ import annotations

import sys

from ..records import Record
from . import Usage, exit_code, say, warn, write_diagnostics


# a Record (journeyc.records), as the other commands' Options: this module is
# on the plain check's start, where a typing.NamedTuple class costs about 1 ms.
class Options(Record):
    """`paths`: a tuple of files and folders; `fmt`: the output format;
    `select`, `ignore`: rule codes or prefixes, comma-separated (None: the
    configuration's); `fail_on`: None for the configuration's fail-on, else
    warning; `config_path`: --config; `statistics`; `baseline_path`,
    `write_baseline_path`; `allow_imports_outside_root`; `jobs` (0: every
    core); `no_cache`, `cache_dir`: the result cache."""

    paths: tuple[str, ...]
    fmt: str = "text"
    select: str | None = None
    ignore: str | None = None
    fail_on: str | None = None
    config_path: str | None = None
    statistics: bool = False
    baseline_path: str | None = None
    write_baseline_path: str | None = None
    allow_imports_outside_root: bool = False
    jobs: int = 0
    no_cache: bool = False
    cache_dir: str | None = None


def run(o: Options) -> int:
    """Print the diagnostics and return the exit code."""
    from ..outputs import DIAGNOSTIC_FORMATS

    if o.baseline_path and o.write_baseline_path:
        raise Usage("give either --baseline or --write-baseline, not both")
    if o.statistics and DIAGNOSTIC_FORMATS[o.fmt].lists_rules:
        tables = [n for n, f in DIAGNOSTIC_FORMATS.items() if not f.lists_rules]
        raise Usage(f"--statistics prints a table or JSON: use it with --output-format {', '.join(tables[:-1])} "
                    f"or {tables[-1]}, not {o.fmt}")
    from .. import resultcache

    paths = list(o.paths)
    cache = None
    if resultcache.enabled(o.no_cache):
        folder = resultcache.folder_for(paths, o.cache_dir)
        name, material = resultcache.key_of(paths, (o.select, o.ignore, o.config_path,
                                                    o.allow_imports_outside_root))
        cache = (folder, name, material)
        hit = resultcache.lookup(folder, name, material)
        if hit is not None:
            return show(hit, o, o.fail_on or hit.fail_on)
    facts: dict = {}
    if cache is not None:
        resultcache.config_inputs(paths, o.config_path, facts)
        resultcache.folder_inputs(paths, facts)
    from .. import parallel  # run_check: serial, or in worker processes for a big folder
    from ..config import resolve_config
    from ..load import Session

    config = resolve_config(paths, o.config_path).with_cli(o.select, o.ignore)
    session = Session(allow_imports_outside_root=o.allow_imports_outside_root)
    result = parallel.run_check(paths, session, config, jobs=o.jobs, release_syntax=True)
    warn(result.warnings)
    if cache is not None and not result.warnings:  # a replay would not repeat the warnings
        facts.update(result.inputs)
        resultcache.store(*cache, facts, result, config.fail_on)
    return show(result, o, o.fail_on or config.fail_on, config)


def show(result, o: Options, fail_on: str | None, config=None) -> int:
    """Print a run's diagnostics (a compiler.Run or a replayed
    resultcache.Hit) and return the exit code. `fail_on` is the option's,
    else the configuration's; `config` (read here when not given) is needed
    by the formats that list the rules enabled."""
    from ..outputs import DIAGNOSTIC_FORMATS

    fail_on = fail_on or "warning"
    diagnostics = result.diagnostics
    baseline_path = o.baseline_path
    if o.write_baseline_path:
        from ..baseline import write_baseline

        count = write_baseline(o.write_baseline_path, diagnostics)
        say(f"journeyc: recorded {count} finding{'s' if count != 1 else ''} in {o.write_baseline_path}")
        baseline_path = o.write_baseline_path
    if baseline_path:
        from ..baseline import apply_baseline

        diagnostics, _ = apply_baseline(diagnostics, baseline_path)
    if o.statistics:
        sys.stdout.write(render_statistics(diagnostics, o.fmt == "json"))
        return exit_code(diagnostics, fail_on)
    from ..formats import Report

    report = Report(diagnostics, result.paths, result.linted, file_count=result.files,
                    source_line=result.source_line, fail_on=fail_on)
    if DIAGNOSTIC_FORMATS[o.fmt].lists_rules:
        from ..formats import run_root
        from ..lint.rules import RULES

        if config is None:
            from ..config import resolve_config

            config = resolve_config(list(o.paths), o.config_path).with_cli(o.select, o.ignore)
        report = report._replace(enabled=tuple(r.code for r in RULES if config.selected(r.code)),
                                 root=run_root(o.paths))
    write_diagnostics(o.fmt, report)
    return exit_code(diagnostics, fail_on)


def render_statistics(diagnostics, as_json: bool) -> str:
    """How many diagnostics each code reported: most first, then by code."""
    import json
    from collections import Counter

    counts = Counter(d.code for d in diagnostics)
    info = {d.code: (d.name, d.severity) for d in diagnostics}
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        return json.dumps([{"code": c, "name": info[c][0], "severity": info[c][1], "count": n} for c, n in rows],
                          indent=2) + "\n"
    if not rows:
        return "No diagnostics.\n"
    width = len(str(rows[0][1]))
    lines = [f"{n:>{width}}  {c}  {info[c][0]:<28} {info[c][1]}" for c, n in rows]
    lines.append(f"{sum(counts.values()):>{width}}  total")
    return "\n".join(lines) + "\n"

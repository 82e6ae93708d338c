"""What the commands do, apart from reading their options: `journeyc.cli`
declares the command line with click and calls these; `journeyc.launch`
calls `check` directly for the plain `journeyc check PATH...` (no click to
load). Nothing here imports click."""
from __future__ import annotations

import gc
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2
FAIL_ON = ("error", "warning", "info", "never")
TEXT_FORMATS = ("text", "concise", "json")
CHECK_FORMATS = TEXT_FORMATS + ("sarif", "github", "junit", "gitlab")


def say(message: str) -> None:
    """One line for people, on standard error; the control characters a
    message may carry from user text (a path, a value) are shown escaped."""
    from .render import safe

    sys.stderr.write(safe(message, tab=True) + "\n")
    sys.stderr.flush()


def warn(warnings) -> None:
    """What a run left out (links in a folder scan), one line each."""
    for w in warnings:
        say(f"journeyc: warning: {w}")


def prepare() -> None:
    """Before any command runs."""
    # A run builds millions of small objects and almost no reference cycles:
    # collect rarely (as mypy does). About a quarter of a large check's time.
    gc.set_threshold(100_000, 50, 100)
    # A Python warning is noise to a journeyc user (and a `-W error` in the
    # environment would turn it into a crash): journeyc says what it means.
    import warnings

    warnings.simplefilter("ignore")


class Terminated(BaseException):
    """SIGTERM arrived: unwind (so temporary files are removed) and exit."""


def _terminate(signum, frame):
    raise Terminated()


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last
    flush at exit has nowhere to fail."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def guarded(command, debug, passthrough: tuple = ()):
    """Run `command()` the way every journeyc command runs: standard streams
    in UTF-8; every unexpected exception a one-line report and exit 2 (the
    traceback when `debug()` is true); SIGTERM an orderly exit 143; Ctrl-C
    130. Exceptions in `passthrough` (click's own) and SystemExit go on."""
    import signal
    import threading

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    if sys.stdout is None:  # started with standard output closed: what it would say goes nowhere
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):  # UTF-8 whatever the locale: the same bytes everywhere
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass
    try:
        try:
            return command()
        finally:
            sys.stdout.flush()  # a full disk shows here, not as noise at exit
    except passthrough + (SystemExit,):
        raise
    except KeyboardInterrupt:
        say("journeyc: interrupted")
        sys.exit(130)
    except Terminated:
        say("journeyc: terminated")
        sys.exit(143)
    except BrokenPipeError:  # the reader went away: nobody to tell
        _discard_stdout()
        sys.exit(EXIT_TROUBLE)
    except OSError as e:  # the environment, not journeyc: a clear message
        if e.filename is None:  # a stream: standard output (a full disk, a closed file)
            _discard_stdout()
            say(f"journeyc: cannot write to standard output: {e.strerror or e}")
        else:
            say(f"journeyc: {e.filename}: {e.strerror or e}")
        sys.exit(EXIT_TROUBLE)
    except Exception as e:  # the one place an internal fault is caught
        from .errors import JourneycError, RuleCrash

        if isinstance(e, JourneycError):
            crash = e.__context__  # a rule's fault a command reported as its own message
            if debug() and isinstance(crash, RuleCrash):
                import traceback

                sys.stderr.write(getattr(crash.error, "trace", None)
                                 or "".join(traceback.format_exception(crash.error)))
            say(f"journeyc: {e}")
        elif debug():
            raise
        else:
            say(f"journeyc: internal error: {type(e).__name__}: {e} "
                "(run with --debug for the traceback, and please report it)")
        sys.exit(EXIT_TROUBLE)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


# -- check -------------------------------------------------------------------------

def check(paths, fmt: str = "text", select: str | None = None, ignore: str | None = None,
          fail_on: str | None = None, config_path: str | None = None, statistics: bool = False,
          baseline_path: str | None = None, write_baseline_path: str | None = None,
          allow_imports_outside_root: bool = False, jobs: int = 0, debug: bool = False,
          no_cache: bool = False, cache_dir: str | None = None) -> int:
    """`journeyc check`, its options already validated: print the
    diagnostics and return the exit code. Unchanged input replays the
    diagnostics of the result cache (journeyc.resultcache)."""
    from . import resultcache

    paths = list(paths)
    cache = None
    if resultcache.enabled(no_cache):
        folder = resultcache.folder_for(paths, cache_dir)
        name, material = resultcache.key_of(paths, (select, ignore, config_path, allow_imports_outside_root))
        cache = (folder, name, material)
        run = resultcache.lookup(folder, name, material)
        if run is not None:
            config = None
            if not (statistics or fmt in TEXT_FORMATS):  # the CI formats list the rules enabled
                from .config import resolve_config

                config = resolve_config(paths, config_path).with_cli(select, ignore)
            return report(run, paths, fmt, fail_on or run.fail_on, config, statistics, baseline_path,
                          write_baseline_path)
    facts: dict = {}
    if cache is not None:
        resultcache.config_inputs(paths, config_path, facts)
        resultcache.folder_inputs(paths, facts)
    from .compiler import run_check
    from .config import resolve_config
    from .lint import RuleCrash
    from .load import Session

    config = resolve_config(paths, config_path).with_cli(select, ignore)
    session = Session(allow_imports_outside_root=allow_imports_outside_root)
    try:
        run = run_check(paths, session, config, jobs=jobs, release_syntax=True)
    except RuleCrash as crash:
        if debug:
            import traceback

            if hasattr(crash.error, "trace"):  # raised in a worker process (journeyc.parallel)
                sys.stderr.write(crash.error.trace)
            else:
                traceback.print_exception(crash.error, file=sys.stderr)
        say(f"journeyc: {crash} (run with --debug for the traceback, and please report it)")
        return EXIT_TROUBLE
    warn(run.warnings)
    if cache is not None and not run.warnings:  # a replay would not repeat the warnings
        facts.update(run.inputs)
        resultcache.store(*cache, facts, run, config.fail_on)
    return report(run, paths, fmt, fail_on or config.fail_on, config, statistics, baseline_path,
                  write_baseline_path)


def report(run, paths: list[str], fmt: str, fail_on: str | None, config, statistics: bool,
           baseline_path: str | None, write_baseline_path: str | None) -> int:
    """Print a run's diagnostics (a compiler.Run or a replayed
    resultcache.Hit, of the command line's `paths`) and return the exit code. `fail_on` is the option's,
    else the configuration's; `config` is needed by the CI formats only."""
    fail_on = fail_on or "warning"
    diagnostics = run.diagnostics
    if write_baseline_path:
        from .baseline import write_baseline

        count = write_baseline(write_baseline_path, diagnostics)
        say(f"journeyc: recorded {count} finding{'s' if count != 1 else ''} in {write_baseline_path}")
        baseline_path = write_baseline_path
    if baseline_path:
        from .baseline import apply_baseline

        diagnostics, _ = apply_baseline(diagnostics, baseline_path)
    if statistics:
        sys.stdout.write(render_statistics(diagnostics, fmt == "json"))
    elif fmt in TEXT_FORMATS:
        emit_diagnostics(diagnostics, run.source_line, run.files, fmt)
    else:
        from .formats import Report, render, run_root
        from .lint.rules import RULES

        enabled = tuple(r.code for r in RULES if config.selected(r.code))
        sys.stdout.write(render(fmt, Report(diagnostics, run.paths, run.linted, enabled, run_root(paths),
                                                fail_on)))
    return exit_code(diagnostics, fail_on)


def exit_code(diagnostics, fail_on: str) -> int:
    from .diagnostics import SEVERITY_RANK

    if any(d.is_compile_error for d in diagnostics):
        return EXIT_FINDINGS
    if fail_on == "never":
        return EXIT_OK
    floor = SEVERITY_RANK[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_RANK[d.severity] >= floor for d in diagnostics) else EXIT_OK


def emit_diagnostics(diagnostics, source_line, files: int, fmt: str, stream=None) -> None:
    """Print diagnostics as text, concise lines or JSON; `source_line(path,
    line)` gives the text shown under a diagnostic."""
    from . import render

    stream = stream or sys.stdout
    if fmt == "json":
        for piece in render.iter_json(diagnostics, files):  # streamed: a large run is never held whole
            stream.write(piece)
    elif fmt == "concise":
        stream.write(render.render_concise(diagnostics, render.use_colour(stream)))
    else:
        stream.write(render.render_text(diagnostics, source_line, files, render.use_colour(stream)))


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

"""What the commands do, apart from declaring their options: one module per
command (`journeyc.commands.check`, `.compile`, ...), each with an
`Options` Record (whose defaults click reads: journeyc/cli.py declares
the options and nothing else) and `run(options) -> exit code`.
`journeyc.launch` runs `check` directly for the plain `journeyc check
PATH...` (no click to load). Here: what every command shares. Nothing in
this package imports click."""
from __future__ import annotations

import gc
import os
import sys

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


class Usage(Exception):
    """A command line that does not make sense (options that exclude each
    other, ...): click shows it as a usage error, exit 2."""


def say(message: str) -> None:
    """One line for people, on standard error; the control characters a
    message may carry from user text (a path, a value) are shown escaped."""
    from ..render import safe

    sys.stderr.write(safe(message, tab=True) + "\n")
    sys.stderr.flush()


def warn(warnings) -> None:
    """What a run left out (links in a folder scan), one line each."""
    for w in warnings:
        say(f"journeyc: warning: {w}")


_IGNORE_ALL = ("ignore", None, Warning, None, 0)  # what warnings.simplefilter("ignore") puts first


def prepare() -> None:
    """Before any command runs: tune the garbage collector for a compiler's
    allocations and silence Python's warnings."""
    # A run builds millions of small objects and almost no reference cycles:
    # collect rarely (as mypy does). About a quarter of a large check's time.
    gc.set_threshold(100_000, 50, 100)
    # A Python warning is noise to a journeyc user (and a `-W error` in the
    # environment would turn it into a crash): journeyc says what it means.
    if "warnings" not in sys.modules:  # (Python loads it at start for -W or PYTHONWARNINGS)
        try:  # the filter warnings.simplefilter would add, without loading `warnings` (0.3 ms)
            import _warnings

            if _warnings.filters[:1] != [_IGNORE_ALL]:  # (launch and click's group both prepare)
                _warnings.filters.insert(0, _IGNORE_ALL)
                _warnings._filters_mutated()
            return
        except (ImportError, AttributeError):
            pass
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
    try:  # what `signal` wraps, without the enums it builds on import (`signal` and `threading` cost 1 ms)
        import _signal as signal
    except ImportError:
        import signal
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
        main_thread = True
    except ValueError:  # not the main thread: only the main thread can handle signals
        previous, main_thread = None, False
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
        from ..errors import JourneycError, RuleCrash

        if isinstance(e, RuleCrash):  # a lint rule's fault, in this process or a worker (journeyc.parallel)
            if debug():
                import traceback

                sys.stderr.write(getattr(e.error, "trace", None) or "".join(traceback.format_exception(e.error)))
            say(f"journeyc: {e} (run with --debug for the traceback, and please report it)")
        elif isinstance(e, JourneycError):
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


def exit_code(diagnostics, fail_on: str) -> int:
    from ..diagnostics import SEVERITY_RANK

    if any(d.is_compile_error for d in diagnostics):
        return EXIT_FINDINGS
    if fail_on == "never":
        return EXIT_OK
    floor = SEVERITY_RANK[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_RANK[d.severity] >= floor for d in diagnostics) else EXIT_OK


def write_diagnostics(fmt: str, report, stream=None) -> None:
    """Print a report (journeyc.formats.Report) in the diagnostic format
    `fmt` (journeyc/outputs.py), on standard output by default."""
    from ..outputs import DIAGNOSTIC_FORMATS, load
    from ..render import use_colour

    stream = stream or sys.stdout
    out = load(DIAGNOSTIC_FORMATS[fmt])(report._replace(colour=use_colour(stream)))
    if isinstance(out, str):
        stream.write(out)
    else:
        for piece in out:  # a format that streams (json)
            stream.write(piece)


def emit_diagnostics(diagnostics, source_line, files: int, fmt: str, stream=None) -> None:
    """Print diagnostics in a format that needs no configuration (text,
    concise, json); `source_line(path, line)` gives the text shown under a
    diagnostic, `files` how many files were read."""
    from ..formats import Report

    write_diagnostics(fmt, Report(diagnostics, file_count=files, source_line=source_line), stream)


def compile_errors(results, session) -> bool:
    """Print the compile errors of compile results on standard error, as
    text; whether there were any (then nothing is written)."""
    from ..diagnostics import merge

    errors = merge(d for r in results for d in r.errors)
    if errors:
        emit_diagnostics(errors, source_lines(session), len(session.files), "text", sys.stderr)
    return bool(errors)


def source_lines(session):
    """`source_line(path, line)` over the files a session read (as
    compiler.Run.source_line over a run's)."""
    from ..project import SourceLines

    return SourceLines({lf.path: lf.source.text for lf in session.files.values() if lf.source is not None})


def lint_run(paths, session, config_path):
    """Compile and lint as `check` does (configuration included), for the
    commands that draw lint findings (compile --annotate, report)."""
    from ..compiler import run_check
    from ..config import resolve_config

    return run_check(list(paths), session, resolve_config(list(paths), config_path))


def write_or_print(data: bytes, output: str | None) -> None:
    """Write `data` to the file `output` (atomically), or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from ..fsutil import write_atomic

    write_atomic(output, data)

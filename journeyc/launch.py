"""Where the `journeyc` executable starts.

The command line is click's (`journeyc.cli`). Loading click takes about
20 ms, a third of a small `journeyc check`, which pre-commit hooks and
editors run all day. So the plainest command line, `journeyc check PATH...`
with no option, is run here directly: what click would make of it is
certain (every option at its default, the paths as given). Anything else
(an option, `--help`, a path starting with `-`, an unreadable path that
click reports, shell completion, Windows) goes to click. Tests check that
both ways give the same output and exit code.
"""
from __future__ import annotations

import os
import sys


def plain_check(argv: list[str]) -> list[str] | None:
    """The paths of a `check PATH...` command line with no option that
    click would accept as it is; None for anything else."""
    if len(argv) < 2 or argv[0] != "check" or "_JOURNEYC_COMPLETE" in os.environ:
        return None
    if os.name == "nt":  # click expands wildcards in arguments there
        return None
    paths = argv[1:]
    for p in paths:
        if not p or p.startswith("-"):
            return None
        if os.path.exists(p) and not os.access(p, os.R_OK):  # click.Path() refuses it: let click say so
            return None
    return paths


def main() -> None:
    """The `journeyc` executable. A plain check ends without tearing the
    interpreter down (`os._exit`, once the standard streams are flushed, as
    mypy ends): freeing every module and object one by one is a tenth of a
    small check, and a plain check leaves nothing else to close (the result
    cache is written with os.write, worker processes are joined)."""
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # what could be said is said (commands.guarded flushed standard output)
    os._exit(code)


def run() -> int:
    """What the command line (`sys.argv`) asks, as main does it but for its
    fast exit: a plain check returns its exit code; any other command line
    goes to click, which exits (SystemExit)."""
    from . import commands

    commands.prepare()  # first: the garbage collector's thresholds count for the imports too
    paths = plain_check(sys.argv[1:])
    if paths is None:
        from .cli import main as cli

        cli(prog_name="journeyc")  # exits
        return 0
    from .commands import check

    return commands.guarded(lambda: check.run(check.Options(tuple(paths))), debug=lambda: False)


if __name__ == "__main__":
    main()

"""Checking many files on every core.

A run over a folder of many files is split across worker processes (forked,
so they start with the parser already loaded) in two rounds:

1. **scan**: each worker reads a slice of the files and reports, for each,
   the files it imports directly and transitively. The parent chooses the
   roots exactly as a serial run does (`compiler.choose_roots`).
2. **check**: the roots are grouped into *components*: roots that share a
   file go together, so every fact that LANGUAGE.md judges "in any
   compilation of the run" (M004, M007, O002, S001, one report per import
   cycle) is judged by one worker over every compilation that can see it.
   Each component goes to the worker that already read its files where that
   keeps the load even; the worker compiles its roots in run order and lints
   them.

The parent merges and sorts the diagnostics, so the output is byte for byte
what a serial run prints. This module decides (`run_check`, `workers_for`);
journeyc.workers runs the processes.
"""
from __future__ import annotations

import os

from . import compiler
from .compiler import Run, list_paths
from .errors import JourneycError
from .load import Disk, Session

MIN_FILES = 48  # below this, starting processes costs more than it saves


def run_check(paths: list[str], session: Session | None = None, config=None, jobs: int = 1,
              release_syntax: bool = False) -> Run:
    """`compiler.run_check`, on `jobs` processes (0: every core) where a run
    over a folder holds enough files to gain from them; the Run then has no
    `results`, only what the diagnostics need."""
    session = session or Session()
    if (jobs == 1 or session.overrides or session.files or session.disk is not Disk
            or not any(os.path.isdir(p) for p in paths)):
        return compiler.run_check(paths, session, config, release_syntax)
    listed = list_paths(paths, session)
    workers = workers_for(paths, jobs or None, listed)
    if workers < 2:
        return compiler.run_check(paths, session, config, release_syntax, listed)
    from .workers import run_in_workers  # multiprocessing and the workers' code, only for a run that uses them

    run = run_in_workers(paths, workers, session.allow_imports_outside_root, config, listed)
    run.warnings = session.warnings
    return run


def workers_for(paths: list[str], jobs: int | None, listed: tuple | None = None) -> int:
    """How many processes a run over `paths` should use (`listed`: what
    `list_paths` gave for them, if known)."""
    if jobs == 1 or not hasattr(os, "fork"):
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    wanted = jobs or cpus
    if wanted < 2 or not any(os.path.isdir(p) for p in paths):
        return 1
    try:
        _, found = listed or list_paths(paths)
    except JourneycError:
        return 1  # the serial run reports it
    return min(wanted, max(1, len(found) // (MIN_FILES // 2))) if len(found) >= MIN_FILES else 1

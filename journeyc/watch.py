"""Watch mode (`journeyc compile --watch`, `journeyc report --watch`): build
once, then build again each time a journey file is saved.

* What is watched: the folders named on the command line (and their
  sub-folders), and the folder of every file the last build read, imports
  included; so a save that replaces a file (write a temporary file, rename
  it over the old one, as many editors do) is seen too. When a build reads
  files in new folders (a new import), the watch moves to follow them.
* What counts: a change to a `*.journey` file, to `journeyc.toml` or to
  `pyproject.toml`, or to a file the last build read (a copy file of a
  `message from`). Changes arriving together are debounced into one build.
* A failed build (a syntax error, a missing file) prints its diagnostics
  and leaves the last good output in place: the builds write only when
  they succeed, and atomically.
* Ctrl-C ends it quietly.

`watchfiles` is imported only here, and only when watching."""
from __future__ import annotations

import os
import sys
import threading
from typing import Callable, Iterable

from .errors import JourneycError

DEBOUNCE_MS = 300
CONFIG_NAMES = ("journeyc.toml", "pyproject.toml")


def relevant(path: str) -> bool:
    """Whether a change to `path` calls for a new build."""
    name = os.path.basename(path)
    return name.endswith(".journey") or name in CONFIG_NAMES


def folders_to_watch(paths: Iterable[str], read: Iterable[str]) -> list[str]:
    """The folders to watch: each named folder with its sub-folders (hidden
    ones and node_modules skipped), the folder of each named file, and the
    folder of every file read. Sorted, existing only."""
    found: set[str] = set()
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirnames, _ in os.walk(p):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
                found.add(os.path.realpath(dirpath))
        else:
            found.add(os.path.realpath(os.path.dirname(os.path.abspath(p))))
    for f in read:
        found.add(os.path.dirname(os.path.realpath(f)))
    return sorted(f for f in found if os.path.isdir(f))


def _say(text: str) -> None:
    from .commands import say

    say(f"journeyc: {text}")


def run_build(build: Callable[[list], int]) -> tuple[int | None, list[str]]:
    """One build; any failure is reported in one line and watching goes on.
    Returns the build's exit status (None when it could not run) and the
    files it read."""
    read: list[str] = []
    try:
        status = build(read)
    except JourneycError as e:
        _say(f"{e}")
        status = None
    except Exception as e:  # noqa: BLE001 - watch mode outlives a bad build
        _say(f"internal error: {type(e).__name__}: {e} (please report it)")
        status = None
    if status != 0:
        _say("the last good output is kept; waiting for the next save")
    return status, read


def watch_paths(paths: list[str], build: Callable[[list], int], *, debounce_ms: int = DEBOUNCE_MS,
                stop_event: threading.Event | None = None,
                on_build: Callable[[int | None], None] | None = None) -> None:
    """Build, then build again on every relevant change until Ctrl-C (or
    until `stop_event` is set). `build(read)` does one build, appends the
    real paths of the files it read to `read`, and returns an exit status.
    `on_build` hears each build's status (tests use it)."""
    import watchfiles

    try:
        _watch(paths, build, debounce_ms, stop_event, on_build, watchfiles)
    except KeyboardInterrupt:
        # Ctrl-C, wherever it lands (while waiting or while building): the
        # outputs are whole, since every write is atomic; end quietly.
        pass


def _watch(paths, build, debounce_ms, stop_event, on_build, watchfiles) -> None:
    status, read = run_build(build)
    if on_build:
        on_build(status)
    known = set(read)
    folders = folders_to_watch(paths, known)
    if not folders:
        raise JourneycError("nothing to watch: none of the paths exists")
    _say(f"watching {len(folders)} folder{'s' if len(folders) != 1 else ''} for changes (Ctrl-C to stop)")

    def keep(change, path: str) -> bool:
        return relevant(path) or os.path.realpath(path) in known

    while not (stop_event is not None and stop_event.is_set()):
        restart = False
        for changes in watchfiles.watch(*folders, watch_filter=keep, debounce=debounce_ms, step=50,
                                        stop_event=stop_event, recursive=False, raise_interrupt=True,
                                        yield_on_timeout=False):
            names = sorted({os.path.basename(p) for _, p in changes})
            _say(f"changed: {', '.join(names)}")
            status, read = run_build(build)
            if on_build:
                on_build(status)
            known |= set(read)
            new_folders = folders_to_watch(paths, known)
            if new_folders != folders:
                folders = new_folders
                restart = True
                break
        if not restart:
            return

"""Facts about the file system a run depends on: the project root, which
files journeyc reads, the journey files of a folder. Only `os`, `stat` and
journeyc.errors:
the result cache (journeyc.resultcache) checks these facts again on a hit
without loading the compiler."""
from __future__ import annotations

import os
import stat

from .errors import JourneycError

PROJECT_MARKERS = ("journeyc.toml", "pyproject.toml", ".git")
MAX_FILE_BYTES = 128 * 2 ** 20  # a 50 MB file takes 13 s of CPU and 0.7 GB: this bounds time and memory


def digest(data: bytes) -> bytes:
    """The fingerprint of a file's bytes (journeyc.resultcache compares them)."""
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without loading OpenSSL's bindings
    except ImportError:
        from hashlib import blake2b

    return blake2b(data, digest_size=20).digest()


def project_root(root_file: str) -> str:
    """The nearest folder, from the root file's folder upward, holding a
    journeyc.toml, pyproject.toml or .git; else the root file's folder."""
    return project_root_of_folder(os.path.dirname(os.path.realpath(root_file)))


def project_root_of_folder(start: str) -> str:
    """`project_root` of the files of the real folder `start`."""
    folder = start
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in PROJECT_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return start
        folder = parent


def not_readable(real: str) -> str | None:
    """Why the file at `real` is not one journeyc reads (None if it is): a
    folder, a missing file, a FIFO or device (reading one could block or
    never end), a file beyond MAX_FILE_BYTES."""
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return "does not exist"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    if st.st_size > MAX_FILE_BYTES:
        return f"is too large ({st.st_size / 2 ** 20:.0f} MB; journeyc reads files of up to {MAX_FILE_BYTES >> 20} MB)"
    return None


def inside(path: str, folder: str) -> bool:
    """Whether the real path `path` is `folder` or below it: the one test of
    containment in the project root (imports and copy files, E010; links met
    in a folder scan)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def displayable(path: str) -> str:
    """A path as diagnostics and outputs name it: bytes of a file name that
    are not UTF-8 (which Python keeps as lone surrogates) become U+FFFD, so
    every output can be written as UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def journey_files(folder: str, allow_outside_root: bool = False, skipped: list[str] | None = None) -> list[str]:
    """Every *.journey file below a folder, sorted by path (hidden folders
    left out). Symbolic links are followed only where they lead inside the
    project root of the folder holding them (or anywhere with
    `allow_outside_root`), the confinement E010 gives imports; a link that
    leads outside it, a dangling link and a loop of links are left out, with
    a warning naming the link (never its target) appended to `skipped`. A
    folder reached twice (through a link) is listed once, under its own
    path where the folder named holds it."""
    skipped = skipped if skipped is not None else []
    top = os.path.realpath(folder)
    seen_dirs = {top}
    roots: dict[str, str] = {}
    found: list[str] = []
    pending = [(folder, top)]
    links: list[tuple[str, str]] = []  # folder links, followed once the real folders are listed
    while pending or links:
        if not pending:
            link, real = links.pop(0)
            if real not in seen_dirs:
                seen_dirs.add(real)
                pending.append((link, real))
            continue
        path, real_dir = pending.pop()
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            if path == folder:
                raise JourneycError(f"{folder}: cannot read the folder: {e.strerror or e}") from None
            skipped.append(f"{displayable(path.replace(os.sep, '/'))}: skipped: cannot read the folder "
                           f"({e.strerror or e})")
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            full = os.path.join(path, name)
            try:
                is_link = entry.is_symlink()
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                is_link, is_dir = False, False
            if is_dir:
                real = os.path.join(real_dir, name)
                if not name.startswith(".") and real not in seen_dirs:
                    seen_dirs.add(real)
                    subfolders.append((full, real))
                continue
            if not is_link:
                if name.endswith(".journey"):
                    found.append(full)
                continue
            if not (name.endswith(".journey") or (not name.startswith(".") and _is_folder(full))):
                continue  # a link to a file of another kind, or to a hidden folder: not part of the scan
            shown = displayable(full.replace(os.sep, "/"))
            why, target = _link_problem(full, real_dir, allow_outside_root, roots)
            if why:
                skipped.append(f"{shown}: skipped: {why}")
            elif os.path.isdir(target):
                links.append((full, target))
            elif name.endswith(".journey"):
                found.append(full)
        pending.extend(reversed(subfolders))
    return sorted(p.replace(os.sep, "/") for p in found)


def _is_folder(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except OSError:
        return False


def _link_problem(link: str, real_dir: str, allow_outside_root: bool, roots: dict[str, str]) -> tuple[str | None, str]:
    """Why a symbolic link met in a folder scan is left out (None if it is
    not), and the real path it leads to. The reasons never quote the target."""
    import errno

    try:
        os.stat(link)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that never resolves (a loop of links)", ""
        if e.errno in (errno.ENOENT, errno.ENOTDIR):
            return "a symbolic link to nothing (dangling: its target does not exist)", ""
        return f"a symbolic link that cannot be followed ({e.strerror or e})", ""
    target = os.path.realpath(link)
    if allow_outside_root:
        return None, target
    proj = roots.get(real_dir)
    if proj is None:
        proj = roots[real_dir] = project_root_of_folder(real_dir)
    if not inside(target, proj):
        return (f"a symbolic link that leads outside the project root {displayable(proj)}; "
                "pass --allow-imports-outside-root to read it"), target
    return None, target



class SourceLines:
    """`source_line(path, line)` over the texts of files (display path ->
    text): the line shown under a diagnostic, or None."""

    def __init__(self, texts: dict):
        self.texts = texts
        self._lines: dict[str, list[str]] = {}

    def __call__(self, path: str, lineno: int) -> str | None:
        text = self.texts.get(path)
        if text is None:
            return None
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = text.split("\n")
        return lines[lineno - 1] if 0 < lineno <= len(lines) else None

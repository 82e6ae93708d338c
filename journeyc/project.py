"""Facts about the file system a run depends on: the project root, which
files journeyc reads, the journey files of a folder. Only `os` and `stat`:
the result cache (journeyc.resultcache) checks these facts again on a hit
without loading the compiler."""
from __future__ import annotations

import os
import stat

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


def journey_files(folder: str) -> list[str]:
    """Every *.journey file below a folder, sorted by path (folders whose
    name starts with a dot, such as .git and .journeyc_cache, are skipped)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(".journey"))
    return sorted(p.replace(os.sep, "/") for p in found)


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

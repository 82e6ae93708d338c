"""Facts about the file system a run depends on: the project root, which
files journeyc reads (`resolve_file`: the one resolver of the paths that
imports and copy files write), the journey files of a folder. Only `os`,
`stat` and the leaf modules journeyc.errors and journeyc.text:
the result cache (journeyc.resultcache) checks these facts again on a hit
without loading the compiler."""
from __future__ import annotations

import os
import stat

from .errors import JourneycError
from .text import folders_upward

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
    for folder in folders_upward(start):
        if any(os.path.exists(os.path.join(folder, m)) for m in PROJECT_MARKERS):
            return folder
    return start


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


# -- the one resolver of a path written in a journey file (imports, copy files) -------

class Target:
    """A file a journey file names that may be read: its real path (links
    followed) and the path diagnostics show (the importer's display path
    joined with the path written)."""

    __slots__ = ("real", "display")

    def __init__(self, real: str, display: str):
        self.real, self.display = real, display


class Refusal:
    """Why a path written in a journey file is not read: the compile error's
    code (E004 or E010) and message, the real path it names (None where no
    path can be: absolute, NUL) and, where that is a fact of the disk, why
    the file cannot be read (the result cache records it)."""

    __slots__ = ("code", "message", "real", "absent")

    def __init__(self, code: str, message: str, real: str | None = None, absent: str | None = None):
        self.code, self.message, self.real, self.absent = code, message, real, absent


# How each kind of reference words its refusals.
_WORDS = {
    "import": ("cannot import", "import",
               "import of an absolute path '{name}' is refused: import files by a path relative to the "
               "importing file"),
    "copy file": ("cannot read copy file", "copy file",
                  "copy file with an absolute path '{name}' is refused: name it by a path relative to the "
                  "journey file"),
}


def is_absolute(name: str) -> bool:
    """An absolute path written in a journey file (E010), on any system:
    `/x`, `\\x`, `C:x`."""
    return os.path.isabs(name) or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"
                                                                    and name[0].isascii() and name[0].isalpha())


def target_path(importer_real: str, name: str) -> str | None:
    """The real path the string `name` written in the file at
    `importer_real` names, relative to that file, symbolic links followed;
    None for a string no path can be (absolute, or holding NUL)."""
    if "\x00" in name or is_absolute(name):
        return None
    return os.path.realpath(os.path.join(os.path.dirname(importer_real), name))


def display_join(importer: str, name: str) -> str:
    """The importing file's display path joined with the path written, normalised."""
    joined = os.path.normpath(os.path.join(os.path.dirname(importer), name))
    return joined.replace(os.sep, "/")


def resolve_file(importer_real: str, importer_display: str, name: str, root: str | None,
                 kind: str = "import", readable=not_readable, known=None) -> Target | Refusal:
    """The file that `name`, written in the file at `importer_real` (shown
    as `importer_display`), names, or why it is refused: the one place of
    the rules for imports and copy files (LANGUAGE.md: E010 for an absolute
    path and for a real path outside the project root `root`, None to allow
    any; E004 for a NUL in the path and for what `readable` (Disk's or a git
    tree's `not_readable`) refuses: missing, a folder, a FIFO or device, too
    large). Symbolic links are followed before containment is judged. A path
    for which `known(real)` holds (read already, or given as text) is not
    asked about again.
    `kind` is "import" or "copy file"."""
    cannot, subject, absolute = _WORDS[kind]
    if is_absolute(name):
        return Refusal("E010", absolute.format(name=name))
    if "\x00" in name:
        return Refusal("E004", f"{cannot} '{name}': a path cannot hold a NUL character")
    real = target_path(importer_real, name)
    if root is not None and not inside(real, root):
        return Refusal("E010", f"{subject} '{name}' resolves to {real}, outside the project root {root}; "
                               "move the file into the project or pass --allow-imports-outside-root", real)
    display = display_join(importer_display, name)
    if known is None or not known(real):
        try:
            why = readable(real)
        except OSError as e:
            return unreadable(kind, name, display, real, e)
        if why:
            return Refusal("E004", f"{cannot} '{name}': {displayable(display)} {why}", real, why)
    return Target(real, display)


def unreadable(kind: str, name: str, display: str, real: str, error: OSError) -> Refusal:
    """The refusal of a file that could not be read (`error`)."""
    return Refusal("E004", f"{_WORDS[kind][0]} '{name}': {displayable(display)} cannot be read "
                           f"({error.strerror or error})",
                   real, "cannot be read")


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

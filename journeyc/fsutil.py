"""Writing files whole or not at all: a temporary file in the same folder,
written, flushed and fsynced, then `os.replace`d over the target (and the
folder fsynced, so the rename survives a crash).

On any failure the old file, if any, is untouched and the temporary file is
removed. A process killed outright (SIGKILL, power loss) cannot remove it:
temporary files are named `.<target>.journeyc-<pid>-<random>.tmp`, and the
next write into the folder removes those whose process is gone. The CLI
turns SIGTERM into an orderly exit (`cli.JourneycGroup`), so `kill` leaves
nothing behind either."""
from __future__ import annotations

import errno
import os
import re

from .load import JourneycError

CHUNK = 1 << 20
_TEMP = re.compile(r"^\..+\.journeyc-(\d+)-[0-9a-f]+\.tmp$")


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` atomically. On any failure the old file (if
    any) is untouched and no temporary file is left behind; the failure is
    raised as a JourneycError naming the path."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise JourneycError(f"{path}: is a folder")
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    _sweep(folder)
    tmp = os.path.join(folder, f".{os.path.basename(path)}.journeyc-{os.getpid()}-{os.urandom(4).hex()}.tmp")
    fd = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            chunk = view[start:start + CHUNK]
            while chunk:
                chunk = chunk[os.write(fd, chunk):]
        os.fsync(fd)
        os.fchmod(fd, mode)
        os.close(fd)
        fd = None
        os.replace(tmp, path)
        tmp = None
        _fsync_folder(folder)
    except OSError as e:
        raise JourneycError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the data itself is safe
    finally:
        os.close(fd)


def _sweep(folder: str) -> None:
    """Remove the temporary files of journeyc processes that are gone."""
    if os.name != "posix":  # os.kill(pid, 0) asks, on POSIX only
        return
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _TEMP.match(name)
        if m and not _alive(int(m.group(1))):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as e:
        return e.errno == errno.EPERM  # someone else's process
    return True

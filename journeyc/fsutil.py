"""Writing files whole or not at all: a temporary file in the same folder,
written, flushed and fsynced, then `os.replace`d over the target (and the
folder fsynced, so the rename survives a crash).

On any failure the old file, if any, is untouched and the temporary file is
removed. A process killed outright (SIGKILL, power loss) cannot remove it:
temporary files are named `.<target>.journeyc-<pid>-<random>.tmp`, and the
next write into the folder removes those whose process is gone. Every
command turns SIGTERM into an orderly exit (`commands.guarded`, on click's
way and the plain check's alike), so `kill` leaves nothing behind either."""
from __future__ import annotations

import os
import re
import stat

from .errors import JourneycError

CHUNK = 1 << 20
# (compiled when a folder holds a .tmp file: re's cache keeps it)
_TEMP = r"^\..+\.journeyc-(\d+)-[0-9a-f]+\.tmp$"


def write_atomic(path: str, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` atomically. On any failure the old file (if
    any) is untouched and no temporary file is left behind; the failure is
    raised as a JourneycError naming the path. `durable=False` skips the
    fsyncs (each can take milliseconds) for a file that may be lost or
    damaged in a crash, as a cache entry that is checked when read.

    What `path` names is never destroyed: a symbolic link stays a link (the
    file it points to is replaced atomically), and an existing target that is
    not a regular file (a device such as /dev/null, a FIFO) is opened and
    written in place, as shell redirection does; nothing is renamed onto it."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise JourneycError(f"{path}: cannot write: {e.strerror or e}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise JourneycError(f"{path}: is a folder")
    if st is not None and not stat.S_ISREG(st.st_mode):
        if _write_in_place(path, target, data, st):
            return
        st = None  # replaced by a regular file meanwhile: written as one
    folder = os.path.dirname(os.path.abspath(target))
    if st is not None:
        mode = st.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    _sweep(folder)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.journeyc-{os.getpid()}-{os.urandom(4).hex()}.tmp")
    fd = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        _write_all(fd, data)
        if durable:
            os.fsync(fd)
        os.fchmod(fd, mode)
        os.close(fd)
        fd = None
        os.replace(tmp, target)
        tmp = None
        if durable:
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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        chunk = view[start:start + CHUNK]
        while chunk:
            chunk = chunk[os.write(fd, chunk):]


def _write_in_place(path: str, target: str, data: bytes, st: os.stat_result) -> bool:
    """Write into an existing target that is not a regular file (a
    character device, a FIFO: opening a FIFO waits for its reader, as the
    shell's `>` does). False if it turned out to be a regular file after all."""
    if stat.S_ISSOCK(st.st_mode):
        raise JourneycError(f"{path}: cannot write: it is a socket, not a file, a device or a FIFO")
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise JourneycError(f"{path}: cannot write: {e.strerror or e}") from None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        _write_all(fd, data)
    except OSError as e:
        raise JourneycError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return True


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
        m = re.match(_TEMP, name) if name.endswith(".tmp") else None
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
        import errno

        return e.errno == errno.EPERM  # someone else's process
    return True

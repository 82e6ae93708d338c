"""Writing files whole or not at all: a temporary file in the same folder,
flushed and fsynced, then `os.replace`d over the target."""
from __future__ import annotations

import os
import tempfile

from .load import JourneycError


def write_atomic(path: str, data: bytes) -> None:
    """Write `data` to `path` atomically. On any failure the old file (if
    any) is untouched and no temporary file is left behind; the failure is
    raised as a JourneycError naming the path."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise JourneycError(f"{path}: cannot write: {e.strerror or e}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass

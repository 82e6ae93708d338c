"""Regular expressions compiled once per Python installation, not once per run.

Python's `re` compiles a pattern in Python code, parsing it and generating
the code its matcher runs, in every process: for the lexer's pattern and the
figures' (journeyc.figures), about 3 ms of a 30 ms `journeyc check`. Python
keeps the bytecode of modules in `__pycache__`; `compile(pattern, flags)`
keeps what `re` generates for a pattern (the arguments `re` gives
`_sre.compile`) beside this module's bytecode, in
`__pycache__/journeyc-patterns.<cache tag>.marshal`, and on later runs makes
the same Pattern from it, without parsing.

* Only patterns written in journeyc's code, or made from its grammar and
  vocabulary, go through here: the file keeps every pattern it is given
  (at most MAX_PATTERNS), so a pattern made from user input uses `re`.
* The file is a cache, as bytecode is: a pattern is its own key (a changed
  pattern is a miss), the file names the exact Python and `_sre` code
  format that wrote it (another one ignores it), and a missing, damaged or
  unreadable file, or one that cannot be written (a read-only installation,
  `PYTHONDONTWRITEBYTECODE`), means `re.compile`, nothing else.
"""
from __future__ import annotations

import marshal
import os
import re
import sys

try:
    import _sre
except ImportError:  # another Python than CPython: re.compile
    _sre = None

MAX_PATTERNS = 64  # more: the file starts again (patterns of old grammars do not pile up)

_entries: dict | None = None  # (pattern, flags) -> the arguments of _sre.compile after the pattern
_unwritable = False  # the file could not be written: not tried again in this process


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, from the file when it holds the pattern."""
    flags = int(flags)
    entries = _load()
    entry = entries.get((pattern, flags))
    if entry is not None:
        try:
            return _sre.compile(pattern, *entry)
        except Exception:  # noqa: BLE001 - not what this _sre takes after all: compile afresh
            pass
    entry = _arguments(pattern, flags)
    if entry is None:
        return re.compile(pattern, flags)
    compiled = _sre.compile(pattern, *entry)  # what re.compile makes, compiled once
    if len(entries) >= MAX_PATTERNS:
        entries.clear()
    entries[(pattern, flags)] = entry
    _save(entries)
    return compiled


def _arguments(pattern: str, flags: int) -> tuple | None:
    """What re.compile gives _sre.compile after the pattern (as
    re._compiler.compile makes it), or None where that cannot be known."""
    if _sre is None:
        return None
    try:
        from re import _compiler, _parser

        p = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(p, flags)]
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        return int(flags | p.state.flags), code, p.state.groups - 1, groupindex, tuple(indexgroup)
    except Exception:  # noqa: BLE001 - another `re` than the one this was written for: no cache
        return None


def _path() -> str | None:
    cached = globals().get("__cached__")  # this module's bytecode file (PYTHONPYCACHEPREFIX respected)
    if not cached or _sre is None:
        return None
    return os.path.join(os.path.dirname(cached), f"journeyc-patterns.{sys.implementation.cache_tag}.marshal")


def _identity() -> tuple:
    """What the file must have been written by: this Python, this _sre."""
    return sys.version, _sre.MAGIC, _sre.CODESIZE


def _load() -> dict:
    global _entries
    if _entries is None:
        _entries = {}
        path = _path()
        if path is not None:
            try:
                with open(path, "rb") as f:
                    identity, entries = marshal.loads(f.read())
                if identity == _identity() and isinstance(entries, dict):
                    _entries = entries
            except (OSError, EOFError, ValueError, TypeError):
                pass  # no file, or not one of ours: every pattern is compiled
    return _entries


def _save(entries: dict) -> None:
    global _unwritable
    path = _path()
    if path is None or sys.dont_write_bytecode or _unwritable:
        return
    from .errors import JourneycError
    from .fsutil import write_atomic

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomic(path, marshal.dumps((_identity(), entries)), durable=False)
    except (OSError, ValueError, JourneycError):
        _unwritable = True  # a cache that cannot be written is no cache

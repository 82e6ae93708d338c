"""Building the Lark parser once per grammar, not once per process.

Analysing the grammar (LALR tables, strict conflict checks) takes about
150 ms; loading the analysed parser takes about 10 ms. The analysed parser
is saved in the user's cache folder (`$JOURNEYC_CACHE_DIR`, else
`$XDG_CACHE_HOME/journeyc`, else `~/.cache/journeyc`), under a key made of
the grammar's text, the Lark version and the options, so any change to
`grammar/journey.lark` or to Lark builds a new one. The file is written
atomically and only loaded when the current user owns it; a missing,
damaged or foreign cache is simply rebuilt. `JOURNEYC_NO_CACHE=1` turns the
cache off. `JOURNEYC_CACHE_DIR` names the folder of every cache journeyc
keeps: the result cache (journeyc.resultcache) writes its entries there too.
"""
from __future__ import annotations

import io
import os

# strict=False at run time: Lark's strict mode needs `interegular`, which is
# not a dependency. Strict mode only adds checks (no shift/reduce conflict, no
# colliding terminals) and builds the same tables; tests/test_fastparse.py
# builds the grammar with STRICT, so a conflict never reaches a release.
OPTIONS = dict(parser="lalr", lexer="contextual", strict=False, maybe_placeholders=True, propagate_positions=False)
STRICT = dict(OPTIONS, strict=True)


def cache_dir() -> str | None:
    if os.environ.get("JOURNEYC_NO_CACHE"):
        return None
    explicit = os.environ.get("JOURNEYC_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "journeyc")


def cache_key(grammar_text: str) -> str:
    import hashlib

    import lark

    material = "\0".join([grammar_text, lark.__version__, repr(sorted(OPTIONS.items()))])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def cache_path(grammar_text: str):
    """The cached Lark parser's file (a pathlib.Path), or None."""
    from pathlib import Path

    folder = cache_dir()
    return None if folder is None else Path(folder) / f"parser-{cache_key(grammar_text)}.lark"


def build(grammar_text: str, **runtime):
    """The Lark parser for `grammar_text`, with the runtime options
    (transformer, lexer_callbacks), from the cache when it can be."""
    from lark import Lark

    path = cache_path(grammar_text)
    if path is not None:
        loaded = _load(path, runtime)
        if loaded is not None:
            return loaded
    parser = Lark(grammar_text, **OPTIONS, **runtime)
    if path is not None:
        _save(parser, path)
    return parser


def _load(path, runtime: dict):
    from lark import Lark

    try:
        st = os.stat(path)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None  # someone else's file: never unpickle it
        with open(path, "rb") as f:
            data = f.read()
        parser = Lark.__new__(Lark)
        parser._load(io.BytesIO(data), **runtime)
        return parser
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or stale cache file is rebuilt
        return None


def _save(parser, path) -> None:
    from lark.lark import _LOAD_ALLOWED_OPTIONS

    from .fsutil import write_atomic
    from .errors import JourneycError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        parser.save(buf, exclude_options=_LOAD_ALLOWED_OPTIONS)
        write_atomic(str(path), buf.getvalue())
    except (OSError, JourneycError):
        pass  # a cache that cannot be written is no cache

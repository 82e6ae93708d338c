"""Pausing Python's cyclic garbage collector during a large pass.

The parser and the lint rules make millions of small objects and no
reference cycles; every collection of the oldest generation would walk the
whole model again (at 10,000 touchpoints, most of lint's time went to such
collections through the API, which does not get the command line's
`gc.set_threshold`)."""
from __future__ import annotations

import gc
from contextlib import contextmanager

# Below this many bytes of source a pass is too small for collections to matter.
LARGE = 100_000


@contextmanager
def gc_paused(size: int):
    """Pause the collector while a pass over `size` bytes of source runs
    (unless it is small, or the collector is already off)."""
    if size < LARGE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

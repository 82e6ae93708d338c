"""Pausing Python's cyclic garbage collector during a large pass.

The parser and the lint rules make millions of small objects and no
reference cycles; every collection of the oldest generation would walk the
whole model again (at 10,000 touchpoints, most of lint's time went to such
collections through the API, which does not get the command line's
`gc.set_threshold`)."""
from __future__ import annotations

import gc

# Below this many bytes of source a pass is too small for collections to matter.
LARGE = 100_000


class gc_paused:
    """`with gc_paused(size):` pauses the collector while a pass over `size`
    bytes of source runs (unless it is small, or the collector is already
    off). (A class, not a contextlib.contextmanager: contextlib costs a plain
    check 0.5 ms to import.)"""

    __slots__ = ("paused",)

    def __init__(self, size: int):
        self.paused = size >= LARGE and gc.isenabled()

    def __enter__(self) -> None:
        if self.paused:
            gc.disable()

    def __exit__(self, *exc) -> None:
        if self.paused:
            # What the pass made lives as long as its model and holds no cycle:
            # moved into the oldest generation (freeze, then unfreeze), so that
            # the next young collection does not walk it all (at 100,000
            # touchpoints, most of 1.9 s of collections in a check).
            gc.freeze()
            gc.unfreeze()
            gc.enable()

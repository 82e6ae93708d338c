"""A large text is parsed with the cyclic collector paused; when it resumes,
what the parse made is in the oldest generation, so that no young
collection walks the whole model (journeyc.gcpause.gc_paused)."""
from __future__ import annotations

import gc

from journeyc.parsing import parse


def _large_text() -> str:
    owners = "".join(f'owner team{i} "Team {i}" {{ description "The team number {i}" }}\n' for i in range(3000))
    assert len(owners) > 100_000  # gc_paused's threshold
    return owners


def test_a_large_parse_leaves_its_syntax_in_the_oldest_generation():
    assert gc.isenabled()
    source, errors = parse(_large_text(), "big.journey")
    assert gc.isenabled() and not errors
    block = source.blocks[-1]
    assert gc.is_tracked(block)
    assert not any(o is block for o in gc.get_objects(0))
    assert not any(o is block for o in gc.get_objects(1))
    assert any(o is block for o in gc.get_objects(2))


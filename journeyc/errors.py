"""journeyc's exceptions. A leaf module: it imports nothing from journeyc,
so every module can raise these without loading the compiler."""
from __future__ import annotations


class JourneycError(Exception):
    """journeyc could not do its work (a root that cannot be read, a bad
    option, a configuration mistake, ...): the CLI prints the message on
    one line and exits 2."""

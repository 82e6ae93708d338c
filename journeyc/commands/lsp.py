"""`journeyc lsp`: the language server, over standard input and output
(journeyc/lsp.py)."""
from __future__ import annotations

from typing import NamedTuple

from . import EXIT_OK


class Options(NamedTuple):
    pass


def run(o: Options) -> int:
    from ..lsp import main as serve

    serve()
    return EXIT_OK

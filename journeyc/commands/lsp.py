"""`journeyc lsp`: the language server, over standard input and output
(journeyc/lsp.py)."""
from __future__ import annotations

from . import EXIT_OK
from .options import LspOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..lsp import main as serve

    serve()
    return EXIT_OK

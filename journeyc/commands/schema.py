"""`journeyc schema`: the JSON Schema of the compiled JSON."""
from __future__ import annotations

import sys

from . import EXIT_OK
from .options import SchemaOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK

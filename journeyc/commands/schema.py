"""`journeyc schema`: the JSON Schema of the compiled JSON."""
from __future__ import annotations

import sys
from typing import NamedTuple

from . import EXIT_OK


class Options(NamedTuple):
    pass


def run(o: Options) -> int:
    from ..schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK

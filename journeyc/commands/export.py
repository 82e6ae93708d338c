"""`journeyc export csv`: one row per touchpoint (journeyc/csvio.py).
Nothing is written when there are compile errors."""
from __future__ import annotations

from typing import NamedTuple

from . import EXIT_FINDINGS, EXIT_OK, compile_errors, write_or_print


class CsvOptions(NamedTuple):
    paths: tuple[str, ...]
    output: str | None = None  # None: standard output
    excel: bool = False
    allow_imports_outside_root: bool = False


def csv(o: CsvOptions) -> int:
    from ..compiler import compile_root, discover_roots
    from ..csvio import export_csv
    from ..load import Session

    session = Session(allow_imports_outside_root=o.allow_imports_outside_root)
    results = [compile_root(session, r) for r in discover_roots(session, list(o.paths))]
    if compile_errors(results, session):
        return EXIT_FINDINGS
    write_or_print(export_csv([r.compilation for r in results], o.excel), o.output)
    return EXIT_OK

"""`journeyc export csv`: one row per touchpoint (journeyc/csvio.py).
Nothing is written when there are compile errors."""
from __future__ import annotations

from . import EXIT_FINDINGS, EXIT_OK, compile_errors, write_or_print
from .options import ExportCsvOptions as CsvOptions  # noqa: F401  (the command's options: commands/options.py)


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

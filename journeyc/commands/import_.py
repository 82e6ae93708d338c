"""`journeyc import csv|mermaid`: write a .journey spec from a spreadsheet
(journeyc/csvio.py) or a Mermaid journey diagram
(journeyc/mermaid_import.py). Problems are reported and nothing is
written."""
from __future__ import annotations

import os

from . import EXIT_FINDINGS, EXIT_OK, say, write_or_print
from .options import ImportOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def csv(o: Options) -> int:
    from ..csvio import import_csv

    _refuse_overwrite(o)
    text, problems, notes = import_csv(_read_input(o.file), o.output or "imported.journey")
    return _finish(text, problems, notes, o)


def mermaid(o: Options) -> int:
    from ..mermaid_import import import_mermaid

    _refuse_overwrite(o)
    data = _read_input(o.file)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        say(f"{o.file}: not UTF-8 text (byte {e.start})")
        return EXIT_FINDINGS
    stem = os.path.basename(o.file).split(".")[0] if o.file != "-" else "journey"
    text, errors, notes = import_mermaid(source, stem or "journey", o.output or "imported.journey")
    return _finish(text, errors, notes, o)


def _refuse_overwrite(o: Options) -> None:
    from ..errors import JourneycError

    if o.output and not o.force and os.path.lexists(o.output):
        raise JourneycError(f"{o.output}: already exists; give --force to overwrite it")


def _read_input(path: str) -> bytes:
    import sys

    from ..errors import JourneycError

    if path == "-":
        return sys.stdin.buffer.read()
    from ..load import not_readable, read_bytes

    try:
        why = not_readable(os.path.realpath(path))  # a folder, a FIFO, a device, a huge file: as check refuses them
        if why:
            raise JourneycError(f"{path}: {why}; give a file")
        return read_bytes(path)
    except OSError as e:
        raise JourneycError(f"{path}: cannot read: {e.strerror or e}") from None


def _finish(text, problems, notes, o: Options) -> int:
    for note in notes:
        say(f"journeyc: {o.file}: {note}" if isinstance(note, str) else f"journeyc: {note.text(o.file)}")
    if text is None:
        for p in problems:
            say(p.text(o.file))
        say(f"journeyc: nothing written: {len(problems)} problem{'s' if len(problems) != 1 else ''} in {o.file}")
        return EXIT_FINDINGS
    _refuse_overwrite(o)  # written meanwhile
    write_or_print(text.encode("utf-8"), o.output)
    if o.output:
        say(f"journeyc: wrote {o.output}")
    return EXIT_OK

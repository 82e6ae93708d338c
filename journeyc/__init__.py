"""journeyc: a compiler and linter for customer journeys written as code.

The public API:

    compile_file(path)                 -> (Compilation | None, diagnostics)
    compile_source(text, filename=...) -> (Compilation | None, diagnostics)
    check(paths)                       -> diagnostics of a whole run
    to_json(compilation)               -> the compiled JSON document (a dict)

The pipeline, one module per stage: parse -> build -> load (imports) ->
resolve -> lint -> backends; `cli` sits on top.
"""
from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "compile_file", "compile_source", "check", "to_json"]


def compile_file(path, *, allow_imports_outside_root: bool = False):
    """Compile the root file `path` with its imports. Returns the resolved
    Compilation (None when there are compile errors) and the diagnostics:
    the compile errors, or else the lint findings."""
    from .compiler import run_check
    from .load import Session

    run = run_check([str(path)], Session(allow_imports_outside_root=allow_imports_outside_root))
    result = run.results[0]
    return result.compilation, run.diagnostics


def compile_source(text: str, filename: str = "<string>.journey", **kwargs):
    """Compile journey text as if it were the file `filename` (imports are
    read from disk relative to it)."""
    import os

    from .compiler import check_roots
    from .load import Session

    session = Session(**kwargs)
    session.overrides[os.path.realpath(filename)] = text
    run = check_roots(session, [filename])
    return run.results[0].compilation, run.diagnostics


def check(paths, config=None):
    """Check files and folders as `journeyc check` does; returns the sorted,
    deduplicated diagnostics."""
    from .compiler import run_check

    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    return run_check([str(p) for p in paths], config=config).diagnostics


def to_json(compilation, with_locations: bool = False) -> dict:
    """The compiled JSON document of a Compilation, as Python data. A
    compilation with compile errors is None, and has no JSON: TypeError."""
    if compilation is None:
        raise TypeError("to_json() needs a Compilation, got None: a compilation with compile errors has no JSON "
                        "(compile_file and compile_source return None with the errors in their diagnostics)")
    from .backends.json import to_json as _to_json

    return _to_json(compilation, with_locations)

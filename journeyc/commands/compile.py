"""`journeyc compile`: compile journeys to one of the compile formats and
views of journeyc/outputs.py. Nothing is written when there are compile
errors."""
from __future__ import annotations

import os
import sys

from . import EXIT_FINDINGS, EXIT_OK, Usage, compile_errors, lint_run, say, warn
from .options import CompileOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    from ..errors import JourneycError
    from ..outputs import VIEWS

    formats = VIEWS[o.view]
    if o.fmt not in formats:
        raise Usage(f"--view {o.view} comes as --format {', '.join(formats)}, not {o.fmt}")
    if o.annotate and not formats[o.fmt].annotates:
        annotated = [name for name, f in formats.items() if f.annotates]
        if not annotated:
            raise Usage(f"--annotate marks lint findings on the flow view, not on --view {o.view}")
        raise Usage(f"--annotate draws lint findings on a diagram: use it with --format "
                    f"{', '.join(annotated)}, not {o.fmt}")
    if o.with_locations and o.fmt != "json":
        raise Usage(f"--with-locations adds locations to the JSON: it does not apply to --format {o.fmt}")
    if o.config_path and not o.annotate:
        raise Usage("--config gives the lint settings of --annotate: use it with --annotate")
    if o.watch and o.output is None:
        raise Usage("--watch writes files again and again: give -o FILE (or -o FOLDER)")
    if o.output == "-":  # `-o -`: standard output, as without -o
        if o.watch:
            raise Usage("--watch writes files again and again: give -o FILE (or -o FOLDER), not -o -")
        o = o._replace(output=None)
    if o.output is None and formats[o.fmt].binary and sys.stdout.isatty():
        raise JourneycError(f"refusing to write {o.fmt.upper()} to a terminal: give -o FILE, "
                            "or redirect standard output to a file or a pipe")
    if o.watch:
        from ..watch import watch_paths

        watch_paths(list(o.paths), lambda read: once(o, read))
        return EXIT_OK
    return once(o)


def once(o: Options, read: list | None = None) -> int:
    """One compile: writes the outputs and returns the exit status (0, or 1
    after printing compile errors); trouble is a JourneycError. In watch
    mode (`read` given) it says what it wrote, and lists in `read` the files
    the compile read."""
    from ..compiler import compile_root, discover_roots
    from ..errors import JourneycError
    from ..formats import Request
    from ..load import Session
    from ..outputs import VIEWS, load

    paths = list(o.paths)
    session = Session(allow_imports_outside_root=o.allow_imports_outside_root)
    try:
        findings = None
        if o.annotate:
            lint = lint_run(paths, session, o.config_path)
            results = lint.results
            findings = [d for d in lint.diagnostics if not d.is_compile_error]
        else:
            results = [compile_root(session, r) for r in discover_roots(session, paths)]
        warn(session.warnings)
        if compile_errors(results, session):
            return EXIT_FINDINGS
        output = VIEWS[o.view][o.fmt]
        render = load(output)
        request = Request(o.fmt, o.with_locations, findings, o.layout_timeout)
        outputs = [(r.root, render(r.compilation, request)) for r in results]
        if o.output is None:
            if len(outputs) > 1:
                raise JourneycError(f"{len(outputs)} compilations ({', '.join(r for r, _ in outputs)}): "
                                    "give -o FOLDER to write one file each")
            sys.stdout.buffer.write(outputs[0][1])
            sys.stdout.flush()
            return EXIT_OK
        written = write_outputs(outputs, o.output, output.extension)
        if read is not None:
            for path in written:
                say(f"journeyc: wrote {path}")
        return EXIT_OK
    finally:
        if read is not None:
            read.extend(session.read_paths())


def write_outputs(outputs, output: str, extension: str) -> list[str]:
    """Writes each output atomically; returns the paths written. With
    several outputs (or `-o` ending in a slash) `output` is a folder that
    must exist, and each file is named after its root with `extension`;
    outputs that would land on one file stop the run before anything is
    written."""
    from ..errors import JourneycError
    from ..fsutil import write_atomic

    as_folder = len(outputs) > 1 or output.endswith(("/", os.sep))
    if not as_folder and not os.path.isdir(output):
        write_atomic(output, outputs[0][1])
        return [output]
    if not os.path.isdir(output):
        if not os.path.lexists(output.rstrip("/" + os.sep) or output):
            raise JourneycError(f"{output}: the folder does not exist; create it first"
                                + ("" if len(outputs) == 1 else " (with several roots, -o names a folder)"))
        raise JourneycError(f"{output}: not a folder" + ("" if len(outputs) == 1 else
                                                        "; with several roots, -o names a folder"))
    paths: dict[str, str] = {}
    stems = [os.path.splitext(os.path.basename(root))[0] for root, _ in outputs]
    common = os.path.commonpath([os.path.dirname(os.path.abspath(root)) for root, _ in outputs])
    for (root, _), stem in zip(outputs, stems):
        if stems.count(stem) > 1:
            # two roots of one name (specs/saas.journey, specs/future/saas.journey): saas, future-saas
            rel = os.path.relpath(os.path.splitext(os.path.abspath(root))[0], common)
            stem = rel.replace(os.sep, "-").replace("/", "-")
        path = os.path.join(output, f"{stem}.{extension}")
        if path in paths:
            raise JourneycError(f"{paths[path]} and {root} would both be written to {path}: nothing written; "
                                "compile them with separate -o folders (or rename one)")
        paths[path] = root
    written = []
    for (root, data), path in zip(outputs, paths):
        write_atomic(path, data)
        written.append(path)
    return written

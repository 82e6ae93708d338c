"""`journeyc report`: one self-contained HTML page per run (or a
comparison of a current and a future state)."""
from __future__ import annotations

import sys

from . import EXIT_FINDINGS, EXIT_OK, Usage, compile_errors, lint_run, say, source_lines, warn
from .options import ReportOptions as Options  # noqa: F401  (the command's options: commands/options.py)


def run(o: Options) -> int:
    if o.compare and o.paths:
        raise Usage("give either PATHS or --compare CURRENT FUTURE, not both")
    if not o.compare and not o.paths:
        raise Usage("give the journey files or folders to report on (or --compare CURRENT FUTURE)")
    if o.output == "-":  # `-o -`: standard output, as without -o
        o = o._replace(output=None)
    if o.watch and o.output is None:
        raise Usage("--watch writes the page again and again: give -o FILE")
    groups = [[o.compare[0]], [o.compare[1]]] if o.compare else [list(o.paths)]
    if o.watch:
        from ..watch import watch_paths

        watch_paths([p for g in groups for p in g], lambda read: once(o, groups, read))
        return EXIT_OK
    return once(o, groups)


def once(o: Options, groups: list[list[str]], read: list | None = None) -> int:
    """One report of one group of paths, or (two groups) a comparison of a
    current and a future state: 0 when written, 1 after printing compile
    errors (nothing written); trouble is a JourneycError."""
    from ..backends.report import render_report
    from ..diagnostics import merge
    from ..load import Session

    sessions, runs = [], []
    try:
        for paths in groups:
            session = Session(allow_imports_outside_root=o.allow_imports_outside_root)
            sessions.append(session)
            lint = lint_run(paths, session, o.config_path)
            runs.append(lint)
            warn(session.warnings)
            if compile_errors(lint.results, session):
                return EXIT_FINDINGS
        lines = [source_lines(s) for s in sessions]

        def source_line(file, line):
            for get in lines:
                text = get(file, line)
                if text is not None:
                    return text
            return None

        from ..backends import dot
        from ..backends.report import default_blueprint, default_diagram, no_blueprint, no_diagram

        if dot.has_dot():
            def diagram(comp, journey, diags):
                return default_diagram(comp, journey, diags, o.layout_timeout)

            def blueprint(comp, journey):
                return default_blueprint(comp, journey, o.layout_timeout)
        else:
            diagram, blueprint = no_diagram, no_blueprint
            say(f"journeyc: {dot.REPORT_WITHOUT_DOT}")
        comps = [[r.compilation for r in lint.results] for lint in runs]
        diagnostics = merge(d for lint in runs for d in lint.diagnostics)
        page = render_report([c for group in comps for c in group], diagnostics, source_line, diagram,
                             blueprint_svg=blueprint, compare=(comps[0], comps[1]) if len(comps) == 2 else None)
        data = page.encode("utf-8")
        if o.output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return EXIT_OK
        from ..fsutil import write_atomic

        write_atomic(o.output, data)
        if read is not None:
            say(f"journeyc: wrote {o.output}")
        return EXIT_OK
    finally:
        if read is not None:
            for session in sessions:
                read.extend(session.read_paths())

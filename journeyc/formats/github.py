"""GitHub Actions workflow commands: one annotation per diagnostic,

    ::warning file=specs/saas.journey,line=2,col=1,endLine=2,endColumn=8,title=F001 (no-loop-back)::journey ...

with GitHub's escaping: in the message `%`, CR and LF become `%25`, `%0D`,
`%0A`; in property values also `:` and `,` become `%3A` and `%2C`. Paths are
relative to the repository root when the file lies inside it."""
from __future__ import annotations

from . import Report, repo_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    out = []
    for d in report.diagnostics:
        s = d.span
        file = repo_path(s.file, report.folder) or s.file
        props = [("file", file), ("line", str(s.line)), ("col", str(s.column)),
                 ("endLine", str(s.end_line)), ("endColumn", str(s.end_column)),
                 ("title", f"{d.code} ({d.name})")]
        message = d.message if not d.suggestion else f"{d.message}\nhelp: {d.suggestion}"
        out.append(f"::{LEVELS[d.severity]} "
                   + ",".join(f"{k}={escape_property(v)}" for k, v in props)
                   + f"::{escape_data(message)}\n")
    return "".join(out)

"""GitLab Code Quality report: a JSON array of issues,

    {"description": "...", "check_name": "F001", "fingerprint": "...",
     "severity": "minor", "location": {"path": "specs/saas.journey", "lines": {"begin": 2, "end": 2}}}

Paths are relative to the repository root. Severities: error -> major,
warning -> minor, info -> info. Fingerprints are unique within the report
and stable across edits that do not touch the finding's entity."""
from __future__ import annotations

import json

from ..baseline import unique_fingerprints
from . import Report, repo_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render_gitlab(report: Report) -> str:
    issues = []
    for d, fp in zip(report.diagnostics, unique_fingerprints(report.diagnostics, report.root)):
        s = d.span
        description = f"{d.code} {d.name}: {d.message}"
        if d.suggestion:
            description += f" ({d.suggestion})"
        issues.append({
            "description": description,
            "check_name": d.code,
            "fingerprint": fp,
            "severity": SEVERITIES[d.severity],
            "location": {"path": repo_path(s.file, report.root) or s.file,
                         "lines": {"begin": s.line, "end": s.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"

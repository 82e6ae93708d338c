"""GitLab Code Quality report: a JSON array of issues,

    {"description": "...", "check_name": "F001", "fingerprint": "...",
     "severity": "minor", "location": {"path": "specs/saas.journey", "lines": {"begin": 2, "end": 2}}}

Paths are relative to the root of the repository that holds the file (the
folder with `.git`, found upward from it), wherever journeyc runs from. Severities: error -> major,
warning -> minor, info -> info. Fingerprints are unique within the report
and stable across edits that do not touch the finding's entity."""
from __future__ import annotations

import json
import os

from ..baseline import unique_fingerprints
from . import Report, find_repository, repo_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _path(file: str, root: str, roots: dict) -> str:
    """`file` relative to the root of the repository that holds it (found
    upward from its folder), else to `root`; else as given."""
    folder = os.path.dirname(os.path.abspath(file))
    if folder not in roots:
        roots[folder] = find_repository(folder)
    return repo_path(file, roots[folder] or root) or repo_path(file, root) or file


def render_gitlab(report: Report) -> str:
    roots: dict[str, str | None] = {}
    issues = []
    for d, fp in zip(report.diagnostics, unique_fingerprints(report.diagnostics, report.folder)):
        s = d.span
        description = f"{d.code} {d.name}: {d.message}"
        if d.suggestion:
            description += f" ({d.suggestion})"
        issues.append({
            "description": description,
            "check_name": d.code,
            "fingerprint": fp,
            "severity": SEVERITIES[d.severity],
            "location": {"path": _path(s.file, report.folder, roots),
                         "lines": {"begin": s.line, "end": s.end_line}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"

"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run; the tool driver lists every rule (the lint rules, then the compile
errors) with its id, name, short and full description, help text with the
examples and its default level. Each result carries the rule id and index,
its level (after severity overrides), the message, a physical location with
a URI relative to the repository root (`uriBaseId` `%SRCROOT%`) and a region
counted in Unicode code points (`columnKind`), related locations, and a
`partialFingerprints` entry that depends on the code, the file and the
entity the finding is about, not on line numbers.

Within GitHub code scanning's limits: past 25,000 results the most severe
are kept, and a notification of the run's invocation says how many of which
severity were left out; a result has at most 1,000 locations."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from ..version import __version__
from ..baseline import unique_fingerprints
from ..diagnostics import SEVERITIES, SEVERITY_RANK
from ..reference import explain_text, section_markdown
from ..text import and_list
from . import Report, repo_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# GitHub code scanning rejects a SARIF file beyond these (docs.github.com, "SARIF results exceed limit"):
MAX_RESULTS = 25_000          # results per run
MAX_LOCATIONS = 1_000         # locations per result (its own and related ones)
MAX_RUNS = 20                 # runs per file (journeyc writes one)
MAX_RULES = 25_000            # rules per run
MAX_TAGS = 20                 # tags per rule
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "journeyc/v1"


def _all_rules():
    from ..codes import COMPILE_ERRORS
    from ..lint.rules import RULES

    return list(RULES) + list(COMPILE_ERRORS)


def descriptor(r) -> dict:
    d = {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.doc},
        "help": {"text": explain_text(r), "markdown": section_markdown(r)},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "properties": {"tags": ["compile-error" if r.code.startswith("E") else "lint"]},
    }
    family = getattr(r, "family", None)
    if family and not r.code.startswith("E"):
        d["properties"]["tags"].append(family)
    return d


def _location(file: str, root: str) -> dict:
    rel = repo_path(file, root)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}
    return {"uri": Path(os.path.abspath(file)).as_uri()}


def _region(span) -> dict:
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


def most_severe(diagnostics, limit: int) -> list[int]:
    """The indexes of the `limit` most severe diagnostics (errors, then
    warnings, then infos; in their order within a severity), in order."""
    if len(diagnostics) <= limit:
        return list(range(len(diagnostics)))
    ranked = sorted(range(len(diagnostics)), key=lambda i: -SEVERITY_RANK[diagnostics[i].severity])
    return sorted(ranked[:limit])


def left_out_notification(diagnostics, kept: list[int]) -> dict:
    """The run-level notification saying how many results were left out, of
    which severities."""
    kept_set = set(kept)
    left = Counter(d.severity for i, d in enumerate(diagnostics) if i not in kept_set)
    total = sum(left.values())
    parts = and_list([f"{left[sev]:,} {sev}{'s' if left[sev] != 1 else ''}" for sev in SEVERITIES if left[sev]])
    return {
        "descriptor": {"id": "results-capped"},
        "level": "warning",
        "message": {"text": f"journeyc found {len(diagnostics):,} results; GitHub code scanning accepts at most "
                            f"{MAX_RESULTS:,} per run, so the {total:,} least severe were left out ({parts}). "
                            "Run `journeyc check` with another output format to see every finding."},
    }


def render_sarif(report: Report) -> str:
    rules = _all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    root = report.folder
    every = list(report.diagnostics)
    kept = most_severe(every, MAX_RESULTS)
    fingerprints = unique_fingerprints(every, root)
    results = []
    for d, fp in ((every[i], fingerprints[i]) for i in kept):
        text = d.message if not d.suggestion else f"{d.message} (help: {d.suggestion})"
        result = {
            "ruleId": d.code,
            "level": LEVELS[d.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": _location(d.span.file, root),
                                                "region": _region(d.span)}}],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [
                {"id": i, "message": {"text": r.message},
                 "physicalLocation": {"artifactLocation": _location(r.span.file, root), "region": _region(r.span)}}
                for i, r in enumerate(d.related[:MAX_LOCATIONS - 1], start=1)]
        if d.suggestion:
            result["properties"] = {"suggestion": d.suggestion}
        results.append(result)
    invocation: dict = {"executionSuccessful": True}
    if len(kept) < len(every):
        invocation["toolExecutionNotifications"] = [left_out_notification(every, kept)]
    root_uri = Path(root).as_uri()
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "journeyc",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://pypi.org/project/journeyc/",
                "rules": [descriptor(r) for r in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

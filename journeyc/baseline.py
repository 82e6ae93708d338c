"""Baselines: adopt journeyc on an existing spec without fixing everything at once.

`journeyc check --write-baseline FILE` records the current lint findings;
`journeyc check --baseline FILE` then reports only the findings that are not
in it. A finding is recorded by its fingerprint: its code, its file (relative
to the baseline's folder) and the id path of the entity it is about
(`saas/onboarding/welcome`, `kpi:activation`), never its line, so edits
elsewhere in the file do not invalidate the baseline. Identical fingerprints
are counted: a baseline that holds two of them absorbs two findings.

Compile errors are never baselined: they always count."""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import Iterable, Sequence

from .diagnostics import Diagnostic
from .errors import JourneycError

BASELINE_VERSION = 1


def relative_file(file: str, base: str) -> str:
    """`file` (a display path, relative to the working folder or absolute)
    relative to the folder `base`, with `/` separators."""
    path = os.path.abspath(file)
    try:
        rel = os.path.relpath(path, os.path.abspath(base))
    except ValueError:  # another drive
        rel = path
    return rel.replace(os.sep, "/")


def identity(d: Diagnostic, base: str) -> tuple[str, str, str]:
    """(code, file relative to `base`, entity): what identifies a finding
    across edits. A diagnostic without an entity (a compile error) is
    identified by its message."""
    return d.code, relative_file(d.span.file, base), d.entity if d.entity is not None else f"message:{d.message}"


def fingerprint(d: Diagnostic, base: str) -> str:
    """A stable hex digest of the finding's identity."""
    return hashlib.sha256("\x00".join(identity(d, base)).encode("utf-8")).hexdigest()[:32]


def unique_fingerprints(diagnostics: Sequence[Diagnostic], base: str) -> list[str]:
    """One fingerprint per diagnostic; the second and later findings with the
    same identity get `:2`, `:3`... (in the sorted order of the diagnostics)."""
    seen: Counter = Counter()
    out = []
    for d in diagnostics:
        fp = fingerprint(d, base)
        seen[fp] += 1
        out.append(fp if seen[fp] == 1 else f"{fp}:{seen[fp]}")
    return out


def baseline_document(diagnostics: Iterable[Diagnostic], base: str) -> dict:
    counts: Counter = Counter()
    messages: dict[tuple, str] = {}
    for d in diagnostics:
        if d.is_compile_error:
            continue
        key = identity(d, base)
        counts[key] += 1
        messages.setdefault(key, d.message)
    findings = [{"code": code, "file": file, "entity": entity, "count": counts[(code, file, entity)],
                 "message": messages[(code, file, entity)]}
                for code, file, entity in sorted(counts)]
    return {"version": BASELINE_VERSION, "tool": "journeyc", "findings": findings}


def write_baseline(path: str, diagnostics: Iterable[Diagnostic]) -> int:
    """Record the lint findings in `path` (atomically); returns how many."""
    from .fsutil import write_atomic

    base = os.path.dirname(os.path.abspath(path))
    doc = baseline_document(diagnostics, base)
    write_atomic(path, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return sum(f["count"] for f in doc["findings"])


def read_baseline(path: str) -> Counter:
    """The fingerprints (code, file, entity) recorded in a baseline, counted."""
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except OSError as e:
        raise JourneycError(f"{path}: cannot read the baseline: {e.strerror or e}") from None
    except (UnicodeDecodeError, ValueError) as e:
        raise JourneycError(f"{path}: not a journeyc baseline (invalid JSON: {e})") from None
    if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION or not isinstance(doc.get("findings"), list):
        raise JourneycError(f"{path}: not a journeyc baseline (expected a JSON object with \"version\": "
                            f"{BASELINE_VERSION} and \"findings\"); write one with --write-baseline")
    counts: Counter = Counter()
    for i, f in enumerate(doc["findings"]):
        try:
            key = (f["code"], f["file"], f["entity"])
            count = f.get("count", 1)
            if not all(isinstance(k, str) for k in key) or not isinstance(count, int) or count < 1:
                raise TypeError
        except (TypeError, KeyError):
            raise JourneycError(f"{path}: finding {i + 1} is malformed: expected \"code\", \"file\", \"entity\" "
                                "strings and a positive \"count\"") from None
        counts[key] += count
    return counts


def apply_baseline(diagnostics: Sequence[Diagnostic], path: str) -> tuple[list[Diagnostic], int]:
    """The diagnostics not absorbed by the baseline at `path`, and how many
    were absorbed."""
    remaining = read_baseline(path)
    base = os.path.dirname(os.path.abspath(path))
    out = []
    absorbed = 0
    for d in diagnostics:
        if not d.is_compile_error:
            key = identity(d, base)
            if remaining[key] > 0:
                remaining[key] -= 1
                absorbed += 1
                continue
        out.append(d)
    return out, absorbed

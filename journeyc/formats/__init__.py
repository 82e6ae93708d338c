"""Diagnostics for CI systems: SARIF 2.1.0 (code scanning), GitHub Actions
workflow commands, JUnit XML and GitLab Code Quality. The formats for people
(`text`, `concise`) and the JSON document live in journeyc/render.py.

Every renderer takes a `Report` and returns text."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Sequence

from ..diagnostics import Diagnostic

CI_FORMATS = ("sarif", "github", "junit", "gitlab")
FORMATS = ("text", "concise", "json") + CI_FORMATS


@dataclass
class Report:
    """What a CI format needs to know about a check run."""

    diagnostics: Sequence[Diagnostic]
    files: Sequence[str] = ()  # every file of the run (display paths)
    linted: frozenset[str] = frozenset()  # the files of compilations that were linted
    enabled: tuple[str, ...] = ()  # the lint codes enabled
    root: str = field(default_factory=os.getcwd)  # paths in the report are relative to this folder
    fail_on: str = "warning"  # diagnostics at or above it fail the run (JUnit: failures)


def find_repository(start: str) -> str | None:
    """The nearest folder from `start` upward that holds `.git`, or None."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def repository_root(start: str | None = None) -> str:
    """The nearest folder from `start` (default: the working folder) upward
    that holds `.git`; else `start` itself."""
    start = os.path.abspath(start or os.getcwd())
    return find_repository(start) or start


def run_root(paths) -> str:
    """The folder a report's paths are relative to: the repository that
    holds the run's first path (found upward from it, wherever journeyc runs
    from), else the one that holds the working folder, else the working
    folder."""
    for path in list(paths)[:1]:
        found = find_repository(os.path.dirname(os.path.abspath(path)))
        if found is not None:
            return found
    return repository_root()


def repo_path(file: str, root: str) -> str | None:
    """`file` relative to the repository root (with `/`), or None when it
    lies outside."""
    path = os.path.abspath(file)
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def render(fmt: str, report: Report) -> str:
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(report)
    if fmt == "github":
        from .github import render_github

        return render_github(report)
    if fmt == "junit":
        from .junit import render_junit

        return render_junit(report)
    if fmt == "gitlab":
        from .gitlab import render_gitlab

        return render_gitlab(report)
    raise ValueError(f"unknown format {fmt!r}")

"""The pipeline, end to end: roots -> files (load) -> model (build) ->
resolved compilation (resolve) -> lint findings. The CLI and the public API
in `journeyc/__init__.py` both go through here.

The names, smallest first:

| name                     | takes                  | gives                                       |
|--------------------------|------------------------|---------------------------------------------|
| `compile_root`           | a session, one root    | `Result`: its files, compilation or errors  |
| `check_roots`            | a session, given roots | `Run`: every `Result`, linted and merged    |
| `run_check`              | paths (files, folders) | `Run`: roots chosen (`choose_roots`), then `check_roots` |
| `parallel.run_check`     | paths, `jobs`          | `run_check`, or the same `Run` from worker processes |

`Run` is one whole `check` (what the formats print); `Result` is one
compilation of it."""

from __future__ import annotations

import os

from .diagnostics import Diagnostic, merge
from .graphs import reach
from .errors import JourneycError
from .load import LoadedFile, Session
from .model import Compilation
from .project import SourceLines, journey_files, target_path
from .records import Record
from .resolve import resolve


class Result(Record):
    """One compilation: its files in compile order, the compilation if it
    has no compile error, and its compile errors."""

    root: str
    files: list[LoadedFile]
    compilation: Compilation | None
    errors: list[Diagnostic]


def compile_root(session: Session, root: str) -> Result:
    files, import_errors = session.collect(root)
    load_errors = [d for lf in files for d in lf.load_errors] + import_errors
    copies = {}
    if not load_errors and any(lf.module.copies for lf in files):
        proj = session.project_root(files[0].real_path)
        for lf in files:
            for ref in lf.module.copies:
                found = session.copy(lf, ref, proj)
                if isinstance(found, Diagnostic):
                    load_errors.append(found)
                else:
                    copies[ref.span] = found
    if load_errors:
        # A syntax, encoding or import error (of a journey or copy file): those only (LANGUAGE.md).
        return Result(root, files, None, load_errors)
    build_errors = [d for lf in files for d in lf.build_errors]
    comp, resolve_errors = resolve([lf.module for lf in files], root, copies)
    if build_errors or resolve_errors:
        return Result(root, files, None, build_errors + resolve_errors)
    return Result(root, files, comp, [])


def discover_roots(session: Session, paths: list[str]) -> list[str]:
    """The roots of a run (CLI.md): every file named is a root; of the files
    found in a named folder, those no other file of the run imports, and in a
    cycle of files that import only each other, the first in path order.
    Files a folder scan leaves out are named in `session.warnings`."""
    named, found = list_paths(paths, session)
    return choose_roots(named, found, lambda f: import_targets(session, f))


def list_paths(paths: list[str], session: Session | None = None) -> tuple[list[str], list[str]]:
    """The files named on the command line, and the files found in the
    folders named (sorted by path). With a `session`, its option
    `allow_imports_outside_root` applies to the folder scans and the links
    they leave out are added to its warnings."""
    named: list[str] = []
    found: list[str] = []
    skipped: list[str] = []
    allow = session.allow_imports_outside_root if session is not None else False
    for p in paths:
        if os.path.isdir(p):
            found.extend(journey_files(p, allow, skipped))
        elif os.path.exists(p):
            named.append(p)
        else:
            raise JourneycError(f"{p}: no such file or folder")
    if session is not None:
        for w in dict.fromkeys(skipped):
            if w not in session.warnings:
                session.warnings.append(w)
    named = list(dict.fromkeys(named))
    return named, sorted(dict.fromkeys(f for f in found if f not in named))


def choose_roots(named: list[str], found: list[str], targets_of, real_of: dict | None = None) -> list[str]:
    """Roots among the named and found files; `targets_of(path)` gives the
    real paths a file imports; `real_of` may hold the files' real paths."""
    roots = list(named)
    if not found:
        return roots
    known = real_of or {}
    real_of = {f: known.get(f) or os.path.realpath(f) for f in roots + found}
    graph: dict[str, list[str]] = {}
    for f in roots + found:
        graph[real_of[f]] = targets_of(f)
    imported = {t for targets in graph.values() for t in targets}
    reached = reach((real_of[r] for r in roots), graph)
    for f in found:
        if real_of[f] not in imported and real_of[f] not in reached:
            roots.append(f)
            reach([real_of[f]], graph, reached)
    for f in found:  # what is left lies in cycles of files importing each other
        if real_of[f] not in reached:
            roots.append(f)
            reach([real_of[f]], graph, reached)
    return roots


def import_targets(session: Session, path: str) -> list[str]:
    """The real paths the file at `path` imports (for choosing roots), as
    journeyc.project resolves them, whether or not they can be read."""
    try:
        lf = session.load_root(path)
    except JourneycError:
        return []
    targets = (target_path(lf.real_path, imp.text) for imp in lf.imports)
    return [t for t in targets if t is not None]


class Run:
    """A whole `check` run: every compilation and the merged diagnostics.

    `files` is how many files were read, `paths` their display paths,
    `linted` those of the files of compilations without compile errors,
    `texts` the text of files (at least of those with diagnostics) for
    showing source lines, `inputs` what the result depends on
    (`Session.depends_on`, for journeyc.resultcache)."""

    def __init__(self, results: list[Result], diagnostics: list[Diagnostic], files: int,
                 paths: list[str] | None = None, linted: frozenset = frozenset(), texts: dict | None = None,
                 inputs: dict | None = None):
        self.results = results
        self.diagnostics = diagnostics
        self.files = files
        self.paths = paths if paths is not None else []
        self.linted = linted
        self.texts = texts if texts is not None else {}
        self.warnings: list[str] = []  # files a folder scan left out, and why
        self.inputs = inputs if inputs is not None else {}
        self.source_line = SourceLines(self.texts)


def run_check(paths: list[str], session: Session | None = None, config=None, release_syntax: bool = False,
              listed: tuple[list[str], list[str]] | None = None) -> Run:
    """Compile every root of `paths` and lint the compilations that have no
    compile error, in this process (journeyc.parallel.run_check chooses
    between this and several processes). Diagnostics are deduplicated and
    sorted. `listed`: what `list_paths` gave for `paths`, if known."""
    session = session or Session()
    named, found = listed or list_paths(paths, session)
    return check_roots(session, choose_roots(named, found, lambda f: import_targets(session, f)), config,
                       release_syntax)


def check_roots(session: Session, roots: list[str], config=None, release_syntax: bool = False) -> Run:
    """Compile and lint the given roots (no discovery). With
    `release_syntax` (a run whose session and compilations serve nothing
    after it: `journeyc check`, a worker), the files read from here on are
    built as they are parsed (`Session.keep_syntax`), the syntax trees of
    the others are dropped once every compilation is built, and the models
    once linted: the Run then has no `results`, only what the diagnostics
    need (as one from worker processes), and the session forgets its files,
    so that what comes next (the result cache, the output) reuses their
    memory."""
    if release_syntax:
        session.keep_syntax = False
    results = [compile_root(session, r) for r in roots]
    if release_syntax:
        results = _release_syntax(session, results)
    diagnostics = [d for r in results for d in r.errors]
    good = [r.compilation for r in results if r.compilation is not None]
    if good:
        from .lint import lint  # the rules are loaded only when something compiled

        diagnostics.extend(lint(good, config))
    files = list(session.files.values())
    texts = {lf.path: lf.source.text for lf in files if lf.source is not None}
    for copy in session.copies.values():
        if not isinstance(copy, Diagnostic):
            texts.setdefault(copy.path, copy.source)
    run = Run(results, merge(diagnostics), len(files),
              paths=sorted(lf.path for lf in files),
              linted=frozenset(p for c in good for p in c.sources),
              texts=texts,
              inputs=session.depends_on())
    run.warnings = session.warnings
    if release_syntax:
        run.results = []
        session.files.clear()
    return run


def _release_syntax(session: Session, results: list[Result]) -> list[Result]:
    """The results with models whose files keep their text and comments but
    no syntax tree: once the models are built, nothing reads the tree again,
    and it is a third of the memory a large check holds while it lints and
    prints. A file with syntax errors (no model) keeps its tree."""
    lean: dict[int, object] = {}
    for lf in session.files.values():
        if lf.module is not None and lf.source is not None and lf.source.blocks:
            source = lf.source._replace(blocks=())
            lean[id(lf.module)] = module = lf.module._replace(file=source)
            lf.module, lf.source = module, source
    if not lean:
        return results
    return [r if r.compilation is None else
            r._replace(compilation=r.compilation._replace(
                modules=tuple(lean.get(id(m), m) for m in r.compilation.modules)))
            for r in results]


def read_paths_exist(paths: list[str]) -> None:
    for p in paths:
        if not os.path.exists(p):
            raise JourneycError(f"{p}: no such file or folder")

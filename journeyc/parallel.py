"""Checking many files on every core.

A run over a folder of many files is split across worker processes (forked,
so they start with the parser already loaded) in two rounds:

1. **scan**: each worker reads a slice of the files and reports, for each,
   the files it imports directly and transitively. The parent chooses the
   roots exactly as a serial run does (`compiler.choose_roots`).
2. **check**: the roots are grouped into *components*: roots that share a
   file go together, so every fact that LANGUAGE.md judges "in any
   compilation of the run" (M004, M007, O002, S001, one report per import
   cycle) is judged by one worker over every compilation that can see it.
   Each component goes to the worker that already read its files where that
   keeps the load even; the worker compiles its roots in run order and lints
   them.

The parent merges and sorts the diagnostics, so the output is byte for byte
what a serial run prints.
"""
from __future__ import annotations

import os

from .compiler import Run, choose_roots, list_paths
from .diagnostics import merge
from .load import JourneycError, Session, import_target, is_absolute

MIN_FILES = 48  # below this, starting processes costs more than it saves


def workers_for(paths: list[str], jobs: int | None, listed: tuple | None = None) -> int:
    """How many processes a run over `paths` should use (`listed`: what
    `list_paths` gave for them, if known)."""
    if jobs == 1 or not hasattr(os, "fork"):
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    wanted = jobs or cpus
    if wanted < 2 or not any(os.path.isdir(p) for p in paths):
        return 1
    try:
        _, found = listed or list_paths(paths)
    except JourneycError:
        return 1  # the serial run reports it
    return min(wanted, max(1, len(found) // (MIN_FILES // 2))) if len(found) >= MIN_FILES else 1


class _Failure:
    """An exception in a worker, carried to the parent as text."""

    def __init__(self, kind: str, message: str, trace: str, code: str | None = None):
        self.kind, self.message, self.trace, self.code = kind, message, trace, code


class RemoteError(Exception):
    """The error a worker met, with its traceback as text (for --debug)."""

    def __init__(self, message: str, trace: str):
        super().__init__(message)
        self.trace = trace


def _worker(conn, allow_outside_root: bool, config, names: dict) -> None:
    import gc

    # A worker lives for one run and builds acyclic data (records of tuples):
    # reference counting frees what it drops, and the cycle collector would
    # only walk the growing model again and again (about 9% of a scan).
    gc.disable()
    session = Session(allow_imports_outside_root=allow_outside_root)
    session.names = names  # a file of the run keeps the path it has in a serial run
    while True:
        request = conn.recv()
        if request is None:
            return
        verb, payload = request
        try:
            conn.send(_scan(session, payload) if verb == "scan" else _check(session, payload, config))
        except JourneycError as e:
            import traceback

            conn.send(_Failure("journeyc", str(e), traceback.format_exc()))
        except BaseException as e:  # noqa: BLE001 - carried to the parent, which reports it
            import traceback

            from .lint import RuleCrash

            if isinstance(e, RuleCrash):
                conn.send(_Failure("rule", str(e), "".join(traceback.format_exception(e.error)), e.rule.code))
            else:
                conn.send(_Failure("internal", f"{type(e).__name__}: {e}", traceback.format_exc()))


def _scan(session: Session, paths: list[str]) -> dict:
    """Read a slice of the run's files and every file their imports reach
    (each once, refusing what a compilation would refuse), and report, for
    each file read, the real paths it imports: for choosing roots and for
    grouping them."""
    from .load import inside, display_join, not_readable

    edges: dict[str, list[str]] = {}
    todo = []
    for path in paths:
        try:
            todo.append((session.load_root(path), None))
        except JourneycError:
            pass  # the check round reports it
    while todo:
        lf, proj = todo.pop()
        if lf.real_path in edges:
            continue
        proj = proj or session.project_root(lf.real_path)
        targets = []
        for imp in lf.imports:
            target = None if is_absolute(imp.text) else import_target(lf, imp.text)
            if target is None:
                continue
            targets.append(target)
            if target in edges or (not session.allow_imports_outside_root and not inside(target, proj)) \
                    or not_readable(target):
                continue
            try:
                todo.append((session.load(target, display_join(lf.path, imp.text)), proj))
            except OSError:
                continue
        edges[lf.real_path] = targets
    return edges


def _check(session: Session, roots: list[str], config):
    from .compiler import check_roots

    run = check_roots(session, roots, config, release_syntax=True)  # the worker's last use of its session
    shown = {d.span.file for d in run.diagnostics}
    return (run.diagnostics, run.paths, run.linted, {p: t for p, t in run.texts.items() if p in shown},
            session.depends_on())


def _remote_rule_crash():
    from .lint import RuleCrash

    class _RemoteRuleCrash(RuleCrash):
        """A rule's crash in a worker: the worker's own one-line report."""

        def __str__(self) -> str:
            return str(self.error)

    return _RemoteRuleCrash


class _Pool:
    def __init__(self, n: int, allow_outside_root: bool, config, names: dict):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.conns, self.procs = [], []
        for _ in range(n):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, allow_outside_root, config, names), daemon=True)
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)

    def ask(self, verb: str, payloads: list) -> list:
        for conn, payload in zip(self.conns, payloads):
            conn.send((verb, payload))
        answers = []
        for conn in self.conns:
            try:
                answers.append(conn.recv())
            except EOFError:
                answers.append(_Failure("internal", "a worker process died", ""))
        for answer in answers:
            if isinstance(answer, _Failure):
                self.raise_failure(answer)
        return answers

    @staticmethod
    def raise_failure(f: _Failure):
        if f.kind == "journeyc":
            raise JourneycError(f.message)
        if f.kind == "rule":
            from .lint.rules import RULES

            rule = next(r for r in RULES if r.code == f.code)
            raise _remote_rule_crash()(rule, RemoteError(f.message, f.trace))
        raise RemoteError(f.message, f.trace)

    def close(self):
        for conn in self.conns:
            try:
                conn.send(None)
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()


def run_check(paths: list[str], workers: int, allow_outside_root: bool, config, listed: tuple | None = None) -> Run:
    named, found = listed or list_paths(paths, Session(allow_imports_outside_root=allow_outside_root))
    files = named + found
    real_of = {f: os.path.realpath(f) for f in files}
    names: dict[str, str] = {}
    for f in files:
        names.setdefault(real_of[f], f)
    pool = _Pool(workers, allow_outside_root, config, names)
    try:
        # 1. scan: contiguous slices, so neighbouring files (which tend to share imports) stay together
        size = -(-len(files) // workers)
        slices = [files[i * size:(i + 1) * size] for i in range(workers)]
        edges: dict[str, list[str]] = {}
        owner_of: dict[str, int] = {}
        for w, answer in enumerate(pool.ask("scan", slices)):
            for real, targets in answer.items():
                edges.setdefault(real, targets)
                owner_of.setdefault(real, w)
        roots = choose_roots(named, found, lambda f: edges.get(real_of[f], []), real_of)
        # 2. group roots that share files; give each group to a worker
        groups = _components(roots, edges, real_of)
        load = [0] * workers
        work: list[list[str]] = [[] for _ in range(workers)]
        fair = -(-sum(len(reach) for _, reach in groups) // workers)
        for members, reach in sorted(groups, key=lambda g: -len(g[1])):
            home = owner_of.get(real_of[members[0]], 0)
            w = home if load[home] + len(reach) <= fair * 1.1 else min(range(workers), key=load.__getitem__)
            load[w] += max(1, len(reach))
            work[w].extend(members)
        order = {r: i for i, r in enumerate(roots)}
        for w in work:
            w.sort(key=order.__getitem__)
        answers = pool.ask("check", work)
    finally:
        pool.close()
    diagnostics, all_paths, linted, texts, inputs = [], set(), set(), {}, {}
    for diags, ps, lint_paths, txt, facts in answers:
        diagnostics.extend(diags)
        all_paths.update(ps)
        linted.update(lint_paths)
        texts.update(txt)
        inputs.update(facts)
    return Run([], merge(diagnostics), len(all_paths), sorted(all_paths), frozenset(linted), texts, inputs)


def _components(roots: list[str], edges: dict[str, list[str]],
                real_of: dict[str, str]) -> list[tuple[list[str], set]]:
    """Roots whose files are connected through imports, with the files
    they reach (`real_of`: the roots' real paths)."""
    from .graphs import reach

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for real, targets in edges.items():
        for t in targets:
            parent[find(t)] = find(real)
    groups: dict[str, tuple[list[str], set]] = {}
    for root in roots:
        real = real_of[root]
        members, files = groups.setdefault(find(real), ([], set()))
        members.append(root)
        if real not in files:
            reach([real], edges, files)
    return list(groups.values())

"""The result cache: `journeyc check` of unchanged input costs almost nothing.

Like ruff's and ESLint's, it is on by default. Where it lives:

1. `--cache-dir DIR`;
2. else `$JOURNEYC_CACHE_DIR`, the folder for every cache journeyc keeps
   (results here, and parser tables derived from a changed grammar: see
   journeyc.parsing.larkparser);
3. else `.journeyc_cache/` in the project root of the first path: the
   nearest folder, from the first path's folder upward, holding a
   journeyc.toml, pyproject.toml or .git (the project root of imports, E010);
   else the first path's folder.

The folder gets a `.gitignore` holding `*`. `--no-cache`,
`JOURNEYC_NO_RESULT_CACHE=1` (the test suite sets it) or `JOURNEYC_NO_CACHE=1`
(no cache at all: parser tables neither) turn it off.

An entry is keyed by what the command line says (the paths as given, the
working folder, --select, --ignore, --config, --allow-imports-outside-root),
the journeyc version and the size and time of every file of the installed
package (so an edited checkout never replays an old result), and holds
everything the result depends on, checked again on every hit:

* the digest of every file the run read (roots, imports, copy files: every
  read of `load.Session.read`), and of the configuration files (the
  `journeyc.toml` / `pyproject.toml` candidates from the first path upward,
  or `--config`'s file);
* the real path of every root and import string (a changed symbolic link
  misses), the import targets that could not be read (a new file misses),
  the project root of every folder;
* the `*.journey` files of every folder named (a new file misses), and the
  links its scan leaves out (a run that left some out is not stored: its
  warnings would not be replayed).

A hit replays the diagnostics as the run found them; every output format
renders them, so the bytes are the same. An entry that cannot be read,
is damaged (each holds the digest of its content) or is of another format
is a miss, never an error; a cache that cannot be written is no cache.
Entries are written atomically (journeyc.fsutil.write_atomic), so parallel
runs never see half an entry, but not fsynced: a first check would wait
for the disk (10 to 20 ms, more than the rest of a small check), and an
entry a crash damaged fails its digest.

A hit imports only this module, journeyc.project and what the chosen output
format needs: no parser, no model builder, no lint rules.
"""
from __future__ import annotations

import marshal
import os
import sys

FORMAT = 2
FOLDER_NAME = ".journeyc_cache"
GITIGNORE = "# Created by journeyc: a cache of results, safe to delete.\n*\n"
_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def enabled(no_cache: bool) -> bool:
    return not (no_cache or os.environ.get("JOURNEYC_NO_CACHE") or os.environ.get("JOURNEYC_NO_RESULT_CACHE"))


def folder_for(paths: list[str], cache_dir: str | None = None) -> str:
    """The cache folder of a run over `paths` (see the module's documentation)."""
    if cache_dir:
        return cache_dir
    explicit = os.environ.get("JOURNEYC_CACHE_DIR")
    if explicit:
        return explicit
    from .project import project_root_of_folder

    first = os.path.realpath(paths[0]) if paths else os.getcwd()
    start = first if os.path.isdir(first) else os.path.dirname(first)
    return os.path.join(project_root_of_folder(start), FOLDER_NAME)


def _code_fingerprint(folder: str = _PACKAGE, prefix: str = "", found: list | None = None) -> list:
    """The size and time of every file of the installed package (its path
    from the package's folder, with `/`)."""
    found = [] if found is None else found
    with os.scandir(folder) as it:
        entries = sorted(it, key=_name)
    for entry in entries:
        name = entry.name
        if entry.is_dir(follow_symlinks=False):
            if name != "__pycache__":
                _code_fingerprint(entry.path, prefix + name + "/", found)
        elif name.endswith((".py", ".lark", ".marshal", ".json", ".css")):
            try:
                st = entry.stat()
            except OSError:
                continue
            found.append((prefix + name, st.st_size, st.st_mtime_ns))
    return found


def _name(entry) -> str:
    return entry.name


def key_of(paths: list[str], options: tuple) -> tuple[str, bytes]:
    """The entry's file name and the material it is keyed by."""
    from .version import __version__
    from .project import digest

    material = marshal.dumps((FORMAT, __version__, sys.implementation.cache_tag, _code_fingerprint(),
                              os.getcwd(), tuple(paths), tuple(options)))
    return "check-" + digest(material).hex()[:32], material


def config_inputs(paths: list[str], config_path: str | None, facts: dict) -> None:
    """Record the configuration files a run's configuration comes from: the
    file `--config` names, or every candidate journeyc.config.find_config
    looks at from the first path upward (absent ones included), read before
    the configuration is, so a change made meanwhile misses next time."""
    from .project import digest

    if config_path is not None:
        candidates = [os.path.abspath(config_path)]
    elif not paths:
        return
    else:
        from .text import folders_upward

        candidates = [os.path.join(folder, name) for folder in folders_upward(paths[0])
                      for name in ("journeyc.toml", "pyproject.toml")]
    for path in candidates:
        try:
            with open(path, "rb") as f:
                facts[("file", path)] = digest(f.read())
        except OSError:
            facts[("absent", path)] = _state(path)


def folder_inputs(paths: list[str], facts: dict) -> None:
    """Record the journey files of every folder named (before the run lists
    them), and the links the scan leaves out (their warnings are not replayed:
    see commands.check)."""
    for p in paths:
        if os.path.isdir(p):
            facts[("folder", p)] = _listing(p)


def _listing(folder: str) -> tuple:
    """The journey files of a folder and the links its scan leaves out."""
    from .project import journey_files

    skipped: list[str] = []
    return tuple(journey_files(folder, False, skipped)), tuple(skipped)


def _state(path: str):
    """What stands at a path that could not be read: a comparable fact."""
    try:
        st = os.stat(path)
    except OSError as e:
        return ("error", e.errno)
    return ("stat", st.st_mode, st.st_size, st.st_mtime_ns)


class Hit:
    """A replayed run: what commands.check renders."""

    def __init__(self, diagnostics, files: int, paths: list[str], linted: frozenset, texts: dict,
                 fail_on: str | None):
        from .project import SourceLines

        self.fail_on = fail_on  # the configuration's

        self.diagnostics = diagnostics
        self.files = files
        self.paths = paths
        self.linted = linted
        self.source_line = SourceLines(texts)


def lookup(folder: str, name: str, material: bytes) -> Hit | None:
    """The entry's run if every input it records is unchanged, else None."""
    try:
        from .project import digest

        with open(os.path.join(folder, name), "rb") as f:
            fmt, check, content = marshal.loads(f.read())
        if fmt != FORMAT or digest(content) != check:
            return None
        stored_material, facts, diagnostics, files, paths, linted, shown, fail_on = marshal.loads(content)
        if stored_material != material:
            return None
        read = _unchanged(facts)
        if read is None:
            return None
        texts = {}
        for display, real in shown:
            text = read[real].decode("utf-8")
            texts[display] = text[1:] if text.startswith("\ufeff") else text
        return Hit(_diagnostics(diagnostics), files, list(paths), frozenset(linted), texts, fail_on)
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign entry is a miss, never an error
        return None


def _unchanged(facts) -> dict | None:
    """The bytes of every file read, if every fact still holds; else None."""
    from .project import digest, not_readable, project_root_of_folder, target_path

    files = []
    for fact, value in facts:
        kind = fact[0]
        if kind == "file":
            files.append((fact[1], value))
        elif kind == "real":
            if os.path.realpath(fact[1]) != value:
                return None
        elif kind == "import":
            if target_path(fact[1], fact[2]) != value:
                return None
        elif kind == "absent":
            if value == "cannot be read":  # it exists and could not be read: try again
                return None
            if (_state(fact[1]) if isinstance(value, tuple) else not_readable(fact[1])) != value:
                return None
        elif kind == "project":
            if project_root_of_folder(fact[1]) != value:
                return None
        elif kind == "folder":
            if _listing(fact[1]) != value:
                return None
        else:
            return None
    read = {}
    for real, value in files:
        with open(real, "rb") as f:
            data = f.read()
        if digest(data) != value:
            return None
        read[real] = data
    return read


def _span(s):
    return (s.file, s.line, s.column, s.end_line, s.end_column)


def _diagnostics(rows):
    from .diagnostics import Diagnostic, Related
    from .model import Span

    return [Diagnostic(code, name, severity, message, Span(*span),
                       tuple(Related(Span(*rs), rm) for rs, rm in related), suggestion, entity)
            for code, name, severity, message, span, related, suggestion, entity in rows]


def store(folder: str, name: str, material: bytes, facts: dict, run, fail_on: str | None) -> None:
    """Write the entry of `run` (a compiler.Run; `fail_on` is the
    configuration's); a failure is no error."""
    from .errors import JourneycError
    from .fsutil import write_atomic
    from .project import digest

    rows = [(d.code, d.name, d.severity, d.message, _span(d.span),
             tuple((_span(r.span), r.message) for r in d.related), d.suggestion, d.entity)
            for d in run.diagnostics]
    # the files whose lines a diagnostic shows: their text is read again on a hit
    shown_files = sorted({d.span.file for d in run.diagnostics} & set(run.texts))
    shown = tuple((display, os.path.realpath(display)) for display in shown_files)
    if any(("file", real) not in facts for _, real in shown):
        return  # a text shown that is not a file read (a name that is not UTF-8): do not cache
    entry = (material, tuple(sorted(facts.items(), key=_order)), rows, run.files, tuple(run.paths),
             tuple(sorted(run.linted)), shown, fail_on)
    try:
        content = marshal.dumps(entry)
        data = marshal.dumps((FORMAT, digest(content), content))
        os.makedirs(folder, exist_ok=True)
        _write_gitignore(folder)
        write_atomic(os.path.join(folder, name), data, durable=False)
    except (OSError, ValueError, JourneycError):
        pass  # a cache that cannot be written is no cache


def _write_gitignore(folder: str) -> None:
    """The folder's .gitignore, unless it has one. Created exclusively and
    written at once (one write of a few bytes): no temporary file needed."""
    try:
        fd = os.open(os.path.join(folder, ".gitignore"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return
    try:
        os.write(fd, GITIGNORE.encode("utf-8"))
    finally:
        os.close(fd)


def _order(item):
    fact, _ = item
    # the cheap facts first, the files (read and digested) last
    return ({"real": 0, "import": 1, "absent": 2, "project": 3, "folder": 4, "file": 5}.get(fact[0], 9),
            repr(fact))

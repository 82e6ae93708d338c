"""Reading files and following imports: the compile order of a compilation,
with E004 (not found), E005 (cycle), E008 (encoding) and E010 (outside the
project root).

A `Session` reads, parses and builds each file once, however many roots of
a run reach it (a diamond is read once)."""
from __future__ import annotations

import os

from .build import ModuleBuilder, build_module
from . import codes
from .codes import E004, E005, E008
from .diagnostics import Diagnostic
from .model import Item, Module, SourceFile, Span, Str
from .parsing import parse

from .errors import JourneycError  # noqa: F401  (imported from here by many modules)
from .project import (Refusal, digest, displayable, not_readable, project_root_of_folder, resolve_file,
                      unreadable)


def decode(data: bytes, path: str, what: str = "a journey file") -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text without a byte order mark, or E008."""
    start = Span(path, 1, 1, 1, 1)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, E008.at(start, f"the file contains a NUL byte (line {line}): {what} is UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, E008.at(start, f"the file is not valid UTF-8: byte 0x{data[e.start]:02x} on line {line} "
                                    "cannot be decoded; save the file as UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


class LoadedFile:
    """One file of the run: its syntax, its model and what went wrong."""

    __slots__ = ("path", "real_path", "source", "load_errors", "module", "build_errors")

    def __init__(self, path: str, real_path: str, source: SourceFile | None, load_errors: list[Diagnostic],
                 module: Module | None = None, build_errors: list[Diagnostic] | None = None):
        self.path = path
        self.real_path = real_path
        self.source = source
        self.load_errors = load_errors  # E008, E001
        self.module = module
        self.build_errors = build_errors if build_errors is not None else []

    def __repr__(self) -> str:
        return f"<LoadedFile {self.path}>"

    @property
    def imports(self) -> list[Str]:
        if self.source is None:
            return []
        return [b.args[0] for b in self.source.blocks if isinstance(b, Item) and b.key == "import"]


def load_text(text_or_bytes: str | bytes, path: str, real_path: str | None = None,
              keep_syntax: bool = True) -> LoadedFile:
    """Decode, parse and build one file's text. Without `keep_syntax`, the
    model is built declaration by declaration as the parser reduces them
    and the file's syntax keeps only its imports (its syntax tree is never
    held whole: the model is what a check needs)."""
    real_path = real_path or path
    if isinstance(text_or_bytes, bytes):
        text, err = decode(text_or_bytes, path)
    else:
        # text handed over by a program (compile_source, an editor) is held
        # to the rules a file is: text that cannot be UTF-8 is E008
        text, err = decode(text_or_bytes.encode("utf-8", "surrogatepass"), path)
    if err is not None:
        return LoadedFile(path, real_path, None, [err])
    streamed = None if keep_syntax else ModuleBuilder()
    source, errors = parse(text, path, real_path, streamed and streamed.take)  # Lark only for text with errors
    syntax = [d for d in errors if d.code == "E001"]
    lf = LoadedFile(path, real_path, source, syntax)
    if not syntax:
        if streamed is None or streamed.void:
            lf.module, lf.build_errors = build_module(source)
        else:
            lf.module, lf.build_errors = streamed.finish(source), streamed.diagnostics
        lf.build_errors[:0] = errors  # numbers too large to hold (E006)
    return lf


def read_bytes(path: str) -> bytes:
    """The one place journey files are read from disk."""
    with open(path, "rb") as f:
        return f.read()


class Disk:
    """Where a Session reads the files it has no override for: the file
    system. (`journeyc diff --against` reads a git revision instead.)"""

    @staticmethod
    def not_readable(real: str) -> str | None:
        return not_readable(real)

    @staticmethod
    def read(real: str) -> bytes:
        return read_bytes(real)


class Session:
    """One run: a cache of files read and the cycles already reported.

    `inputs` records what the run's result depends on, for the result cache
    (journeyc.resultcache): ("file", real path) -> digest of the bytes read,
    ("absent", real path) -> why an import target could not be read,
    ("real", path) -> the real path of a root, ("import", importer's real
    path, import string) -> the real path it named. Every file a run reads
    goes through `Session.read`, so it is recorded."""

    def __init__(self, allow_imports_outside_root: bool = False, disk=Disk):
        self.allow_imports_outside_root = allow_imports_outside_root
        self.disk = disk  # not_readable(real) and read(real) of the files without an override
        self.files: dict[str, LoadedFile] = {}
        self.reported_cycles: set[tuple[str, ...]] = set()
        self.overrides: dict[str, str | bytes] = {}  # real path -> text (compile_source, editors)
        self.names: dict[str, str] = {}  # real path -> display path to use, whoever reads it first
        self.project_roots: dict[str, str] = {}  # real folder -> its project root
        self.warnings: list[str] = []  # what the run left out and why (links in a folder scan), for stderr
        self.copies: dict[str, object] = {}  # real path -> CopyText or the E004/E008 met reading it
        self.inputs: dict[tuple, object] = {}
        # False: files are built as they are parsed and keep no syntax tree
        # but their imports (compiler.check_roots with release_syntax)
        self.keep_syntax = True

    def read(self, real: str) -> bytes:
        """A file's bytes (from `disk`), recorded as an input of the run."""
        data = self.disk.read(real)
        self.inputs[("file", real)] = digest(data)
        return data

    def depends_on(self) -> dict[tuple, object]:
        """Every input of the run so far (see the class's documentation),
        with the project root of each folder: ("project", folder) -> root."""
        facts = dict(self.inputs)
        facts.update((("project", folder), root) for folder, root in self.project_roots.items())
        return facts

    def resolve(self, lf: LoadedFile, name: str, proj: str, kind: str = "import"):
        """`resolve_file` of the path `name` written in `lf` (journeyc.project
        holds the rules), with this run's option, disk and files, recorded as
        an input of the run: a Target or a Refusal."""
        found = resolve_file(lf.real_path, lf.path, name, None if self.allow_imports_outside_root else proj,
                             kind, self.disk.not_readable, self._known)
        self.inputs[("import", lf.real_path, name)] = found.real
        if isinstance(found, Refusal) and found.absent:
            self.inputs[("absent", found.real)] = found.absent
        return found

    def _known(self, real: str) -> bool:
        """Whether the file at `real` was read already or is given as text."""
        return real in self.files or real in self.overrides or real in self.copies

    def project_root(self, real_path: str) -> str:
        """`project_root` of a file's real path, once per folder in a run."""
        folder = os.path.dirname(real_path)
        root = self.project_roots.get(folder)
        if root is None:
            root = self.project_roots[folder] = project_root_of_folder(folder)
        return root

    def load(self, real: str, display: str) -> LoadedFile:
        lf = self.files.get(real)
        if lf is None:
            data = self.overrides[real] if real in self.overrides else self.read(real)
            lf = self.files[real] = load_text(data, displayable(self.names.get(real, display)), real,
                                              self.keep_syntax)
        return lf

    def load_root(self, path: str) -> LoadedFile:
        real = os.path.realpath(path)
        self.inputs[("real", path)] = real
        if real in self.overrides or real in self.files:
            return self.load(real, path)
        try:
            why = self.disk.not_readable(real)
            if why:
                raise JourneycError(f"{path}: {why}")
            return self.load(real, path)
        except OSError as e:
            raise JourneycError(f"{path}: cannot read: {e.strerror or e}") from None

    def collect(self, root: str) -> tuple[list[LoadedFile], list[Diagnostic]]:
        """The files of the compilation rooted at `root`, in compile order
        (root, then imports depth-first in the order written, each once), and
        the import errors met on the way. Iterative, so a chain of 10,000
        imports needs no deep recursion."""
        first = self.load_root(root)
        proj = self.project_root(first.real_path)
        order: list[LoadedFile] = []
        errors: list[Diagnostic] = []
        visited: set[str] = set()
        on_stack: list[str] = []
        stack: list[tuple[LoadedFile, iter]] = []

        def enter(lf: LoadedFile):
            visited.add(lf.real_path)
            order.append(lf)
            on_stack.append(lf.real_path)
            stack.append((lf, iter(lf.imports)))

        enter(first)
        while stack:
            lf, pending = stack[-1]
            imp = next(pending, None)
            if imp is None:
                stack.pop()
                on_stack.pop()
                continue
            target = self._follow(lf, imp, proj, on_stack, visited, errors)
            if target is not None:
                enter(target)
        return order, errors

    def _follow(self, lf: LoadedFile, imp: Str, proj: str, on_stack: list[str], visited: set[str],
                errors: list[Diagnostic]) -> LoadedFile | None:
        """The file an import brings in, if it is new and can be read."""
        found = self.resolve(lf, imp.text, proj)
        if isinstance(found, Refusal):
            errors.append(getattr(codes, found.code).at(imp.span, found.message))
            return None
        real = found.real
        if real in on_stack:
            cycle = on_stack[on_stack.index(real):] + [real]
            key = _cycle_key(cycle[:-1])
            if key not in self.reported_cycles:
                self.reported_cycles.add(key)
                names = [self.files[p].path for p in cycle]
                if len(names) > 12:  # a long cycle: its ends, and how many files between
                    names[5:-5] = [f"({len(names) - 10} more)"]
                names = " -> ".join(names)
                errors.append(E005.at(imp.span, f"import cycle: {names}; break the loop by moving the "
                                                "shared declarations into a file both import"))
            return None
        if real in visited:
            return None
        try:
            return self.load(real, found.display)
        except OSError as e:
            refusal = unreadable("import", imp.text, found.display, real, e)
            self.inputs[("absent", real)] = refusal.absent
            errors.append(E004.at(imp.span, refusal.message))
            return None

    def read_paths(self) -> list[str]:
        """The real paths of every file the run read: journey files, then copy files."""
        return list(self.files) + list(self.copies)

    def copy(self, lf: LoadedFile, ref: Str, proj: str):
        """The text of the copy file `ref` (`message from "path"` in `lf`):
        a CopyText, or a Diagnostic (E004, E008, E010) at `ref` or in the
        copy file. The rules are the imports' (`resolve`); each file is read
        once per run."""
        found = self.resolve(lf, ref.text, proj, "copy file")
        if isinstance(found, Refusal):
            return getattr(codes, found.code).at(ref.span, found.message)
        real = found.real
        cached = self.copies.get(real)
        if cached is not None:
            return cached
        from .copyfiles import copy_text

        display = displayable(found.display)
        data = self.overrides.get(real)
        if data is None:
            try:
                data = self.read(real)
            except OSError as e:
                refusal = unreadable("copy file", ref.text, found.display, real, e)
                self.inputs[("absent", real)] = refusal.absent
                return E004.at(ref.span, refusal.message)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        text, err = decode(data, display, "a copy file")
        found = self.copies[real] = err if err is not None else copy_text(display, real, text)
        return found


def _cycle_key(cycle: list[str]) -> tuple[str, ...]:
    i = cycle.index(min(cycle))
    return tuple(cycle[i:] + cycle[:i])

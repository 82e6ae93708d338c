"""`journeyc lsp`: a language server over standard input and output (pygls,
lsprotocol types). Only this command imports pygls; `check` never does.

What it does, for each open `.journey` document:

* **Diagnostics as you type**: a while after the last edit (`debounce`,
  50 ms unless the client's initializationOptions say otherwise) the
  document is checked as `journeyc check FILE` checks it, from the unsaved
  text: imports and copy files are read from open documents first, then
  from disk; the nearest `journeyc.toml` (or `[tool.journeyc]`) applies,
  suppression comments included. Codes, messages and severities are
  `check`'s. Open documents that import or read the edited one are checked
  again too; what a document's check finds in a file it imports shows in
  that file while it is not open, and what it finds in a copy file shows in
  the copy file, open or not. An open document that is not a journey file
  is a copy file: never checked on its own.
* **Navigation**: definition and references of owners, personas, KPIs,
  channels, facts (claims named after them), journeys, stages (`->`,
  `for`), touchpoints (`recovers`, `for`) and opportunities; an import
  string opens its file, a `message from` string its copy file. Document
  symbols (journeys > stages > touchpoints and opportunities, and the
  declarations of the file); workspace symbols (every `*.journey` file
  below the workspace folders).
* **Hover**: an owner's title and contact; a KPI's unit, target, sources
  and where it is measured; a stage's phase, "(inferred)" where inferred;
  a touchpoint's channel, area, owner and score; a persona's kind; a fact's
  value, phrases and the messages that state it, agreeing or not; a copy
  file's path and first lines.
* **Completion**: the keywords the grammar accepts at the cursor (from the
  parser's tables), the declared names of the right kind after `owner`,
  `measure`, `audience`, `channel`, `->`, `recovers`, `for` and `claim`,
  the enumerated words after `phase`, `area`, `unit` and the rest.
* **Formatting**: `journeyc fmt`'s layout, of the document or of the
  changed lines a range touches; no edits for text that does not parse.
* **Code actions**: apply a "did you mean" suggestion; add
  `# journeyc: ignore[CODE]` on the line; declare an undefined owner, KPI
  or persona at the end of the file.

Positions: journeyc counts columns in code points, LSP in UTF-16 code units
(the default position encoding): converted on the way in and out."""
from __future__ import annotations

import asyncio
import os
import re
from typing import NamedTuple

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .version import __version__
from .language import BUILTIN_CHANNELS, ENUMS
from .model import Span

SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
DEBOUNCE = 0.05
SUGGESTION = re.compile(r"did you mean '([^']+)'\?")
UNDEFINED = re.compile(r"undefined (owner|KPI|persona) '([A-Za-z_][A-Za-z0-9_]*)'")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# -- positions ---------------------------------------------------------------------

def utf16_column(line: str, column: int) -> int:
    """A 1-based code-point column -> a 0-based UTF-16 character offset."""
    head = line[:max(column - 1, 0)]
    return len(head) + sum(1 for c in head if ord(c) > 0xFFFF)


def code_point_column(line: str, character: int) -> int:
    """A 0-based UTF-16 offset -> a 1-based code-point column."""
    units = 0
    for i, c in enumerate(line):
        if units >= character:
            return i + 1
        units += 2 if ord(c) > 0xFFFF else 1
    return len(line) + 1


def to_range(span: Span, lines: list[str]) -> T.Range:
    def line_text(n: int) -> str:
        return lines[n - 1] if 0 < n <= len(lines) else ""

    return T.Range(T.Position(span.line - 1, utf16_column(line_text(span.line), span.column)),
                   T.Position(span.end_line - 1, utf16_column(line_text(span.end_line), span.end_column)))


def contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


# -- the index of a document's names ---------------------------------------------------------

class Decl(NamedTuple):
    kind: str  # owner persona channel kpi fact journey stage touchpoint opportunity; file, copy (references)
    key: object  # a name; (journey, name) for stages, touchpoints, opportunities; a real path for files
    path: str  # the real path of the file that declares it
    span: Span  # its id
    node: object  # the model record


class Ref(NamedTuple):
    kind: str
    key: object
    path: str
    span: Span


class Index:
    """Declarations and references of the files a check read (their models
    as built, so that it works with compile errors of the resolve stage)."""

    def __init__(self, modules, import_targets):
        self.decls: dict[tuple, list[Decl]] = {}
        self.refs: list[Ref] = []
        self.by_name: dict[str, list[Decl]] = {}
        self.modules = list(modules)
        self.claims: list[tuple] = []  # (claim id, path, its Name): references of facts, see _claims
        for m in self.modules:
            self._module(m, import_targets)
        self._claims()

    def _decl(self, kind, key, path, name, node) -> None:
        d = Decl(kind, key, path, name.span, node)
        self.decls.setdefault((kind, key), []).append(d)
        if kind not in ("stage", "touchpoint", "opportunity"):
            self.by_name.setdefault(name.text, []).append(d)

    def _ref(self, kind, key, path, name) -> None:
        self.refs.append(Ref(kind, key, path, name.span))

    def _module(self, m, import_targets) -> None:
        path = m.file.real_path
        for imp in m.imports:
            target = import_targets(m, imp.text)
            if target:
                self.refs.append(Ref("file", target, path, imp.span))
        for ref in m.copies:  # `message from "copy/x.html"`: the string opens the copy file
            target = import_targets(m, ref.text)
            if target:
                self.refs.append(Ref("copy", target, path, ref.span))
        for kind, items in (("owner", m.owners), ("persona", m.personas), ("channel", m.channels),
                            ("kpi", m.kpis), ("fact", m.facts)):
            for x in items:
                self._decl(kind, x.id.text, path, x.id, x)
        for f in m.facts:
            for a in f.audience:
                self._ref("persona", a.text, path, a)
        for j in m.journeys:
            jid = j.id.text
            self._decl("journey", jid, path, j.id, j)
            if j.owner_ref:
                self._ref("owner", j.owner_ref.text, path, j.owner_ref)
            touchpoint_ids = {t.id.text for s in j.stages for t in s.touchpoints}
            for o in j.opportunities:
                self._decl("opportunity", (jid, o.id.text), path, o.id, o)
                if o.owner_ref:
                    self._ref("owner", o.owner_ref.text, path, o.owner_ref)
                for r in o.for_refs:  # a touchpoint of the journey, else a stage (LANGUAGE.md 1.1)
                    self._ref("touchpoint" if r.text in touchpoint_ids else "stage", (jid, r.text), path, r)
            for k in j.kpis:
                self._decl("kpi", k.id.text, path, k.id, k)
            for s in j.stages:
                self._decl("stage", (jid, s.id.text), path, s.id, s)
                if s.owner_ref:
                    self._ref("owner", s.owner_ref.text, path, s.owner_ref)
                for k in s.kpis:
                    self._decl("kpi", k.id.text, path, k.id, k)
                for me in s.measures:
                    if not me.declared:
                        self._ref("kpi", me.kpi.text, path, me.kpi)
                for tr in s.transitions:
                    self._ref("stage", (jid, tr.to.text), path, tr.to)
                for t in s.touchpoints:
                    self._decl("touchpoint", (jid, t.id.text), path, t.id, t)
                    if t.owner_ref:
                        self._ref("owner", t.owner_ref.text, path, t.owner_ref)
                    if t.channel:
                        self._ref("channel", t.channel.text, path, t.channel)
                    for a in t.audience:
                        self._ref("persona", a.text, path, a)
                    for me in t.measures:
                        self._ref("kpi", me.kpi.text, path, me.kpi)
                    for r in t.recovers:
                        self._ref("touchpoint", (jid, r.text), path, r)
                    for msg in t.messages:
                        for c in msg.claims:
                            self.claims.append((c.id.text, path, c.id))

    def _claims(self) -> None:
        """A claim named after a fact refers to it (once every file's facts are known)."""
        facts = {key for kind, key in self.decls if kind == "fact"}
        for name, path, ident in self.claims:
            if name in facts:
                self._ref("fact", name, path, ident)

    def at(self, path: str, line: int, column: int):
        """The declaration or reference under a position: (kind, key, span)."""
        for r in self.refs:
            if r.path == path and contains(r.span, line, column):
                return r.kind, r.key, r.span
        for ds in self.decls.values():
            for d in ds:
                if d.path == path and contains(d.span, line, column):
                    return d.kind, d.key, d.span
        return None

    def definitions(self, kind, key) -> list[Decl]:
        found = self.decls.get((kind, key))
        if found:
            return found
        if isinstance(key, str):  # one namespace: a reference of the wrong kind still finds the name
            return self.by_name.get(key, [])
        return []

    def references(self, kind, key) -> list[Ref]:
        return [r for r in self.refs if r.kind == kind and r.key == key]

    def names(self, kind: str) -> list[Decl]:
        return [d for (k, _), ds in self.decls.items() if k == kind for d in ds]

    def measured_at(self, kpi: str) -> list[str]:
        """Where a KPI is measured: `journey › stage` or `journey › stage › touchpoint`."""
        out = []
        for m in self.modules:
            for j in m.journeys:
                for s in j.stages:
                    if any(me.kpi.text == kpi for me in s.measures):
                        out.append(f"{j.id.text} \u203a {s.id.text}")
                    for t in s.touchpoints:
                        if any(me.kpi.text == kpi for me in t.measures):
                            out.append(f"{j.id.text} \u203a {s.id.text} \u203a {t.id.text}")
        return out


def _import_target(module, name: str) -> str | None:
    if "\x00" in name or os.path.isabs(name):
        return None
    return os.path.realpath(os.path.join(os.path.dirname(module.file.real_path), name))


# -- the server ----------------------------------------------------------------------------------

class Analysis(NamedTuple):
    version: int | None
    diagnostics: list
    index: Index
    compilation: object  # the resolved Compilation, or None with compile errors
    read: frozenset  # real paths of the files the check read (journey files and copy files)
    others: dict  # real path -> the diagnostics the check placed in that file (imports, copy files)
    copies: dict  # real path -> the CopyText of each copy file the check read


class JourneyServer(LanguageServer):
    def __init__(self):
        super().__init__("journeyc", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE
        self.analyses: dict[str, Analysis] = {}  # uri -> the last analysis
        self.good: dict[str, Analysis] = {}  # uri -> the last analysis with an index for the document
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.config_messages: set[str] = set()
        self.foreign: dict[str, dict] = {}  # uri -> {real path of another file: its diagnostics}

    # -- documents ---------------------------------------------------------------------
    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:  # an untitled document: a name in the first workspace folder
            root = self.roots()[0] if self.roots() else os.getcwd()
            path = os.path.join(root, re.sub(r"[^\w.-]", "_", uri.rsplit("/", 1)[-1]) or "untitled")
            if not path.endswith(".journey"):
                path += ".journey"
        return path

    def roots(self) -> list[str]:
        folders = self.workspace.folders.values() if self.workspace else []
        return [p for p in (to_fs_path(f.uri) for f in folders) if p]

    def open_documents(self) -> dict[str, object]:
        return {uri: doc for uri, doc in self.workspace.text_documents.items()}

    def schedule(self, uri: str) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(self.debounce, self.refresh, uri)

    def is_journey(self, uri: str) -> bool:
        """Whether an open document is a journey file (checked on its own);
        any other open document is a copy file, read by the journeys that
        name it (`message from`), its diagnostics theirs."""
        doc = self.workspace.text_documents.get(uri)
        return self.path_of(uri).endswith(".journey") or (doc is not None and doc.language_id == "journey")

    def refresh(self, uri: str) -> None:
        """Check the document (a journey file), and the open documents whose last check read it."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        real = os.path.realpath(self.path_of(uri))
        if self.is_journey(uri):
            self.publish(uri)
        for other, analysis in list(self.analyses.items()):
            if other != uri and real in analysis.read and other in self.workspace.text_documents:
                self.publish(other)

    def analyse(self, uri: str) -> Analysis:
        from .compiler import check_roots
        from .config import Config, resolve_config
        from .lint import RuleCrash
        from .load import JourneycError, Session

        doc = self.workspace.get_text_document(uri)
        path = self.path_of(uri)
        session = Session()
        for other_uri, other in self.open_documents().items():
            session.overrides[os.path.realpath(self.path_of(other_uri))] = other.source
        try:
            config = resolve_config([path])
        except JourneycError as e:
            config = Config()
            self.tell(str(e))
        try:
            run = check_roots(session, [path], config)
            diagnostics, results = run.diagnostics, run.results
        except RuleCrash as crash:  # compile errors still show; the fault once, as a message
            from .compiler import compile_root

            self.tell(f"{crash} (please report it)")
            results = [compile_root(session, path)]
            diagnostics = results[0].errors
        files = session.files.values()
        modules = [lf.module for lf in files if lf.module is not None]
        index = Index(modules, _import_target)
        real_of = {lf.path: lf.real_path for lf in files}
        copies = {real: c for real, c in session.copies.items() if hasattr(c, "real_path")}
        for c in copies.values():
            real_of.setdefault(c.path, c.real_path)
        real = os.path.realpath(path)
        mine, others = [], {}
        for d in diagnostics:
            where = real_of.get(d.span.file) or os.path.realpath(d.span.file)
            if where == real:
                mine.append(d)
            else:
                others.setdefault(where, []).append(d)
        comp = results[0].compilation if results else None
        return Analysis(doc.version, mine, index, comp, frozenset(session.read_paths()), others, copies)

    def tell(self, message: str) -> None:
        if message not in self.config_messages:
            self.config_messages.add(message)
            self.window_show_message(T.ShowMessageParams(type=T.MessageType.Error, message=f"journeyc: {message}"))

    def publish(self, uri: str) -> None:
        analysis = self.analyse(uri)
        self.analyses[uri] = analysis
        real = os.path.realpath(self.path_of(uri))
        if any(m.file.real_path == real for m in analysis.index.modules):
            self.good[uri] = analysis
        lines = self.workspace.get_text_document(uri).source.split("\n")
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, version=analysis.version, diagnostics=[self.lsp_diagnostic(d, lines) for d in analysis.diagnostics]))
        self.publish_others(uri, analysis.others)

    def publish_others(self, owner: str, others: dict) -> None:
        """Diagnostics that a document's check places in files it imports
        (`check FILE` prints them too) go to those files while they are not
        open (an open journey file shows its own check), and to copy files
        open or not; each such file shows the union of what the open
        documents' checks place there."""
        open_files = {os.path.realpath(self.path_of(u)) for u in self.workspace.text_documents
                      if self.is_journey(u)}
        before = self.foreign.pop(owner, {})
        now = {path: ds for path, ds in others.items() if path not in open_files}
        if now:
            self.foreign[owner] = now
        for path in set(before) | set(now):
            if path in open_files:
                continue
            merged = {}
            for contributions in self.foreign.values():
                for d in contributions.get(path, ()):
                    merged.setdefault((d.code, d.span, d.message), d)
            lines = self.lines_of(path)
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                uri=from_fs_path(path), diagnostics=[self.lsp_diagnostic(d, lines) for d in merged.values()]))

    def lsp_diagnostic(self, d, lines) -> T.Diagnostic:
        related = []
        for r in d.related:
            path = os.path.abspath(r.span.file)
            same = path == os.path.abspath(d.span.file)
            related.append(T.DiagnosticRelatedInformation(
                location=T.Location(uri=from_fs_path(path), range=to_range(r.span, lines if same else self.lines_of(path))),
                message=r.message))
        message = d.message + (f" ({d.suggestion})" if d.suggestion else "")
        data = {"suggestion": m.group(1)} if d.suggestion and (m := SUGGESTION.search(d.suggestion)) else None
        return T.Diagnostic(range=to_range(d.span, lines), message=message, severity=SEVERITY[d.severity],
                            code=d.code, source="journeyc", related_information=related or None, data=data)

    # -- lookups -------------------------------------------------------------------------
    def where(self, uri: str, position: T.Position):
        """(analysis, real path, line, column) of a position in a journey
        document; None in any other document (a copy file)."""
        if not self.is_journey(uri):
            return None
        analysis = self.good.get(uri) or self.analyses.get(uri)
        if analysis is None:
            self.publish(uri)
            analysis = self.good.get(uri) or self.analyses[uri]
        lines = self.workspace.get_text_document(uri).source.split("\n")
        text = lines[position.line] if position.line < len(lines) else ""
        return analysis, os.path.realpath(self.path_of(uri)), position.line + 1, code_point_column(text, position.character)

    def location(self, path: str, span: Span) -> T.Location:
        return T.Location(uri=from_fs_path(path), range=to_range(span, self.lines_of(path)))

    def lines_of(self, path: str) -> list[str]:
        uri = from_fs_path(path)
        doc = self.workspace.text_documents.get(uri)
        if doc is not None:
            return doc.source.split("\n")
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                return f.read().split("\n")
        except OSError:
            return []


server = JourneyServer()


@server.feature(T.INITIALIZE)
def initialize(ls: JourneyServer, params: T.InitializeParams):
    options = params.initialization_options or {}
    if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
        ls.debounce = max(0.0, options["debounce"] / 1000)


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: JourneyServer, params: T.DidOpenTextDocumentParams):
    ls.refresh(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: JourneyServer, params: T.DidChangeTextDocumentParams):
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: JourneyServer, params: T.DidSaveTextDocumentParams):
    ls.schedule(params.text_document.uri)


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: JourneyServer, params: T.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    pending = ls.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    ls.analyses.pop(uri, None)
    ls.good.pop(uri, None)
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.publish_others(uri, {})  # what its check placed in other files goes with it
    # documents that read the closed one now read it from disk
    real = os.path.realpath(ls.path_of(uri))
    for other, analysis in list(ls.analyses.items()):
        if real in analysis.read:
            ls.schedule(other)


@server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: JourneyServer, params: T.DidChangeWatchedFilesParams):
    ls.config_messages.clear()
    for uri in list(ls.workspace.text_documents):
        ls.schedule(uri)


@server.feature(T.TEXT_DOCUMENT_DEFINITION)
def definition(ls: JourneyServer, params: T.DefinitionParams):
    w = ls.where(params.text_document.uri, params.position)
    found = w and w[0].index.at(*w[1:])
    if not found:
        return None
    analysis = w[0]
    kind, key, _ = found
    if kind in ("file", "copy"):
        return [T.Location(uri=from_fs_path(key), range=T.Range(T.Position(0, 0), T.Position(0, 0)))]
    return [ls.location(d.path, d.span) for d in analysis.index.definitions(kind, key)] or None


@server.feature(T.TEXT_DOCUMENT_REFERENCES)
def references(ls: JourneyServer, params: T.ReferenceParams):
    w = ls.where(params.text_document.uri, params.position)
    found = w and w[0].index.at(*w[1:])
    if not found or found[0] in ("file", "copy"):
        return None
    analysis = w[0]
    kind, key, _ = found
    decls = analysis.index.definitions(kind, key)
    if decls:
        kind, key = decls[0].kind, decls[0].key
    out = [ls.location(d.path, d.span) for d in decls] if params.context.include_declaration else []
    out += [ls.location(r.path, r.span) for r in analysis.index.references(kind, key)]
    return out


SYMBOL_KINDS = {"owner": T.SymbolKind.Interface, "persona": T.SymbolKind.Class, "channel": T.SymbolKind.Enum,
                "kpi": T.SymbolKind.Constant, "journey": T.SymbolKind.Module, "stage": T.SymbolKind.Namespace,
                "touchpoint": T.SymbolKind.Event, "fact": T.SymbolKind.Variable,
                "opportunity": T.SymbolKind.Object}


def _symbol(ls, path, kind, node, children=None) -> T.DocumentSymbol:
    lines = ls.lines_of(path)
    rng = to_range(node.span._replace(end_line=node.id.span.end_line, end_column=node.id.span.end_column), lines)
    detail = getattr(node, "title", None)
    return T.DocumentSymbol(name=node.id.text, kind=SYMBOL_KINDS[kind], range=rng,
                            selection_range=to_range(node.id.span, lines), detail=detail, children=children)


@server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: JourneyServer, params: T.DocumentSymbolParams):
    uri = params.text_document.uri
    if not ls.is_journey(uri):
        return []
    if uri not in ls.good:
        ls.publish(uri)
    analysis = ls.good.get(uri)
    if analysis is None:
        return []
    path = os.path.realpath(ls.path_of(uri))
    out = []
    for m in analysis.index.modules:
        if m.file.real_path != path:
            continue
        items = [("owner", x) for x in m.owners] + [("persona", x) for x in m.personas] \
            + [("channel", x) for x in m.channels] + [("kpi", x) for x in m.kpis] + [("fact", x) for x in m.facts]
        for kind, x in items:
            out.append((x.span, _symbol(ls, path, kind, x)))
        for j in m.journeys:
            stages = [_symbol(ls, path, "stage", s, [_symbol(ls, path, "touchpoint", t) for t in s.touchpoints])
                      for s in j.stages] + [_symbol(ls, path, "opportunity", o) for o in j.opportunities]
            out.append((j.span, _symbol(ls, path, "journey", j, stages)))
    return [s for _, s in sorted(out, key=lambda x: (x[0].line, x[0].column))]


@server.feature(T.WORKSPACE_SYMBOL)
def workspace_symbols(ls: JourneyServer, params: T.WorkspaceSymbolParams):
    from .compiler import journey_files
    from .load import Session

    query = params.query.lower()
    session = Session()
    for uri, doc in ls.open_documents().items():
        session.overrides[os.path.realpath(ls.path_of(uri))] = doc.source
    out = []
    for root in ls.roots():
        for f in journey_files(root):
            try:
                lf = session.load(os.path.realpath(f), f)
            except OSError:
                continue
            if lf.module is None:
                continue
            index = Index([lf.module], _import_target)
            for (kind, key), decls in index.decls.items():
                for d in decls:
                    name = key[1] if isinstance(key, tuple) else key
                    if query in name.lower() or query in (getattr(d.node, "title", None) or "").lower():
                        container = key[0] if isinstance(key, tuple) else None
                        out.append(T.WorkspaceSymbol(name=name, kind=SYMBOL_KINDS[kind],
                                                     location=ls.location(d.path, d.span), container_name=container))
    return out


def _hover_text(analysis: Analysis, decl: Decl) -> str:
    from .backends.diagram import number, target_text

    node = decl.node
    comp = analysis.compilation
    title = getattr(node, "title", None)
    head = f"**{decl.kind}** `{decl.key[1] if isinstance(decl.key, tuple) else decl.key}`" + (f" \u2014 {title}" if title else "")
    lines = [head]
    if decl.kind == "owner":
        if node.contact:
            lines.append(f"contact: {node.contact}")
    elif decl.kind == "persona":
        if node.kind:
            lines.append(f"kind: {node.kind}")
    elif decl.kind == "kpi":
        if node.unit:
            lines.append(f"unit: {node.unit}")
        if node.target:
            lines.append(f"target: {target_text(node.target)}")
        for s in node.sources:
            lines.append(f"source: {s.kind}" + (f" ({s.name})" if s.name else ""))
        where = analysis.index.measured_at(decl.key)
        lines.append("measured in: " + (", ".join(where) if where else "nowhere"))
    elif decl.kind == "stage":
        resolved = _resolved_stage(comp, decl.key)
        if resolved is not None and resolved.phase:
            lines.append(f"phase: {resolved.phase}" + (" (inferred)" if resolved.phase_inferred else ""))
        elif node.declared_phase is not None:
            lines.append(f"phase: {node.declared_phase.text}")
        owner = resolved.owner if resolved is not None else (node.owner_ref.text if node.owner_ref else None)
        if owner:
            lines.append(f"owner: {owner}" + (" (inherited)" if resolved is not None and resolved.owner_inherited else ""))
    elif decl.kind == "touchpoint":
        for label, value in (("channel", node.channel.text if node.channel else None), ("area", node.area),
                             ("owner", node.owner_ref.text if node.owner_ref else None),
                             ("score", number(node.score) if node.score else None)):
            if value:
                lines.append(f"{label}: {value}")
        if node.recovery:
            lines.append("recovery touchpoint")
    elif decl.kind == "journey":
        lines.append(f"model: {node.model}" + (f", business: {node.business}" if node.business else ""))
    elif decl.kind == "fact":
        lines.extend(_fact_lines(analysis, node))
    elif decl.kind == "opportunity":
        if node.for_refs:
            lines.append("for: " + ", ".join(r.text for r in node.for_refs))
        lines.append(f"status: {node.status}" + (f", impact: {node.impact}" if node.impact else ""))
        if node.owner_ref:
            lines.append(f"owner: {node.owner_ref.text}")
    description = getattr(node, "description", None)
    if description:
        lines.append("")
        lines.append(description)
    return "  \n".join(lines)


def _fact_lines(analysis: Analysis, fact) -> list[str]:
    """A fact's value, phrases and audience, and the messages that state it
    (in the document's compilation), each marked as agreeing or not."""
    from .figures import statements
    from .figures import describe_value

    lines = [f"value: {describe_value(fact.value)}",
             "phrases: " + ", ".join(f"\u201c{p}\u201d" for p in fact.phrase_texts),
             "audience: " + (", ".join(a.text for a in fact.audience) if fact.audience else "everyone")]
    comp = analysis.compilation
    if comp is None:
        lines.append("stated by: not known while the files have compile errors")
        return lines
    said = [(j, st) for j in comp.journeys for st in statements(comp, j) if st.fact == fact.id.text]
    if not said:
        lines.append("stated by: no message")
        return lines
    lines.append("stated by:")
    for j, st in said:
        where = f"{j.id.text} \u203a {st.stage.id.text} \u203a {st.touchpoint.id.text}"
        lines.append(f"- {where}: {st.what} \u2014 " + ("\u2713 agrees" if st.agrees else "\u2717 disagrees"))
    return lines


COPY_PREVIEW_LINES = 6


def _copy_hover(ls, analysis: Analysis, real: str) -> str:
    """A copy file's path and the first lines of the text it contributes."""
    head = f"**copy file** `{real}`"
    copy = analysis.copies.get(real)
    if copy is None:
        return head + "  \nnot read (see the diagnostics)"
    shown = [line.strip() for line in copy.text.split("\n") if line.strip()]
    body = "\n".join(shown[:COPY_PREVIEW_LINES]) + ("\n\u2026" if len(shown) > COPY_PREVIEW_LINES else "")
    fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
    return f"{head}\n\n{fence}text\n{body}\n{fence}"


def _resolved_stage(comp, key):
    if comp is None:
        return None
    jid, sid = key
    for j in comp.journeys:
        if j.id.text == jid:
            for s in j.stages:
                if s.id.text == sid:
                    return s
    return None


@server.feature(T.TEXT_DOCUMENT_HOVER)
def hover(ls: JourneyServer, params: T.HoverParams):
    w = ls.where(params.text_document.uri, params.position)
    found = w and w[0].index.at(*w[1:])
    if not found:
        return None
    analysis, path = w[0], w[1]
    kind, key, span = found
    if kind in ("file", "copy"):
        text = f"import `{key}`" if kind == "file" else _copy_hover(ls, analysis, key)
        return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text),
                       range=to_range(span, ls.lines_of(path)))
    decls = analysis.index.definitions(kind, key)
    if not decls:
        if kind == "channel" and key in BUILTIN_CHANNELS:
            text = f"**channel** `{key}` \u2014 built in"
        else:
            return None
    else:
        text = _hover_text(analysis, decls[0])
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text),
                   range=to_range(span, ls.lines_of(path)))


# -- completion --------------------------------------------------------------------------------

_LIST = r"(?:[A-Za-z_][A-Za-z0-9_]*\s*,\s*)*"
CONTEXTS = [
    (re.compile(rf"(?:^|[\s{{}}])owner\s+([A-Za-z_]\w*)?$"), "owner"),
    (re.compile(rf"(?:^|[\s{{}}])measure\s+{_LIST}([A-Za-z_]\w*)?$"), "kpi"),
    (re.compile(rf"(?:^|[\s{{}}])audience\s+{_LIST}([A-Za-z_]\w*)?$"), "persona"),
    (re.compile(r"(?:^|[\s{}])channel\s+([A-Za-z_]\w*)?$"), "channel"),
    (re.compile(r"->\s*([A-Za-z_]\w*)?$"), "stage"),
    (re.compile(rf"(?:^|[\s{{}}])recovers\s+{_LIST}([A-Za-z_]\w*)?$"), "touchpoint"),
    (re.compile(rf"(?:^|[\s{{}}])for\s+{_LIST}([A-Za-z_]\w*)?$"), "target"),  # an opportunity's
    (re.compile(r"(?:^|[\s{}])claim\s+([A-Za-z_]\w*)?$"), "fact"),
]
JOURNEY_SCOPED = {"touchpoint": ("touchpoint",), "target": ("touchpoint", "stage")}
ENUM_CONTEXT = re.compile(rf"(?:^|[\s{{}}])({'|'.join(ENUMS)})\s+([A-Za-z_]\w*)?$")


def _in_comment_or_string(text_before: str) -> bool:
    """Whether the end of `text_before` (the file up to the cursor) is in a
    comment or a string."""
    i, n = 0, len(text_before)
    while i < n:
        c = text_before[i]
        if c == "#":
            end = text_before.find("\n", i)
            if end < 0:
                return True
            i = end + 1
        elif text_before.startswith('"""', i):
            end = text_before.find('"""', i + 3)
            if end < 0:
                return True
            i = end + 3
        elif c == '"':
            m = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(text_before, i)
            if m is None:
                return "\n" not in text_before[i:]
            i = m.end()
        else:
            i += 1
    return False


def _journey_at(index: Index, path: str, line: int, column: int) -> str | None:
    """The journey of the file at a position: the last one that starts before it
    (a journey's span is its keyword's; journeys do not nest)."""
    before = [(d.span.line, d.span.column, d.key) for d in index.names("journey")
              if d.path == path and (d.span.line, d.span.column) <= (line, column)]
    return max(before)[2] if before else None


@server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=[" ", ">", ","]))
def completion(ls: JourneyServer, params: T.CompletionParams):
    from .parsing.driver import expected, tables

    uri = params.text_document.uri
    if not ls.is_journey(uri):
        return T.CompletionList(is_incomplete=False, items=[])
    doc = ls.workspace.get_text_document(uri)
    lines = doc.source.split("\n")
    row = params.position.line
    line = lines[row] if row < len(lines) else ""
    col = code_point_column(line, params.position.character) - 1
    before_line = line[:col]
    text_before = "\n".join(lines[:row] + [before_line])
    if _in_comment_or_string(text_before):
        return T.CompletionList(is_incomplete=False, items=[])
    m = ENUM_CONTEXT.search(before_line)
    if m:
        words = ENUMS[m.group(1)][1]
        return T.CompletionList(is_incomplete=False, items=[
            T.CompletionItem(label=w, kind=T.CompletionItemKind.EnumMember) for w in words])
    for pattern, kind in CONTEXTS:
        if pattern.search(before_line):
            analysis = ls.good.get(uri) or ls.analyses.get(uri)
            names = {}
            if analysis is not None:
                decls = [d for k in JOURNEY_SCOPED.get(kind, (kind,)) for d in analysis.index.names(k)]
                if kind in JOURNEY_SCOPED:  # `recovers` and `for` name those of the journey at the cursor
                    here = _journey_at(analysis.index, os.path.realpath(ls.path_of(uri)), row + 1, col + 1)
                    if here is not None:
                        decls = [d for d in decls if d.key[0] == here]
                for d in decls:
                    name = d.key[1] if isinstance(d.key, tuple) else d.key
                    names.setdefault(name, getattr(d.node, "title", None))
            if kind == "channel":
                for c in sorted(BUILTIN_CHANNELS):
                    names.setdefault(c, "built-in channel")
            return T.CompletionList(is_incomplete=False, items=[
                T.CompletionItem(label=n, kind=T.CompletionItemKind.Reference, detail=t)
                for n, t in sorted(names.items())])
    cut = re.sub(r"[A-Za-z_][A-Za-z0-9_]*$", "", text_before)
    words = expected(cut)
    if words is None:  # an error earlier in the file: every keyword
        words = set(tables().keywords) | {"->"}
    return T.CompletionList(is_incomplete=False, items=[
        T.CompletionItem(label=w, kind=T.CompletionItemKind.Keyword) for w in sorted(words)])


# -- code actions ---------------------------------------------------------------------------------

IGNORE = re.compile(r"#\s*journeyc:\s*ignore(\s*\[([^\]]*)\])?")


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
def code_actions(ls: JourneyServer, params: T.CodeActionParams):
    uri = params.text_document.uri
    if not ls.is_journey(uri):  # a copy file: its findings are suppressed on the `message from` line
        return []
    doc = ls.workspace.get_text_document(uri)
    lines = doc.source.split("\n")
    actions = []

    def edit(title, edits, diagnostic, preferred=False):
        actions.append(T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                    is_preferred=preferred or None,
                                    edit=T.WorkspaceEdit(changes={uri: edits})))

    declared = set()
    for d in params.context.diagnostics:
        code = str(d.code or "")
        suggestion = (d.data or {}).get("suggestion") if isinstance(d.data, dict) else None
        if suggestion is None and (m := SUGGESTION.search(d.message)):
            suggestion = m.group(1)
        if suggestion:
            edit(f"Change to '{suggestion}'", [T.TextEdit(range=d.range, new_text=suggestion)], d, preferred=True)
        if code and not code.startswith("E"):
            row = d.range.start.line
            text = lines[row] if row < len(lines) else ""
            m = IGNORE.search(text)
            if m is None:
                end = T.Position(row, len(text.encode("utf-16-le")) // 2)
                edit(f"Ignore {code} on this line", [T.TextEdit(range=T.Range(end, end),
                                                                new_text=f"  # journeyc: ignore[{code}]")], d)
            elif m.group(2) is not None and code not in [c.strip() for c in m.group(2).split(",")]:
                at = utf16_column(text, m.end(1))  # just before `]`
                pos = T.Position(row, at - 1)
                edit(f"Ignore {code} on this line", [T.TextEdit(range=T.Range(pos, pos), new_text=f", {code}")], d)
        m = UNDEFINED.search(d.message) if code == "E002" else None
        if m and (m.group(1), m.group(2)) not in declared:
            declared.add((m.group(1), m.group(2)))
            keyword = {"owner": "owner", "KPI": "kpi", "persona": "persona"}[m.group(1)]
            last = len(lines) - 1
            end = T.Position(last, len(lines[last].encode("utf-16-le")) // 2)
            prefix = "" if doc.source.endswith("\n") or not doc.source else "\n"
            edit(f"Declare {m.group(1)} '{m.group(2)}' at the end of the file",
                 [T.TextEdit(range=T.Range(end, end), new_text=f"{prefix}{keyword} {m.group(2)}\n")], d)
    return actions


# -- formatting -----------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines_with_ends(text: str) -> list[str]:
    return _LINE.findall(text)


class Formatted(NamedTuple):
    old: list[str]  # the document's lines, with their line breaks
    new: list[str]  # the formatted lines
    text: str  # the formatted document
    hunks: list[tuple[int, int, int, int]]  # old[i1:i2] becomes new[j1:j2]


def formatted(text: str, path: str) -> Formatted | None:
    """`journeyc fmt`'s layout of `text`, as runs of changed lines; None
    when the text does not parse (the diagnostics say why)."""
    import difflib

    from .fmt import FormatError, format_text

    try:
        new = format_text(text, path)
    except FormatError:
        return None
    old_lines, new_lines = _lines_with_ends(text), _lines_with_ends(new)
    # A line matches a line of the same text that starts as far into the text's
    # non-blank characters (the layout moves only white space): a `}` matches
    # the same `}`, not another one, so runs of changed lines follow the tokens.
    matcher = difflib.SequenceMatcher(None, _keyed(old_lines), _keyed(new_lines), autojunk=False)
    hunks = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return Formatted(old_lines, new_lines, new, hunks)


_BLANK = re.compile(r"\s+")


def _keyed(lines: list[str]) -> list[tuple[str, int]]:
    out, before = [], 0
    for line in lines:
        out.append((line, before))
        before += len(_BLANK.sub("", line))
    return out


def _edit(f: Formatted, hunk) -> T.TextEdit:
    i1, i2, j1, j2 = hunk
    replacement = "".join(f.new[j1:j2])
    start = T.Position(i1, 0)
    if i2 < len(f.old) or f.old[-1][-1:] in ("\r", "\n"):
        end = T.Position(i2, 0)
    else:  # up to the end of a last line without a line break
        end = T.Position(len(f.old) - 1, len(f.old[-1].encode("utf-16-le")) // 2)
        if i1 == i2:  # an insertion after it
            start, replacement = end, "\n" + replacement
    return T.TextEdit(range=T.Range(start, end), new_text=replacement)


def format_edits(text: str, path: str) -> list[T.TextEdit]:
    """The whole document formatted: one edit per run of changed lines (so
    that a client keeps its cursor and folds); none for text that does not parse."""
    f = formatted(text, path)
    return [] if f is None else [_edit(f, h) for h in f.hunks]


def range_format_edits(text: str, path: str, first: int, last: int) -> list[T.TextEdit]:
    """The edits of `format_edits` that change a line from `first` to
    `last` (0-based, inclusive) or insert lines among them. Applied alone
    they must leave the tokens as they are, which `journeyc fmt` of the
    result shows (it lays out the same tokens the same way): where they do
    not (a run of lines matched elsewhere, a string re-quoted over other
    lines), the whole document's edits."""
    from .fmt import FormatError, format_text

    f = formatted(text, path)
    if f is None:
        return []
    chosen = [h for h in f.hunks if h[0] <= last + (h[0] == h[1]) and max(h[1] - 1, h[0]) >= first]
    if not chosen:
        return []
    if len(chosen) < len(f.hunks):
        lines, at = [], 0
        for i1, i2, j1, j2 in chosen:
            lines += f.old[at:i1] + f.new[j1:j2]
            at = i2
        partial = "".join(lines + f.old[at:])
        try:
            alone = format_text(partial, path) == f.text
        except FormatError:
            alone = False
        if not alone:
            chosen = f.hunks
    return [_edit(f, h) for h in chosen]


@server.feature(T.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: JourneyServer, params: T.DocumentFormattingParams):
    uri = params.text_document.uri
    if not ls.is_journey(uri):
        return []
    return format_edits(ls.workspace.get_text_document(uri).source, ls.path_of(uri))


@server.feature(T.TEXT_DOCUMENT_RANGE_FORMATTING)
def range_formatting(ls: JourneyServer, params: T.DocumentRangeFormattingParams):
    """The whole document is formatted (a block's layout depends on what
    surrounds it); the edits returned are those of the changed lines that
    the range touches (a range ending at the start of a line leaves that line out)."""
    uri = params.text_document.uri
    if not ls.is_journey(uri):
        return []
    rng = params.range
    last = rng.end.line if rng.end.character > 0 or rng.end.line == rng.start.line else rng.end.line - 1
    return range_format_edits(ls.workspace.get_text_document(uri).source, ls.path_of(uri), rng.start.line, last)


def main() -> None:
    server.start_io()

"""`journeyc lsp`, driven over real JSON-RPC (standard input and output of a
`python -m journeyc lsp` process) by pygls' client: documents opened,
edited, saved and closed across files; diagnostics the same as `check`'s;
navigation, hover, completion and code actions."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from lsprotocol import types as T
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from conftest import CASES, GOLDEN, REPO, SPECS, run_journeyc, write

TIMEOUT = 20


class Client:
    """A pygls client with the server's notifications collected."""

    def __init__(self, root: Path, debounce_ms: float = 20):
        self.root = root
        self.debounce_ms = debounce_ms
        self.lsp = LanguageClient("journeyc-tests", "1")
        self.diagnostics: dict[str, asyncio.Queue] = {}
        self.messages: list[T.ShowMessageParams] = []
        self.versions: dict[str, int] = {}

        @self.lsp.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: T.PublishDiagnosticsParams):
            self.queue(params.uri).put_nowait(params)

        @self.lsp.feature(T.WINDOW_SHOW_MESSAGE)
        def shown(params: T.ShowMessageParams):
            self.messages.append(params)

    def queue(self, uri: str) -> asyncio.Queue:
        return self.diagnostics.setdefault(uri, asyncio.Queue())

    async def __aenter__(self):
        await self.lsp.start_io(sys.executable, "-m", "journeyc", "lsp")
        folder = T.WorkspaceFolder(uri=from_fs_path(str(self.root)), name="root")
        self.init = await self.lsp.initialize_async(T.InitializeParams(
            capabilities=T.ClientCapabilities(), root_uri=folder.uri, workspace_folders=[folder],
            initialization_options={"debounce": self.debounce_ms}))
        self.lsp.initialized(T.InitializedParams())
        return self

    async def __aexit__(self, *exc):
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()

    def open(self, path: Path, text: str | None = None, language: str = "journey") -> str:
        uri = from_fs_path(str(path))
        self.versions[uri] = 1
        self.lsp.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(
            uri=uri, language_id=language, version=1,
            text=path.read_text(encoding="utf-8") if text is None else text)))
        return uri

    def change(self, uri: str, text: str, start=None, end=None) -> int:
        self.versions[uri] += 1
        if start is None:
            change = T.TextDocumentContentChangeWholeDocument(text=text)
        else:
            change = T.TextDocumentContentChangePartial(range=T.Range(T.Position(*start), T.Position(*end)), text=text)
        self.lsp.text_document_did_change(T.DidChangeTextDocumentParams(
            T.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), [change]))
        return self.versions[uri]

    def close(self, uri: str) -> None:
        self.lsp.text_document_did_close(T.DidCloseTextDocumentParams(T.TextDocumentIdentifier(uri)))

    async def published(self, uri: str, version: int | None = None) -> T.PublishDiagnosticsParams:
        """The next diagnostics of `uri` (of `version` when given)."""
        while True:
            p = await asyncio.wait_for(self.queue(uri).get(), TIMEOUT)
            if version is None or p.version == version:
                return p

    async def until(self, uri: str, predicate) -> T.PublishDiagnosticsParams:
        """Diagnostics of `uri` as published, until some satisfy `predicate`."""
        while True:
            p = await self.published(uri)
            if predicate(p):
                return p

    def at(self, uri: str, line: int, character: int):
        return T.TextDocumentIdentifier(uri), T.Position(line, character)


def run(coro):
    return asyncio.run(coro)


def position_of(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def expected_diagnostics(path: Path, cwd: Path) -> list[tuple]:
    proc = run_journeyc(["check", path, "--output-format", "json", "--fail-on", "never"], cwd=cwd)
    out = []
    for d in json.loads(proc.stdout)["diagnostics"]:
        if Path(cwd, d["file"]).resolve() != path.resolve():
            continue
        message = d["message"] + (f" ({d['suggestion']})" if d.get("suggestion") else "")
        out.append((d["code"], d["severity"], d["line"] - 1, d["column"] - 1, message))
    return sorted(out)


SEVERITY = {1: "error", 2: "warning", 3: "info"}


def lsp_tuples(params) -> list[tuple]:
    return sorted((d.code, SEVERITY[d.severity], d.range.start.line, d.range.start.character, d.message)
                  for d in params.diagnostics)


def utf8(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
        return True
    except UnicodeDecodeError:  # an editor does not open it as text (E008 is `check`'s)
        return False


PARITY = [p for p in sorted(SPECS.glob("*.journey")) + sorted(CASES.glob("*.journey"))
          + sorted((CASES.parent / "cases-1.1").glob("*.journey"))
          + [GOLDEN / "inputs" / "findings.journey", GOLDEN / "inputs" / "hostile.journey"] if utf8(p)]


def test_diagnostics_are_checks_for_every_spec_and_conformance_case():
    async def go():
        async with Client(REPO) as c:
            for path in PARITY:
                uri = c.open(path)
                got = await c.published(uri, 1)
                assert lsp_tuples(got) == expected_diagnostics(path, path.parent), path.name
                c.close(uri)
                assert not (await c.published(uri)).diagnostics  # closing clears them
    run(go())


CATALOG = 'owner cx "CX office" { contact "cx@example.com" }\npersona buyer "Buyer" { kind customer }\n'
MAIN = '''import "catalog.journey"
kpi csat "CSAT" { unit score target >= 4 source first_party "Survey" }
journey shop "Shop" {
  owner cx
  stage browse "Browse" {
    entry
    measure csat
    touchpoint ad "Ad" { channel social audience buyer score 4 recovery }
    -> buy
  }
  stage buy "Buy" {
    phase conversion
    touchpoint checkout "Checkout" { channel web audience buyer score 2 }
  }
}
'''


def project(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "catalog.journey", CATALOG), write(tmp_path, "main.journey", MAIN)


def test_unsaved_buffers_imports_from_open_documents_and_closing(tmp_path):
    catalog, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            first = await c.published(m, 1)
            assert not [d for d in first.diagnostics if d.code.startswith("E")]
            # the catalogue, open and edited (unsaved): the owner is gone, main.journey is checked again
            cat = c.open(catalog)
            await c.published(cat, 1)
            v = c.change(cat, CATALOG.replace("owner cx", "owner cxo"))
            await c.published(cat, v)
            again = await c.until(m, lambda p: any(d.code == "E002" for d in p.diagnostics))
            e002 = [d for d in again.diagnostics if d.code == "E002"]
            assert e002 and "undefined owner 'cx'" in e002[0].message and "did you mean 'cxo'?" in e002[0].message
            assert e002[0].range.start == T.Position(3, 8)
            assert catalog.read_text() == CATALOG  # nothing written
            # closed: main.journey reads the catalogue from disk again
            c.close(cat)
            back = await c.until(m, lambda p: not any(d.code.startswith("E") for d in p.diagnostics))
            assert back.version == 1
            # an edit of main itself, unsaved, with a syntax error
            v = c.change(m, "    touchpiont", (7, 0), (7, 14))
            broken = await c.published(m, v)
            assert [d.code for d in broken.diagnostics] == ["E001"]
            c.lsp.text_document_did_save(T.DidSaveTextDocumentParams(T.TextDocumentIdentifier(m)))
            assert [d.code for d in (await c.published(m)).diagnostics] == ["E001"]
    run(go())


def test_rapid_edits_are_debounced(tmp_path):
    _, main = project(tmp_path)

    async def go():
        async with Client(tmp_path, debounce_ms=1000) as c:
            m = c.open(main)
            await c.published(m, 1)
            for n in range(5):
                v = c.change(m, MAIN.replace("score 2", f"score {n % 5 + 1}"))
            last = await c.published(m)
            assert last.version == v  # one check, of the last version
            await asyncio.sleep(0.5)
            assert c.queue(m).empty()
    run(go())


def test_configuration_and_suppressions_are_honoured(tmp_path):
    _, main = project(tmp_path)
    write(tmp_path, "journeyc.toml", 'ignore = ["X004"]\n[severity]\nX003 = "error"\n')

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            got = await c.published(m, 1)
            codes = {d.code: d for d in got.diagnostics}
            assert "X004" not in codes and codes["X003"].severity == T.DiagnosticSeverity.Error
            assert lsp_tuples(got) == expected_diagnostics(main, tmp_path)
            text = MAIN.replace('score 2 }', 'score 2 }  # journeyc: ignore[X003] -- the new checkout fixes it')
            v = c.change(m, text)
            after = await c.published(m, v)
            assert "X003" not in {d.code for d in after.diagnostics}
            v = c.change(m, text.replace("ignore[X003]", "ignore[F001]"))
            assert "S001" in {d.code for d in (await c.published(m, v)).diagnostics}
            # a broken journeyc.toml: one message naming it, the defaults meanwhile
            write(tmp_path, "journeyc.toml", 'ignore = ["NOPE"]\n')
            v = c.change(m, MAIN)
            await c.published(m, v)
            assert c.messages and "journeyc.toml" in c.messages[0].message
            assert c.messages[0].type == T.MessageType.Error
    run(go())


def test_definition_references_and_import(tmp_path):
    catalog, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)
            # owner cx -> the catalogue
            found = await c.lsp.text_document_definition_async(T.DefinitionParams(*c.at(m, 3, 9)))
            assert [(x.uri, x.range.start) for x in found] == [(from_fs_path(str(catalog)), T.Position(0, 6))]
            # -> buy -> the stage
            line, col = position_of(MAIN, "-> buy", 4)
            found = await c.lsp.text_document_definition_async(T.DefinitionParams(*c.at(m, line, col)))
            assert [x.range.start for x in found] == [T.Position(*position_of(MAIN, 'buy "Buy"'))]
            # the import string opens its file
            found = await c.lsp.text_document_definition_async(T.DefinitionParams(*c.at(m, 0, 10)))
            assert found[0].uri == from_fs_path(str(catalog))
            # references of persona buyer, from its use, with the declaration
            line, col = position_of(MAIN, "audience buyer", 10)
            doc, pos = c.at(m, line, col)
            refs = await c.lsp.text_document_references_async(T.ReferenceParams(
                text_document=doc, position=pos, context=T.ReferenceContext(include_declaration=True)))
            assert sorted((Path(r.uri).name, r.range.start.line) for r in refs) == \
                [("catalog.journey", 1), ("main.journey", 7), ("main.journey", 12)]
    run(go())


def test_document_and_workspace_symbols(tmp_path):
    catalog, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)
            symbols = await c.lsp.text_document_document_symbol_async(
                T.DocumentSymbolParams(T.TextDocumentIdentifier(m)))
            assert [s.name for s in symbols] == ["csat", "shop"]
            shop = symbols[1]
            assert shop.kind == T.SymbolKind.Module and shop.detail == "Shop"
            assert [(s.name, [t.name for t in s.children]) for s in shop.children] == \
                [("browse", ["ad"]), ("buy", ["checkout"])]
            found = await c.lsp.workspace_symbol_async(T.WorkspaceSymbolParams(query="bu"))
            assert sorted((s.name, Path(s.location.uri).name, s.container_name) for s in found) == \
                [("buy", "main.journey", "shop"), ("buyer", "catalog.journey", None)]
    run(go())


def test_hover(tmp_path):
    _, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)

            async def hover(needle, offset):
                line, col = position_of(MAIN, needle, offset)
                h = await c.lsp.text_document_hover_async(T.HoverParams(*c.at(m, line, col)))
                return h.contents.value

            owner = await hover("owner cx", 7)
            assert "CX office" in owner and "contact: cx@example.com" in owner
            kpi = await hover("measure csat", 9)
            assert "unit: score" in kpi and "target: \u2265 4" in kpi and "source: first_party (Survey)" in kpi
            assert "measured in: shop \u203a browse" in kpi
            assert "phase: pre_sale (inferred)" in await hover('browse "Browse"', 1)
            buy = await hover('buy "Buy"', 1)
            assert "phase: conversion" in buy and "(inferred)" not in buy and "owner: cx (inherited)" in buy
            tp = await hover('checkout "Checkout"', 1)
            assert "channel: web" in tp and "score: 2" in tp
    run(go())


def test_completion(tmp_path):
    _, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)

            async def labels(text, line, character):
                v = c.change(m, text)
                await c.published(m, v)
                got = await c.lsp.text_document_completion_async(T.CompletionParams(*c.at(m, line, character)))
                return [i.label for i in got.items]

            # keywords the grammar accepts in a stage
            text = MAIN.replace("    entry\n", "    entry\n    \n")
            words = await labels(text, 6, 4)
            assert {"touchpoint", "measure", "phase", "->", "owner"} <= set(words)
            assert "journey" not in words and "channel" not in words
            # names of the right kind
            text = MAIN.replace("    entry\n", "    entry\n    owner \n")
            assert await labels(text, 6, 10) == ["cx"]
            text = MAIN.replace("    entry\n", "    entry\n    measure csat, \n")
            assert await labels(text, 6, 18) == ["csat"]
            text = MAIN.replace("audience buyer", "audience ")
            line, col = position_of(text, "audience ", 9)
            assert await labels(text, line, col) == ["buyer"]
            line, col = position_of(MAIN, "-> buy", 3)
            assert await labels(MAIN, line, col) == ["browse", "buy"]
            # enumerated words
            text = MAIN.replace("    entry\n", "    entry\n    phase \n")
            assert await labels(text, 6, 10) == ["pre_sale", "conversion", "post_sale"]
            # nothing in a comment
            text = MAIN.replace("    entry\n", "    entry  # owner \n")
            assert await labels(text, 5, 19) == []
    run(go())


def test_code_actions_fix_what_they_say(tmp_path):
    _, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)

            async def actions(text):
                v = c.change(m, text)
                got = await c.published(m, v)
                acts = await c.lsp.text_document_code_action_async(T.CodeActionParams(
                    T.TextDocumentIdentifier(m), got.diagnostics[0].range if got.diagnostics else
                    T.Range(T.Position(0, 0), T.Position(0, 0)),
                    T.CodeActionContext(diagnostics=got.diagnostics)))
                return got, {a.title: a.edit.changes[m] for a in acts}

            def apply(text, edits):
                lines = text.split("\n")
                for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
                    s, t = e.range.start, e.range.end
                    head = "\n".join(lines[:s.line] + [lines[s.line][:s.character]])
                    tail = "\n".join([lines[t.line][t.character:]] + lines[t.line + 1:])
                    lines = (head + e.new_text + tail).split("\n")
                return "\n".join(lines)

            # did you mean
            typo = MAIN.replace("phase conversion", "phase conversoin")
            got, acts = await actions(typo)
            assert "Change to 'conversion'" in acts
            assert apply(typo, acts["Change to 'conversion'"]) == MAIN
            # declare an undefined persona at the end of the file
            missing = MAIN.replace("audience buyer score 4", "audience walker score 4")
            got, acts = await actions(missing)
            fixed = apply(missing, acts["Declare persona 'walker' at the end of the file"])
            assert fixed.endswith("}\npersona walker\n")
            v = c.change(m, fixed)
            assert not [d for d in (await c.published(m, v)).diagnostics if d.code.startswith("E")]
            # ignore a lint finding on its line
            got, acts = await actions(MAIN)
            x003 = [d for d in got.diagnostics if d.code == "X003"]
            assert x003
            title = "Ignore X003 on this line"
            assert title in acts
            ignored = apply(MAIN, acts[title])
            assert "score 2 }  # journeyc: ignore[X003]" in ignored
            v = c.change(m, ignored)
            assert "X003" not in {d.code for d in (await c.published(m, v)).diagnostics}
    run(go())


def test_utf16_positions(tmp_path):
    """Columns in code points (journeyc) become UTF-16 units (LSP): an emoji is two."""
    text = 'journey j "\U0001f600\U0001f600" { owner nobody stage s { } }\n'
    path = write(tmp_path, "u.journey", text)

    async def go():
        async with Client(tmp_path) as c:
            u = c.open(path)
            got = await c.published(u, 1)
            (e002,) = [d for d in got.diagnostics if d.code == "E002"]
            assert e002.range.start.character == len(text[:text.index("nobody")].encode("utf-16-le")) // 2
    run(go())


def test_capabilities():
    async def go():
        async with Client(REPO) as c:
            caps = c.init.capabilities
            assert caps.definition_provider and caps.references_provider and caps.hover_provider
            assert caps.document_symbol_provider and caps.workspace_symbol_provider
            assert caps.completion_provider and caps.code_action_provider
            assert caps.document_formatting_provider and caps.document_range_formatting_provider
            assert c.init.server_info.name == "journeyc"
    run(go())


def test_related_locations_in_utf16(tmp_path):
    """A related location is converted to UTF-16 units like the primary one."""
    text = 'journey j "\U0001f600\U0001f600" { stage s { } stage s { } }\n'
    main = write(tmp_path, "main.journey", text)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            got = await c.published(m, 1)
            (e003,) = [d for d in got.diagnostics if d.code == "E003"]
            (rel,) = e003.related_information
            assert Path(rel.location.uri).name == "main.journey"
            first = text.index("stage s") + 6
            assert rel.location.range.start == T.Position(0, first + 2)  # two emoji: two more units
            assert e003.range.start == T.Position(0, text.rindex("stage s") + 6 + 2)
    run(go())


def test_diagnostics_placed_in_an_imported_file_that_is_not_open(tmp_path):
    """`check main.journey` reports a clash in the catalogue it imports: the
    catalogue shows it while it is not open, and no longer once fixed."""
    catalog, main = project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)
            cat = from_fs_path(str(catalog))
            clash = MAIN.replace("journey shop", 'persona cx "Also cx"\njourney shop')
            v = c.change(m, clash)
            await c.published(m, v)
            there = await c.until(cat, lambda p: bool(p.diagnostics))
            (e003,) = there.diagnostics
            assert e003.code == "E003" and e003.range.start == T.Position(0, 6)
            assert [(d["code"], d["line"]) for d in json.loads(run_journeyc(
                ["check", main, "--output-format", "json"], cwd=tmp_path).stdout)["diagnostics"]
                if d["code"] == "E003"] == []  # on disk main.journey has no clash: the buffer does
            v = c.change(m, MAIN)
            await c.published(m, v)
            assert not (await c.until(cat, lambda p: not p.diagnostics)).diagnostics
            v = c.change(m, clash)
            await c.until(cat, lambda p: bool(p.diagnostics))
            c.close(m)
            assert not (await c.until(cat, lambda p: not p.diagnostics)).diagnostics
    run(go())


# -- version 1.1: facts, copy files, recovers, opportunities; formatting -----------------------

MAP = """persona buyer "Buyer"
owner cx "CX" { contact "cx@example.com" }
fact trial_days = 14 days { phrase "free trial" description "The length of the free trial" }
journey shop "Shop" {
  owner cx
  stage browse "Browse" {
    entry
    touchpoint ad "Ad" {
      channel social
      score 2
      message "Start your 30-day free trial." { claim trial_days = 14 days }
      message from "copy/a.txt"
    }
    touchpoint help "Help" { channel email recovers ad score 4 }
    -> buy
  }
  stage buy "Buy" {
    touchpoint checkout "Checkout" { channel web score 3 }
  }
  opportunity faster "Faster checkout" { for checkout, browse owner cx status planned }
}
"""
COPY = "Welcome!\nYour free trial lasts two weeks.\n"


def map_project(tmp_path: Path) -> tuple[Path, Path]:
    copy = write(tmp_path, "copy/a.txt", COPY)
    return write(tmp_path, "main.journey", MAP), copy


def test_navigation_of_facts_recovers_and_opportunities(tmp_path):
    main, copy = map_project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)

            async def definition(needle, offset):
                got = await c.lsp.text_document_definition_async(
                    T.DefinitionParams(*c.at(m, *position_of(MAP, needle, offset))))
                return [(Path(x.uri).name, x.range.start) for x in got or []]

            async def references(needle, offset):
                doc, pos = c.at(m, *position_of(MAP, needle, offset))
                got = await c.lsp.text_document_references_async(T.ReferenceParams(
                    text_document=doc, position=pos, context=T.ReferenceContext(include_declaration=True)))
                return sorted((x.range.start.line, x.range.start.character) for x in got)

            here = [("main.journey", T.Position(*position_of(MAP, needle, offset))) for needle, offset in
                    [("trial_days = 14 days {", 0), ('ad "Ad"', 0), ('checkout "Checkout"', 0),
                     ('browse "Browse"', 0), ('cx "CX"', 0)]]
            assert await definition("claim trial_days", 7) == [here[0]]  # a claim named after a fact
            assert await definition("recovers ad", 9) == [here[1]]  # a touchpoint
            assert await definition("for checkout", 4) == [here[2]]  # an opportunity's touchpoint
            assert await definition("checkout, browse", 10) == [here[3]]  # ... and stage
            assert await definition("cx status", 0) == [here[4]]  # an opportunity's owner
            # the copy file's path opens it
            got = await c.lsp.text_document_definition_async(
                T.DefinitionParams(*c.at(m, *position_of(MAP, '"copy/a.txt"', 3))))
            assert [x.uri for x in got] == [from_fs_path(str(copy))]
            # references: of the fact (its declaration and the claim), of a touchpoint (`recovers`)
            assert await references("trial_days = 14 days {", 2) == \
                [position_of(MAP, "trial_days = 14 days {"), position_of(MAP, "trial_days = 14 days }")]
            assert await references('ad "Ad"', 0) == [position_of(MAP, 'ad "Ad"'), position_of(MAP, "ad score")]
            assert await references('checkout "Checkout"', 0) == \
                [position_of(MAP, 'checkout "Checkout"'), position_of(MAP, "checkout, browse")]
            assert position_of(MAP, "browse owner") in await references('browse "Browse"', 0)
            assert position_of(MAP, "cx status") in await references('cx "CX"', 0)
            symbols = await c.lsp.text_document_document_symbol_async(
                T.DocumentSymbolParams(T.TextDocumentIdentifier(m)))
            assert [s.name for s in symbols] == ["buyer", "cx", "trial_days", "shop"]
            assert [s.name for s in symbols[3].children] == ["browse", "buy", "faster"]
            found = [s for q in ("faster", "trial_d")
                     for s in await c.lsp.workspace_symbol_async(T.WorkspaceSymbolParams(query=q))]
            assert sorted((s.name, s.kind, s.container_name) for s in found) == \
                [("faster", T.SymbolKind.Object, "shop"), ("trial_days", T.SymbolKind.Variable, None)]
    run(go())


def test_completion_after_recovers_for_and_claim(tmp_path):
    main, _ = map_project(tmp_path)
    other = MAP + 'journey other { stage elsewhere { touchpoint far { channel web } } }\n'

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main, other)
            await c.published(m, 1)

            async def labels(text, needle, offset):
                v = c.change(m, text)
                await c.published(m, v)
                got = await c.lsp.text_document_completion_async(
                    T.CompletionParams(*c.at(m, *position_of(text, needle, offset))))
                return [i.label for i in got.items]

            # the touchpoints of the journey at the cursor (not `far` of journey `other`)
            text = other.replace("recovers ad", "recovers ")
            assert await labels(text, "recovers ", 9) == ["ad", "checkout", "help"]
            text = other.replace("for checkout, browse", "for checkout, ")
            assert await labels(text, "for checkout, ", 14) == ["ad", "browse", "buy", "checkout", "help"]
            text = other.replace("claim trial_days", "claim ")
            assert await labels(text, "claim ", 6) == ["trial_days"]
    run(go())


def test_hover_on_a_fact_and_a_copy_file(tmp_path):
    main, _ = map_project(tmp_path)

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main)
            await c.published(m, 1)

            async def hover(needle, offset):
                h = await c.lsp.text_document_hover_async(T.HoverParams(*c.at(m, *position_of(MAP, needle, offset))))
                return h.contents.value

            fact = await hover("fact trial_days", 6)
            assert "**fact** `trial_days`" in fact and "value: 14 days" in fact
            assert "phrases: \u201cfree trial\u201d" in fact and "The length of the free trial" in fact
            assert "shop \u203a browse \u203a ad: \u201c30-day\u201d \u2014 \u2717 disagrees" in fact
            assert "shop \u203a browse \u203a ad: claim 14 days \u2014 \u2713 agrees" in fact
            assert "shop \u203a browse \u203a ad: \u201ctwo weeks\u201d \u2014 \u2713 agrees" in fact  # the copy file
            assert await hover("claim trial_days", 7) == fact  # from the claim named after it
            copy = await hover('"copy/a.txt"', 4)
            assert copy.startswith(f"**copy file** `{os.path.realpath(tmp_path / 'copy' / 'a.txt')}`")
            assert "Welcome!\nYour free trial lasts two weeks." in copy
    run(go())


def test_copy_file_buffers_and_their_diagnostics(tmp_path):
    """An open copy file is read from its buffer; C005 in it is published to
    the copy file's URI, and cleared once the buffer agrees."""
    main, copy = map_project(tmp_path)
    agreeing = MAP.replace("30-day", "14-day")

    async def go():
        async with Client(tmp_path) as c:
            m = c.open(main, agreeing)
            first = await c.published(m, 1)
            assert "C005" not in {d.code for d in first.diagnostics}
            cp = c.open(copy, language="plaintext")
            v = c.change(cp, "Welcome!\nYour free trial lasts 30 days.\n")
            got = await c.until(cp, lambda p: bool(p.diagnostics))
            (c005,) = got.diagnostics  # the journey's check; the copy file is not checked as a journey
            assert c005.code == "C005" and "30 days" in c005.message
            assert c005.range.start == T.Position(1, 22)
            assert copy.read_text() == COPY  # the buffer, unsaved
            acts = await c.lsp.text_document_code_action_async(T.CodeActionParams(
                T.TextDocumentIdentifier(cp), c005.range, T.CodeActionContext(diagnostics=[c005])))
            assert not acts  # no `# journeyc: ignore` written into copy
            c.change(cp, "Welcome!\nYour free trial lasts 2 weeks.\n")
            assert not (await c.until(cp, lambda p: not p.diagnostics)).diagnostics
            hover = await c.lsp.text_document_hover_async(T.HoverParams(*c.at(cp, 1, 3)))
            assert hover is None  # no journey features in a copy file
    run(go())


UNFORMATTED = """journey shop   "Shop" {
stage browse {
      entry
  touchpoint ad { channel social }
}
  stage buy {
 touchpoint checkout { channel web }
  }
}
"""


def apply_edits(text: str, edits) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        s, t = e.range.start, e.range.end
        head = "\n".join(lines[:s.line] + [lines[s.line][:s.character]])
        tail = "\n".join([lines[t.line][t.character:]] + lines[t.line + 1:]) if t.line < len(lines) else ""
        lines = (head + e.new_text + tail).split("\n")
    return "\n".join(lines)


def test_formatting_full_and_range(tmp_path):
    from journeyc.fmt import format_text

    path = write(tmp_path, "f.journey", UNFORMATTED)
    canonical = format_text(UNFORMATTED)

    async def go():
        async with Client(tmp_path) as c:
            u = c.open(path)
            await c.published(u, 1)
            options = T.FormattingOptions(tab_size=2, insert_spaces=True)
            edits = await c.lsp.text_document_formatting_async(T.DocumentFormattingParams(
                T.TextDocumentIdentifier(u), options))
            assert len(edits) > 1  # one per run of changed lines, not one whole-document edit
            assert apply_edits(UNFORMATTED, edits) == canonical
            assert path.read_text() == UNFORMATTED  # edits, nothing written

            async def range_format(first, last):
                return await c.lsp.text_document_range_formatting_async(T.DocumentRangeFormattingParams(
                    T.TextDocumentIdentifier(u), T.Range(T.Position(first, 0), T.Position(last, 0)), options))

            # the first stage only (lines 1-4): the second stage keeps its layout
            edits = await range_format(1, 5)
            partial = apply_edits(UNFORMATTED, edits)
            # (with the blank line the layout puts after a stage, inserted where the range ends)
            assert partial.split("\n") == canonical.split("\n")[:6] + UNFORMATTED.split("\n")[5:]
            assert format_text(partial) == canonical  # the same tokens
            # the whole range: the whole layout
            assert apply_edits(UNFORMATTED, await range_format(0, 10)) == canonical
            # formatted text: no edits
            v = c.change(u, canonical)
            await c.published(u, v)
            assert await c.lsp.text_document_formatting_async(T.DocumentFormattingParams(
                T.TextDocumentIdentifier(u), options)) in ([], ())
            # a syntax error: no edits, no error
            v = c.change(u, UNFORMATTED.replace("channel web }", "channel web"))
            assert [d.code for d in (await c.published(u, v)).diagnostics] == ["E001"]
            assert await c.lsp.text_document_formatting_async(T.DocumentFormattingParams(
                T.TextDocumentIdentifier(u), options)) in ([], ())
            assert await range_format(0, 3) in ([], ())
    run(go())


def test_each_run_of_changed_lines_formats_alone():
    """Range formatting returns the runs of changed lines that the range
    touches; each must keep the tokens when applied alone. Lines are matched
    by their place in the text's non-blank characters, so a `}` is not
    matched with another one: on badly indented copies of every spec and
    conformance case, every run alone is part of `fmt`'s layout."""
    from journeyc.fmt import format_text
    from journeyc.lsp import formatted, range_format_edits

    runs = 0
    for path in [p for p in sorted(SPECS.rglob("*.journey")) + sorted(CASES.glob("*.journey")) if utf8(p)]:
        lines = path.read_text(encoding="utf-8").split("\n")
        messy = "\n".join(" " * (i % 4) + line.strip() if i % 2 else line for i, line in enumerate(lines))
        f = formatted(messy, str(path))
        if f is None:
            continue
        for i1, i2, j1, j2 in f.hunks[:12]:  # (each costs two layouts of the file)
            runs += 1
            (edit,) = range_format_edits(messy, str(path), i1, max(i1, i2 - 1))
            assert (edit.range.start.line, edit.new_text) == (i1, "".join(f.new[j1:j2]))
            alone = "".join(f.old[:i1] + f.new[j1:j2] + f.old[i2:])
            assert format_text(alone) == f.text
    assert runs > 50

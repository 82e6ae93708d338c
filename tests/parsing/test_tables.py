"""The fast driver (journeyc.parsing.driver), its tables
(journeyc.parsing.tables) and the Lark parser cache
(journeyc.parsing.larkparser) against the grammar they are derived from."""
from __future__ import annotations

from pathlib import Path

import pytest

from journeyc.parsing import driver, grammar, larkparser, parse, tables as shipped
from journeyc.parsing.callbacks import SyntaxBuilder, comment


def _fast_parse(text: str, path: str):
    """The fast driver's blocks and comment tokens, or None."""
    t = driver.tables()
    t.builder.file = path
    t.builder.problems = []
    comments: list = []
    blocks = driver.run(t, text, comments.append)
    return None if blocks is None else (blocks, comments)

from conftest import CASES, REPO

INPUTS = sorted({*REPO.joinpath("specs").rglob("*.journey"), *REPO.joinpath("tests").rglob("*.journey"),
                 *CASES.rglob("*.journey")})


def lark_parse(text: str, path: str):
    """The same text through Lark's own parser, no fast path."""
    lark, builder, comments = larkparser.parser()
    builder.file = path
    builder.problems = []
    comments.clear()
    blocks = lark.parse(text)
    found = tuple(comment(tok, text, path) for tok in comments)
    comments.clear()
    return blocks, found


def readable(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text.removeprefix("\ufeff")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_fast_driver_builds_what_lark_builds(path):
    text = readable(path)
    if text is None:
        return  # not UTF-8: no parser sees it (E008)
    fast = _fast_parse(text, "f.journey")
    try:
        expected = lark_parse(text, "f.journey")
    except Exception:
        assert fast is None, "the fast driver accepted text that Lark rejects"
        return
    assert fast is not None, "the fast driver rejected text that Lark accepts"
    blocks, _ = fast
    assert blocks == expected[0]
    source, _ = driver.parse_source(text, "f.journey")
    assert source.blocks == expected[0] and source.comments == expected[1]


@pytest.mark.parametrize("text", [
    "journey stage { stage owner { -> measure } }",
    'kpi k { target >= 14 source first_party } owner o "a\\"b" { description """x\n"y"\n""" }',
    "journey j {\r\n stage a { # c\r\n  measure k target <= 2.5 days\r\n }\r\n}\r\n",
    "",
    "# only a comment",
])
def test_fast_driver_on_edge_cases(text):
    assert _fast_parse(text, "f.journey")[0] == lark_parse(text, "f.journey")[0]


@pytest.mark.parametrize("text", ["journey j { stage a { -> } }", "owner 14days", "owner o \"x", "@"])
def test_errors_fall_back_to_lark_with_recovery(text):
    assert _fast_parse(text, "f.journey") is None
    _, errors = parse(text, "f.journey")
    assert errors and errors[0].code == "E001"


def test_cached_parser_matches_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path))
    text = grammar.text()
    first = larkparser.build(text)  # builds and saves
    path = larkparser.cache_path(text)
    assert path.exists() and [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    cached = larkparser.build(text)  # loads
    fresh = larkparser.fresh(text)
    # state numbers differ from build to build; what they accept must not
    assert len(cached.parser.parser.parser.parse_table.states) == len(fresh.parser.parser.parser.parse_table.states)
    for path in INPUTS:
        sample = readable(path)
        if sample is None:
            continue
        try:
            expected = fresh.parse(sample)
        except Exception:
            expected = "rejected"
        for parser in (cached, first):
            try:
                got = parser.parse(sample)
            except Exception:
                got = "rejected"
            assert got == expected, path


def test_cache_key_follows_the_grammar():
    text = grammar.text()
    assert larkparser.cache_key(text) == larkparser.cache_key(text)
    assert larkparser.cache_key(text + "\n// changed") != larkparser.cache_key(text)


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path))
    text = grammar.text()
    path = larkparser.cache_path(text)
    path.write_bytes(b"not a parser")
    parser = larkparser.build(text)
    assert parser.parse("journey j { stage a { } }")
    assert path.read_bytes() != b"not a parser"


def test_no_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("JOURNEYC_NO_CACHE", "1")
    assert larkparser.cache_path(grammar.text()) is None
    assert larkparser.build(grammar.text()).parse("owner o")


def test_tables_cache_is_written_once_and_damage_is_repaired(tmp_path, monkeypatch):
    """The user-cache copy (a checkout whose grammar differs from the shipped tables')."""
    monkeypatch.setattr(shipped, "SHIPPED", str(tmp_path / "none.marshal"))
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path))
    text = grammar.text()
    data = shipped.load_data(text)
    (cached,) = tmp_path.glob("fast-*.marshal")
    assert shipped.load_data(text) == data
    cached.write_bytes(b"\x00garbage")
    assert shipped.load_data(text)["rules"] == data["rules"]
    assert cached.read_bytes() != b"\x00garbage"


def test_tables_are_the_grammars(tmp_path, monkeypatch):
    """Tables derived from a fresh Lark build of the grammar parse
    every input as that Lark parser does."""
    monkeypatch.setenv("JOURNEYC_NO_CACHE", "1")
    builder = SyntaxBuilder()
    fresh = larkparser.fresh(grammar.text(), strict=True, transformer=builder)
    tables = driver.Tables(shipped.derive(fresh, shipped.grammar_key(grammar.text())), builder)
    assert_parse_as(tables, fresh, builder)


def assert_parse_as(tables, fresh, builder) -> None:
    """The tables parse every input as the Lark parser `fresh` does."""
    for path in INPUTS:
        text = readable(path)
        if text is None:
            continue
        builder.file = "f.journey"
        try:
            expected = fresh.parse(text)
        except Exception:
            expected = None
        assert driver.run(tables, text, lambda tok: None) == expected, path


def test_text_that_parses_never_imports_lark():
    import subprocess
    import sys

    code = ("import sys; from journeyc.compiler import run_check; "
            f"run_check([{str(REPO / 'specs')!r}]); print(sorted(m for m in sys.modules if m.split('.')[0] == 'lark'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_shipped_tables_are_the_grammars():
    """The tables shipped in the package (journeyc/parsing/parser-tables.marshal)
    carry the current grammar's key and parse every input as a fresh, strict
    Lark build of the grammar does. When this fails after a grammar change,
    regenerate them: `python -m journeyc.parsing.tables`."""
    text = grammar.text()
    data = shipped._read(shipped.SHIPPED, shipped.grammar_key(text), check_owner=False)
    assert data is not None, "stale or missing: run `python -m journeyc.parsing.tables`"
    builder = SyntaxBuilder()
    fresh = larkparser.fresh(text, strict=True, transformer=builder)
    assert_parse_as(driver.Tables(data, builder), fresh, builder)


def test_stale_shipped_tables_are_not_used(tmp_path, monkeypatch):
    """Tables of another grammar are never used: the cache (or Lark) answers."""
    import marshal

    stale = tmp_path / "parser-tables.marshal"
    data = marshal.loads(open(shipped.SHIPPED, "rb").read())
    data["grammar"] = "00000000-1"
    stale.write_bytes(marshal.dumps(data))
    monkeypatch.setattr(shipped, "SHIPPED", str(stale))
    monkeypatch.setenv("JOURNEYC_CACHE_DIR", str(tmp_path / "cache"))
    got = shipped.load_data(grammar.text())
    assert got["grammar"] == shipped.grammar_key(grammar.text())
    assert list((tmp_path / "cache").glob("fast-*.marshal"))  # derived and cached


def test_the_grammar_builds_strictly():
    """Run time builds Lark without strict mode (it needs interegular, which
    is no dependency); the grammar itself has no conflict and no colliding
    terminals."""
    larkparser.fresh(grammar.text(), strict=True)


@pytest.mark.parametrize("generator", ["generate", "generate_rich"])
def test_fast_driver_builds_what_lark_builds_on_generated_specs(generator, tmp_path):
    """The benchmarks' specs: every form the generators write, many times
    over (identifiers shared between tokens, long repetitions)."""
    import importlib
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        module = importlib.import_module(generator)
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    main = module.generate(tmp_path, 120)
    for path in (main, tmp_path / "catalog.journey"):
        text = path.read_text(encoding="utf-8")
        fast = _fast_parse(text, "f.journey")
        assert fast is not None
        blocks, tokens = fast
        assert (blocks, tuple(comment(t, text, "f.journey") for t in tokens)) == lark_parse(text, "f.journey")


def test_reductions_without_a_call_do_what_the_rules_callback_does():
    """The driver reduces by helper rules of one child (WRAP), a repetition's
    first item (PASS) and a repetition growing by one (GROW) on its stacks,
    without calling the rule's reducer: each shortcut must be what that
    reducer returns, and every kind must occur in the grammar's tables
    (else the shortcut is dead code and this test says so)."""
    t = driver.tables()
    kinds = {n for _, n, _ in t.rules if n < 0}
    assert kinds == {driver.WRAP, driver.PASS, driver.GROW}
    item, more = object(), object()
    for origin, n, reduce in t.rules:
        assert origin not in ("start", "_decl") or n >= 0
        if n == driver.WRAP:
            assert reduce([item]) == [item]
        elif n == driver.PASS:
            assert reduce([item]) is item
        elif n == driver.GROW:
            head = [item]
            assert reduce([head, [more]]) is head and head == [item, more]

"""journeyc.patterns: a pattern kept between runs is the Pattern re.compile
makes; the file is only ever a cache (missing, damaged, of another Python
or not writable: re.compile)."""
from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys

import pytest

from conftest import SPECS
from journeyc import figures, patterns
from journeyc.parsing import driver

TEXTS = [
    "Start a 14-day trial: $50, €35 or 35 dollars, 20% or 20 percent off, 50 USD, two weeks, a month",
    "5 working days\u00a0left, 1,000.50 EUR, 3 days to go. Twelve Weeks! an hour; 9.99 yen",
    'owner o "O" { contact "a\\u00e9\\"b" }\n# journeyc: ignore[M001, O001]\njourney j { stage a { -> b } }',
    "naïve – text, with (clauses); and: ünïcödé_words 42",
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """patterns with its file in tmp_path and nothing loaded yet."""
    path = tmp_path / "patterns.marshal"
    monkeypatch.setattr(patterns, "_path", lambda: str(path))
    monkeypatch.setattr(patterns, "_entries", None)
    monkeypatch.setattr(patterns, "_unwritable", False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


def kept():
    """The patterns journeyc keeps: the lexer's, the figures', the others' at import."""
    return [(driver.tables().scanner.pattern, 0), (figures.FIGURE_PATTERN, int(re.IGNORECASE | re.VERBOSE)),
            (figures.SENTENCE_END.pattern, 0), (r"[,;:()\u2013\u2014]", 0), (r"[^\w\s]|_", 0)]


def same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in a.finditer(text)] == [(m.span(), m.groups()) for m in b.finditer(text)]


@pytest.mark.parametrize("index", range(5))
def test_a_kept_pattern_is_the_one_re_makes(cache, index):
    pattern, flags = kept()[index]
    first = patterns.compile(pattern, flags)  # compiled, and written down
    assert cache.exists()
    patterns._entries = None  # as a new process
    second = patterns.compile(pattern, flags)  # from the file
    reference = re.compile(pattern, flags)
    same(first, reference)
    same(second, reference)


def test_a_kept_pattern_is_not_parsed_again(cache, monkeypatch):
    for pattern, flags in kept():
        patterns.compile(pattern, flags)
    patterns._entries = None
    re.purge()
    parsed = []
    real = re._parser.parse
    monkeypatch.setattr(re._parser, "parse", lambda *a, **k: parsed.append(a) or real(*a, **k))
    for pattern, flags in kept():
        patterns.compile(pattern, flags)
    assert parsed == []


@pytest.mark.parametrize("content", [b"", b"garbage", marshal.dumps((("3.0", 1, 4), {})),
                                     marshal.dumps(((sys.version, 0, 4), {("a", 0): (0, [1], 0, {}, ())})),
                                     marshal.dumps([1, 2, 3])])
def test_a_file_that_is_not_this_pythons_is_ignored(cache, content):
    cache.write_bytes(content)
    pattern, flags = kept()[1]
    same(patterns.compile(pattern, flags), re.compile(pattern, flags))


def test_an_entry_this_sre_refuses_is_compiled_afresh(cache):
    pattern, flags = kept()[2]
    cache.write_bytes(marshal.dumps((patterns._identity(), {(pattern, flags): (flags, [0, 1, 2], 0, {}, ())})))
    same(patterns.compile(pattern, flags), re.compile(pattern, flags))


def test_nothing_is_written_without_bytecode(cache, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    same(patterns.compile(r"a(b)c", 0), re.compile(r"a(b)c"))
    assert not cache.exists()


def test_a_file_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    """A read-only installation: each pattern is parsed once, as re.compile
    does, and writing is tried once."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setattr(patterns, "_path", lambda: str(blocker / "patterns.marshal"))
    monkeypatch.setattr(patterns, "_entries", None)
    monkeypatch.setattr(patterns, "_unwritable", False)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    parsed, tried = [], []
    real_parse, real_makedirs = re._parser.parse, os.makedirs
    monkeypatch.setattr(re._parser, "parse", lambda *a, **k: parsed.append(a) or real_parse(*a, **k))
    monkeypatch.setattr(os, "makedirs", lambda *a, **k: tried.append(a) or real_makedirs(*a, **k))
    re.purge()
    same(patterns.compile(r"x(?P<y>y)", 0), re.compile(r"x(?P<y>y)"))
    same(patterns.compile(r"x(?P<z>z)", 0), re.compile(r"x(?P<z>z)"))
    assert len(tried) == 1
    assert len(parsed) == 4  # once each by patterns, once each by the reference re.compile


def test_the_file_stays_small(cache):
    for i in range(patterns.MAX_PATTERNS + 5):
        patterns.compile(f"a{i}", 0)
    patterns._entries = None
    assert len(patterns._load()) <= patterns.MAX_PATTERNS


def test_a_check_writes_the_file_beside_the_bytecode_and_reads_it(tmp_path):
    """Two processes with bytecode on (PYTHONPYCACHEPREFIX: in tmp_path):
    the first writes the file, the second makes its patterns from it, and
    both say the same."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "JOURNEYC_CACHE_DIR")}
    env.update(PYTHONPYCACHEPREFIX=str(tmp_path / "pycache"), JOURNEYC_NO_RESULT_CACHE="1")
    code = ("import re, sys\n"
            "from re import _parser\n"
            "parsed = []\n"
            "real = _parser.parse\n"
            "_parser.parse = lambda *a, **k: parsed.append(a[0]) or real(*a, **k)\n"
            "sys.argv = ['journeyc', 'check', sys.argv[1]]\n"
            "from journeyc import figures, launch\n"
            "status = launch.run()\n"
            "sys.stdout.flush()\n"
            "print(status, figures.FIGURE_PATTERN in parsed, file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(SPECS / "saas.journey")], env=env, cwd=SPECS,
                           capture_output=True, text=True) for _ in range(2)]
    kept_files = list((tmp_path / "pycache").rglob("journeyc-patterns.*.marshal"))
    assert len(kept_files) == 1
    assert runs[0].stdout == runs[1].stdout and "checks passed (4 files)" in runs[0].stdout
    assert [r.stderr.split()[-1] for r in runs] == ["True", "False"]  # parsed the first time only

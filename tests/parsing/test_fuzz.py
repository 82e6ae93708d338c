"""Fuzzing: journeyc answers every input with a result or diagnostics whose
positions lie inside the file, exits 0 or 1, and never raises.

Inputs: texts generated from the real grammar (hypothesis' `from_lark`),
token soups that stress error recovery, and mutations of the specs in
`specs/`: byte flips, truncation at every offset, deleted and duplicated
lines, hostile Unicode (right-to-left marks, combining characters, NUL, lone
surrogates written as bytes), invalid UTF-8, random bytes.

Quick mode (the normal run, so `.ci/run`): bounded example counts,
derandomised. Long mode: `pytest -m fuzz --hypothesis-show-statistics`
(more than 100,000 inputs; see the README, "Limits and reliability")."""
from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from journeyc.parsing import grammar
from journeyc.parsing import parse as parse_text

from conftest import SPECS
from reliability import check_cli_formats, check_run, watchdog

QUICK = settings(max_examples=200, derandomize=True, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=20_000, deadline=None, database=None, suppress_health_check=list(HealthCheck))

SPEC_FILES = sorted(SPECS.rglob("*.journey"))
SMALL_SPEC = SPECS / "catalog" / "teams.journey"


# ---------------------------------------------------------------------------
# texts from the grammar


@lru_cache(maxsize=1)
def grammar_texts():
    """`from_lark` over the grammar (journeyc/parsing/journey.lark). Terminals are padded with
    spaces so that neighbours never glue into another token; identifiers
    are never keywords (after a number either may stand, and the keyword
    wins); a comment ends its line."""
    lark = Lark(grammar.text(), parser="lalr", lexer="contextual")
    keywords = {t.name: t.pattern.value for t in lark.terminals if t.pattern.type == "str"}
    pad = lambda s: st.just(f" {s} ")  # noqa: E731
    explicit = {name: pad(value) for name, value in keywords.items()}
    number = r"[0-9]{1,4}(_[0-9]{1,3}){0,2}(\.[0-9]{1,3}(_[0-9]{1,2})?)?"
    explicit.update({
        "NAME": st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)
        .filter(lambda w: w not in keywords.values()).map(lambda w: f" {w} "),
        "NUMBER": st.from_regex(number, fullmatch=True).map(lambda n: f" {n} "),
        "PERCENT_NUMBER": st.from_regex(number + "%", fullmatch=True).map(lambda n: f" {n} "),
        "STRING": st.from_regex(r'"(?:[^"\\\r\n\x00]|\\["\\nt]|\\u[0-9A-Fa-f]{4}){0,20}"', fullmatch=True)
        .map(lambda s: f" {s} "),
        "LONG_STRING": st.from_regex(r'"""(?:[^"\x00]|"[^"\x00]){0,30}"""', fullmatch=True).map(lambda s: f" {s} "),
        "COMMENT": st.from_regex(r"#[^\r\n\x00]{0,20}", fullmatch=True).map(lambda c: f" {c}\n"),
    })
    return from_lark(lark, explicit=explicit)


def grammar_property(text: str, folder: Path):
    with watchdog(120, text):
        _, errors = parse_text(text, "g.journey")
    assert [d for d in errors if d.code == "E001"] == [], (text, [d.message for d in errors])
    path = folder / "g.journey"
    path.write_bytes(text.encode("utf-8"))
    check_run([str(path)])


@QUICK
@given(text=grammar_texts())
def test_texts_of_the_grammar_parse_and_are_answered(text, tmp_path_factory):
    grammar_property(text, fuzz_folder(tmp_path_factory))


@pytest.mark.fuzz
@LONG
@given(text=grammar_texts())
def test_fuzz_texts_of_the_grammar(text, tmp_path_factory):
    grammar_property(text, fuzz_folder(tmp_path_factory))


# ---------------------------------------------------------------------------
# token soups: anything at all the lexer knows, in any order

SOUP = ["journey", "stage", "touchpoint", "message", "kpi", "owner", "persona", "channel", "import", "claim",
        "tone", "promise", "target", "measure", "entry", "phase", "score", "recovery", "audience", "area",
        "unit", "source", "{", "}", "{", "}", "->", ",", "=", ">=", "<", "x", "growth", "email", "14", "40%",
        "2.5", "days", '"s"', '"""long\n# not a comment\n"""', "# comment\n", "\n", "@", '"open', "14days",
        '"bad \\q"', "\u202e", "\u0301", "é", "\t", "\r\n", '"', "1_000", "true"]  # (no NUL: it would make most E008)


def soup_texts():
    return st.lists(st.sampled_from(SOUP), max_size=60).map(" ".join)


@QUICK
@given(text=soup_texts())
def test_token_soups_are_answered(text, tmp_path_factory):
    answer_bytes(text.encode("utf-8"), fuzz_folder(tmp_path_factory))


@pytest.mark.fuzz
@LONG
@given(text=soup_texts())
def test_fuzz_token_soups(text, tmp_path_factory):
    answer_bytes(text.encode("utf-8"), fuzz_folder(tmp_path_factory))


# ---------------------------------------------------------------------------
# mutations of the specs

HOSTILE = ["\u200f", "\u202e", "\u2066", "\u0301", "\u0301\u0301\u0301", "\x00", "\ufeff", "\u2028", "\r",
           "\x1b[31m", "😀", "\U0010ffff", "\x7f", "\t", '"', '"""', "#", "{", "}", "->"]
BAD_UTF8 = [b"\xff", b"\xc0\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\x80",
            b"\xfe\xff", b"\x00"]


@st.composite
def mutated_specs(draw):
    """A spec's bytes after one to four mutations."""
    path = draw(st.sampled_from(SPEC_FILES))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "delete_line", "duplicate_line", "unicode", "bytes",
                                     "splice"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind in ("delete_line", "duplicate_line"):
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i:i + 1] = [] if kind == "delete_line" else [lines[i], lines[i]]
            data = bytearray(b"\n".join(lines))
        elif kind == "unicode":
            text = draw(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=3)))
            data[at:at] = text.encode("utf-8", "surrogatepass")
        elif kind == "bytes":
            data[at:at] = draw(st.one_of(st.sampled_from(BAD_UTF8), st.binary(min_size=1, max_size=4)))
        elif kind == "splice":  # a piece of the file somewhere else
            end = draw(st.integers(at, min(len(data), at + 200)))
            to = draw(st.integers(0, len(data)))
            data[to:to] = data[at:end]
    return path.relative_to(SPECS).as_posix(), bytes(data)


@lru_cache(maxsize=None)
def _spec_copy(folder: str) -> Path:
    """specs/ copied once into `folder`, with a project marker, so mutated
    files keep their imports and cannot reach out of it."""
    target = Path(folder) / "specs"
    shutil.copytree(SPECS, target)
    (target / "journeyc.toml").write_text("", encoding="utf-8")
    return target


def fuzz_folder(factory) -> Path:
    return _spec_copy(str(factory.getbasetemp()))


def answer_bytes(data: bytes, folder: Path, name: str = "fuzz.journey"):
    """Write data as a journey file beside copies of the specs, check it in-process."""
    path = folder / name
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        check_run([str(path)], what=data.decode("utf-8", "replace"))
    finally:
        if original is not None:
            path.write_bytes(original)
        else:
            path.unlink()


@QUICK
@given(case=mutated_specs())
def test_mutated_specs_are_answered(case, tmp_path_factory):
    name, data = case
    answer_bytes(data, fuzz_folder(tmp_path_factory), name)


@pytest.mark.fuzz
@LONG
@given(case=mutated_specs())
def test_fuzz_mutated_specs(case, tmp_path_factory):
    name, data = case
    answer_bytes(data, fuzz_folder(tmp_path_factory), name)


@QUICK
@given(data=st.binary(max_size=400))
def test_random_bytes_are_answered(data, tmp_path_factory):
    answer_bytes(data, fuzz_folder(tmp_path_factory))


@QUICK
@given(text=st.text(max_size=200))
def test_random_text_is_answered(text, tmp_path_factory):
    # lone surrogates included: written as the bytes a careless encoder makes
    answer_bytes(text.encode("utf-8", "surrogatepass"), fuzz_folder(tmp_path_factory))


@pytest.mark.fuzz
@LONG
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_fuzz_random_input(data, tmp_path_factory):
    answer_bytes(data, fuzz_folder(tmp_path_factory))


# ---------------------------------------------------------------------------
# enumerations: every offset, every line


def truncations(path: Path):
    data = path.read_bytes()
    return [data[:i] for i in range(len(data) + 1)]


def line_edits(path: Path):
    lines = path.read_bytes().split(b"\n")
    for i in range(len(lines)):
        yield b"\n".join(lines[:i] + lines[i + 1:])
        yield b"\n".join(lines[:i + 1] + lines[i:])


def test_truncation_at_every_offset_of_a_small_spec(tmp_path_factory):
    folder = fuzz_folder(tmp_path_factory)
    for data in truncations(SMALL_SPEC):
        answer_bytes(data, folder, "catalog/teams.journey")


def test_every_line_deleted_and_duplicated(tmp_path_factory):
    folder = fuzz_folder(tmp_path_factory)
    for data in line_edits(SPECS / "catalog" / "kpis.journey"):
        answer_bytes(data, folder, "catalog/kpis.journey")


@pytest.mark.fuzz
@pytest.mark.parametrize("spec", [p.relative_to(SPECS).as_posix() for p in SPEC_FILES])
def test_fuzz_truncation_and_line_edits_of_every_spec(spec, tmp_path_factory):
    folder = fuzz_folder(tmp_path_factory)
    for data in truncations(SPECS / spec):
        answer_bytes(data, folder, spec)
    for data in line_edits(SPECS / spec):
        answer_bytes(data, folder, spec)


# ---------------------------------------------------------------------------
# the command line, every output format, on a sample of hostile inputs

CLI_SAMPLES = [
    b"",
    b"journey j { stage s {",
    "owner o \"\u202egnp.exe\" { description \"\\u0000 \\\\ \\\" </script> ]]> %0A ::error::x\" }\n".encode(),
    b"\xff\xfe journey",
    b"journey j { stage a { touchpoint t { chanel email } -> b } }\nimport \"/etc/passwd\"\n",
    "journey j\u0301 { stage s { } }\n".encode(),
    b"kpi k { target >= " + b"9" * 400 + b" }\n",
]


@pytest.mark.parametrize("data", CLI_SAMPLES)
def test_the_command_answers_hostile_input_in_every_format(data, tmp_path):
    (tmp_path / "journeyc.toml").write_text("", encoding="utf-8")
    (tmp_path / "in.journey").write_bytes(data)
    check_cli_formats(Path("in.journey"), tmp_path)

"""`journeyc fmt` (docs/fmt.md): the canonical layout, comments kept with
their code, idempotence, the same compilation and the same diagnostics at
the moved lines, for every spec, conformance case and valid fuzz input; a
grammar extended by an unknown construct formats without a formatter change."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given

import journeyc
from journeyc.fmt import FormatError, concrete_syntax, format_text, quote, run
from journeyc.parsing.callbacks import decode_string

from conftest import CASES, REPO, SHARED, SPECS
from test_fuzz import LONG, QUICK, grammar_texts, mutated_specs, soup_texts

CASES_11 = SHARED / "conformance" / "cases-1.1"
SOURCES = sorted(SPECS.rglob("*.journey")) + sorted(CASES.rglob("*.journey")) + sorted(CASES_11.rglob("*.journey"))
JOURNEYC = [sys.executable, "-m", "journeyc"]


def _value(t):
    if t.type == "LONG_STRING":
        return ("string", t.value[3:-3])
    if t.type == "STRING":
        return ("string", decode_string(t.value))
    return (t.type, t.value)


def tokens(text: str, data=None) -> list:
    """The tokens of text that parses, strings by their value: what
    formatting must keep (a grammar-agnostic property)."""
    return [_value(t) for t in concrete_syntax(text, data)[0].tokens]


def tokens_in(text: str, span) -> list:
    """The tokens a span covers, strings by their value."""
    start, end = (span.line, span.column), (span.end_line, span.end_column)
    return [_value(t) for t in concrete_syntax(text)[0].tokens
            if start <= (t.line, t.column) and (t.end_line, t.end_column) <= end]


def comments(text: str) -> list[str]:
    return [c.value.rstrip(" \t") for c in concrete_syntax(text)[1]]


def compiled(text: str, name: str):
    comp, diagnostics = journeyc.compile_source(text, name)
    return (journeyc.to_json(comp) if comp is not None else None), diagnostics


def located(diagnostics, text: str, name: str) -> list:
    """Each diagnostic with the tokens it points at instead of its line:
    the same list before and after formatting means the same findings at
    the moved lines."""
    out = []
    for d in diagnostics:
        s = d.span
        where = tokens_in(text, s) if os.path.realpath(s.file) == os.path.realpath(name) else (s.line, s.column)
        out.append((d.code, d.message, s.file, where, [(r.message, r.span.file) for r in d.related]))
    return sorted(out, key=repr)


def assert_formats_faithfully(text: str, name: str):
    out = format_text(text, name)
    assert format_text(out, name) == out, "not idempotent"
    assert tokens(out) == tokens(text)
    assert comments(out) == comments(text)
    before, d_before = compiled(text, name)
    after, d_after = compiled(out, name)
    assert after == before
    assert located(d_after, out, name) == located(d_before, text, name)
    return out


# ---------------------------------------------------------------------------
# the layout

MESSY = '''# head

import "catalog/teams.journey"
import "catalog/kpis.journey"
owner x "X"   # trailing
owner y "Y"
persona p "P" { kind customer description """says "hi" """ }
kpi k "K" { unit percent target >= 40% source first_party "A" }   # journeyc: ignore[M007]
journey j "J" {
    model flywheel    owner x
  # before the stage
  stage a "A" { entry
      measure k, # inside
        k
    touchpoint t "T" { channel email area support recovery }



    -> b "go"
  }
  stage b "B" { -> a }
}
# end
'''

CANONICAL = '''# head

import "catalog/teams.journey"
import "catalog/kpis.journey"

owner x "X"  # trailing
owner y "Y"

persona p "P" { kind customer description "says \\"hi\\" " }

kpi k "K" { unit percent target >= 40% source first_party "A" }  # journeyc: ignore[M007]

journey j "J" {
  model flywheel
  owner x

  # before the stage
  stage a "A" {
    entry
    measure k,  # inside
        k
    touchpoint t "T" {
      channel email
      area support
      recovery
    }

    -> b "go"
  }

  stage b "B" { -> a }
}
# end
'''


def test_the_canonical_layout():
    assert format_text(MESSY) == CANONICAL
    assert format_text(CANONICAL) == CANONICAL


def test_messy_text_keeps_its_meaning_and_suppressions():
    assert_formats_faithfully(MESSY, str(SPECS / "messy.journey"))


def test_blank_lines_between_top_level_declarations_and_stages():
    text = 'owner a "A" { contact "a@x" }\nowner b "B" { contact "b@x" }\njourney j {\nstage s { }\nstage t { }\n}\n'
    assert format_text(text) == ('owner a "A" { contact "a@x" }\nowner b "B" { contact "b@x" }\n\njourney j {\n'
                                 '  stage s { }\n\n  stage t { }\n}\n')
    three = 'owner a "A" {\ncontact "a@x"\n}\nowner b "B"\n'
    assert format_text(three) == 'owner a "A" {\n  contact "a@x"\n}\n\nowner b "B"\n'


def test_short_blocks_stay_on_one_line_only_when_written_so():
    assert format_text('persona p { kind customer }\n') == 'persona p { kind customer }\n'
    assert format_text('persona p {\nkind customer }\n') == 'persona p {\n  kind customer\n}\n'
    assert format_text('persona p {\n}\n') == 'persona p { }\n'
    # three items on one line: one a line
    assert format_text('kpi k { unit percent cadence daily category retention }\n') == \
        'kpi k {\n  unit percent\n  cadence daily\n  category retention\n}\n'


def test_a_trailing_comment_keeps_its_one_line_block_whole():
    text = 'journey j { stage a { touchpoint t { channel fax area x recovery } } }  # journeyc: ignore[X005]\n'
    assert format_text(text) == text
    # ... when it follows the `}`: after another declaration it trails that one
    assert format_text('journey A { stage A { } } import ""  #\n') == \
        'journey A {\n  stage A { }\n}\n\nimport ""  #\n'



def test_comment_lines_stay_above_what_they_preceded():
    text = 'journey j {\n  stage a {\n    # about the end\n  }\n  # last\n}\n# eof\n'
    assert format_text(text) == text
    assert format_text('journey j {\nstage a {\n\n\n# c\n\n\n-> a\n}\n}\n') == \
        'journey j {\n  stage a {\n    # c\n\n    -> a\n  }\n}\n'


def test_strings_are_quoted_canonically():
    assert format_text('channel c "\\u0041\\t\\"\\\\"\n') == 'channel c "A\\t\\"\\\\"\n'
    assert format_text('channel c """plain"""\n') == 'channel c "plain"\n'
    kept = 'channel c """two\nlines "quoted" \\n"""\n'
    assert format_text(kept) == kept
    assert quote("bell\u0007 rtl\u202e nl\n é 😀") == '"bell\\u0007 rtl\\u202e nl\\n é 😀"'
    assert format_text('channel c "\\u00e9\\ud83d\\ude00"\n') == 'channel c "é😀"\n'


def test_numbers_and_units_are_kept_as_written():
    text = 'kpi k {\n  target >= 1_000.50 USD\n}\nkpi l {\n  target <= 05%\n}\n'
    assert format_text(text) == text.replace("}\nkpi", "}\n\nkpi")


def test_line_ends_and_byte_order_mark_are_normalised():
    assert format_text('\ufeffowner a\r\nowner b\r\n') == 'owner a\nowner b\n'
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""
    assert format_text("# only\n\n\n# comments") == "# only\n\n# comments\n"


def test_syntax_errors_are_refused_with_E001():
    with pytest.raises(FormatError) as e:
        format_text('journey j {\n  stage {\n}\n', "bad.journey")
    assert {d.code for d in e.value.diagnostics} == {"E001"}
    with pytest.raises(FormatError) as e:
        format_text("owner a \x00", "nul.journey")
    assert [d.code for d in e.value.diagnostics] == ["E008"]


# ---------------------------------------------------------------------------
# every spec and conformance case


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO.parent)))
def test_every_spec_and_case_formats_faithfully_or_is_refused_as_check_refuses(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # E008: refused before parsing
        err = io.StringIO()
        assert run([str(path)], check=True, stdout=io.StringIO(), stderr=err) == 1
        assert "error[E008]" in err.getvalue()
        return
    try:
        assert_formats_faithfully(text, str(path))
    except FormatError as e:
        # the text does not parse (yet): fmt reports what check reports
        _, diagnostics = journeyc.compile_source(text, str(path))
        own = [d for d in diagnostics if d.code == "E001" and d.span.file == str(path)]
        assert own and [(d.code, d.span.line, d.message) for d in e.diagnostics] == \
            [(d.code, d.span.line, d.message) for d in own]


def test_the_specs_parse_and_most_cases_do():
    parsed = 0
    for path in SOURCES:
        try:
            format_text(path.read_bytes().decode("utf-8", "replace"), str(path))
            parsed += 1
        except FormatError:
            pass
    assert parsed >= len(list(SPECS.rglob("*.journey"))) + 30


def test_conformance_cases_still_pass_once_formatted(tmp_path):
    """The cases put `# expect: CODE` on the line a diagnostic must be
    reported on: formatted, they pass just the same."""
    target = tmp_path / "cases"
    shutil.copytree(CASES, target)
    result = subprocess.run(JOURNEYC + ["fmt", str(target)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1, result.stderr  # the E001 and E008 cases are refused
    assert "not formatted (syntax errors)" in result.stderr
    assert (CASES / "o002_unused_owner.journey").read_bytes() != (target / "o002_unused_owner.journey").read_bytes()
    runner = subprocess.run([sys.executable, str(SHARED / "conformance" / "run"), "--journeyc",
                             f"{sys.executable} -m journeyc", "--cases", str(target)],
                            capture_output=True, text=True, cwd=REPO)
    assert runner.returncode == 0, runner.stdout + runner.stderr


# ---------------------------------------------------------------------------
# properties over the fuzz suite's valid inputs


@QUICK
@given(text=grammar_texts())
def test_texts_of_the_grammar_format_faithfully(text):
    assert_formats_faithfully(text, str(SPECS / "fuzz.journey"))


@pytest.mark.fuzz
@LONG
@given(text=grammar_texts())
def test_fuzz_texts_of_the_grammar_format_faithfully(text):
    assert_formats_faithfully(text, str(SPECS / "fuzz.journey"))


@QUICK
@given(case=mutated_specs())
def test_mutated_specs_that_parse_format_faithfully(case):
    name, data = case
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or concrete_syntax(text.lstrip("\ufeff")) is None or "\x00" in text:
        with pytest.raises(FormatError):
            format_text(data.decode("utf-8", "surrogateescape"), name)
        return
    assert_formats_faithfully(text, str(SPECS / name))


@QUICK
@given(text=soup_texts())
def test_token_soups_format_faithfully_or_are_refused(text):
    if concrete_syntax(text) is None:
        with pytest.raises(FormatError) as e:
            format_text(text, "soup.journey")
        assert e.value.diagnostics and {d.code for d in e.value.diagnostics} <= {"E001", "E008"}
    else:
        assert_formats_faithfully(text, str(SPECS / "soup.journey"))


# ---------------------------------------------------------------------------
# a construct the formatter has never heard of


EXTENDED = {
    "_journey_item: ": "_journey_item: gadget_decl | ",
    "// ---- values": ('gadget_decl: GADGET NAME [string] _LBRACE _gadget_item* RBRACE\n'
                       '_gadget_item: size | colours | gadget_decl\n'
                       'size: SIZE number\n'
                       'colours: COLOURS NAME (_COMMA NAME)*\n'
                       'GADGET: "gadget"\nSIZE: "size"\nCOLOURS: "colours"\n'
                       '// ---- values'),
}


@pytest.fixture(scope="module")
def extended_tables():
    from journeyc.parsing import grammar, larkparser, tables

    text = grammar.text()
    for old, new in EXTENDED.items():
        assert old in text
        text = text.replace(old, new, 1)
    return tables.derive(larkparser.fresh(text), tables.grammar_key(text))


def test_a_new_construct_formats_with_no_formatter_change(extended_tables):
    text = ('journey j { model funnel gadget g "G" { size 3 cm colours red , blue # hues\n'
            'gadget inner { size 1 } } }\n')
    out = format_text(text, data=extended_tables)
    assert out == ('journey j {\n  model funnel\n  gadget g "G" {\n    size 3 cm\n    colours red, blue  # hues\n'
                   '    gadget inner { size 1 }\n  }\n}\n')
    assert format_text(out, data=extended_tables) == out
    assert tokens(out, extended_tables) == tokens(text, extended_tables)
    with pytest.raises(FormatError):  # the real grammar does not know it
        format_text(text)


# ---------------------------------------------------------------------------
# the command


def fmt_cli(*args, input: bytes | None = None, cwd=None):
    return subprocess.run(JOURNEYC + ["fmt", *args], input=input, capture_output=True, cwd=cwd)


def test_check_lists_the_files_that_would_change_and_writes_nothing(tmp_path):
    messy = tmp_path / "a.journey"
    messy.write_text(MESSY.replace('import "catalog/teams.journey"\nimport "catalog/kpis.journey"\n', ""))
    clean = tmp_path / "sub" / "b.journey"
    clean.parent.mkdir()
    clean.write_text(CANONICAL)
    before = messy.read_bytes()
    r = fmt_cli("--check", str(tmp_path))
    assert r.returncode == 1
    assert r.stdout.decode() == f"would reformat {messy.as_posix()}\n"
    assert b"1 file would be reformatted, 1 already formatted" in r.stderr
    assert messy.read_bytes() == before
    r = fmt_cli("--check", str(clean))
    assert r.returncode == 0 and r.stdout == b""


def test_diff_prints_a_unified_diff(tmp_path):
    (tmp_path / "a.journey").write_text("owner a\nowner b { contact \"x\" contact \"y\" contact \"z\" }\n")
    r = fmt_cli("--diff", "a.journey", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout.decode() == ('--- a/a.journey\n+++ b/a.journey\n@@ -1,2 +1,7 @@\n owner a\n'
                                 '-owner b { contact "x" contact "y" contact "z" }\n+\n+owner b {\n'
                                 '+  contact "x"\n+  contact "y"\n+  contact "z"\n+}\n')


def test_in_place_writes_only_what_changes_and_leaves_no_temporary_file(tmp_path):
    messy = tmp_path / "a.journey"
    messy.write_bytes(b"owner a\r\nowner b\r\n")
    clean = tmp_path / "b.journey"
    clean.write_text("owner c\n")
    os.utime(clean, (1, 1))
    r = fmt_cli(str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert messy.read_bytes() == b"owner a\nowner b\n"
    assert os.stat(clean).st_mtime == 1  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.journey", "b.journey"]
    assert b"1 file reformatted, 1 already formatted" in r.stderr


def test_symbolic_links_are_written_through_and_fifos_refused(tmp_path):
    real = tmp_path / "real.journey"
    real.write_text("owner a {\n}\n")
    link = tmp_path / "sub" / "link.journey"
    link.parent.mkdir()
    link.symlink_to(real)
    r = fmt_cli(str(link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and real.read_text() == "owner a { }\n"
    fifo = tmp_path / "pipe.journey"
    os.mkfifo(fifo)
    r = fmt_cli(str(fifo))
    assert r.returncode == 2 and b"is not a regular file" in r.stderr


def test_standard_input_to_standard_output():
    r = fmt_cli("-", input=MESSY.encode())
    assert r.returncode == 0 and r.stdout.decode() == CANONICAL and r.stderr == b""
    r = fmt_cli("--check", "-", input=MESSY.encode())
    assert r.returncode == 1 and r.stdout == b"would reformat <stdin>\n"
    r = fmt_cli("--check", "-", input=CANONICAL.encode())
    assert r.returncode == 0 and r.stdout == b""


def test_syntax_errors_exit_1_with_E001_and_leave_the_file(tmp_path):
    bad = tmp_path / "bad.journey"
    bad.write_text("journey j {\n  stage {\n")
    good = tmp_path / "good.journey"
    good.write_text("owner a   \n")
    r = fmt_cli(str(tmp_path))
    assert r.returncode == 1
    assert b"error[E001]" in r.stderr and bad.as_posix().encode() in r.stderr
    assert bad.read_text() == "journey j {\n  stage {\n"
    assert good.read_text() == "owner a\n"  # the others are still formatted
    r = fmt_cli("-", "--stdin-filename", "editor.journey", input=b"stage {")
    assert r.returncode == 1 and r.stdout == b"" and b"editor.journey:1:1: error[E001]" in r.stderr


def test_bad_command_lines_exit_2(tmp_path):
    r = fmt_cli(str(tmp_path / "missing.journey"))
    assert r.returncode == 2 and b"no such file or folder" in r.stderr
    r = fmt_cli("--stdin-filename", "x.journey", str(tmp_path))
    assert r.returncode == 2 and b"--stdin-filename" in r.stderr


def test_run_in_process_with_streams():
    out, err = io.StringIO(), io.StringIO()
    assert run(["-"], stdin=io.BytesIO(b"owner a {\n}\n"), stdout=out, stderr=err) == 0
    assert out.getvalue() == "owner a { }\n"



def test_the_specs_are_formatted():
    r = fmt_cli("--check", "specs/", cwd=REPO)
    assert r.returncode == 0, r.stdout.decode()

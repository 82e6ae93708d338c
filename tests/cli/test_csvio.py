"""`journeyc export csv` and `journeyc import csv`: the documented columns,
encodings, formula-safe cells, round trips of every spec, and bad rows
reported by their spreadsheet row number with nothing written."""
from __future__ import annotations

import csv
import io
import os

import pytest

from journeyc.csvio import COLUMNS

from conftest import CASES, GOLDEN, REPO, run_journeyc, spec_files, write

INPUTS = sorted(spec_files() + [GOLDEN / "inputs" / n for n in ("hostile.journey", "findings.journey",
                                                                "edges.journey")])
CLEAN_CASES = sorted(p for p in CASES.glob("*.journey") if not p.name.startswith("e"))


def export(path, *extra) -> bytes:
    proc = run_journeyc(["export", "csv", path, *extra], cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_columns_in_the_documented_order_and_plain_utf8():
    data = export("specs/saas.journey")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    rows = table(data)
    assert tuple(rows[0]) == COLUMNS
    assert rows[0][:6] == ["journey", "journey_title", "stage", "stage_title", "phase", "touchpoint"]
    first = dict(zip(rows[0], rows[1]))
    assert first["journey"] == "saas" and first["stage"] == "triggers" and first["touchpoint"] == "search_ads"
    assert first["channel"] == "search" and first["area"] == "marketing" and first["owner"] == "growth"
    # every touchpoint of the spec is one row
    import journeyc

    comp, _ = journeyc.compile_file(REPO / "specs" / "saas.journey")
    count = sum(max(1, len(s.touchpoints)) for j in comp.journeys for s in j.stages)
    assert len(rows) - 1 == count


def test_excel_gets_a_byte_order_mark_and_crlf():
    data = export("specs/saas.journey", "--excel")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") >= len(table(data))
    assert table(data) == table(export("specs/saas.journey"))


def test_non_ascii_text_is_utf8(tmp_path):
    spec = write(tmp_path, "u.journey", 'journey j "Café €" { stage s "Étape" { touchpoint t "Über ✓" '
                                        '{ channel email message "Prix: 50 €" } } }\n')
    data = export(spec)
    assert "Café €".encode("utf-8") in data and "Über ✓".encode("utf-8") in data


@pytest.mark.parametrize("path", INPUTS + CLEAN_CASES, ids=lambda p: p.name)
def test_import_of_export_round_trips_the_touchpoint_data(path, tmp_path):
    first = export(path)
    (tmp_path / "in.csv").write_bytes(first)
    proc = run_journeyc(["import", "csv", tmp_path / "in.csv", "-o", tmp_path / "out.journey"])
    assert proc.returncode == 0, proc.stderr.decode()
    check = run_journeyc(["check", tmp_path / "out.journey", "--output-format", "json", "--fail-on", "never"])
    assert check.returncode == 0
    assert not [d for d in __import__("json").loads(check.stdout)["diagnostics"] if d["code"].startswith("E")]
    again = export(tmp_path / "out.journey")
    # every column but `facts`: an imported spec declares no fact (see the next test)
    assert without(again, "facts") == without(first, "facts")
    assert not any(r[COLUMNS.index("facts")] for r in table(again)[1:])


def without(data: bytes, column: str) -> list[list[str]]:
    rows = table(data)
    i = rows[0].index(column)
    return [r[:i] + r[i + 1:] for r in rows]


FACTS = '''persona buyer "Buyer"
fact trial_days = 14 days { phrase "free trial", "trial" }
fact seat_price = 4 USD { phrase "per seat" audience buyer }
'''
FACT_SPEC = '''import "facts.journey"
journey j {
  stage s {
    touchpoint ad { channel social audience buyer
      message "Start your 14-day free trial. Then $4 per seat, 3 days left." { claim trial_days = 14 days }
      message "No figures here."
      message "A 30-day trial." { claim seat_price = 5 USD } }
    touchpoint other { channel email message "Welcome" }
  }
}
'''


def test_figures_and_facts_columns_and_their_round_trip(tmp_path):
    """`figures` as written, `; ` between them; `facts` the ids the message
    states; a line per message. Import reads neither; the imported spec,
    given the facts again, exports the same table."""
    write(tmp_path, "facts.journey", FACTS)
    spec = write(tmp_path, "main.journey", FACT_SPEC)
    first = export(spec)
    rows = [dict(zip(table(first)[0], r)) for r in table(first)[1:]]
    assert rows[0]["figures"] == "14-day; $4; 3 days\n\n30-day"
    assert rows[0]["facts"] == "trial_days, seat_price\n\ntrial_days, seat_price"
    assert rows[1]["figures"] == rows[1]["facts"] == ""
    (tmp_path / "in.csv").write_bytes(first)
    proc = run_journeyc(["import", "csv", tmp_path / "in.csv", "-o", tmp_path / "out.journey"])
    assert proc.returncode == 0 and b"not one journeyc reads" not in proc.stderr, proc.stderr.decode()
    out = (tmp_path / "out.journey").read_text()
    assert "fact " not in out and "14-day; $4" not in out
    # the facts (and the persona they name) come from the catalogue again
    text = out.replace('persona buyer\n', "")
    write(tmp_path, "out.journey", 'import "facts.journey"\n' + text)
    assert export(tmp_path / "out.journey") == first


def test_formula_cells_are_quoted_and_unquoted_again(tmp_path):
    spec = write(tmp_path, "f.journey", 'journey j { stage s { touchpoint t "=HYPERLINK(\\"http://x\\")" '
                                        '{ channel email message "+1 for you" message "\'=already" '
                                        'description "@SUM(A1)" } } }\n')
    data = export(spec)
    row = dict(zip(*table(data)[:2]))
    assert row["touchpoint_title"] == "'=HYPERLINK(\"http://x\")"
    assert row["messages"].split("\n") == ["'+1 for you", "'=already"]  # only a cell's start matters
    assert row["description"] == "'@SUM(A1)"
    (tmp_path / "f.csv").write_bytes(data)
    out = run_journeyc(["import", "csv", tmp_path / "f.csv"]).stdout.decode()
    assert 'touchpoint t "=HYPERLINK(\\"http://x\\")"' in out
    assert 'message "+1 for you"' in out and 'message "\'=already"' in out and 'description "@SUM(A1)"' in out


HEADER = ",".join(COLUMNS) + "\n"


def test_rows_are_grouped_into_journeys_stages_and_touchpoints(tmp_path):
    src = write(tmp_path, "in.csv", HEADER
                + "j,Journey,a,Awareness,pre_sale,ad,Search ad,search,marketing,growth,\"prospect, admin\",4,,"
                  "\"activation >= 40%, nps\",\"Try it\\nfree\",educate,\"trial = 14 days; plan = \"\"Pro\"\"\",\n"
                + "j,,b,Buy,conversion,,,,,sales,,,,,,,,\n"
                + "j,,a,,,blog,,web,marketing,,,,,,,,,\n"
                + "j,,b,,,rescue,Rescue call,phone,support,,,2,yes,,,,,\n")
    proc = run_journeyc(["import", "csv", src])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == (
        "owner growth\nowner sales\n\npersona prospect\npersona admin\n\nkpi activation\nkpi nps\n\n"
        'journey j "Journey" {\n'
        '  stage a "Awareness" {\n    phase pre_sale\n'
        '    touchpoint ad "Search ad" {\n      channel search\n      area marketing\n      owner growth\n'
        '      audience prospect, admin\n      score 4\n      measure activation target >= 40%\n'
        '      measure nps\n'
        '      message "Try it\\nfree" { tone educate claim trial = 14 days claim plan = "Pro" }\n    }\n'
        '    touchpoint blog {\n      channel web\n      area marketing\n    }\n  }\n'
        '  stage b "Buy" {\n    phase conversion\n    owner sales\n'
        '    touchpoint rescue "Rescue call" {\n      channel phone\n      area support\n      score 2\n'
        '      recovery\n    }\n  }\n}\n')


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(tmp_path):
    src = write(tmp_path, "in.csv", HEADER
                + "j,,a,,,ok,,email,marketing,,,,,,,,,\n"
                + "j,,Free trial,,,t1,,email,,,,,,,,,,\n"            # row 3: not an id
                + "j,,a,,,t2,,email,markting,,,,,,,,,\n"             # row 4: E007 from the compiler, mapped back
                + "j,,a,,,t3,,email,,,,seven,,,,,,\n"                # row 5: score not a number
                + "j,,a,,,t4,,email,,,,9,,,,,,\n"                    # row 6: E006 from the compiler
                + "j,,a,,,t5,,email,,,,,,\"k } journey x {\",,,,\n"  # row 7: no syntax from a cell
                + "j,,a,,,t6,,email,,,,,,,one,\"a\nb\",,\n"          # row 8: two tones, one message
                + "j,,b,,,ok,,email,,,,,,,,,,\n")                    # row 9: duplicate touchpoint id
    out = tmp_path / "out.journey"
    proc = run_journeyc(["import", "csv", src, "-o", out])
    err = proc.stderr.decode()
    assert proc.returncode == 1 and not out.exists() and proc.stdout == b""
    assert f"{src}:3: stage: 'Free trial' is not an identifier" in err and "'free_trial'" in err
    assert f"{src}:5: score: 'seven' is not a number from 1 to 5" in err
    assert f"{src}:7: kpis:" in err
    assert f"{src}:8: tones: 2 lines for 1 message" in err
    assert f"{src}:9: touchpoint: 'ok' is already in row 2 (stage 'a')" in err
    assert "nothing written: 5 problems" in err and ":4:" not in err and ":6:" not in err
    # rows that pass the cell checks go through the compiler: its diagnostics name their row
    src2 = write(tmp_path, "in2.csv", HEADER + "j,,a,,,ok,,email,,,,,,,,,,\n"
                 + "j,,a,,,t2,,email,markting,,,,,,,,,\n" + "j,,a,,,t4,,email,,,,9,,,,,,\n")
    err2 = run_journeyc(["import", "csv", src2]).stderr.decode()
    assert f"{src2}:3: E007 unknown area 'markting'" in err2 and "did you mean 'marketing'?" in err2
    assert f"{src2}:4: E006 score 9 lies outside 1..5" in err2


def test_import_never_overwrites_without_force(tmp_path):
    data = export("specs/dtc.journey")
    (tmp_path / "in.csv").write_bytes(data)
    out = write(tmp_path, "out.journey", "# mine\n")
    proc = run_journeyc(["import", "csv", tmp_path / "in.csv", "-o", out])
    assert proc.returncode == 2 and "already exists; give --force" in proc.stderr.decode()
    assert out.read_text() == "# mine\n"
    proc = run_journeyc(["import", "csv", tmp_path / "in.csv", "-o", out, "--force"])
    assert proc.returncode == 0 and out.read_text().startswith("owner ")


def test_header_problems_and_other_delimiters(tmp_path):
    proc = run_journeyc(["import", "csv", write(tmp_path, "a.csv", "stage,touchpoint\ns,t\n")])
    assert proc.returncode == 1 and ":1: no column 'journey'" in proc.stderr.decode()
    semi = write(tmp_path, "b.csv", "journey;stage;touchpoint;chanel\nj;s;t;email\n")
    proc = run_journeyc(["import", "csv", semi])
    assert proc.returncode == 0
    assert "column 'chanel' is not one journeyc reads: ignored (did you mean 'channel'?)" in proc.stderr.decode()
    assert "touchpoint t {" in proc.stdout.decode()
    bad = tmp_path / "c.csv"
    bad.write_bytes(b"journey,stage\nj,\xff\n")
    proc = run_journeyc(["import", "csv", bad])
    assert proc.returncode == 1 and "not UTF-8" in proc.stderr.decode() and b"Traceback" not in proc.stderr
    proc = run_journeyc(["import", "csv", tmp_path / "missing.csv"])
    assert proc.returncode == 2 and "missing.csv: does not exist; give a file" in proc.stderr.decode()
    os.mkfifo(tmp_path / "fifo.csv")  # never opened: reading it would block
    proc = run_journeyc(["import", "csv", tmp_path / "fifo.csv"])
    assert proc.returncode == 2 and "fifo.csv: is not a regular file; give a file" in proc.stderr.decode()


def test_export_of_a_spec_with_compile_errors_writes_nothing(tmp_path):
    spec = write(tmp_path, "bad.journey", "journey j { stage s { touchpoint t { owner nobody } } }\n")
    proc = run_journeyc(["export", "csv", spec, "-o", tmp_path / "out.csv"])
    assert proc.returncode == 1 and b"E002" in proc.stderr and not (tmp_path / "out.csv").exists()


def test_no_input_gives_a_traceback():
    """Arbitrary cells and bytes: a result or problems with row numbers, never an exception."""
    from hypothesis import given, settings, strategies as st

    from journeyc.csvio import import_csv

    cell = st.one_of(st.sampled_from(["", "j", "s", "t", "email", "4", "9", "yes", "x = 1", "k >= 40%", "}", '"',
                                      "'=1", "a, b", "pre_sale", "markting", "\n", "\\n"]), st.text(max_size=12))

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.lists(cell, min_size=0, max_size=len(COLUMNS) + 1), max_size=6), st.binary(max_size=40))
    def one(rows, noise):
        buf = io.StringIO()
        csv.writer(buf).writerows([list(COLUMNS)] + rows)
        for data in (buf.getvalue().encode("utf-8"), noise, buf.getvalue().encode("utf-8")[:-3] + noise):
            text, problems, notes = import_csv(data)
            assert (text is None) == bool(problems)
            if text is not None:
                from journeyc.specwriter import compile_errors

                assert compile_errors(text, "x.journey") == []

    one()


def test_import_reads_standard_input_and_export_writes_atomically(tmp_path):
    data = export("specs/dtc.journey")
    proc = run_journeyc(["import", "csv", "-"], input=data)
    assert proc.returncode == 0 and proc.stdout.decode().startswith("owner ")
    out = tmp_path / "dtc.csv"
    proc = run_journeyc(["export", "csv", "specs/dtc.journey", "-o", out], cwd=REPO)
    assert proc.returncode == 0 and out.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["dtc.csv"]  # no temporary file left

"""The command line: exit codes, output formats, compile -o, schema,
version; in-process (CliRunner) and as a subprocess."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import CASES, REPO, run_journeyc, write

BROKEN = {
    "syntax.journey": "journey j { stage a { -> } }\n",
    "encoding.journey": b"owner caf\xe9\n",
    "nul.journey": b"owner a\x00\n",
    "undefined.journey": "journey j { owner nobody stage a { } }\n",
    "empty.journey": "",
    "only_comment.journey": "# nothing here\n",
}


def make(tmp_path: Path, name: str, content) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def test_check_clean_file_exits_0(cli):
    r = cli(["check", "clean_saas.journey"], cwd=CASES)
    assert r.exit_code == 0, r.output
    assert "All checks passed" in r.output


def test_check_compile_error_exits_1_with_rustc_style_text(cli):
    r = cli(["check", "e002_undefined_reference.journey"], cwd=CASES)
    assert r.exit_code == 1
    assert "e002_undefined_reference.journey:5:9: error[E002]: undefined owner 'grwth'" in r.output
    assert "5 |   owner grwth" in r.output
    assert "  |         ^^^^^" in r.output
    assert "help: did you mean 'growth'?" in r.output
    assert "\x1b[" not in r.output  # no colour off a terminal


def test_check_concise(cli):
    r = cli(["check", "--output-format", "concise", "e006_invalid_value.journey"], cwd=CASES)
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "e006_invalid_value.journey:2:32: error E006 percent target 140% lies outside 0..100",
        "e006_invalid_value.journey:5:40: error E006 score 7 lies outside 1..5: a score is a satisfaction "
        "rating from 1 (pain point) to 5",
        "e006_invalid_value.journey:8:1: error E006 journey 'empty' has no stage: a journey needs at least one stage",
    ]


def test_check_json_document(cli):
    r = cli(["check", "--output-format", "json", "e003_duplicate_definition.journey"], cwd=CASES)
    assert r.exit_code == 1
    doc = json.loads(r.output)
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 1, "errors": 3, "warnings": 0, "infos": 0}
    first = doc["diagnostics"][0]
    assert first == {
        "code": "E003", "name": "duplicate-definition", "severity": "error",
        "message": first["message"], "file": "e003_duplicate_definition.journey",
        "line": 3, "column": 7, "end_line": 3, "end_column": 13,
        "related": [{"file": "e003_duplicate_definition.journey", "line": 2, "column": 7,
                     "message": "'growth' first declared here"}],
        "suggestion": None,
    }


def test_missing_path_exits_2(cli):
    r = cli(["check", "no/such/file.journey"])
    assert r.exit_code == 2
    assert "no such file or folder" in r.output


def test_bad_option_exits_2(cli):
    assert cli(["check", "--output-format", "yaml", "x.journey"]).exit_code == 2
    assert cli(["check"]).exit_code == 2


def test_fail_on(cli, tmp_path):
    p = make(tmp_path, "u.journey", "journey j { stage a { owner nobody } }")
    assert cli(["check", "--fail-on", "never", str(p)]).exit_code == 1  # compile errors always count


def test_compile_to_stdout_and_file(cli, tmp_path):
    r = cli(["compile", "clean_saas.journey"], cwd=CASES)
    assert r.exit_code == 0
    doc = json.loads(r.output)
    assert doc["journeys"][0]["id"] == "saas"
    out = tmp_path / "out.json"
    r = cli(["compile", "clean_saas.journey", "-o", str(out)], cwd=CASES)
    assert r.exit_code == 0
    assert json.loads(out.read_text()) == doc
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_compile_with_errors_writes_nothing_and_keeps_the_old_file(cli, tmp_path):
    out = make(tmp_path, "out.json", '{"old": true}')
    r = cli(["compile", "e002_undefined_reference.journey", "-o", str(out)], cwd=CASES)
    assert r.exit_code == 1
    assert out.read_text() == '{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_compile_several_roots_into_a_folder(cli, tmp_path):
    a = make(tmp_path, "a.journey", "journey a { stage s { } }")
    b = make(tmp_path, "b.journey", "journey b { stage s { } }")
    r = cli(["compile", str(a), str(b)])
    assert r.exit_code == 2 and "-o FOLDER" in r.output
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert cli(["compile", str(a), str(b), "-o", str(outdir)]).exit_code == 0
    assert sorted(p.name for p in outdir.iterdir()) == ["a.json", "b.json"]


def test_roots_of_one_name_get_one_file_each(cli, tmp_path):
    """specs/saas.journey and specs/future/saas.journey: neither overwrites the other."""
    (tmp_path / "specs" / "future").mkdir(parents=True)
    make(tmp_path, "specs/saas.journey", "journey now { stage s { } }")
    make(tmp_path, "specs/future/saas.journey", "journey later { stage s { } }")
    outdir = tmp_path / "out"
    outdir.mkdir()
    assert cli(["compile", str(tmp_path / "specs"), "-o", str(outdir)]).exit_code == 0
    assert sorted(p.name for p in outdir.iterdir()) == ["future-saas.json", "saas.json"]
    assert json.loads((outdir / "future-saas.json").read_text())["journeys"][0]["id"] == "later"


def test_compile_with_locations(cli):
    r = cli(["compile", "--with-locations", "clean_saas.journey"], cwd=CASES)
    doc = json.loads(r.output)
    assert doc["owners"][0]["location"] == {"file": "clean_saas.journey", "line": 3, "column": 1}


def test_schema_command_prints_the_shipped_schema(cli):
    r = cli(["schema"])
    assert r.exit_code == 0
    assert json.loads(r.output)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_version(cli):
    import journeyc

    r = cli(["--version"])
    assert r.exit_code == 0 and journeyc.__version__ in r.output


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_bad_inputs_never_give_a_traceback(tmp_path, name):
    p = make(tmp_path, name, BROKEN[name])
    for args in (["check", p], ["check", "--output-format", "json", p], ["compile", p]):
        proc = run_journeyc(args)
        assert b"Traceback" not in proc.stderr + proc.stdout
        assert proc.returncode in (0, 1), proc.stderr


def test_every_test_input_answers_without_traceback():
    """Every .journey file under tests/ and the conformance cases, as a
    subprocess: exit 0 or 1, never a traceback."""
    files = sorted(str(p) for p in list((REPO / "tests").rglob("*.journey")) + list(CASES.rglob("*.journey")))
    proc = run_journeyc(["check", "--output-format", "json", *files])
    assert b"Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    json.loads(proc.stdout)


def test_root_that_is_a_folder_or_unreadable(tmp_path):
    proc = run_journeyc(["compile", str(tmp_path)])  # a folder with no journey
    assert proc.returncode in (0, 2)
    assert b"Traceback" not in proc.stderr


def test_no_color_and_force_color(tmp_path):
    p = make(tmp_path, "u.journey", "journey j { stage a { owner nobody } }")
    plain = run_journeyc(["check", p], env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert b"\x1b[" not in plain.stdout
    coloured = run_journeyc(["check", p], env={"FORCE_COLOR": "1"})
    assert b"\x1b[31" in coloured.stdout


def test_python_dash_m_and_exit_codes_as_subprocess():
    proc = run_journeyc(["check", "--output-format", "json", "e004_import_not_found.journey"], cwd=CASES)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["diagnostics"][0]["code"] == "E004"
    assert run_journeyc(["check", "clean_saas.journey"], cwd=CASES).returncode == 0
    assert run_journeyc(["check", "missing.journey"], cwd=CASES).returncode == 2


def test_cli_start_up_imports_no_heavy_module():
    code = ("import sys, journeyc.cli; heavy = [m for m in ('lark', 'jsonschema', 'graphviz', 'watchfiles', 'pygls', 'lsprotocol') "
            "if m in sys.modules]; print(heavy)")
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

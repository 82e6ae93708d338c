"""The output registry (journeyc/outputs.py): one table of diagnostic
formats, one table per compile view. click's choices, the option checks of
`compile`, the names of files written and the README's tables come from
it, and a new format is one function plus one line in a table."""
from __future__ import annotations

import json
import re

import pytest

from journeyc import outputs
from journeyc.formats import Report, Request
from journeyc.outputs import DIAGNOSTIC_FORMATS, VIEWS, Output

from conftest import REPO, SPECS, write


def fake_diagnostics(report: Report) -> str:
    """A diagnostic format registered by the tests below."""
    codes = ",".join(d.code for d in report.diagnostics)
    return f"fake: {len(report.diagnostics)} diagnostics [{codes}] in {report.count} files, fail-on {report.fail_on}\n"


def fake_compiled(comp, request: Request) -> bytes:
    """A compile format registered by the tests below."""
    journeys = ",".join(j.id.name if hasattr(j.id, "name") else str(j.id) for j in comp.journeys)
    return f"fake {request.format}: {len(comp.journeys)} journeys ({journeys})\n".encode("utf-8")


def test_a_new_diagnostic_format_is_one_line_in_the_table(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(DIAGNOSTIC_FORMATS, "fake", Output("fake", "test_outputs:fake_diagnostics", "txt"))
    spec = write(tmp_path, "a.journey", "journey j { owner nobody stage a { } }\n")
    r = cli(["check", "--output-format", "fake", "--fail-on", "never", spec])
    assert r.stdout == "fake: 1 diagnostics [E002] in 1 files, fail-on never\n"
    assert r.exit_code == 1  # a compile error, whatever the format
    assert "fake" in cli(["check", "--help"]).stdout  # click's choices read the table


def test_without_its_line_the_format_is_refused(cli, tmp_path):
    spec = write(tmp_path, "a.journey", "owner o\n")
    r = cli(["check", "--output-format", "fake", spec])
    assert r.exit_code == 2 and "'fake' is not one of" in r.stderr


def test_a_new_compile_format_is_one_line_in_the_table(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(VIEWS["flow"], "fake", Output("fake", "test_outputs:fake_compiled", "fk"))
    r = cli(["compile", "--format", "fake", SPECS / "saas.journey"])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("fake fake: 1 journeys")
    out = tmp_path / "out"
    out.mkdir()
    r = cli(["compile", "--format", "fake", "-o", f"{out}/", SPECS / "saas.journey"])
    assert r.exit_code == 0 and (out / "saas.fk").read_text().startswith("fake fake:")  # its extension
    r = cli(["compile", "--format", "fake", "--annotate", SPECS / "saas.journey"])
    assert r.exit_code == 2 and "use it with --format dot, svg, png, pdf, mermaid, not fake" in r.stderr
    r = cli(["compile", "--format", "fake", "--view", "emotion", SPECS / "saas.journey"])
    assert r.exit_code == 2 and "--view emotion comes as --format svg, not fake" in r.stderr


def test_a_new_view_is_a_table(cli, monkeypatch):
    monkeypatch.setitem(VIEWS, "outline", {"fake": Output("fake", "test_outputs:fake_compiled", "fk")})
    r = cli(["compile", "--view", "outline", "--format", "fake", SPECS / "saas.journey"])
    assert r.exit_code == 0 and r.stdout.startswith("fake fake:")
    r = cli(["compile", "--view", "outline", "--format", "svg", SPECS / "saas.journey"])
    assert r.exit_code == 2 and "--view outline comes as --format fake, not svg" in r.stderr


def test_every_entry_names_a_function():
    for table in (DIAGNOSTIC_FORMATS, *VIEWS.values()):
        for name, output in table.items():
            assert output.name == name
            assert callable(outputs.load(output)), output
            assert output.extension and not output.extension.startswith(".")


def test_every_diagnostic_format_takes_the_report(tmp_path):
    """One object for every formatter: the same Report gives each format's text."""
    from journeyc.compiler import run_check

    spec = write(tmp_path, "a.journey", "journey j { owner nobody stage a { } }\n")
    run = run_check([str(spec)])
    report = Report(run.diagnostics, run.paths, run.linted, ("E002",), str(tmp_path), "warning", run.files,
                    run.source_line)
    for name, output in DIAGNOSTIC_FORMATS.items():
        out = outputs.load(output)(report)
        text = out if isinstance(out, str) else "".join(out)
        assert "E002" in text, name
        if output.extension.endswith("json"):
            json.loads(text)


def test_every_compile_output_takes_the_request():
    from journeyc.compiler import compile_root
    from journeyc.load import Session

    comp = compile_root(Session(), str(SPECS / "saas.journey")).compilation
    for view, table in VIEWS.items():
        for name, output in table.items():
            if output.binary or name == "svg":
                continue  # drawn by Graphviz: tests/outputs/test_dot.py, test_map_views.py
            data = outputs.load(output)(comp, Request(name))
            assert isinstance(data, bytes) and data, (view, name)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _alternatives(names) -> str:
    """`a\\|b\\|c`, as a Markdown table cell writes a|b|c."""
    return "\\|".join(names)


def test_the_readme_tables_list_the_formats():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Output formats", 1)[1].split("\n## ", 1)[0]
    rows = [_cells(line)[0] for line in section.splitlines() if line.startswith("| `")]
    assert rows == [f"`{name}`" for name in DIAGNOSTIC_FORMATS]
    commands = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    assert f"`--output-format {_alternatives(DIAGNOSTIC_FORMATS)}`" in commands
    drawn = [n for n in outputs.compile_formats() if n != "json"]  # json: the compile row above it
    assert f"--format {_alternatives(drawn)}`" in commands
    assert f"`--view {_alternatives(VIEWS)}`" in commands
    diagrams = text.split("| `--format` | what you get |", 1)[1].split("\n\n", 1)[0]
    table = [_cells(line)[0] for line in diagrams.splitlines() if line.startswith("| `")]
    listed = [n.strip("` ") for cell in table for n in cell.split(",")]
    assert sorted(listed) == sorted(drawn)


def test_the_click_choices_are_the_tables():
    from journeyc.cli import main

    def choices(command, option):
        (param,) = [p for p in main.commands[command].params if p.name == option]
        return tuple(param.type.choices)

    assert choices("check", "fmt") == tuple(DIAGNOSTIC_FORMATS)
    assert choices("compile", "fmt") == outputs.compile_formats() == tuple(VIEWS["flow"])
    assert choices("compile", "view") == tuple(VIEWS)


@pytest.mark.parametrize("view", [v for v in VIEWS if v != "flow"])
def test_other_views_come_in_formats_of_the_flow(view):
    """Every view's format is a compile format (the flow holds them all)."""
    assert set(VIEWS[view]) <= set(VIEWS["flow"])

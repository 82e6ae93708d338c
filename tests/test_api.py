"""The public Python API in journeyc/__init__.py."""
from __future__ import annotations

import pytest

import journeyc
from journeyc.model import Compilation

from conftest import CASES, write


def test_compile_file_returns_the_model_and_diagnostics(monkeypatch):
    monkeypatch.chdir(CASES)
    comp, diags = journeyc.compile_file("clean_saas.journey")
    assert isinstance(comp, Compilation)
    assert diags == []
    assert [j.id.text for j in comp.journeys] == ["saas"]
    assert journeyc.to_json(comp)["journeys"][0]["entry"] == ["discover"]


def test_compile_source_reads_imports_relative_to_its_filename(tmp_path):
    write(tmp_path, "teams.journey", "owner growth\n")
    comp, diags = journeyc.compile_source('import "teams.journey"\njourney j { owner growth stage a { } }',
                                          filename=str(tmp_path / "inline.journey"))
    assert [d.code for d in diags if d.code.startswith("E")] == []
    assert list(comp.owners) == ["growth"]


def test_compile_source_reports_errors_with_positions():
    comp, diags = journeyc.compile_source("journey j {\n  stage a { owner nobody }\n}", filename="mem.journey")
    assert comp is None
    (d,) = diags
    assert (d.code, d.span.file, d.span.line, d.span.column) == ("E002", "mem.journey", 2, 19)


def test_check_accepts_one_path_or_many(monkeypatch):
    monkeypatch.chdir(CASES)
    one = journeyc.check("e004_import_not_found.journey")
    many = journeyc.check(["e004_import_not_found.journey", "e009_duplicate_property.journey"])
    assert [d.code for d in one] == ["E004"]
    assert [d.code for d in many if d.code.startswith("E")] == ["E004", "E009"]


def test_model_is_frozen():
    import pytest

    comp, diagnostics = journeyc.compile_source("journey j { stage a { } }", filename="f.journey")
    stage = comp.journeys[0].stages[0]
    with pytest.raises(AttributeError):
        stage.phase = "conversion"
    with pytest.raises(AttributeError):
        stage.extra = 1  # no attribute can be added either
    with pytest.raises(AttributeError):
        stage.span.line = 2
    with pytest.raises(AttributeError):
        diagnostics[0].severity = "error"
    changed = stage._replace(phase="conversion")
    assert (changed.phase, stage.phase) == ("conversion", None)


def test_to_json_of_a_failed_compilation_says_it_has_no_json():
    compilation, diagnostics = journeyc.compile_source("journey j {\n", filename="broken.journey")
    assert compilation is None and diagnostics
    with pytest.raises(TypeError) as info:
        journeyc.to_json(compilation)
    assert str(info.value) == ("to_json() needs a Compilation, got None: a compilation with compile errors has no "
                               "JSON (compile_file and compile_source return None with the errors in their "
                               "diagnostics)")

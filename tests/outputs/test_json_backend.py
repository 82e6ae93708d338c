"""The compiled JSON: golden files per spec, the shipped JSON Schema, the
shape LANGUAGE.md gives, deterministic bytes."""
from __future__ import annotations

import json
import os

import jsonschema
import pytest

import journeyc
from journeyc.backends.json import dumps
from journeyc.schema import schema

from conftest import CASES, REPO, run_journeyc, spec_files, write

VALIDATOR = jsonschema.Draft202012Validator(schema())


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("spec", spec_files(), ids=lambda p: p.name)
def test_spec_golden_json(spec, golden, monkeypatch):
    monkeypatch.chdir(REPO)
    comp, diags = journeyc.compile_file(spec.relative_to(REPO))
    assert comp is not None, [d.message for d in diags]
    for with_locations in (False, True):
        doc = journeyc.to_json(comp, with_locations)
        VALIDATOR.validate(doc)
    golden(f"json/{spec.stem}.json", dumps(journeyc.to_json(comp)))


def test_specs_exist():
    names = {p.name for p in spec_files()}
    assert {"saas.journey", "dtc.journey", "b2b.journey"} <= names


def test_clean_saas_validates_and_has_the_contract_shape(monkeypatch):
    monkeypatch.chdir(CASES)
    comp, diags = journeyc.compile_file("clean_saas.journey")
    doc = journeyc.to_json(comp, with_locations=True)
    VALIDATOR.validate(doc)
    assert doc["schema_version"] == "1" and doc["sources"] == ["clean_saas.journey"]
    buy = doc["journeys"][0]["stages"][2]
    assert {k: buy[k] for k in ("id", "phase", "phase_inferred", "owner", "owner_inherited")} == {
        "id": "buy", "phase": "conversion", "phase_inferred": False, "owner": "sales", "owner_inherited": False}
    checkout = buy["touchpoints"][0]
    assert checkout["owner_inherited"] is True
    assert checkout["messages"][0]["claims"] == [
        {"id": "trial_days", "value": {"number": 14, "unit": "days"},
         "location": {"file": "clean_saas.journey", "line": 66, "column": 44}}]
    grow = doc["journeys"][0]["stages"][4]
    assert grow["transitions"][0]["loop_back"] is True and grow["phase_inferred"] is True
    assert doc["journeys"][0]["entry"] == ["discover"]
    assert doc["kpis"][5]["target"] == {"op": ">=", "number": 4.5, "unit": None}


def test_values_and_channels(tmp_path):
    path = write(tmp_path, "v.journey", """
channel kiosk "In-store kiosk"
kpi k { target >= 14.0 days }
journey j {
  stage s {
    kpi inline "Inline" { unit percent target >= 40% }
    measure k target <= 3
    touchpoint t {
      channel sms
      message "m" { claim a = 14.0 days claim b = "Pro" claim c = false claim d = 40% claim e = 1_000 }
    }
    touchpoint u { channel kiosk }
    touchpoint w { channel email }
  }
}
""")
    comp, _ = journeyc.compile_file(path)
    doc = journeyc.to_json(comp)
    VALIDATOR.validate(doc)
    text = dumps(doc)
    assert '"number": 14.0' in text  # 14.0 stays 14.0
    assert doc["channels"] == [{"id": "kiosk", "title": "In-store kiosk", "builtin": False},
                               {"id": "email", "title": None, "builtin": True},
                               {"id": "sms", "title": None, "builtin": True}]
    stage = doc["journeys"][0]["stages"][0]
    # measures in source order; a KPI declared in the stage is measured there with no target
    assert stage["measures"] == [{"kpi": "inline", "target": None},
                                 {"kpi": "k", "target": {"op": "<=", "number": 3, "unit": None}}]
    claims = [c["value"] for c in stage["touchpoints"][0]["messages"][0]["claims"]]
    assert claims == [{"number": 14.0, "unit": "days"}, {"string": "Pro"}, {"bool": False},
                      {"number": 40, "unit": "%"}, {"number": 1000, "unit": None}]
    assert [k["id"] for k in doc["kpis"]] == ["k", "inline"]


def test_phase_unknown_is_null(tmp_path):
    comp, _ = journeyc.compile_file(write(tmp_path, "p.journey", "journey j { stage a { } }"))
    stage = journeyc.to_json(comp)["journeys"][0]["stages"][0]
    assert (stage["phase"], stage["phase_inferred"]) == (None, False)


def test_same_bytes_under_any_hash_seed(tmp_path):
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        proc = run_journeyc(["compile", "--with-locations", "clean_saas.journey"], cwd=CASES,
                            env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    json.loads(outputs.pop())


def test_journey_map_items_in_the_json(tmp_path):
    """LANGUAGE.md, JSON additions: state, opportunities, goal, evidence,
    layer, recovers, action, thought, confidence; explicit defaults."""
    path = write(tmp_path, "m.journey", """
owner cx
journey j {
  owner cx
  state future
  stage a {
    goal "Pay quickly"
    evidence "Study A"
    evidence "Study B"
    touchpoint pay "Pay" { channel web score 2 layer backstage action "Pays" thought "Hm" evidence "T" confidence low }
    touchpoint r { channel email recovers pay }
    touchpoint plain { channel web }
  }
  opportunity o "Faster" { for pay, a status planned impact high description "D" }
  opportunity bare { }
}
journey k { stage s { } }
""")
    comp, diags = journeyc.compile_file(path)
    for with_locations in (False, True):
        VALIDATOR.validate(journeyc.to_json(comp, with_locations))
    doc = journeyc.to_json(comp)
    j, k = doc["journeys"]
    assert (j["state"], k["state"], k["opportunities"]) == ("future", "current", [])
    assert j["opportunities"] == [
        {"id": "o", "title": "Faster", "for": [{"kind": "touchpoint", "id": "pay"}, {"kind": "stage", "id": "a"}],
         "owner": "cx", "owner_inherited": True, "status": "planned", "impact": "high", "description": "D"},
        {"id": "bare", "title": None, "for": [], "owner": "cx", "owner_inherited": True, "status": "idea",
         "impact": None, "description": None}]
    a = j["stages"][0]
    assert (a["goal"], a["evidence"]) == ("Pay quickly", ["Study A", "Study B"])
    assert (k["stages"][0]["goal"], k["stages"][0]["evidence"]) == (None, [])
    pay, r, plain = a["touchpoints"]
    assert {key: pay[key] for key in ("layer", "recovers", "action", "thought", "evidence", "confidence")} == {
        "layer": "backstage", "recovers": [], "action": "Pays", "thought": "Hm", "evidence": ["T"],
        "confidence": "low"}
    assert (r["recovery"], r["recovers"]) == (True, ["pay"])
    assert {key: plain[key] for key in ("layer", "recovers", "action", "thought", "evidence", "confidence")} == {
        "layer": "frontstage", "recovers": [], "action": None, "thought": None, "evidence": [], "confidence": None}


def test_map_golden_json(golden, monkeypatch):
    monkeypatch.chdir(REPO)
    comp, diags = journeyc.compile_file("tests/golden/inputs/map.journey")
    VALIDATOR.validate(journeyc.to_json(comp, True))
    golden("json/map.json", dumps(journeyc.to_json(comp)))

"""`journeyc import mermaid`: the Mermaid documentation's own journey example
(docs/syntax/userJourney.md of mermaid-js/mermaid, kept verbatim in
tests/data/import/mermaid-docs-example.mmd), round trips of
`compile --format mermaid-journey` for every spec, and what cannot be mapped
reported with its line."""
from __future__ import annotations

import json

import pytest

from conftest import CASES, GOLDEN, REPO, run_journeyc, spec_files, write

DATA = REPO / "tests" / "data" / "import"
INPUTS = sorted(spec_files() + [GOLDEN / "inputs" / n for n in ("hostile.journey", "findings.journey",
                                                                "edges.journey")])
CLEAN_CASES = sorted(p for p in CASES.glob("*.journey") if not p.name.startswith("e"))


def compile_errors(path) -> list[dict]:
    proc = run_journeyc(["check", path, "--output-format", "json", "--fail-on", "never"])
    assert proc.returncode == 0, proc.stderr.decode()
    return [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"].startswith("E")]


def test_the_mermaid_documentation_example(tmp_path):
    out = tmp_path / "day.journey"
    proc = run_journeyc(["import", "mermaid", DATA / "mermaid-docs-example.mmd", "-o", out])
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_text(encoding="utf-8") == (DATA / "mermaid-docs-example.journey").read_text(encoding="utf-8")
    assert compile_errors(out) == []
    # sections -> stages, tasks -> touchpoints with their score, actors -> personas in audience
    import journeyc

    comp, _ = journeyc.compile_file(out)
    (j,) = comp.journeys
    assert j.title == "My working day"
    assert [s.title for s in j.stages] == ["Go to work", "Go home"]
    work = j.stages[0]
    assert [(t.title, t.score.value, [comp.personas[a.text].title for a in t.audience]) for t in work.touchpoints] \
        == [("Make tea", 5, ["Me"]), ("Go upstairs", 3, ["Me"]), ("Do work", 1, ["Me", "Cat"])]
    # and back: the same diagram (with journeyc's comment on what the actors are)
    again = run_journeyc(["compile", out, "--format", "mermaid-journey"]).stdout.decode()
    assert again.splitlines()[1].strip().startswith("%% Actors:")
    assert [line.strip() for line in again.splitlines() if not line.strip().startswith("%%")] == \
        [line.strip() for line in (DATA / "mermaid-docs-example.mmd").read_text().splitlines()]


@pytest.mark.parametrize("path", INPUTS + CLEAN_CASES, ids=lambda p: p.name)
def test_round_trip_of_compile_mermaid_journey(path, tmp_path):
    first = run_journeyc(["compile", path, "--format", "mermaid-journey"], cwd=REPO)
    assert first.returncode == 0, first.stderr.decode()
    (tmp_path / "in.mmd").write_bytes(first.stdout)
    out = tmp_path / "out.journey"
    proc = run_journeyc(["import", "mermaid", tmp_path / "in.mmd", "-o", out])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().strip() == f"journeyc: wrote {out}"  # everything mapped
    assert compile_errors(out) == []
    assert run_journeyc(["compile", out, "--format", "mermaid-journey"]).stdout == first.stdout


def test_what_cannot_be_mapped_is_reported_by_line(tmp_path):
    src = write(tmp_path, "d.mmd", "---\ntitle: Checkout\nconfig:\n  theme: dark\n---\n"
                "%%{init: {'theme': 'forest'}}%%\n"
                "journey\n"
                "  accTitle: Accessible title\n"
                "  accDescr: How people pay\n"
                "  Browse: 4: Shopper\n"           # a task before any section
                "  section Pay #35; now   # a comment\n"
                "    Enter card: 7: Shopper\n"     # score out of range
                "    Confirm: ok: Shopper\n"       # score not a number
                "    Receipt: 5: Shopper: extra\n"
                "    just words\n"
                "  SECTION Done; Relax: 5: Shopper, Cat #quot;Tom#quot;\n")
    proc = run_journeyc(["import", "mermaid", src])
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    for line, what in [(3, "front matter 'config:' not mapped"), (6, "directive not mapped"),
                       (8, "accTitle not mapped"), (12, "score 7 lies outside 1..5"),
                       (13, "score 'ok' is not a number"), (14, "'extra' after the actors not mapped"),
                       (15, "'just words' is no title, section or task")]:
        assert f"{src}:{line}: " in err and what in err, (line, what, err)
    text = proc.stdout.decode()
    assert 'journey checkout "Checkout" {' in text
    assert 'description "How people pay"' in text
    assert 'stage tasks {' in text and 'stage pay_now "Pay # now" {' in text and 'stage done "Done" {' in text
    assert 'persona cat_tom "Cat \\"Tom\\""' in text
    assert 'touchpoint enter_card "Enter card" { audience shopper }' in text  # no score: not mapped
    spec = write(tmp_path, "d.journey", text)
    assert compile_errors(spec) == []


def test_not_a_journey_diagram(tmp_path):
    proc = run_journeyc(["import", "mermaid", write(tmp_path, "f.mmd", "flowchart TB\n  a --> b\n")])
    assert proc.returncode == 1 and "f.mmd:1: not a Mermaid journey diagram" in proc.stderr.decode()
    assert proc.stdout == b""
    proc = run_journeyc(["import", "mermaid", write(tmp_path, "e.mmd", "")])
    assert proc.returncode == 1 and "empty" in proc.stderr.decode()


def test_import_mermaid_never_overwrites_without_force(tmp_path):
    out = write(tmp_path, "x.journey", "# keep\n")
    proc = run_journeyc(["import", "mermaid", DATA / "mermaid-docs-example.mmd", "-o", out])
    assert proc.returncode == 2 and "give --force" in proc.stderr.decode() and out.read_text() == "# keep\n"
    proc = run_journeyc(["import", "mermaid", DATA / "mermaid-docs-example.mmd", "-o", out, "--force"])
    assert proc.returncode == 0 and "my_working_day" in out.read_text()


def test_no_input_gives_a_traceback():
    from hypothesis import given, settings, strategies as st

    from journeyc.mermaid_import import import_mermaid
    from journeyc.specwriter import compile_errors

    line = st.one_of(st.sampled_from(["journey", "title T", "section S", "  a: 5: Me", "b: x", "c: 3: A, B: z",
                                      "accDescr {", "}", "accTitle: t", "%%{init}%%", "---", "#35; x", ";", "::"]),
                     st.text(max_size=15))

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(st.lists(line, max_size=10))
    def one(lines):
        text, errors, notes = import_mermaid("\n".join(lines))
        assert (text is None) == bool(errors)
        if text is not None:
            assert compile_errors(text, "x.journey") == []

    one()


def test_a_markdown_file_with_a_journey_block(tmp_path):
    """Docs keep Mermaid diagrams in ```mermaid blocks: the first journey block is read, lines counted in the file."""
    doc = write(tmp_path, "onboarding.md", "# Onboarding\n\nText with a journey: 3: words.\n\n"
                "```mermaid\nflowchart TB\n  a --> b\n```\n\n"
                "```mermaid\njourney\n    title Onboarding\n    section Sign up\n      Fill form: 9: Admin\n```\n\n"
                "~~~mermaid\njourney\n  title Second\n~~~\n")
    proc = run_journeyc(["import", "mermaid", doc])
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode() == ('persona admin "Admin"\n\njourney onboarding "Onboarding" {\n'
                                    '  stage sign_up "Sign up" {\n'
                                    '    touchpoint fill_form "Fill form" { audience admin }\n  }\n}\n')
    err = proc.stderr.decode()
    assert f"{doc}:14: task 'Fill form': score 9 lies outside 1..5" in err
    assert f"{doc}:18: another journey diagram in the file" in err

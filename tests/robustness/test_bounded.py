"""Bounded work on every input (issue 17, part 3): E002's "did you mean"
over thousands of near misses gives difflib's suggestions without comparing
everything with everything; globs are matched without backtracking (see
test_config.py); a dense diagram is drawn with a bounded layout, or refused
with a message pointing to a smaller view, and a layout gets a time limit.
No test here asserts a time: `benchmarks/bounded.py` measures them."""
from __future__ import annotations

import difflib
import json
import random

import pytest

from journeyc import text
from journeyc.backends import dot
from journeyc.text import Candidates, closest

from conftest import SPECS, benchmark_module, run_journeyc, write


# A journey whose every stage links to a near miss of its own name; one
# whose stages have many transitions across it (the repro: 80 x 12).
near_misses = benchmark_module("bounded").near_misses
dense = benchmark_module("bounded").dense


def test_closest_is_difflibs_answer_for_small_sets():
    rng = random.Random(11)

    def word():
        return "".join(rng.choice("abcdE_1") for _ in range(rng.randint(1, 10)))

    for _ in range(2000):
        choices = [word() for _ in range(rng.randint(0, 300))]
        w = word()
        expected = difflib.get_close_matches(w, choices, n=1, cutoff=0.6)
        assert closest(w, choices) == (expected[0] if expected else None), (w, choices)
        assert closest(w, Candidates(choices)) == closest(w, choices)


def test_closest_bounds_its_comparisons(monkeypatch):
    """Once an index has spent its budget of full comparisons, only the
    names nearest in spelling order are compared, and the answer for a typo
    is still difflib's."""
    names = [f"stage_{i:05d}" for i in range(1, 2001)]
    index = Candidates(names)
    index.budget = 0
    compared = []
    real = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        compared.append(a)
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    for name in names[::97]:
        compared.clear()
        assert closest(name + "x", index) == name
        assert len(compared) <= 4 * text.NEIGHBOURS
    compared.clear()
    assert closest("sage_00042", index) == "stage_00042" == difflib.get_close_matches("sage_00042", names, 1, 0.6)[0]
    # where many names are as close (any name holding "stage_0100"), one of them, as close as difflib's
    ours, theirs = closest("stage_0100", index), difflib.get_close_matches("stage_0100", names, 1, 0.6)[0]
    ratio = [difflib.SequenceMatcher(None, x, "stage_0100").ratio() for x in (ours, theirs)]
    assert ratio[0] == ratio[1] and ours.startswith("stage_01") and ours.endswith("00")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", ["concise", "json", "sarif"])
def test_two_thousand_near_misses_keep_their_suggestions(tmp_path, fmt, jobs):
    write(tmp_path, "near.journey", near_misses(2000))
    proc = run_journeyc(["check", "--jobs", jobs, "--output-format", "json", "near.journey"], cwd=tmp_path)
    found = json.loads(proc.stdout)["diagnostics"]
    e002 = [d for d in found if d["code"] == "E002"]
    assert len(e002) == 2000
    assert all(d["suggestion"] == f"did you mean 'stage_{i:05d}'?" for i, d in enumerate(e002, 1))
    other = run_journeyc(["check", "--jobs", jobs, "--output-format", fmt, "near.journey"], cwd=tmp_path)
    assert other.returncode == 1 and other.stderr == b""
    assert b"stage_02000x" in other.stdout


# -- diagrams ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_a_dense_journey_is_refused_with_a_smaller_view(tmp_path, fmt):
    write(tmp_path, "dense.journey", dense(80, 12))
    proc = run_journeyc(["compile", "--format", fmt, "dense.journey", "-o", f"out.{fmt}"], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode() == (
        "journeyc: dense.journey: journey 'dense': the diagram would hold 80 stages and 960 transitions: too dense "
        "to draw readably (at most 200 stages and 300 transitions are drawn); see it as text with --format "
        "mermaid-journey (its stages and touchpoints) or --format dot, or in `journeyc report` (its stages in a "
        "table)\n")
    assert not (tmp_path / f"out.{fmt}").exists()
    for smaller in ("mermaid-journey", "dot"):  # the views it points to answer
        assert run_journeyc(["compile", "--format", smaller, "dense.journey"], cwd=tmp_path).returncode == 0


def test_a_report_on_a_dense_journey_says_why_it_has_no_diagram(tmp_path):
    write(tmp_path, "dense.journey", dense(80, 12))
    proc = run_journeyc(["report", "dense.journey", "-o", "r.html"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No diagram: 80 stages and 960 transitions are too many to draw readably" in page
    assert "No blueprint: 80 stages are too many to draw readably" in page


def test_the_blueprint_view_is_bounded_as_the_flow_is(tmp_path):
    write(tmp_path, "dense.journey", dense(80, 12))
    proc = run_journeyc(["compile", "--view", "blueprint", "--format", "svg", "dense.journey", "-o", "out.svg"],
                        cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith(
        "journeyc: dense.journey: blueprint of journey 'dense': the diagram would hold 80 stages and 960 "
        "transitions: too dense to draw readably")
    assert not (tmp_path / "out.svg").exists()
    write(tmp_path, "small.journey", dense(30, 2))  # drawable, but not in a millisecond
    proc = run_journeyc(["compile", "--view", "blueprint", "--format", "svg", "--layout-timeout", "0.001",
                         "small.journey"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "did not finish the layout of 30 stages and 60 transitions within 0.001 s" in proc.stderr.decode()


def test_a_big_diagram_gets_a_bounded_layout(tmp_path):
    write(tmp_path, "big.journey", dense(40, 6))
    proc = run_journeyc(["compile", "--format", "dot", "big.journey"], cwd=tmp_path)
    text = proc.stdout.decode()
    for key, value in dot.BOUNDED_LAYOUT.items():
        assert f"{key}={value}" in text
    proc = run_journeyc(["compile", "--format", "svg", "big.journey", "-o", "big.svg"], cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "big.svg").read_bytes().rstrip().endswith(b"</svg>")
    small = run_journeyc(["compile", "--format", "dot", SPECS / "saas.journey"]).stdout.decode()
    assert "nslimit" not in small and "splines" not in small  # small diagrams are laid out in full


@pytest.mark.parametrize("command", [["compile", "--format", "svg", "big.journey"], ["report", "big.journey"]])
def test_the_layout_time_limit(tmp_path, command):
    write(tmp_path, "big.journey", dense(40, 6))
    proc = run_journeyc([*command, "--layout-timeout", "0.001"], cwd=tmp_path)
    if command[0] == "compile":
        assert proc.returncode == 2
        assert proc.stderr.decode() == (
            "journeyc: big.journey: journey 'dense': Graphviz's dot did not finish the layout of 40 stages and 240 "
            "transitions within 0.001 s: give it more time with --layout-timeout SECONDS, or see it as text with "
            "--format mermaid-journey (its stages and touchpoints) or --format dot, or in `journeyc report` (its "
            "stages in a table)\n")
    else:
        assert proc.returncode == 0 and b"No diagram: 40 stages and 240 transitions" in proc.stdout
    bad = run_journeyc([*command, "--layout-timeout", "0"], cwd=tmp_path)
    assert bad.returncode == 2 and b"--layout-timeout" in bad.stderr

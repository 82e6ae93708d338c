"""Limits: huge and deep inputs give a clean diagnostic or succeed, and no
code path recurses once per element of the input (each test runs with
Python's recursion limit lowered to 250, so a RecursionError would show
even on inputs far smaller than the ones named in the README).

Quick here: 10,000 nested braces, 10,000-long lists and claims, a 1 MB line,
a chain and a cycle of 10,000 imports. Long mode (`pytest -m fuzz`):
100,000 stages, a 50 MB file."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from journeyc.errors import JourneycError
from journeyc.load import Session
from journeyc.parsing import callbacks as syntax
from journeyc.project import MAX_FILE_BYTES

from conftest import write
from reliability import check_run

N = 10_000


@contextmanager
def shallow_stack(limit: int = 250):
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def answer(path: Path, cwd: Path | None = None):
    with shallow_stack():
        return check_run([str(path)], hang=900)


def codes(run):
    return sorted({d.code for d in run.diagnostics})


def stages(n: int) -> str:
    """A journey of n stages, each measured, owned, with a recovery
    touchpoint, in a ring of transitions."""
    out = ['owner o "O"', 'kpi k "K" { unit count target >= 1 source first_party category acquisition cadence daily }',
           'journey j "J" {', "  owner o", "  model funnel"]
    out += [f"  stage s{i} {{ measure k touchpoint t{i} {{ channel email area support recovery }} -> s{(i + 1) % n} }}"
            for i in range(n)]
    return "\n".join(out + ["}"]) + "\n"


def test_ten_thousand_nested_braces(tmp_path):
    run = answer(write(tmp_path, "nested.journey", "journey j " + "{" * N + "}" * N + "\n"))
    assert codes(run) == ["E001"] and len(run.diagnostics) == 1


def test_ten_thousand_unclosed_braces(tmp_path):
    run = answer(write(tmp_path, "open.journey", "journey j { stage s { " + "{ " * N + "\n"))
    assert codes(run) == ["E001"] and len(run.diagnostics) == 1


def test_ten_thousand_errors_in_a_row(tmp_path):
    run = answer(write(tmp_path, "errors.journey", "journey j { stage s {\n" + "  phase @\n" * N + "} }\n"))
    assert codes(run) == ["E001"] and len(run.diagnostics) == N


def test_ten_thousand_long_lists_and_chains(tmp_path):
    text = ("owner o\n" + "\n".join(f"kpi k{i} {{ target >= {i} }}" for i in range(N)) + "\n"
            + "\n".join(f"persona p{i} {{ kind customer }}" for i in range(N))
            + '\njourney j { owner o promise "p" { tone ' + ", ".join(f"t{i}" for i in range(N)) + " }\n"
            + " stage s { entry measure " + ", ".join(f"k{i}" for i in range(N))
            + "\n touchpoint t { recovery audience " + ", ".join(f"p{i}" for i in range(N))
            + ' message "m" { ' + " ".join(f"claim c{i} = {i}" for i in range(N)) + " } }\n"
            + "".join(" -> s1" if i % 2 else " -> s" for i in range(N)) + " }\n stage s1 { -> s }\n}\n")
    run = answer(write(tmp_path, "chains.journey", text))
    assert not any(d.is_compile_error for d in run.diagnostics), run.diagnostics[:3]


def test_a_one_megabyte_line(tmp_path):
    text = 'owner o "' + "y" * 1_000_000 + '"\njourney j { owner o stage s { ' + "-> s " * 50_000 + "} }\n"
    run = answer(write(tmp_path, "line.journey", text))
    assert not any(d.is_compile_error for d in run.diagnostics)
    # and a megabyte of garbage on one line: one error for the line
    run = answer(write(tmp_path, "junk.journey", "owner o " + "@ x { } " * 125_000 + "\n"))
    assert codes(run) == ["E001"] and len(run.diagnostics) == 1


def test_a_huge_number_is_an_invalid_value_not_a_crash(tmp_path):
    run = answer(write(tmp_path, "number.journey", "kpi k { target >= " + "9" * 5000 + " }\n"
                                                   "kpi m { target >= 1" + "0" * syntax.MAX_DIGITS + ".5 }\n"
                                                   "kpi n { target >= " + "0" * 400 + "1." + "5" * 5000 + " }\n"))
    assert [(d.code, d.span.line) for d in run.diagnostics if d.is_compile_error] == [("E006", 1), ("E006", 2)]


def import_chain(folder: Path, n: int, close_cycle: bool = False) -> Path:
    write(folder, "journeyc.toml", "")
    for i in range(n):
        following = f'import "f{i + 1}.journey"\n' if i + 1 < n else ('import "f0.journey"\n' if close_cycle else "")
        write(folder, f"f{i}.journey", following + f"owner o{i}\n")
    write(folder, "f0.journey", 'import "f1.journey"\nowner o0\njourney j { owner o0 stage s { entry } }\n')
    return folder / "f0.journey"


def test_a_chain_of_ten_thousand_imports(tmp_path):
    root = import_chain(tmp_path, N)
    run = answer(root)
    assert not any(d.is_compile_error for d in run.diagnostics)
    assert len(run.results[0].files) == N


def test_a_cycle_of_ten_thousand_imports(tmp_path):
    root = import_chain(tmp_path, N, close_cycle=True)
    run = answer(root)
    (cycle,) = [d for d in run.diagnostics if d.is_compile_error]
    assert cycle.code == "E005" and f"({N - 9} more)" in cycle.message and cycle.message.count(" -> ") == 10
    with shallow_stack():  # and found from the folder, where every file is a candidate root
        run = check_run([str(tmp_path)])
    assert [d.code for d in run.diagnostics] == ["E005"]


def test_a_file_beyond_the_size_limit_is_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr("journeyc.project.MAX_FILE_BYTES", 1000)
    big = write(tmp_path, "big.journey", "owner o\n" * 200)
    write(tmp_path, "main.journey", 'import "big.journey"\n')
    with pytest.raises(JourneycError, match="big.journey: is too large"):
        Session().load_root(str(big))
    run = check_run([str(tmp_path / "main.journey")])
    assert [d.code for d in run.diagnostics] == ["E004"] and "is too large" in run.diagnostics[0].message
    assert MAX_FILE_BYTES >= 64 * 2 ** 20


# ---- long mode ----------------------------------------------------------------------

@pytest.mark.fuzz
def test_a_hundred_thousand_stages(tmp_path):
    run = answer(write(tmp_path, "stages.journey", stages(100_000)))
    assert not any(d.is_compile_error for d in run.diagnostics)
    assert len(run.results[0].compilation.journeys[0].stages) == 100_000


@pytest.mark.fuzz
def test_a_fifty_megabyte_file(tmp_path):
    desc = "x" * 200
    block = (f'journey j{{}} "J" {{{{ owner o description "{desc}" stage a {{{{ measure k description "{desc}" '
             f'touchpoint t {{{{ channel email area support recovery description "{desc}" }}}} -> a }}}} }}}}\n')
    count = 50_000_000 // len(block.format(0)) + 1
    text = stages(1) + "".join(block.format(i) for i in range(count))
    assert len(text) >= 50_000_000
    run = answer(write(tmp_path, "big.journey", text))
    assert not any(d.is_compile_error for d in run.diagnostics)

"""journeyc.parsing.parse, the one entry point: the fast driver for text
that parses, Lark with recovery for the rest, each text parsed once."""
from __future__ import annotations

import pytest

from journeyc import parsing
from journeyc.load import load_text
from journeyc.parsing import driver


@pytest.fixture
def runs(monkeypatch):
    """How many times the fast driver and the recovery parser run."""
    from journeyc.parsing import recovery

    counts = {"driver": 0, "recovery": 0}
    real_run, real_recover = driver.run, recovery.parse_with_recovery

    def counted_run(*args, **kwargs):
        counts["driver"] += 1
        return real_run(*args, **kwargs)

    def counted_recover(*args, **kwargs):
        counts["recovery"] += 1
        return real_recover(*args, **kwargs)

    monkeypatch.setattr(driver, "run", counted_run)
    monkeypatch.setattr(recovery, "parse_with_recovery", counted_recover)
    return counts


GOOD = 'journey j "J" {\n  stage s { touchpoint t { channel email } }\n}\n'
BAD = 'journey j "J" {\n  stage s { touchpiont t { channel email } }\n}\n'


def test_text_that_parses_is_parsed_once_by_the_driver(runs):
    lf = load_text(GOOD, "f.journey")
    assert lf.module is not None and not lf.load_errors
    assert runs == {"driver": 1, "recovery": 0}


def test_text_with_an_error_is_fast_parsed_once_then_recovered_once(runs):
    """The loader used to run the driver, then parse.parse_text, which ran
    it again before handing the text to Lark."""
    lf = load_text(BAD, "f.journey")
    assert [d.code for d in lf.load_errors] == ["E001"]
    assert runs == {"driver": 1, "recovery": 1}


def test_the_entry_point_returns_syntax_and_diagnostics():
    source, errors = parsing.parse(GOOD, "f.journey", "/real/f.journey")
    assert (source.path, source.real_path, errors) == ("f.journey", "/real/f.journey", [])
    source, errors = parsing.parse(BAD, "f.journey")
    assert source.real_path == "f.journey" and [d.code for d in errors] == ["E001"]
    assert "did you mean 'touchpoint'" in errors[0].suggestion

"""journeyc.units: dimensions, conversions and aliases (LANGUAGE.md 1.1, "Units and equality")."""
from __future__ import annotations

import pytest

from journeyc import units
from journeyc.units import DIFFERENT, EQUAL, NOT_COMPARABLE, compare, dimension, quantity_key


@pytest.mark.parametrize("word, dim", [
    ("minute", "minutes"), ("Minutes", "minutes"), ("hour", "minutes"), ("hours", "minutes"),
    ("day", "minutes"), ("DAYS", "minutes"), ("week", "minutes"), ("weeks", "minutes"),
    ("month", "months"), ("months", "months"), ("year", "months"), ("Years", "months"),
    ("working_days", "working_days"), ("business day", "working_days"), ("working days", "working_days"),
    ("%", "percent"), ("percent", "percent"), ("Percent", "percent"),
    ("USD", "money:USD"), ("usd", "money:USD"), ("dollar", "money:USD"), ("Dollars", "money:USD"),
    ("euro", "money:EUR"), ("euros", "money:EUR"), ("EUR", "money:EUR"),
    ("pound", "money:GBP"), ("pounds", "money:GBP"), ("GBP", "money:GBP"), ("yen", "money:JPY"),
    ("CHF", "money:CHF"), ("HKD", "money:HKD"),
    ("seat", "unit:seat"), ("seats", "unit:seat"), ("Seats", "unit:seat"),
    (None, "none"),
])
def test_dimension(word, dim):
    assert dimension(word) == dim


@pytest.mark.parametrize("a, b, result", [
    ((14, "days"), (2, "weeks"), EQUAL),
    ((1, "year"), (12, "months"), EQUAL),
    ((1, "hour"), (60, "minutes"), EQUAL),
    ((1, "day"), (24, "hours"), EQUAL),
    ((0.5, "hour"), (30, "minutes"), EQUAL),
    ((0.1, "hour"), (6, "minutes"), EQUAL),          # exact decimals, not binary floats
    ((50, "USD"), (50, "dollars"), EQUAL),
    ((50, "USD"), (50.0, "usd"), EQUAL),
    ((20, "%"), (20, "percent"), EQUAL),
    ((3, "seat"), (3, "seats"), EQUAL),
    ((7, None), (7.0, None), EQUAL),
    ((14, "days"), (30, "days"), DIFFERENT),
    ((50, "USD"), (35, "dollars"), DIFFERENT),
    ((20, "%"), (25, "percent"), DIFFERENT),
    ((30, "days"), (1, "month"), NOT_COMPARABLE),
    ((50, "USD"), (50, "EUR"), NOT_COMPARABLE),
    ((5, "working days"), (5, "days"), NOT_COMPARABLE),
    ((20, "%"), (20, None), NOT_COMPARABLE),
    ((3, "seat"), (3, "user"), NOT_COMPARABLE),
])
def test_compare(a, b, result):
    assert compare(a, b) == result
    assert compare(b, a) == result


def test_quantity_keys_index_equal_quantities_together():
    assert quantity_key(14, "days") == quantity_key(2, "weeks") == quantity_key(20160, "minutes")
    assert hash(quantity_key(0.5, "hour")) == hash(quantity_key(30, "minutes"))
    assert len({quantity_key(14, "days"), quantity_key(2, "weeks"), quantity_key(1, "month")}) == 2


@pytest.mark.parametrize("dim, k", [
    ("minutes", "duration"), ("months", "duration"), ("working_days", "duration"),
    ("money:USD", "money"), ("percent", "percent"), ("none", "none"), ("unit:seat", "other"),
])
def test_kind(dim, k):
    assert units.kind(dim) == k


@pytest.mark.parametrize("word, shown", [
    ("$", None), ("dollars", "USD"), ("EUR", "EUR"), ("percent", "%"), ("%", "%"),
    ("weeks", "week"), ("Days", "day"), ("business days", "business day"), (None, None), ("seats", "seat"),
])
def test_canonical_unit(word, shown):
    if word == "$":
        assert units.CURRENCY_SYMBOLS["$"] == "USD"
    else:
        assert units.canonical_unit(word) == shown


def test_vocabulary():
    assert units.NUMBER_WORDS["a"] == units.NUMBER_WORDS["an"] == units.NUMBER_WORDS["one"] == 1
    assert units.NUMBER_WORDS["twelve"] == 12 and "thirteen" not in units.NUMBER_WORDS
    assert {units.CURRENCY_SYMBOLS[s] for s in "$€£¥"} == {"USD", "EUR", "GBP", "JPY"}
    assert len(units.CURRENCY_CODES) == 20
    assert units.describe_dimension("money:EUR") == "money in EUR"

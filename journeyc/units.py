"""Units: the one place that knows dimensions, conversions and aliases
(LANGUAGE.md, "Units and equality", version 1.1).

Every number in the language has a unit word (or `%`, or none). A unit
belongs to one *dimension*; two numbers are comparable only when they have
the same dimension, and equal when they are equal after conversion to the
dimension's base unit:

=================  ====================================  ===========================
dimension key      unit words (case-insensitive)          base unit
=================  ====================================  ===========================
``minutes``        minute, hour, day, week (+ ``s``)      minute (hour 60, day 1,440,
                                                          week 10,080)
``months``         month, year (+ ``s``)                  month (year 12)
``working_days``   working day, business day (+ ``s``;    working day
                   also ``working_day``, ``business_day``)
``percent``        ``%``, percent                         percent
``money:XXX``      the currency code XXX (one of           one unit of the currency
                   ``CURRENCY_CODES``), a currency word
                   (``CURRENCY_WORDS``: dollar(s) USD,
                   euro(s) EUR, pound(s) GBP, yen JPY)
``unit:WORD``      any other word, trailing ``s`` dropped  the word
                   (``seat`` = ``seats``)
``none``           no unit                                 the number
=================  ====================================  ===========================

Months are a dimension apart from minutes because months differ in length:
``30 days`` and ``1 month`` are **not comparable**, and no rule reports two
numbers that are not comparable as contradictory. Working days are a
dimension of their own too (``5 working days`` is not ``7 days``).

The API:

* ``dimension(unit) -> str``: the dimension key of a unit word (``None``
  for no unit);
* ``kind(dimension) -> str``: ``"duration"``, ``"money"``, ``"percent"``,
  ``"other"`` or ``"none"`` (what M008 compares with a KPI's ``unit``);
* ``quantity_key(number, unit) -> (dimension, value)``: hashable, equal for
  equal quantities, so quantities can be indexed instead of compared in
  pairs;
* ``compare(a, b) -> EQUAL | DIFFERENT | NOT_COMPARABLE`` for two
  ``(number, unit)`` pairs;
* ``canonical_unit(unit) -> str | None``: how a unit is shown in the
  compiled JSON of a figure (currency code, ``%``, the singular lower-case
  duration word);
* the vocabulary that figure extraction reads from message text:
  ``CURRENCY_SYMBOLS``, ``CURRENCY_WORDS``, ``CURRENCY_CODES``,
  ``DURATION_WORDS``, ``NUMBER_WORDS``.

Conversions are exact: integers stay integers and decimals are read as
written (``0.1 hour`` is exactly 6 minutes), so equality never depends on
binary floating point.
"""
from __future__ import annotations

__all__ = [
    "EQUAL", "DIFFERENT", "NOT_COMPARABLE",
    "MINUTES", "MONTHS", "WORKING_DAYS", "PERCENT", "NONE",
    "CURRENCY_CODES", "CURRENCY_WORDS", "CURRENCY_SYMBOLS", "DURATION_WORDS", "NUMBER_WORDS",
    "dimension", "kind", "quantity_key", "compare", "canonical_unit", "describe_dimension",
]

# Results of `compare`.
EQUAL = "equal"
DIFFERENT = "different"
NOT_COMPARABLE = "not comparable"

# Dimension keys that are not per currency or per word.
MINUTES = "minutes"
MONTHS = "months"
WORKING_DAYS = "working_days"
PERCENT = "percent"
NONE = "none"

# Duration words (singular, lower case) -> (dimension, size in the base unit).
DURATION_WORDS: dict[str, tuple[str, int]] = {
    "minute": (MINUTES, 1),
    "hour": (MINUTES, 60),
    "day": (MINUTES, 1440),
    "week": (MINUTES, 7 * 1440),
    "month": (MONTHS, 1),
    "year": (MONTHS, 12),
}

# Currency codes recognised (in message text only in upper case).
CURRENCY_CODES = frozenset(
    "USD EUR GBP JPY CHF CAD AUD NZD SEK NOK DKK PLN CZK INR CNY BRL MXN ZAR SGD HKD".split())

# Currency words (lower case) -> code.
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD", "dollars": "USD",
    "euro": "EUR", "euros": "EUR",
    "pound": "GBP", "pounds": "GBP",
    "yen": "JPY",
}

# Currency symbols written straight before a number -> code.
CURRENCY_SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

# Number words read as numbers in message text (`two weeks`, `a month`).
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

_WORKING = ("working", "business")

# unit word as written -> (dimension, factor, canonical unit); filled lazily.
_CACHE: dict[str | None, tuple[str, int, str | None]] = {}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 1 else word


def _lookup(unit: str | None) -> tuple[str, int, str | None]:
    """(dimension, factor to the base unit, canonical unit) of a unit word."""
    found = _CACHE.get(unit)
    if found is not None:
        return found
    if unit is None:
        found = (NONE, 1, None)
    elif unit == "%":
        found = (PERCENT, 1, "%")
    else:
        word = " ".join(unit.replace("_", " ").split()).casefold()
        upper = word.upper()
        if word == "percent":
            found = (PERCENT, 1, "%")
        elif upper in CURRENCY_CODES:
            found = ("money:" + upper, 1, upper)
        elif word in CURRENCY_WORDS:
            code = CURRENCY_WORDS[word]
            found = ("money:" + code, 1, code)
        elif _singular(word) in DURATION_WORDS:
            single = _singular(word)
            dim, factor = DURATION_WORDS[single]
            found = (dim, factor, single)
        else:
            first, _, rest = word.partition(" ")
            if first in _WORKING and _singular(rest) == "day":
                found = (WORKING_DAYS, 1, first + " day")
            else:
                found = ("unit:" + _singular(word), 1, _singular(word))
    if len(_CACHE) < 4096:
        _CACHE[unit] = found
    return found


def dimension(unit: str | None) -> str:
    """The dimension key of a unit word (`"14 days"` has unit `"days"`):
    `minutes`, `months`, `working_days`, `percent`, `money:<CODE>`,
    `unit:<word>` or `none` (for `None`). Case-insensitive; `%` is percent."""
    return _lookup(unit)[0]


def kind(dim: str) -> str:
    """What sort of dimension a key is: `duration` (minutes, months, working
    days), `money`, `percent`, `none`, or `other` (any other unit word)."""
    if dim in (MINUTES, MONTHS, WORKING_DAYS):
        return "duration"
    if dim.startswith("money:"):
        return "money"
    if dim == PERCENT:
        return "percent"
    if dim == NONE:
        return "none"
    return "other"


def canonical_unit(unit: str | None) -> str | None:
    """The unit as the compiled JSON shows a figure's: the currency code for
    money, `%` for percent, the singular lower-case word for a duration
    (`working day` for working days), the singular lower-case word otherwise."""
    return _lookup(unit)[2]


def _exact(number):
    """The number as an int, or an exact Fraction of the decimal as written
    (`fractions` is imported only when a number has a fractional part)."""
    if isinstance(number, int):
        return number
    if isinstance(number, float) and number.is_integer():
        return int(number)
    from fractions import Fraction
    if isinstance(number, float):
        return Fraction(repr(number))  # the decimal as written, not its binary approximation
    return Fraction(number)


# (number, unit) -> quantity key; bounded like _CACHE.
_KEYS: dict[tuple, tuple] = {}


def quantity_key(number, unit: str | None) -> tuple:
    """A hashable key, equal for equal quantities: (dimension, value in the
    dimension's base unit). `quantity_key(14, "days") == quantity_key(2, "weeks")`."""
    found = _KEYS.get((number, unit))
    if found is None:
        dim, factor, _ = _lookup(unit)
        found = dim, _exact(number) * factor
        if len(_KEYS) < 4096:
            _KEYS[(number, unit)] = found
    return found


def compare(a: tuple, b: tuple) -> str:
    """Compare two `(number, unit)` quantities: `EQUAL`, `DIFFERENT`, or
    `NOT_COMPARABLE` when their dimensions differ (`30 days` and `1 month`,
    `50 USD` and `50 EUR`)."""
    ka, kb = quantity_key(*a), quantity_key(*b)
    if ka[0] != kb[0]:
        return NOT_COMPARABLE
    return EQUAL if ka[1] == kb[1] else DIFFERENT


def describe_dimension(dim: str) -> str:
    """A dimension key in words, for messages (`money:USD` -> `money in USD`)."""
    if dim.startswith("money:"):
        return "money in " + dim[6:]
    if dim.startswith("unit:"):
        return "'" + dim[5:] + "'"
    return {MINUTES: "a duration", MONTHS: "a duration in months", WORKING_DAYS: "working days",
            PERCENT: "a percentage", NONE: "a number without unit"}[dim]

"""Figure extraction: journeyc's scanner (journeyc/figures.py) against the
quantity-extraction libraries on the index, on the forms LANGUAGE.md 1.1
defines ("Figures in message text").

    python -m venv /tmp/figlib && /tmp/figlib/bin/pip install quantulum3 price-parser pint
    PYTHONPATH=. /tmp/figlib/bin/python benchmarks/figure_libraries.py

For each library: how many of the contract's cases it gets exactly right
(the same figures: kind, number, unit and the exact text span), and its
time per message over the cases. The libraries are not journeyc
dependencies; docs/figures.md records the result.
"""
from __future__ import annotations

import time

from journeyc.figures import extract
from journeyc.model import Span

# (text, [(kind, number, unit, text)]): the forms of the contract
CASES = [
    ("Start your 14-day free trial", [("duration", 14, "day", "14-day")]),
    ("Orders over $1,000.50 ship free", [("money", 1000.5, "USD", "$1,000.50")]),
    ("Free shipping over €35.", [("money", 35, "EUR", "€35")]),
    ("£20 off, or ¥500", [("money", 20, "GBP", "£20"), ("money", 500, "JPY", "¥500")]),
    ("Your trial lasts two weeks", [("duration", 2, "week", "two weeks")]),
    ("Try it for a month", [("duration", 1, "month", "a month")]),
    ("Save 20 percent today", [("percent", 20, "%", "20 percent")]),
    ("Save 20% today", [("percent", 20, "%", "20%")]),
    ("Only 35 dollars", [("money", 35, "USD", "35 dollars")]),
    ("It costs 500 yen", [("money", 500, "JPY", "500 yen")]),
    ("It costs 50 USD", [("money", 50, "USD", "50 USD")]),
    ("A car with 2 cup holders", []),
    ("Refunds in 5 working days", [("duration", 5, "working day", "5 working days")]),
    ("Within 4\u00a0hours", [("duration", 4, "hour", "4\u00a0hours")]),
    ("Only 3 days left in your trial", [("duration", 3, "day", "3 days")]),
    ("We have 14 teams in 2 cities", []),
]


def locate(a, b):
    return Span("t", 1, a + 1, 1, b + 1)


def ours(text):
    return [(f.kind, f.number, f.unit, f.text) for f in extract(text, locate)]


def quantulum(text):
    from quantulum3 import parser

    out = []
    for q in parser.parse(text):
        unit = q.unit.name
        entity = q.unit.entity.name
        kind = {"currency": "money", "time": "duration", "dimensionless": "percent" if "percent" in unit else None}.get(entity)
        if kind is None:
            continue
        code = getattr(q.unit, "currency_code", None) or unit
        if kind == "duration":
            code = unit.rstrip("s")
        elif kind == "percent":
            code = "%"
        out.append((kind, q.value, code, text[q.span[0]:q.span[1]]))
    return out


def price_parser(text):
    from price_parser import Price

    p = Price.fromstring(text)
    if p.amount is None:
        return []
    codes = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
    # price-parser gives no span: the best it can do is the amount and the currency
    return [("money", float(p.amount), codes.get(p.currency, p.currency), None)]


def pint_parse(text):
    import pint

    if "u" not in _UREG:
        _UREG["u"] = pint.UnitRegistry()
    ureg = _UREG["u"]
    out = []
    words = text.replace("-", " ").split()
    for i in range(len(words) - 1):
        try:
            q = ureg.Quantity(float(words[i].replace(",", "")), words[i + 1].strip(".,!").lower())
        except Exception:  # noqa: BLE001 - not a quantity
            continue
        if q.check("[time]"):
            out.append(("duration", q.magnitude, str(q.units), None))
    return out


_UREG: dict = {}


def evaluate(name, fn, repeat=20):
    try:
        fn(CASES[0][0])  # import and warm up
    except ImportError as e:
        print(f"{name:14} not installed ({e})")
        return
    wrong = [text for text, want in CASES if not _same(fn(text), want)]
    exact = len(CASES) - len(wrong)
    t = time.perf_counter()
    for _ in range(repeat):
        for text, _ in CASES:
            fn(text)
    per = (time.perf_counter() - t) / (repeat * len(CASES)) * 1e6
    print(f"{name:14} exact on {exact:2d} of {len(CASES)} cases   {per:9.1f} µs per message")
    for text in wrong:
        print(f"{'':14}   wrong: {text!r} -> {fn(text)}")


def _same(got, want):
    return [(k, float(n), u, t) for k, n, u, t in got] == [(k, float(n), u, t) for k, n, u, t in want]


if __name__ == "__main__":
    evaluate("journeyc", ours, repeat=500)
    evaluate("quantulum3", quantulum)
    evaluate("price-parser", price_parser)
    evaluate("pint", pint_parse)

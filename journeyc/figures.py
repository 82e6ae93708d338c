"""Figures read out of message text (LANGUAGE.md 1.1, "Figures in message
text"), and which fact each figure is about.

A figure is money (`$50`, `€35`, `35 dollars`, `50 USD`), a percentage
(`20%`, `20 percent`) or a duration (`14 days`, `14-day`, `two weeks`,
`a month`, `5 working days`). The vocabulary (currency symbols, words and
codes, duration words, number words) and the dimensions come from
`journeyc.units`; this module only scans.

The scanner is one regular expression (benchmarks/figure_libraries.py
compares it with quantulum3, price-parser and pint on the contract's forms:
none of them is exact on them, and each is slower; see docs/figures.md).
Text without a digit can only hold a duration written with a number word,
so it is searched only when it holds a duration word.

`extract(text, locate)` gives the figures of a text in text order; `locate`
turns a (start, end) range of the text into a Span (of the journey file for
a string, of the copy file for a copy file). `FactIndex` decides which fact
each figure is about.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from . import patterns, units
from .model import Bool, Num, Span, Str
from .records import Record

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SP = r"[^\S\r\n]+"  # any white space but a line break (a line break ends a sentence)
_DURATION = "|".join(w + "s?" for w in units.DURATION_WORDS)
_QUAL = rf"(?:working|business|calendar)(?:{_SP}|-)"
_WORDS = "|".join(sorted(units.NUMBER_WORDS, key=len, reverse=True))
_CODES = "|".join(sorted(units.CURRENCY_CODES))
_CURRENCY_WORDS = "|".join(sorted(units.CURRENCY_WORDS, key=len, reverse=True))
_SYMBOLS = "".join(re.escape(s) for s in units.CURRENCY_SYMBOLS)

# The first character of a figure: a currency symbol, a digit or the first letter of a
# number word. Checking it first lets the scanner skip most positions at once.
_FIRST = "".join(sorted({w[0] for w in units.NUMBER_WORDS}))
FIGURE_PATTERN = (
    rf"""(?=[{_SYMBOLS}\d{_FIRST}])(?:
        (?P<sym>[{_SYMBOLS}])(?P<sn>{_NUM})(?![\w])
      | (?<![\w.,])(?P<n>{_NUM})(?:
            (?P<pct>%|{_SP}percent\b)
          | {_SP}(?P<cw>{_CURRENCY_WORDS})\b
          | {_SP}(?-i:(?P<code>{_CODES}))\b
          | (?:{_SP}|-)(?P<q1>{_QUAL})?(?P<du>{_DURATION})\b
        )
      | \b(?P<w>{_WORDS})(?:{_SP}|-)(?P<q2>{_QUAL})?(?P<dw>{_DURATION})\b
    )(?P<cd>{_SP}(?:left|remaining|to{_SP}go)\b)?""")
_FIGURE: list = []  # the compiled FIGURE_PATTERN, when a first text may hold a figure (1.4 ms, unless journeyc.patterns keeps it)


def figure_re() -> re.Pattern:
    if not _FIGURE:
        _FIGURE.append(patterns.compile(FIGURE_PATTERN, re.IGNORECASE | re.VERBOSE))
    return _FIGURE[0]

# Text without digits can hold only durations written with a number word.
_DURATION_WORD = patterns.compile(rf"\b(?:{_DURATION})\b", re.IGNORECASE)
_DIGIT = patterns.compile(r"\d")

# A sentence ends at `.`, `!` or `?` followed by white space or the end, or at a line break.
SENTENCE_END = patterns.compile(r"[.!?](?=\s|$)|\n")


class Figure(Record):
    """A figure of a message's text. `number` is the value as written (1 for
    `a`/`an`/`one`); `unit` the currency code, `%`, or the singular lower-case
    duration word; `text` the words as written; `start`/`end` its range in the
    message's text; `countdown`: followed by `left`, `remaining` or `to go`
    (about no fact); `fact`: the fact it is about, set by FactIndex."""

    kind: str  # money | percent | duration
    number: int | float
    unit: str
    text: str
    span: Span
    dimension: str
    start: int
    end: int
    countdown: bool = False
    fact: str | None = None


def _number(text: str) -> int | float:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def may_hold_figures(text: str) -> bool:
    return _DIGIT.search(text) is not None or _DURATION_WORD.search(text) is not None


def extract(text: str, locate: Callable[[int, int], Span]) -> tuple[Figure, ...]:
    """The figures of `text`, in text order."""
    if not may_hold_figures(text):
        return ()
    found = []
    for m in figure_re().finditer(text):
        g = m.group
        if g("sym") is not None:
            code = units.CURRENCY_SYMBOLS[g("sym")]
            kind, number, unit = "money", _number(g("sn")), code
        elif g("n") is not None:
            number = _number(g("n"))
            if g("pct") is not None:
                kind, unit = "percent", "%"
            elif g("cw") is not None:
                kind, unit = "money", units.CURRENCY_WORDS[g("cw").lower()]
            elif g("code") is not None:
                kind, unit = "money", g("code")
            else:
                kind, unit = "duration", _duration_unit(g("q1"), g("du"))
        else:
            kind, number, unit = "duration", units.NUMBER_WORDS[g("w").lower()], _duration_unit(g("q2"), g("dw"))
        start = m.start()
        end = m.start("cd") if g("cd") is not None else m.end()
        found.append(Figure(kind, number, unit, text[start:end], locate(start, end), units.dimension(unit),
                            start, end, g("cd") is not None))
    return tuple(found)


def _duration_unit(qualifier: str | None, word: str) -> str:
    single = units.canonical_unit(word)
    if qualifier:
        q = qualifier[:-1].strip().lower() if qualifier.endswith("-") else qualifier.strip().lower()
        if q in ("working", "business"):
            return q + " " + single
    return single


def sentence_ends(text: str) -> list[int]:
    """Offsets where sentences end, for `bisect`: a position p lies in
    sentence number bisect_right(ends, p)... see `sentence_of`."""
    if "." not in text and "!" not in text and "?" not in text and "\n" not in text:
        return []  # one sentence (most messages): no scan
    return [m.start() for m in SENTENCE_END.finditer(text)]


def sentence_of(ends: list[int], offset: int) -> int:
    return bisect.bisect_left(ends, offset)


# -- which fact a figure is about ---------------------------------------------------

class FactIndex:
    """The phrases of a compilation's facts as one regular expression.

    `facts` is a sequence of (fact id, phrases, dimension, audience) in
    declaration order; audience is a frozenset of persona ids (empty:
    everyone)."""

    def __init__(self, facts):
        self.facts = list(facts)
        self.by_phrase: dict[str, list[int]] = {}
        words = set()
        for i, (_, phrases, _, _) in enumerate(self.facts):
            for p in phrases:
                key = _phrase_key(p)
                if key:
                    self.by_phrase.setdefault(key, []).append(i)
                    words.add(key)
        self.pattern = None
        if words:
            alts = sorted(words, key=lambda w: (-len(w), w))
            body = "|".join(r"\s+".join(re.escape(x) for x in w.split(" ")) + r"(?:e?s)?" for w in alts)
            # a lookahead finds a phrase at every word start, so overlapping phrases are all seen
            self.pattern = re.compile(rf"\b(?=((?:{body}))\b)", re.IGNORECASE)

    def __bool__(self) -> bool:
        return self.pattern is not None

    def occurrences(self, text: str):
        """(start, end, fact indexes) of every phrase occurring in `text`."""
        out = []
        for m in self.pattern.finditer(text):
            start = m.start()
            matched = m.group(1)
            words = matched.split()
            # the longest phrase matched at this start, and every shorter phrase it begins with
            for k in range(len(words), 0, -1):
                prefix = " ".join(words[:k]).casefold()
                facts = _plural_lookup(self.by_phrase, prefix)
                if facts:
                    end = start + _prefix_length(matched, k)
                    out.append((start, end, facts))
        return out

    def attribute(self, text: str, figures: tuple[Figure, ...], audience: frozenset) -> tuple[Figure, ...]:
        """The figures with `fact` set where they are about a fact."""
        if not figures or self.pattern is None:
            return figures
        occurrences = self.occurrences(text)
        if not occurrences:
            return figures
        ends = sentence_ends(text)
        fig_sentence = [sentence_of(ends, f.start) for f in figures]
        # figure index -> [(audience rank, distance, fact index)]
        candidates: dict[int, list] = {}
        for start, end, fact_ids in occurrences:
            sentence = sentence_of(ends, start)
            for fi in fact_ids:
                dim = self.facts[fi][2]
                best = None
                for i, f in enumerate(figures):
                    if fig_sentence[i] != sentence or f.dimension != dim or f.countdown:
                        continue
                    if f.end <= start:
                        distance, after = start - f.end, 1
                    elif f.start >= end:
                        distance, after = f.start - end, 0
                    else:
                        distance, after = 0, 0
                    rank = (distance, after)
                    if best is None or rank < best[0]:
                        best = (rank, i)
                if best is not None:
                    fact_audience = self.facts[fi][3]
                    overlaps = not fact_audience or not audience or not fact_audience.isdisjoint(audience)
                    candidates.setdefault(best[1], []).append((0 if overlaps else 1, best[0][0], fi))
        if not candidates:
            return figures
        out = list(figures)
        for i, cands in candidates.items():
            out[i] = out[i]._replace(fact=self.facts[min(cands)[2]][0])
        return tuple(out)


def _phrase_key(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


def _plural_lookup(by_phrase: dict, key: str):
    found = by_phrase.get(key)
    if found is None and key.endswith("s"):
        found = by_phrase.get(key[:-1])
        if found is None and key.endswith("es"):
            found = by_phrase.get(key[:-2])
    return found


def _prefix_length(matched: str, k: int) -> int:
    """The length of the first k words of `matched`, with the space between them."""
    count, i, n = 0, 0, len(matched)
    while i < n:
        while i < n and matched[i].isspace():
            i += 1
        while i < n and not matched[i].isspace():
            i += 1
        count += 1
        if count == k:
            return i
    return n


def facts_stated(comp, message) -> list[str]:
    """The ids of the facts a message states (a figure about the fact, or a
    claim named after it), each once, figures first, in text order."""
    return list(dict.fromkeys([x.fact for x in message.figures if x.fact]
                              + [c.id.text for c in message.claims if c.id.text in comp.facts]))


class Statement(Record):
    """A message stating a fact: a figure about it, or a claim named after it."""

    fact: str
    stage: object
    touchpoint: object
    message: object
    what: str  # the figure as written in quotes, or `claim VALUE`
    agrees: bool


def value_key(v) -> tuple:
    """Equal claim values have equal keys (LANGUAGE.md 1.1: numbers of the
    same dimension equal after conversion, by `journeyc.units`; strings equal
    after trimming and case-folding; the same boolean). A number's key is
    `("number", dimension, value)`: see `comparable`."""
    if isinstance(v, Num):
        return ("number",) + units.quantity_key(v.value, v.unit)
    if isinstance(v, Str):
        return ("string", v.text.strip().casefold())
    if isinstance(v, Bool):
        return ("bool", v.value)
    return ("other", repr(v))


def comparable(a: tuple, b: tuple) -> bool:
    """Whether two value keys can disagree: numbers of different dimensions
    (`30 days` and `1 month`, `50 USD` and `50 EUR`) are not comparable."""
    return not (a[0] == "number" == b[0] and a[1] != b[1])


def describe_value(v) -> str:
    if isinstance(v, Num):
        unit = "" if v.unit is None else ("%" if v.unit == "%" else f" {v.unit}")
        return f"{v.value}{unit}"
    if isinstance(v, Str):
        return '"' + v.text + '"'
    if isinstance(v, Bool):
        return "true" if v.value else "false"
    return str(v)


def statements(comp, journey) -> list[Statement]:
    """The messages of `journey` that state a fact of `comp`, in journey
    order, and whether each agrees with the fact (C005's comparison:
    numbers by `journeyc.units`; values that are not comparable agree)."""
    out = []
    for s in journey.stages:
        for t in s.touchpoints:
            for m in t.messages:
                for x in m.figures:
                    if x.fact is None:
                        continue
                    v = comp.facts[x.fact].value
                    ok = units.compare((x.number, x.unit), (v.value, v.unit)) == units.EQUAL
                    out.append(Statement(x.fact, s, t, m, f"\u201c{x.text}\u201d", ok))
                for c in m.claims:
                    fact = comp.facts.get(c.id.text)
                    if fact is not None:
                        a, b = value_key(c.value), value_key(fact.value)
                        out.append(Statement(c.id.text, s, t, m, f"claim {describe_value(c.value)}",
                                             a == b or not comparable(a, b)))
    return out

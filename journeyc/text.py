"""Text helpers that know nothing of journeys: lists ("a, b and c"),
"did you mean" (`closest`, bounded for many questions), counts and numbers
as messages write them, strings quoted as the language writes them, and the
walk from a folder up to the root of the file system.

A leaf module: it imports nothing from journeyc (tests/test_structure.py),
so every layer can use it; only the standard library, loaded lazily where it
costs start-up time."""
from __future__ import annotations

import os

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def and_list(words) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return _join(list(words), "and")


def or_list(words) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return _join(list(words), "or")


def _join(words: list[str], last: str) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 file', '2 files' (`many`: the plural where it is not word + 's')."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def plain_number(value) -> str:
    """A number as the language writes it: no exponent, no trailing '.0'."""
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.15f}".rstrip("0").rstrip(".")
        if text.endswith(".0"):
            text = text[:-2]
        return text
    return str(value)


def quoted_title(title: str) -> str:
    """A title in double quotes, escaped as the language writes strings, so
    quotes and line breaks in it cannot be mistaken for the message's own."""
    if title.isprintable() and '"' not in title and "\\" not in title:
        return f'"{title}"'
    return '"' + "".join(_ESCAPES.get(c) or (c if c.isprintable() else f"\\u{ord(c):04x}") for c in title) + '"'


def folders_upward(start: str):
    """`start` made absolute (its folder, if it is not a folder), then each
    parent folder up to the root of the file system: the one walk behind the
    project root, the configuration file and the repository."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


# -- did you mean ----------------------------------------------------------------------

def did_you_mean_phrase(best: str | None, note: str = "") -> str | None:
    """The suggestion for a word whose closest known word is `best` (None: no
    suggestion); `note` says why, after the question."""
    if not best:
        return None
    return f"did you mean '{best}'?" + (f" ({note})" if note else "")


def did_you_mean(word: str, choices, note: str = "") -> str | None:
    """'did you mean ...?' with the closest of `choices` to `word`
    (`closest` decides what is close), or None."""
    return did_you_mean_phrase(closest(word, choices), note)


CUTOFF = 0.6           # how alike a suggestion must be (difflib's ratio)
EXACT_BUDGET = 20_000  # names one index compares in full, over all its questions, before bounding them
NEIGHBOURS = 12        # then: this many nearest on each side in spelling and in reversed-spelling order


class Candidates:
    """The names `closest` chooses from, indexed once for many questions:
    grouped by length (a name much shorter or longer than the word can never
    be close enough), sorted by spelling and by reversed spelling, with a
    budget of full comparisons shared by every question asked of it."""

    __slots__ = ("by_length", "lengths", "sorted", "reversed", "budget")

    def __init__(self, choices):
        names = sorted(set(choices))
        self.by_length: dict[int, list[str]] = {}
        for name in names:
            self.by_length.setdefault(len(name), []).append(name)
        self.lengths = sorted(self.by_length)
        self.sorted = names
        self.reversed = sorted(name[::-1] for name in names)
        self.budget = EXACT_BUDGET


def closest(word: str, choices) -> str | None:
    """The closest of `choices` (names, or `Candidates` made of them) to
    `word`, if any is close enough: the one "did you mean" of journeyc.

    The answer is difflib's (`get_close_matches(word, choices, 1, 0.6)`: the
    highest ratio, ties to the greater name) as long as the index's budget
    of EXACT_BUDGET comparisons lasts (names of a length that cannot reach
    the cutoff cost nothing): every ordinary run. Beyond it (thousands of
    misspelt references among thousands of names) each question compares
    only the names nearest to the word in spelling order and in
    reversed-spelling order, which share its longest prefixes and suffixes,
    where a typo's original lies; so the work stays linear."""
    index = choices if isinstance(choices, Candidates) else Candidates(choices)
    n = len(word)
    # ratio <= 2 * min(n, m) / (n + m): the lengths that can reach the cutoff
    plausible = [m for m in index.lengths if 2 * min(n, m) >= CUTOFF * (n + m)]
    count = sum(len(index.by_length[m]) for m in plausible)
    if count == 0:
        return None
    if count <= index.budget:
        index.budget -= count
        pool = [name for m in plausible for name in index.by_length[m]]
    else:
        import bisect

        pool = []
        for names, key, flip in ((index.sorted, word, False), (index.reversed, word[::-1], True)):
            at = bisect.bisect_left(names, key)
            near = names[max(0, at - NEIGHBOURS):at + NEIGHBOURS]
            pool.extend(x[::-1] if flip else x for x in near)
        pool = list(dict.fromkeys(pool))
    import difflib

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: tuple[float, str] | None = None
    floor = CUTOFF  # a name whose cheap upper bounds fall below the best so far can neither beat nor tie it
    for name in pool:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
            score = (matcher.ratio(), name)
            if score[0] >= floor and (best is None or score > best):
                best = score
                floor = score[0]
    return best[1] if best else None

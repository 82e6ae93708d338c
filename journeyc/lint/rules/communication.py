"""Communication rules (C): one voice. No contradictory claims, no teams
repeating each other to the same people, every tone on the brand promise,
no channel flooded.

None of them compares every message with every other: claims are indexed by
claim id, audience and value; messages by stage, channel and normalised
text (see each check)."""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict

from ...diagnostics import Related, WARNING, ERROR
from ...model import Touchpoint
from ... import patterns, units
from ...figures import comparable, describe_value, sentence_ends, sentence_of, value_key
from ...units import DIFFERENT, compare, quantity_key
from ..context import CompilationContext, customer_facing, stage_path, touchpoint_path
from ..rule import Option, Rule, fraction, positive_int, rule
from ...text import and_list, closest, did_you_mean_phrase
from ...wording import name_of, named

# How many earlier claims (C001) or twins (C002) a finding lists as related
# locations; the message gives the full count.
MAX_RELATED = 10


def _audience(t: Touchpoint) -> frozenset[str]:
    return frozenset(a.text for a in t.audience)


def _overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two audiences overlap when either is everyone or they share a persona."""
    return not a or not b or not a.isdisjoint(b)


# -- C001 -----------------------------------------------------------------------

class _ClaimIndex:
    """The earlier claims of one claim id, grouped by audience, then by value.
    Finding the claims a new one disagrees with costs a pass over the distinct
    audiences and at most MAX_RELATED distinct values, not over every earlier
    claim.

    While every claim added has one value (the common case: teams mostly
    agree) the index only keeps them in a list, so agreeing costs an append;
    the groups are built when a second value arrives."""

    __slots__ = ("key", "pending", "groups", "counts")

    def __init__(self):
        self.key = None  # the one value key seen while `pending` is not None
        self.pending: list | None = []  # [(audience, entry)] while every value is `key`
        # audience -> value key -> [(claim, value)] in compile order
        self.groups: dict[frozenset, dict[tuple, list]] = {}
        # audience -> {"all": claims, "number": numbers, dimension: numbers of it}
        self.counts: dict[frozenset, Counter] = defaultdict(Counter)

    def disagreeing(self, audience: frozenset, key: tuple) -> tuple[int, list]:
        pending = self.pending
        if pending is not None:
            if not pending or key == self.key:  # every earlier value is this one
                return 0, []
            self.pending = None  # a second value: index what came so far
            for aud, entry in pending:
                self._index(aud, self.key, entry)
        total = 0
        found = []
        for aud, by_value in self.groups.items():
            if not _overlap(aud, audience):
                continue
            same = by_value.get(key)
            counts = self.counts[aud]
            comparable_count = counts["all"]
            if key[0] == "number":  # numbers of other dimensions cannot disagree with it
                comparable_count += counts[key[1]] - counts["number"]
            total += comparable_count - (len(same) if same else 0)
            taken = 0
            for k, claims in by_value.items():  # values in order of first appearance
                if k == key or not comparable(k, key):
                    continue
                found.extend(claims[:MAX_RELATED])
                taken += 1
                if taken >= MAX_RELATED:
                    break
        found.sort(key=lambda cv: (cv[2], cv[0].span.line, cv[0].span.column))
        return total, found[:MAX_RELATED]

    def add(self, audience: frozenset, key: tuple, entry) -> None:
        pending = self.pending
        if pending is not None:
            if not pending:
                self.key = key
                pending.append((audience, entry))
                return
            if key == self.key:
                pending.append((audience, entry))
                return
            self.pending = None
            for aud, e in pending:
                self._index(aud, self.key, e)
        self._index(audience, key, entry)

    def _index(self, audience: frozenset, key: tuple, entry) -> None:
        self.groups.setdefault(audience, {}).setdefault(key, []).append(entry)
        counts = self.counts[audience]
        counts["all"] += 1
        if key[0] == "number":
            counts["number"] += 1
            counts[key[1]] += 1


@rule("C001", "contradictory-claims", ERROR, "A claim disagrees with an earlier claim made to an overlapping audience.",
      bad='''
          journey j {
            stage a {
              touchpoint ad { channel social message "Try it free for 14 days" { claim trial_days = 14 days } }
              touchpoint rep { channel sales_rep message "You get a 30-day trial" { claim trial_days = 30 days } }
            }
          }
      ''',
      good='''
          journey j {
            stage a {
              touchpoint ad { channel social message "Try it free for 14 days" { claim trial_days = 14 days } }
              touchpoint rep { channel sales_rep message "You get a 14-day trial" { claim trial_days = 14 days } }
            }
          }
      ''')
def contradictory_claims(r: Rule, ctx: CompilationContext):
    """A `claim` whose value differs from an earlier claim with the same id,
    in a message whose audience overlaps (two audiences overlap when either
    is everyone or they share a persona). Earlier means compile order, then
    source order, across every journey of the compilation.

    A customer who reads "14-day trial" in an ad and "30-day trial" from the
    sales rep cannot trust either; contradictions like this are what people
    remember about a brand. Make the claims agree, or address the variants to
    audiences that do not overlap (for example a price for each segment).

    One finding per disagreeing claim, at the later one; the related
    locations are the earlier claims it disagrees with (at most ten; the
    message gives the count)."""
    index: dict[str, _ClaimIndex] = defaultdict(_ClaimIndex)
    order = 0
    for j, s, t in ctx.touchpoints():
        audience = _audience(t)
        for m in t.messages:
            for c in m.claims:
                order += 1
                key = value_key(c.value)
                claims = index[c.id.text]
                total, earlier = claims.disagreeing(audience, key)
                if total:
                    values = list(dict.fromkeys(describe_value(v) for _, v, _ in earlier))
                    what = "an earlier claim" if total == 1 else f"{total} earlier claims"
                    yield r.at(
                        c.span,
                        f"claim '{c.id.text}' = {describe_value(c.value)} in {name_of('touchpoint', t)} contradicts "
                        f"{what} ({', '.join(values)}) made to an overlapping audience: customers who get both "
                        "cannot trust either; make the claims agree or address them to audiences that do not overlap",
                        related=tuple(Related(e.span, f"'{c.id.text}' = {describe_value(v)} claimed here")
                                      for e, v, _ in earlier),
                        entity=f"{touchpoint_path(j, s, t)}#claim:{c.id.text}")
                claims.add(audience, key, (c, c.value, order))


# -- C002 -----------------------------------------------------------------------

_NOT_ALNUM_OR_SPACE = patterns.compile(r"[^\w\s]|_")


def normalise(text: str) -> str:
    """NFC, case-folded, every character that is neither alphanumeric nor
    white space turned into a space, white space collapsed and trimmed."""
    if not text.isascii():  # (ASCII text is NFC: unicodedata, a shared library, is loaded for other text only)
        import unicodedata

        text = unicodedata.normalize("NFC", text)
    text = text.casefold()
    # `[^\w\s]|_`: \w is exactly str.isalnum() plus "_", \s exactly str.isspace().
    return " ".join(_NOT_ALNUM_OR_SPACE.sub(" ", text).split())


# threshold -> the segment layouts and shifts of _TextIndex, which depend only on lengths and it.
_GEOMETRY: dict[float, tuple[dict, dict]] = {}


class _TextIndex:
    """The distinct normalised texts one owner has sent so far in one stage
    and channel: `similar(text)` finds those at least `threshold` alike
    without comparing `text` with each of them.

    Two filters, both exact (they never drop a text that is alike):

    * Lengths. ratio = 2M / (la + lb) with M <= min(la, lb), so only texts
      whose length lies within a factor (2 - t) / t of the new one's can be
      alike.
    * Segments (the PassJoin filter). The matching blocks of either ratio
      form a common subsequence, so ratio >= t implies that insertions and
      deletions turning one text into the other number at most
      d = (1 - t)(la + lb). Each indexed text is cut into D + 1 segments,
      D being that bound for its longest possible partner; at most d of
      them can be touched by d edits, so an alike text contains one of them
      unchanged, shifted by the insertions minus the deletions before it.
      Looking up the new text's substrings at those places finds every
      candidate.

    Per lookup the cheaper of a scan of the length window and the segment
    probes is used, so the work per text does not grow with the number of
    texts indexed. Texts of a length are cut into segments only when a
    lookup first probes that length (most lookups scan a few texts, and most
    texts are never probed for). Candidates are then checked with
    `quick_ratio`, an upper bound of both ratios, and the two ratios
    themselves."""

    # What checking one text of the length window costs (a quick_ratio),
    # counted in segment lookups; the cheaper way is taken.
    scan_cost = 40

    def __init__(self, threshold: float, chars: dict | None = None):
        self.threshold = threshold
        self.by_length: dict[int, list[str]] = {}
        self.segments: dict[tuple, list[str]] = defaultdict(list)  # (length, i, segment) -> texts
        self.segmented: dict[int, int] = {}  # length -> how many of its texts are in `segments`
        self.lengths: list[int] = []  # the lengths of by_length, ascending
        # text -> how often each character occurs in it (may be shared by the indexes of one stage and channel)
        self.chars: dict[str, Counter] = {} if chars is None else chars
        # What depends only on lengths and the threshold, shared by every index of that threshold:
        # length -> _parts(length), and (la, lb) -> _shifts(la, lb).
        self.parts, self.shifts = _GEOMETRY.setdefault(threshold, ({}, {}))

    def _window(self, n: int) -> range:
        t = self.threshold
        return range(max(1, int(n * t / (2 - t))), int(n * (2 - t) / t) + 2)

    def _edits(self, la: int, lb: int) -> int:
        """The most insertions and deletions two alike texts can differ by
        (rounded up against floating-point error)."""
        import math  # (loaded when texts are compared, not with the rules)

        return math.floor((1 - self.threshold) * (la + lb) + 1e-9)

    def _parts(self, length: int) -> list[tuple[int, int]]:
        """(start, size) of the segments a text of `length` is indexed by;
        [] when it is too short to cut (then it is only scanned)."""
        pieces = self._edits(length, self._window(length)[-1]) + 1
        if pieces > length:
            return []
        size, extra = divmod(length, pieces)
        out, start = [], 0
        for i in range(pieces):
            width = size + (1 if i >= pieces - extra else 0)
            out.append((start, width))
            start += width
        return out

    def add(self, text: str) -> None:
        texts = self.by_length.get(len(text))
        if texts is None:
            bisect.insort(self.lengths, len(text))
            self.by_length[len(text)] = [text]
        else:
            texts.append(text)

    def _parts_of(self, length: int) -> list[tuple[int, int]]:
        parts = self.parts.get(length)
        if parts is None:
            parts = self.parts[length] = self._parts(length)
        return parts

    def _segment(self, length: int, parts) -> None:
        """Cut the texts of `length` added since the last probe into segments."""
        texts = self.by_length[length]
        done = self.segmented.get(length, 0)
        segments = self.segments
        for text in texts[done:]:
            for i, (start, size) in enumerate(parts):
                segments[(length, i, text[start:start + size])].append(text)
        self.segmented[length] = len(texts)

    def _shifts(self, la: int, lb: int, parts) -> tuple[int, int, int]:
        """How far a segment of a text of length `lb` can move in an alike
        text of length `la` (back, ahead), and how many lookups probing
        every segment takes; the same for every pair of those lengths."""
        found = self.shifts.get((la, lb))
        if found is None:
            # A segment moves by the insertions minus the deletions before it:
            # with I + E <= d and I - E = la - lb, by -(d - delta)/2 to (d + delta)/2.
            delta = la - lb
            d = self._edits(la, lb)
            back, ahead = (d - delta) // 2, (d + delta) // 2
            probes = sum(max(0, min(la - size, start + ahead) - max(0, start - back) + 1) for start, size in parts)
            found = self.shifts[(la, lb)] = back, ahead, probes
        return found

    def _candidates(self, text: str):
        la = len(text)
        window = self._window(la)
        lengths = self.lengths
        for k in range(bisect.bisect_left(lengths, window.start), bisect.bisect_left(lengths, window.stop)):
            lb = lengths[k]  # the lengths of the window that some text has, ascending
            others = self.by_length[lb]
            parts = self._parts_of(lb)
            back, ahead, probes = self._shifts(la, lb, parts)
            if not parts or len(others) * self.scan_cost <= probes:
                yield from others
                continue
            if self.segmented.get(lb, 0) < len(others):
                self._segment(lb, parts)
            seen: set[str] = set()
            for i, (start, size) in enumerate(parts):
                for p in range(max(0, start - back), min(la - size, start + ahead) + 1):
                    for other in self.segments.get((lb, i, text[p:p + size]), ()):
                        if other not in seen:
                            seen.add(other)
                            yield other

    def _chars(self, text: str) -> Counter:
        found = self.chars.get(text)
        if found is None:
            found = self.chars[text] = Counter(text)
        return found

    def similar(self, text: str):
        """The indexed texts at least `threshold` alike `text` (not `text`
        itself), lazily: the caller stops when it has seen enough.

        A candidate is first checked with difflib's `quick_ratio` bound
        (twice the characters the texts have in common, counted with
        repetition, over their total length), computed from character
        counts kept per text, the same number as difflib's, without
        building a matcher for each pair; the ratios follow only for those
        that pass."""
        t = self.threshold
        if t >= 1 or not self.by_length:
            return
        mine = None
        la = len(text)
        matcher = None  # SequenceMatcher(None, other, text): `text` is analysed once
        for other in self._candidates(text):
            if other == text:
                continue
            if mine is None:
                mine = self._chars(text)
            theirs = self._chars(other)
            common = 0
            for c, n in mine.items():
                k = theirs.get(c)
                if k:
                    common += n if n < k else k
            if 2.0 * common / (la + len(other)) < t:  # difflib's quick_ratio
                continue
            if matcher is None:
                import difflib  # here: a check without candidates need not load it (1 ms)

                matcher = difflib.SequenceMatcher(None, other, text)
            else:
                matcher.set_seq1(other)
            if matcher.ratio() >= t or difflib.SequenceMatcher(None, text, other).ratio() >= t:
                yield other


@rule("C002", "repetitive-messaging", WARNING,
      "Two teams send the same audience the same (or nearly the same) message on one channel in one stage.",
      options=(Option("similarity", 0.9,
                      "how alike two normalised message texts must be to count as repetitive (above 0, at most 1; "
                      "1 means equal only)", fraction),),
      bad='''
          owner marketing
          owner sales
          journey j {
            stage trial {
              touchpoint nurture { channel email owner marketing message "Upgrade now and save 20%!" }
              touchpoint outreach { channel email owner sales message "Upgrade now - save 20%" }
            }
          }
      ''',
      good='''
          owner marketing
          owner sales
          journey j {
            stage trial {
              touchpoint nurture { channel email owner marketing message "Upgrade now and save 20%!" }
              touchpoint outreach { channel phone owner sales message "Can we help your team get started?" }
            }
          }
      ''')
def repetitive_messaging(r: Rule, ctx: CompilationContext):
    """Two touchpoints in one stage, on the same channel, with overlapping
    audiences and different owners (after inheritance), whose messages say
    the same thing: their normalised texts are equal or at least `similarity`
    alike (default 0.9).

    Each team sends what it thinks is one well-judged message; the customer
    gets the same message twice from one brand and learns to ignore both.
    Teams that share a stage and a channel should agree who sends it.

    Normalising applies Unicode NFC, case-folds, turns punctuation and
    symbols into spaces and collapses white space. Alike is the larger of
    the two `difflib.SequenceMatcher` ratios. At most one finding per
    touchpoint, at the later one; related: its earlier twins."""
    threshold = ctx.option(r, "similarity")
    owners = ctx.comp.owners

    def owner_name(o: str | None) -> str:
        return named("", o, owners[o].title) if o else "no owner"

    for j, s in ctx.stages():
        by_channel: dict[str, list[Touchpoint]] = defaultdict(list)
        for t in ctx.seen_touchpoints(s):
            if t.channel is not None and t.messages:
                by_channel[t.channel.text].append(t)
        for channel, tps in by_channel.items():
            first = tps[0].owner
            if all(t.owner == first for t in tps):  # one owner (or one touchpoint): nobody to repeat
                continue
            yield from _twins(r, j, s, channel, tps, threshold, owner_name)


def _twins(r: Rule, j, s, channel: str, tps: list[Touchpoint], threshold: float, owner_name):
    """The C002 findings of the touchpoints of one stage on one channel.
    Texts are indexed per owner, so a touchpoint is only compared with what
    other owners said: exact texts by dictionary, near ones through the
    owner's `_TextIndex`. `owner_name(id)` names an owner in the message."""
    # normalised text -> owner -> audience -> [(index of touchpoint, text as written)]
    seen: dict[str, dict[str | None, dict[frozenset, list]]] = {}
    indexes: dict[str | None, _TextIndex] = {}
    chars: dict[str, Counter] = {}  # what the indexes count of each text, counted once
    for i, t in enumerate(tps):
        audience = _audience(t)
        mine: dict[str, str] = {}
        for m in t.messages:
            n = normalise(m.text.text)
            if n:
                mine.setdefault(n, m.text.text)
        twins: dict[int, str] = {}  # index of an earlier touchpoint -> what it said

        def collect(other: str, owner) -> None:
            for aud, entries in seen.get(other, {}).get(owner, {}).items():
                if _overlap(aud, audience):
                    for k, written in entries:
                        twins.setdefault(k, written)

        # Equal texts: every twin. Alike texts: until MAX_RELATED twins are
        # known (enough to report), so a stage full of near-duplicates costs
        # a bounded search per touchpoint.
        for n in mine:
            for owner in indexes:
                if owner != t.owner:
                    collect(n, owner)
        complete = True
        for n, (owner, index) in ((n, oi) for n in mine for oi in indexes.items()):
            if owner == t.owner:
                continue
            if len(twins) >= MAX_RELATED:
                complete = False
                break
            for other in index.similar(n):
                collect(other, owner)
                if len(twins) >= MAX_RELATED:
                    complete = False
                    break
        if twins:
            earlier = sorted(twins)
            owners = list(dict.fromkeys(tps[k].owner for k in earlier))
            first = tps[earlier[0]]
            more = len(earlier) - 1
            count = "" if not more else f" (and {more} more)" if complete else f" (and at least {more} more)"
            yield r.at(
                t.span,
                f"{name_of('touchpoint', t)} repeats what {name_of('touchpoint', first)}{count} already says to an "
                f"overlapping audience on {channel} in {name_of('stage', s)} (\"{twins[earlier[0]]}\"): owners "
                f"{and_list([owner_name(o) for o in dict.fromkeys([t.owner] + owners)])} should agree on one message",
                related=tuple(Related(tps[k].span, f"{name_of('touchpoint', tps[k])} (owner "
                                                   f"{owner_name(tps[k].owner) if tps[k].owner else 'none'}) says "
                                                   f"\"{twins[k]}\"")
                              for k in earlier[:MAX_RELATED]),
                entity=touchpoint_path(j, s, t))
        for n, written in mine.items():
            by_owner = seen.setdefault(n, {})
            if t.owner not in by_owner:
                index = indexes.get(t.owner)
                if index is None:
                    index = indexes[t.owner] = _TextIndex(threshold, chars)
                index.add(n)
            by_owner.setdefault(t.owner, {}).setdefault(audience, []).append((i, written))


# -- C003 -----------------------------------------------------------------------

@rule("C003", "off-promise-tone", WARNING, "A message's tone is not one of the tones the brand promise allows.",
      bad='''
          journey j {
            promise "We help small teams ship faster" { tone empower, educate }
            stage a {
              touchpoint t { channel email message "Last chance! Buy now!" { tone pressure } }
            }
          }
      ''',
      good='''
          journey j {
            promise "We help small teams ship faster" { tone empower, educate }
            stage a {
              touchpoint t { channel email message "See what teams built this week" { tone empower } }
            }
          }
      ''')
def off_promise_tone(r: Rule, ctx: CompilationContext):
    """A message whose `tone` is not one of the tones listed by the
    journey's `promise`.

    The brand promise is what customers are told to expect; every message is
    a chance to keep it or break it. A pressure-selling message from a brand
    that promises to empower its customers breaks it, however well it
    converts. Rewrite the message in a tone the promise allows, or, if the
    promise itself should change, change it there for everyone."""
    for j in ctx.journeys:
        if j.promise is None or not j.promise.tones:
            continue
        allowed = [tn.text for tn in j.promise.tones]
        allowed_set = set(allowed)
        suggestions: dict[str, str | None] = {}  # tone -> its suggestion (a journey uses a few tones)
        for s in j.stages:
            for t in s.touchpoints:
                for m in t.messages:
                    if m.tone is None or m.tone.text in allowed_set:
                        continue
                    if m.tone.text not in suggestions:
                        suggestions[m.tone.text] = did_you_mean_phrase(closest(m.tone.text, allowed))
                    yield r.at(
                        m.tone_span or m.tone.span,
                        f"tone '{m.tone.text}' of a message of {name_of('touchpoint', t)} is off the promise of "
                        f"{name_of('journey', j)}, which allows {and_list([repr(a) for a in allowed])}: rewrite "
                        "the message in one of those tones, or change the promise",
                        suggestion=suggestions[m.tone.text],
                        entity=f"{touchpoint_path(j, s, t)}#tone:{m.tone.text}")


# -- C004 -----------------------------------------------------------------------

@rule("C004", "message-overload", WARNING,
      "Some audience member receives more than `max-messages` messages on one channel in one stage.",
      options=(Option("max-messages", 3, "the most messages one audience member may receive on one channel "
                                         "in one stage (a whole number, at least 1)", positive_int),),
      bad='''
          persona admin { kind customer }
          journey j {
            stage onboarding {
              touchpoint welcome { channel email message "Welcome" message "Set up your workspace" }
              touchpoint tips { channel email message "Five tips" }
              touchpoint invite { channel email audience admin message "Invite your team" }
            }
          }
      ''',
      good='''
          persona admin { kind customer }
          journey j {
            stage onboarding {
              touchpoint welcome { channel email message "Welcome: set up your workspace" }
              touchpoint tips { channel in_app message "Five tips" }
              touchpoint invite { channel email audience admin message "Invite your team" }
            }
          }
      ''')
def message_overload(r: Rule, ctx: CompilationContext):
    """A stage in which, for some channel, one audience member receives more
    than `max-messages` messages (default 3).

    The audience members are the compilation's personas and an implicit
    "everyone": a message without an audience reaches all of them, one with
    an audience reaches the personas listed. Counting per member catches the
    customer who is on every list.

    Each message is one more claim on the customer's attention; past a few
    per channel they stop reading, unsubscribe or mute. Consolidate
    messages, or move some to another channel or stage.

    One finding per stage and channel; as findings with the same code and
    location are one diagnostic, a stage overloaded on several channels
    gets one finding that names each of them. Related: the touchpoints that
    send the most-reached member those messages."""
    limit = ctx.option(r, "max-messages")
    for j, s in ctx.stages():
        to_all: Counter = Counter()  # channel -> messages without an audience
        to_persona: dict[str, Counter] = defaultdict(Counter)  # channel -> persona -> messages
        seen = ctx.seen_touchpoints(s)
        for t in seen:
            if t.channel is None or not t.messages:
                continue
            n = len(t.messages)
            if t.audience:
                for p in dict.fromkeys(a.text for a in t.audience):
                    to_persona[t.channel.text][p] += n
            else:
                to_all[t.channel.text] += n
        overloaded = []  # (channel, persona or None, count)
        for channel in sorted(set(to_all) | set(to_persona)):
            persona, most = None, 0
            for p, n in sorted(to_persona[channel].items()):
                if n > most:
                    persona, most = p, n
            if to_all[channel] + most > limit:
                overloaded.append((channel, persona, to_all[channel] + most))
        if not overloaded:
            continue
        parts = [f"{named('persona', p, ctx.comp.personas[p].title) if p else 'everyone'} {n} {channel} messages"
                 for channel, p, n in overloaded]
        related = []
        for channel, p, _ in overloaded:
            for t in seen:
                if len(related) == MAX_RELATED:
                    break
                if t.channel is not None and t.channel.text == channel and t.messages and \
                        (not t.audience or any(a.text == p for a in t.audience)):
                    related.append(Related(t.span, f"{name_of('touchpoint', t)} sends {len(t.messages)} "
                                                   f"{channel} message{'s' if len(t.messages) > 1 else ''}"))
        yield r.at(
            s.span,
            f"{name_of('stage', s)} sends {and_list(parts)}, more than {limit} per channel: consolidate them, or move "
            "some to another channel or stage",
            related=tuple(related),
            entity=stage_path(j, s))


# -- C005 -----------------------------------------------------------------------

def _fact_audience_overlaps(fact, audience: frozenset) -> bool:
    return _overlap(frozenset(a.text for a in fact.audience), audience)


def _figure_value(f) -> str:
    return f'"{f.text}"'


@rule("C005", "figure-contradicts-fact", ERROR, "A figure in a message's text, or a claim, disagrees with a fact.",
      bad='''
          fact trial_length = 14 days { phrase "free trial", "trial" }
          journey j {
            stage a {
              touchpoint ad { channel social message "Start your 30-day free trial today." }
            }
          }
      ''',
      good='''
          fact trial_length = 14 days { phrase "free trial", "trial" }
          journey j {
            stage a {
              touchpoint ad { channel social message "Start your 2-week free trial today." }
            }
          }
      ''')
def figure_contradicts_fact(r: Rule, ctx: CompilationContext):
    """A message states a figure about a fact that is not the fact's value
    (`fact trial_length = 14 days`, and an ad says "a 30-day trial"), or
    carries a claim named after a fact with another value; the message's
    audience overlaps the fact's.

    Which figure is about which fact is decided when the text is read
    (LANGUAGE.md, "Figures in message text"): one of the fact's phrases in
    the same sentence, the figure of the fact's dimension closest to it.
    Quantities are compared by `journeyc.units` (`2 weeks` agrees with
    `14 days`; `1 month` is not comparable with days and never reported).

    A team states each customer-facing fact once; copy drifts when prices,
    trials and refund windows change and one email is forgotten. Fix the
    message (or the fact, if the copy is right).

    One finding per message, naming every fact it contradicts; at the
    message's string, or for a copy file at the first contradicting figure
    in that file, or at the claim's value when only a claim contradicts.
    Related: the facts."""
    facts = ctx.comp.facts
    if not facts:
        return
    fact_keys = {fid: value_key(f.value) for fid, f in facts.items()}
    for j, s, t in ctx.touchpoints():
        audience = _audience(t)
        for index, m in enumerate(t.messages):
            found: dict[str, list[str]] = {}  # fact id -> what the message says instead, as written
            first_figure = first_claim = None
            for f in m.figures:
                if f.fact is None:
                    continue
                fact = facts[f.fact]
                if not _fact_audience_overlaps(fact, audience):
                    continue
                if compare((f.number, f.unit), (fact.value.value, fact.value.unit)) == DIFFERENT:
                    found.setdefault(f.fact, []).append(_figure_value(f))
                    if first_figure is None:
                        first_figure = f
            for c in m.claims:
                fact = facts.get(c.id.text)
                if fact is None or not _fact_audience_overlaps(fact, audience):
                    continue
                key, fkey = value_key(c.value), fact_keys[c.id.text]
                if key != fkey and comparable(key, fkey):
                    found.setdefault(c.id.text, []).append(f"claim {describe_value(c.value)}")
                    if first_claim is None:
                        first_claim = c
            if not found:
                continue
            if first_figure is not None:
                span = first_figure.span if m.source is not None else m.text.span
            else:
                span = first_claim.value.span
            parts = [f"{', '.join(dict.fromkeys(said))} where fact '{fid}' is {describe_value(facts[fid].value)}"
                     for fid, said in found.items()]
            yield r.at(
                span,
                f"message of touchpoint '{t.id.text}' says {'; '.join(parts)}: customers are told two different "
                "things; make the message agree with the fact (or change the fact if the message is right)",
                related=tuple(Related(facts[fid].span, f"fact '{fid}' = {describe_value(facts[fid].value)}")
                              for fid in found),
                entity=f"{touchpoint_path(j, s, t)}#message:{index + 1}")


# -- C006 -----------------------------------------------------------------------

# Words that say nothing about what a figure is about (function words and the
# generic words of calls to action). See docs/c006.md.
_STOPWORDS = frozenset("""
a an the and or but nor so yet your you yours our ours we us my me i it its this that these those there here
of on in at to for with by from into onto as is are was were be been being will would can could may might must
shall should do does did has have had get gets got start starts try now today just only all any every each
more most very really also than then when where which who whom whose what why how not no yes
""".split()) | frozenset(units.NUMBER_WORDS) | frozenset(units.CURRENCY_WORDS) | frozenset(
    c.lower() for c in units.CURRENCY_CODES) | frozenset(
    w for d in units.DURATION_WORDS for w in (d, d + "s")) | {"percent", "working", "business", "calendar", "left",
                                                            "remaining", "go"}
_WORD = patterns.compile(r"[^\W\d_]+")
_ASCII_WORD = patterns.compile(r"[A-Za-z]+")  # the same words in ASCII text, found twice as fast
_CLAUSE_MARK = patterns.compile(r"[,;:()\u2013\u2014]")
# How far, in characters, a clause mark between a word and a figure sets the word from it.
_CLAUSE_PENALTY = 20


def _stem(word: str) -> str:
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


class _Content(dict):
    """word as written -> its stem, or None for a stop word; a hit costs no Python call."""

    def __missing__(self, word: str) -> str | None:
        low = word.casefold()
        stem = _stem(low)
        found = None if low in _STOPWORDS or stem in _STOPWORDS else stem
        if len(self) < 100_000:
            self[word] = found
        return found


_CONTENT = _Content()
_content = _CONTENT.__getitem__
_NONE = frozenset({None})


def figure_topics(text: str, figures) -> list[frozenset | None]:
    """What each figure of a message is about, for C006: the content words
    of its sentence that stand closer to it than to any other figure of the
    same dimension in that sentence (a clause mark, `,;:()` or a dash,
    between them counts as 20 characters; stop words, number, unit and currency
    words, which are all the words a figure is made of, left out; a trailing
    `s` dropped). None for a figure with no content word near it (too little
    to judge)."""
    ends = sentence_ends(text)
    word = _ASCII_WORD if text.isascii() else _WORD
    if len(figures) == 1:  # the common case: the one figure takes every word of its sentence
        number = sentence_of(ends, figures[0].start)
        start = ends[number - 1] + 1 if number > 0 else 0
        end = ends[number] if number < len(ends) else len(text)
        return [frozenset(map(_content, word.findall(text, start, end))) - _NONE or None]
    sentences: dict[int, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        sentences[sentence_of(ends, f.start)].append(i)
    topics: list = [None] * len(figures)
    for number, members in sentences.items():
        start = ends[number - 1] + 1 if number > 0 else 0
        end = ends[number] if number < len(ends) else len(text)
        by_dimension: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_dimension[figures[i].dimension].append(i)
        if len(by_dimension) == len(members):  # one figure per dimension: each takes every word
            everything = frozenset(map(_content, word.findall(text, start, end))) - _NONE
            for i in members:
                topics[i] = everything or None
            continue
        words = [(m.start(), m.end(), c) for m in word.finditer(text, start, end) if (c := _content(m.group()))]
        if not words:
            continue
        everything = frozenset(c for _, _, c in words)
        for same in by_dimension.values():
            if len(same) == 1:  # the only figure of its dimension here takes every word
                topics[same[0]] = everything
                continue
            taken: dict[int, set] = defaultdict(set)
            for w_start, w_end, c in words:  # the nearest figure takes the word
                best = None
                for i in same:
                    f = figures[i]
                    lo, hi = (w_end, f.start) if w_end <= f.start else (f.end, w_start)
                    distance = hi - lo + _CLAUSE_PENALTY * len(_CLAUSE_MARK.findall(text, lo, hi))
                    if best is None or distance < best[0]:
                        best = (distance, i)
                taken[best[1]].add(c)
            for i in same:
                if taken[i]:
                    topics[i] = frozenset(taken[i])
    return topics


@rule("C006", "inconsistent-figures", WARNING,
      "Two messages to overlapping audiences state different figures for the same thing.",
      bad='''
          journey j {
            stage a {
              touchpoint ad { channel web message "Start your 14-day free trial" }
              touchpoint mail { channel email message "Start your 30-day free trial" }
            }
          }
      ''',
      good='''
          fact trial_length = 14 days { phrase "free trial" }
          journey j {
            stage a {
              touchpoint ad { channel web message "Start your 14-day free trial" }
              touchpoint mail { channel email message "Start your 2-week free trial" }
            }
          }
      ''')
def inconsistent_figures(r: Rule, ctx: CompilationContext):
    """Two messages whose audiences overlap, in one compilation, state
    different values of one dimension for what looks like the same thing,
    and no fact covers either figure ("Start your 14-day free trial" in one
    touchpoint, "Start your 30-day free trial" in another).

    What counts as the same thing is a heuristic (docs/c006.md): two figures
    of the same dimension whose sentences have the same content words around
    them ("free trial"; "free shipping order over"). Equal quantities written
    differently (`14-day`, `2-week`) agree; different dimensions or
    currencies are never compared; countdowns ("3 days left") and backstage
    or support touchpoints take no part; where a fact covers a figure, C005
    speaks instead.

    Declare the number as a `fact` so every message is checked against it,
    and make the messages agree.

    One finding per later message (compile and source order), at its string
    (for a copy file, at the figure in that file); it names the later figure
    and the first earlier figure it disagrees with, and its related
    locations are every earlier message it disagrees with (at most ten)."""
    index: dict[tuple, _ClaimIndex] = {}  # (dimension, topic) -> the figures said so far
    order = 0
    for j, s, t in ctx.touchpoints():
        if not customer_facing(t):
            continue
        audience = None
        for m in t.messages:
            if not m.figures:
                continue
            figures = [f for f in m.figures if f.fact is None and not f.countdown]
            if not figures:
                continue
            if audience is None:
                audience = _audience(t)
            order += 1
            pending = []
            later = earlier_first = None
            earlier_messages: dict = {}
            for f, topic in zip(figures, figure_topics(m.text.text, figures)):
                if topic is None:
                    continue
                key = (f.dimension, topic)
                vkey = ("number",) + quantity_key(f.number, f.unit)
                idx = index.get(key)
                if idx is None:
                    idx = index[key] = _ClaimIndex()
                pending.append((idx, vkey, f))
                total, earlier = idx.disagreeing(audience, vkey)
                if total:
                    if later is None:
                        later, earlier_first = f, earlier[0]
                    for e in earlier:
                        earlier_messages.setdefault(e[3], e)
            if later is not None:
                ef, et, _, em = earlier_first
                related = sorted(earlier_messages.values(), key=lambda e: e[2])[:MAX_RELATED]
                yield r.at(
                    later.span if m.source is not None else m.text.span,
                    f"touchpoint '{t.id.text}' says \"{later.text}\" where touchpoint '{et.id.text}' said "
                    f"\"{ef.text}\" about the same thing to an overlapping audience: make the figures agree, and "
                    "declare the number as a `fact` so every message is checked against it",
                    related=tuple(Related(e[0].span, f"touchpoint '{e[1].id.text}' says \"{e[0].text}\"")
                                  for e in related),
                    entity=f"{touchpoint_path(j, s, t)}#figure:{later.text}")
            for idx, vkey, f in pending:
                idx.add(audience, vkey, (f, t, order, m.span))

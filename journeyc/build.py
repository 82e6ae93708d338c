"""Stage 2: syntax blocks -> the typed model of one file, with the checks
that need only that file: once-only properties (E009), enumerated values
(E007) and value ranges (E006)."""
from __future__ import annotations

import difflib

from .codes import E006, E007, E009
from .diagnostics import Diagnostic, Related
from .language import ENUMS, ONCE_ONLY
from .units import PERCENT, dimension
from .wording import did_you_mean, or_list
from .model import (Block, Channel, Claim, Fact, Item, Journey, Kpi, Measure, Message, Module, Name, Num,
                    Opportunity, Owner, Persona, Promise, Source, SourceFile, Stage, Str, Target,
                    Touchpoint, Transition)

KIND_WORDS = {"owner": "owner", "persona": "persona", "kpi": "KPI", "journey": "journey",
              "promise": "promise", "stage": "stage", "touchpoint": "touchpoint", "message": "message",
              "fact": "fact", "opportunity": "opportunity"}


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


def is_percent(n: Num) -> bool:
    """`40%` or `40 percent` (LANGUAGE.md 1.1: the word is a percentage like `%`)."""
    return n.unit is not None and dimension(n.unit) == PERCENT


def describe_number(n: Num) -> str:
    unit = "" if n.unit is None else ("%" if n.unit == "%" else f" {n.unit}")
    return f"{n.value}{unit}"


class ModuleBuilder:
    """Builds the model of one file, collecting diagnostics as it goes."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.diagnostics: list[Diagnostic] = []

    # -- shared checks -------------------------------------------------------
    def props(self, block: Block) -> dict[str, list[Item]]:
        """The block's items grouped by keyword, reporting once-only ones given
        twice (E009)."""
        once = ONCE_ONLY.get(block.kind, frozenset())
        grouped: dict[str, list] = {}
        for item in block.items:
            key = item.key if isinstance(item, Item) else item.kind
            seen = grouped.setdefault(key, [])
            if seen and key in once:
                what = KIND_WORDS[block.kind]
                where = f" '{block.name.text}'" if block.name else ""
                self.diagnostics.append(E009.at(
                    item.span,
                    f"'{key}' is given twice in {what}{where}; a {what} takes one '{key}': remove one of them",
                    (Related(seen[0].span, f"first '{key}' here"),)))
            seen.append(item)
        return grouped

    def enum(self, item: Item | None, keyword: str | None = None) -> str | None:
        """The enumerated word of `item` (first operand), or None if it is not
        one of the allowed words (E007)."""
        if item is None:
            return None
        name: Name = item.args[0]
        what, allowed = ENUMS[keyword or item.key]
        if name.text in allowed:
            return name.text
        self.diagnostics.append(E007.at(
            name.span, f"unknown {what} '{name.text}': expected {or_list(allowed)}",
            suggestion=did_you_mean(name.text, allowed)))
        return None

    def check_percent(self, number: Num, percent_kpi: bool) -> None:
        if (is_percent(number) or percent_kpi) and not 0 <= number.value <= 100:
            self.diagnostics.append(E006.at(
                number.span, f"percent target {describe_number(number)} lies outside 0..100"))

    # -- declarations --------------------------------------------------------
    def module(self) -> Module:
        imports, owners, personas, channels, kpis, journeys, facts = [], [], [], [], [], [], []
        self.copies: list[Str] = []
        for b in self.source.blocks:
            if isinstance(b, Item):  # import
                imports.append(b.args[0])
            elif b.kind == "owner":
                owners.append(self.owner(b))
            elif b.kind == "persona":
                personas.append(self.persona(b))
            elif b.kind == "channel":
                channels.append(Channel(b.name, _text(b.title), b.span))
            elif b.kind == "kpi":
                kpis.append(self.kpi(b))
            elif b.kind == "journey":
                journeys.append(self.journey(b))
            elif b.kind == "fact":
                facts.append(self.fact(b))
        return Module(self.source, tuple(imports), tuple(owners), tuple(personas), tuple(channels),
                      tuple(kpis), tuple(journeys), tuple(facts), tuple(self.copies))

    def fact(self, b: Block) -> Fact:
        value = b.items[0].args[0]
        p = self.props(b._replace(items=b.items[1:]))
        phrases = _first(p, "phrase")
        audience = _first(p, "audience")
        return Fact(b.name, value, phrases.args if phrases else (), audience.args if audience else (),
                    _str_arg(p, "description"), b.span)

    def owner(self, b: Block) -> Owner:
        p = self.props(b)
        return Owner(b.name, _text(b.title), _str_arg(p, "description"), _str_arg(p, "contact"), b.span)

    def persona(self, b: Block) -> Persona:
        p = self.props(b)
        return Persona(b.name, _text(b.title), self.enum(_first(p, "kind")), _str_arg(p, "description"), b.span)

    def kpi(self, b: Block) -> Kpi:
        p = self.props(b)
        unit = self.enum(_first(p, "unit"))
        target_item = _first(p, "target")
        target: Target | None = target_item.args[0] if target_item else None
        if target is not None:
            self.check_percent(target.number, unit == "percent")
        sources = []
        for item in p.get("source", ()):
            kind = self.enum(item)
            if kind is not None:
                name = item.args[1]
                sources.append(Source(kind, name.text if name else None, item.span))
        return Kpi(b.name, _text(b.title), unit, target, tuple(sources),
                   self.enum(_first(p, "cadence")), self.enum(_first(p, "category")),
                   _str_arg(p, "description"), b.span, b.end)

    def journey(self, b: Block) -> Journey:
        p = self.props(b)
        model_item, business_item = _first(p, "model"), _first(p, "business")
        promise = None
        if (pb := _first(p, "promise")) is not None:
            pp = self.props(pb)
            tone = _first(pp, "tone")
            promise = Promise(pb.title, tone.args if tone else (), pb.span)
        stages = tuple(self.stage(s) for s in p.get("stage", ()))
        if not stages:
            self.diagnostics.append(E006.at(
                b.span, f"journey '{b.name.text}' has no stage: a journey needs at least one stage"))
        return Journey(
            b.name, _text(b.title),
            self.enum(model_item) or "flywheel", model_item.span if model_item else None,
            self.enum(business_item), business_item.span if business_item else None,
            _name_arg(p, "owner"), promise, _str_arg(p, "description"),
            tuple(self.kpi(k) for k in p.get("kpi", ())), stages, b.span,
            state=self.enum(_first(p, "state")) or "current",
            opportunities=tuple(self.opportunity(o) for o in p.get("opportunity", ())), end=b.end)

    def opportunity(self, b: Block) -> Opportunity:
        p = self.props(b)
        for_item = _first(p, "for")
        return Opportunity(
            b.name, _text(b.title), for_item.args if for_item else (), _name_arg(p, "owner"),
            self.enum(_first(p, "status")) or "idea", self.enum(_first(p, "impact")),
            _str_arg(p, "description"), b.span)

    def measures(self, p: dict) -> list[Measure]:
        out = []
        for item in p.get("measure", ()):
            names, target = item.args
            if target is not None:
                self.check_percent(target.number, False)
            out.extend(Measure(n, target, item.span) for n in names)
        return out

    def stage(self, b: Block) -> Stage:
        p = self.props(b)
        kpis = tuple(self.kpi(k) for k in p.get("kpi", ()))
        measures = self.measures(p)
        # a KPI declared in the stage is measured there; keep source order
        measures.extend(Measure(k.id, None, k.span, declared=True) for k in kpis)
        measures.sort(key=lambda m: (m.span.line, m.span.column))
        phase_item = _first(p, "phase")
        if phase_item is not None and self.enum(phase_item) is None:
            phase_item = None
        return Stage(
            b.name, _text(b.title), "entry" in p,
            phase_item.args[0] if phase_item else None,
            _name_arg(p, "owner"), tuple(measures), kpis,
            tuple(self.touchpoint(t) for t in p.get("touchpoint", ())),
            tuple(Transition(i.args[0], _text(i.args[1]), i.span) for i in p.get("->", ())),
            _str_arg(p, "description"), b.span,
            goal=_str_arg(p, "goal"), evidence=_str_args(p, "evidence"), end=b.end)

    def touchpoint(self, b: Block) -> Touchpoint:
        p = self.props(b)
        score_item = _first(p, "score")
        score = score_item.args[0] if score_item else None
        if score is not None and (score.unit is not None or not 1 <= score.value <= 5):
            self.diagnostics.append(E006.at(
                score.span, f"score {describe_number(score)} lies outside 1..5: "
                            "a score is a satisfaction rating from 1 (pain point) to 5"))
            score = None
        audience_item = _first(p, "audience")
        recovers_item = _first(p, "recovers")
        return Touchpoint(
            b.name, _text(b.title), _name_arg(p, "channel"), self.enum(_first(p, "area")),
            _name_arg(p, "owner"), audience_item.args if audience_item else (),
            tuple(self.measures(p)), score, "recovery" in p or recovers_item is not None,
            tuple(self.message(m) for m in p.get("message", ())),
            _str_arg(p, "description"), b.span,
            layer=self.enum(_first(p, "layer")) or "frontstage",
            recovers=recovers_item.args if recovers_item else (),
            action=_str_arg(p, "action"), thought=_str_arg(p, "thought"),
            evidence=_str_args(p, "evidence"), confidence=self.enum(_first(p, "confidence")), end=b.end)

    def message(self, b: Block) -> Message:
        p = self.props(b)
        tone = _first(p, "tone")
        claims = tuple(Claim(i.args[0], i.args[1], i.span) for i in p.get("claim", ()))
        source = None
        if "from" in p:  # `message from "path"`: resolve puts the copy file's text in
            source = b.title
            self.copies.append(source)
        return Message(b.title if source is None else Str("", b.title.span), tone.args[0] if tone else None,
                       claims, b.span, tone.span if tone else None, source)


def build_module(source: SourceFile) -> tuple[Module, list[Diagnostic]]:
    builder = ModuleBuilder(source)
    module = builder.module()
    return module, builder.diagnostics


# -- small accessors -----------------------------------------------------------

def _first(p: dict, key: str):
    items = p.get(key)
    return items[0] if items else None


def _text(s: Str | None) -> str | None:
    return s.text if s is not None else None


def _str_arg(p: dict, key: str) -> str | None:
    item = _first(p, key)
    return item.args[0].text if item else None


def _str_args(p: dict, key: str) -> tuple[str, ...]:
    """The strings of a repeatable `key STRING` item, in source order."""
    return tuple(item.args[0].text for item in p.get(key, ()))


def _name_arg(p: dict, key: str) -> Name | None:
    item = _first(p, key)
    return item.args[0] if item else None

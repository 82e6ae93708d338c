"""Stage 2: syntax blocks -> the typed model of one file, with the checks
that need only that file: once-only properties (E009), enumerated values
(E007) and value ranges (E006)."""
from __future__ import annotations

from .codes import E006, E007, E009
from .diagnostics import Diagnostic, Related
from .language import ENUMS, ONCE_ONLY
from .units import PERCENT, dimension
from .text import did_you_mean, or_list
from .model import (Block, Channel, Claim, Fact, Item, Journey, Kpi, Measure, Message, Module, Name, Num,
                    Opportunity, Owner, Persona, Promise, Source, SourceFile, Stage, Str, Target,
                    Touchpoint, Transition)

KIND_WORDS = {"owner": "owner", "persona": "persona", "kpi": "KPI", "journey": "journey",
              "promise": "promise", "stage": "stage", "touchpoint": "touchpoint", "message": "message",
              "fact": "fact", "opportunity": "opportunity"}


def is_percent(n: Num) -> bool:
    """`40%` or `40 percent` (LANGUAGE.md 1.1: the word is a percentage like `%`)."""
    return n.unit is not None and dimension(n.unit) == PERCENT


def describe_number(n: Num) -> str:
    unit = "" if n.unit is None else ("%" if n.unit == "%" else f" {n.unit}")
    return f"{n.value}{unit}"


class ModuleBuilder:
    """Builds the model of one file, collecting diagnostics as it goes."""

    def __init__(self):
        self.diagnostics: list[Diagnostic] = []
        self.imports, self.owners, self.personas, self.channels, self.kpis, self.journeys, self.facts = \
            [], [], [], [], [], [], []
        self.copies: list[Str] = []
        self.void = False

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
    def add(self, b) -> bool:
        """Build one top-level declaration (in source order) into the
        module's lists. True for an import (an Item): the one declaration
        the file's syntax must keep, to follow it (LoadedFile.imports)."""
        if isinstance(b, Item):  # import
            self.imports.append(b.args[0])
            return True
        if b.kind == "owner":
            self.owners.append(self.owner(b))
        elif b.kind == "persona":
            self.personas.append(self.persona(b))
        elif b.kind == "channel":
            self.channels.append(Channel(b.name, _text(b.title), b.span))
        elif b.kind == "kpi":
            self.kpis.append(self.kpi(b))
        elif b.kind == "journey":
            self.journeys.append(self.journey(b))
        elif b.kind == "fact":
            self.facts.append(self.fact(b))
        return False

    def take(self, decl) -> bool:
        """`on_decl` of journeyc.parsing.parse: build each declaration as
        soon as it is parsed, so that the file's syntax tree is never held
        whole. None: the text has a syntax error and is parsed again whole;
        what was taken is void (`void`)."""
        if decl is None:
            self.void = True
            return False
        return self.add(decl)

    def finish(self, source: SourceFile) -> Module:
        return Module(source, tuple(self.imports), tuple(self.owners), tuple(self.personas), tuple(self.channels),
                      tuple(self.kpis), tuple(self.journeys), tuple(self.facts), tuple(self.copies))

    def fact(self, b: Block) -> Fact:
        value = b.items[0].args[0]
        props = self.props(b._replace(items=b.items[1:]))
        phrases = _first(props, "phrase")
        audience = _first(props, "audience")
        return Fact(b.name, value, phrases.args if phrases else (), audience.args if audience else (),
                    _str_arg(props, "description"), b.span)

    def owner(self, b: Block) -> Owner:
        props = self.props(b)
        return Owner(b.name, _text(b.title), _str_arg(props, "description"), _str_arg(props, "contact"), b.span)

    def persona(self, b: Block) -> Persona:
        props = self.props(b)
        return Persona(b.name, _text(b.title), self.enum(_first(props, "kind")), _str_arg(props, "description"), b.span)

    def kpi(self, b: Block) -> Kpi:
        props = self.props(b)
        unit = self.enum(_first(props, "unit"))
        target_item = _first(props, "target")
        target: Target | None = target_item.args[0] if target_item else None
        if target is not None:
            self.check_percent(target.number, unit == "percent")
        sources = []
        for item in props.get("source", ()):
            kind = self.enum(item)
            if kind is not None:
                name = item.args[1]
                sources.append(Source(kind, name.text if name else None, item.span))
        return Kpi(b.name, _text(b.title), unit, target, tuple(sources),
                   self.enum(_first(props, "cadence")), self.enum(_first(props, "category")),
                   _str_arg(props, "description"), b.span, b.end)

    def journey(self, b: Block) -> Journey:
        props = self.props(b)
        model_item, business_item = _first(props, "model"), _first(props, "business")
        promise = None
        if (promise_block := _first(props, "promise")) is not None:
            promise_props = self.props(promise_block)
            tone = _first(promise_props, "tone")
            promise = Promise(promise_block.title, tone.args if tone else (), promise_block.span)
        stages = tuple(self.stage(s) for s in props.get("stage", ()))
        if not stages:
            self.diagnostics.append(E006.at(
                b.span, f"journey '{b.name.text}' has no stage: a journey needs at least one stage"))
        return Journey(
            b.name, _text(b.title),
            self.enum(model_item) or "flywheel", model_item.span if model_item else None,
            self.enum(business_item), business_item.span if business_item else None,
            _name_arg(props, "owner"), promise, _str_arg(props, "description"),
            tuple(self.kpi(k) for k in props.get("kpi", ())), stages, b.span,
            state=self.enum(_first(props, "state")) or "current",
            opportunities=tuple(self.opportunity(o) for o in props.get("opportunity", ())), end=b.end)

    def opportunity(self, b: Block) -> Opportunity:
        props = self.props(b)
        for_item = _first(props, "for")
        return Opportunity(
            b.name, _text(b.title), for_item.args if for_item else (), _name_arg(props, "owner"),
            self.enum(_first(props, "status")) or "idea", self.enum(_first(props, "impact")),
            _str_arg(props, "description"), b.span)

    def measures(self, props: dict) -> list[Measure]:
        out = []
        for item in props.get("measure", ()):
            names, target = item.args
            if target is not None:
                self.check_percent(target.number, False)
            out.extend(Measure(n, target, item.span) for n in names)
        return out

    def stage(self, b: Block) -> Stage:
        props = self.props(b)
        kpis = tuple(self.kpi(k) for k in props.get("kpi", ()))
        measures = self.measures(props)
        # a KPI declared in the stage is measured there; keep source order
        measures.extend(Measure(k.id, None, k.span, declared=True) for k in kpis)
        measures.sort(key=lambda m: (m.span.line, m.span.column))
        phase_item = _first(props, "phase")
        if phase_item is not None and self.enum(phase_item) is None:
            phase_item = None
        return Stage(
            b.name, _text(b.title), "entry" in props,
            phase_item.args[0] if phase_item else None,
            _name_arg(props, "owner"), tuple(measures), kpis,
            tuple(self.touchpoint(t) for t in props.get("touchpoint", ())),
            tuple(Transition(i.args[0], _text(i.args[1]), i.span) for i in props.get("->", ())),
            _str_arg(props, "description"), b.span,
            goal=_str_arg(props, "goal"), evidence=_str_args(props, "evidence"), end=b.end)

    def touchpoint(self, b: Block) -> Touchpoint:
        props = self.props(b)
        score_item = _first(props, "score")
        score = score_item.args[0] if score_item else None
        if score is not None and (score.unit is not None or not 1 <= score.value <= 5):
            self.diagnostics.append(E006.at(
                score.span, f"score {describe_number(score)} lies outside 1..5: "
                            "a score is a satisfaction rating from 1 (pain point) to 5"))
            score = None
        audience_item = _first(props, "audience")
        recovers_item = _first(props, "recovers")
        return Touchpoint(
            b.name, _text(b.title), _name_arg(props, "channel"), self.enum(_first(props, "area")),
            _name_arg(props, "owner"), audience_item.args if audience_item else (),
            tuple(self.measures(props)), score, "recovery" in props or recovers_item is not None,
            tuple(self.message(m) for m in props.get("message", ())),
            _str_arg(props, "description"), b.span,
            layer=self.enum(_first(props, "layer")) or "frontstage",
            recovers=recovers_item.args if recovers_item else (),
            action=_str_arg(props, "action"), thought=_str_arg(props, "thought"),
            evidence=_str_args(props, "evidence"), confidence=self.enum(_first(props, "confidence")), end=b.end)

    def message(self, b: Block) -> Message:
        props = self.props(b)
        tone = _first(props, "tone")
        claims = tuple(Claim(i.args[0], i.args[1], i.span) for i in props.get("claim", ()))
        source = None
        if "from" in props:  # `message from "path"`: resolve puts the copy file's text in
            source = b.title
            self.copies.append(source)
        return Message(b.title if source is None else Str("", b.title.span), tone.args[0] if tone else None,
                       claims, b.span, tone.span if tone else None, source)


def build_module(source: SourceFile) -> tuple[Module, list[Diagnostic]]:
    builder = ModuleBuilder()
    for b in source.blocks:
        builder.add(b)
    return builder.finish(source), builder.diagnostics


# -- small accessors -----------------------------------------------------------

def _first(props: dict, key: str):
    items = props.get(key)
    return items[0] if items else None


def _text(s: Str | None) -> str | None:
    return s.text if s is not None else None


def _str_arg(props: dict, key: str) -> str | None:
    item = _first(props, key)
    return item.args[0].text if item else None


def _str_args(props: dict, key: str) -> tuple[str, ...]:
    """The strings of a repeatable `key STRING` item, in source order."""
    return tuple(item.args[0].text for item in props.get(key, ()))


def _name_arg(props: dict, key: str) -> Name | None:
    item = _first(props, key)
    return item.args[0] if item else None

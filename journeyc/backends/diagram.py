"""What the diagram backends (DOT, Mermaid, the HTML report) share: the
text of labels, the phase palette, and lint findings placed on the stage,
touchpoint, journey or KPI they belong to.

Nothing here escapes: each backend escapes for its own syntax. Everything
here returns plain text made only of user text and fixed words."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from ..language import AREAS, CONVERSION, POST_SALE, PRE_SALE
from ..model import Compilation, Journey, Kpi, Measure, Num, Stage, Target, Touchpoint

# phase -> (label, fill, border/text colour). One palette for every backend,
# so that a phase has the same colour in a DOT diagram, in Mermaid and in the report.
PHASE_STYLE = {
    PRE_SALE: ("pre-sale", "#e0ecff", "#1d4ed8"),
    CONVERSION: ("conversion", "#fff1d6", "#b45309"),
    POST_SALE: ("post-sale", "#dcf5e3", "#15803d"),
    None: ("phase unknown", "#f1f5f9", "#64748b"),
}
PHASE_ORDER = (PRE_SALE, CONVERSION, POST_SALE)

PAIN_FILL, PAIN_LINE = "#fde2e2", "#dc2626"
RECOVERY_FILL, RECOVERY_LINE = "#d5f5ef", "#0f766e"
LOOP_COLOUR = "#7c3aed"
EDGE_COLOUR = "#475569"
TOUCHPOINT_LINE = "#94a3b8"
# severity -> (border colour, sign)
SEVERITY_STYLE = {"error": ("#dc2626", "\u2716"), "warning": ("#ea580c", "\u26a0"), "info": ("#0284c7", "\u2139")}
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}

AREA_TITLES = {a: a.replace("_", " ") for a in AREAS}
OPS = {">=": "\u2265", "<=": "\u2264", ">": ">", "<": "<", "=": "="}


def clean(text: str | None) -> str:
    """User text made safe to embed anywhere: control characters (except
    newline and tab) and XML non-characters become U+FFFD; CR LF and CR
    become a newline; a tab becomes a space."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for c in text:
        o = ord(c)
        if c == "\n":
            out.append(c)
        elif o < 0x20 or 0x7F <= o < 0xA0 or 0xD800 <= o < 0xE000 or o in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


def one_line(text: str | None) -> str:
    """`clean`, with newlines turned into spaces."""
    return " ".join(clean(text).split("\n"))


def wrap(text: str, width: int = 34) -> list[str]:
    """Lines of at most about `width` characters (words are not broken), the
    text's own newlines kept."""
    lines: list[str] = []
    for para in clean(text).split("\n"):
        line = ""
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def number(n: Num) -> str:
    v = n.value
    if isinstance(v, float):
        text = repr(v)
    else:
        text = f"{v:,}" if abs(v) >= 1000 else str(v)
    if n.unit is None:
        return text
    return f"{text}%" if n.unit == "%" else f"{text} {n.unit}"


def target_text(t: Target | None) -> str:
    return "" if t is None else f"{OPS.get(t.op, t.op)} {number(t.number)}"


def visible(text: str) -> bool:
    """Whether text shows anything: not only white space and format characters."""
    return any(c.isprintable() and not c.isspace() for c in text)


def text_of(text: str | None) -> str:
    """User text as the diagrams show it: cleaned, trimmed, newlines inside
    kept; "" when it would show nothing."""
    text = clean(text).strip()
    return text if visible(text) else ""


def title_of(decl) -> str:
    """A declaration's title, else (no title, or one that shows nothing) its id."""
    return text_of(getattr(decl, "title", None)) or decl.id.text


def channel_title(comp: Compilation, t: Touchpoint) -> str | None:
    """A touchpoint's channel: a declared channel's title, else its id."""
    if t.channel is None:
        return None
    c = comp.channels.get(t.channel.text)
    return title_of(c) if c is not None else t.channel.text


def owner_title(comp: Compilation, owner_id: str | None) -> str | None:
    if owner_id is None:
        return None
    o = comp.owners.get(owner_id)
    return title_of(o) if o is not None else owner_id


def persona_title(comp: Compilation, persona_id: str) -> str:
    p = comp.personas.get(persona_id)
    return title_of(p) if p is not None else persona_id


@dataclass(frozen=True)
class KpiUse:
    """A KPI as a stage or touchpoint measures it: the effective target is
    the measure's, else the KPI's own."""

    kpi: Kpi | None
    kpi_id: str
    target: Target | None

    @property
    def title(self) -> str:
        return title_of(self.kpi) if self.kpi is not None else self.kpi_id

    def text(self) -> str:
        t = target_text(self.target)
        return f"{self.title} {t}" if t else f"{self.title} (no target)"


def kpi_uses(comp: Compilation, measures: tuple[Measure, ...]) -> list[KpiUse]:
    uses = []
    for m in measures:
        k = comp.kpis.get(m.kpi.text)
        uses.append(KpiUse(k, m.kpi.text, m.target if m.target is not None else (k.target if k else None)))
    return uses


def is_pain_point(t: Touchpoint) -> bool:
    return t.score is not None and t.score.value <= 2


def score_text(t: Touchpoint) -> str | None:
    return None if t.score is None else number(t.score)


def stage_measured(s: Stage) -> bool:
    return bool(s.measures) or any(t.measures for t in s.touchpoints)


# ---------------------------------------------------------------------------
# lint findings on the diagram


@dataclass
class Placed:
    """The findings of one run, placed on the constructs of a compilation.
    Keys are the spans of the constructs (a stage's `stage` keyword, ...)."""

    journeys: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)
    touchpoints: dict = field(default_factory=dict)
    kpis: dict = field(default_factory=dict)  # kpi id -> findings
    elsewhere: list = field(default_factory=list)

    def of_journey(self, j: Journey) -> list:
        return self.journeys.get(j.span, [])

    def of_stage(self, s: Stage) -> list:
        return self.stages.get(s.span, [])

    def of_touchpoint(self, t: Touchpoint) -> list:
        return self.touchpoints.get(t.span, [])

    def of_kpi(self, kpi_id: str) -> list:
        return self.kpis.get(kpi_id, [])


def _key(span) -> tuple:
    return (span.file, span.line, span.column)


def place_findings(comp: Compilation, diagnostics) -> Placed:
    """Puts each diagnostic on the construct whose part it points at: a
    touchpoint (the touchpoint, its channel, a message, a tone, a claim, a
    measure...), else a stage (the stage, a measure, a transition, its owner
    or phase), else a KPI (wherever declared), else a journey (the journey,
    its `business` or `model`, its promise and tones, its owner). The rest
    (an unused owner, an unused suppression) is `elsewhere`."""
    where: dict[tuple, tuple[str, object]] = {}

    def put(span, kind, key):
        if span is not None:
            where.setdefault(_key(span), (kind, key))

    def measures(ms, kind, key):
        for m in ms:
            if not m.declared:
                put(m.span, kind, key)
                put(m.kpi.span, kind, key)
                if m.target is not None:
                    put(m.target.span, kind, key)
                    put(m.target.number.span, kind, key)

    # innermost first: `put` keeps the first owner of a span
    for j in comp.journeys:
        for s in j.stages:
            for t in s.touchpoints:
                k = t.span
                for sp in (t.span, t.id.span, t.channel.span if t.channel else None,
                           t.owner_ref.span if t.owner_ref else None, t.score.span if t.score else None):
                    put(sp, "touchpoint", k)
                for a in t.audience:
                    put(a.span, "touchpoint", k)
                measures(t.measures, "touchpoint", k)
                for m in t.messages:
                    put(m.span, "touchpoint", k)
                    put(m.text.span, "touchpoint", k)
                    for f in m.figures:  # C005/C006 on a copy file point at the figure in it
                        put(f.span, "touchpoint", k)
                    if m.tone is not None:
                        put(m.tone.span, "touchpoint", k)
                    for c in m.claims:
                        put(c.span, "touchpoint", k)
                        put(c.id.span, "touchpoint", k)
                        put(c.value.span, "touchpoint", k)
    for kpi in comp.kpis.values():
        put(kpi.span, "kpi", kpi.id.text)
        put(kpi.id.span, "kpi", kpi.id.text)
        if kpi.target is not None:
            put(kpi.target.span, "kpi", kpi.id.text)
            put(kpi.target.number.span, "kpi", kpi.id.text)
        for src in kpi.sources:
            put(src.span, "kpi", kpi.id.text)
    for j in comp.journeys:
        for s in j.stages:
            k = s.span
            for sp in (s.span, s.id.span, s.owner_ref.span if s.owner_ref else None,
                       s.declared_phase.span if s.declared_phase else None):
                put(sp, "stage", k)
            measures(s.measures, "stage", k)
            for tr in s.transitions:
                put(tr.span, "stage", k)
                put(tr.to.span, "stage", k)
        k = j.span
        for sp in (j.span, j.id.span, j.model_span, j.business_span, j.owner_ref.span if j.owner_ref else None):
            put(sp, "journey", k)
        if j.promise is not None:
            put(j.promise.span, "journey", k)
            put(j.promise.text.span, "journey", k)
            for tone in j.promise.tones:
                put(tone.span, "journey", k)

    placed = Placed()
    files = set(comp.sources)
    extents = None
    for d in diagnostics:
        if d.span.file not in files:
            continue
        kind, key = where.get(_key(d.span), (None, None))
        if kind is None:
            # a keyword the model keeps no span for (a message's `tone`, ...):
            # the innermost construct whose text holds it
            if extents is None:
                extents = _extents(comp)
            kind, key = _innermost(extents, d.span)
        bucket = {"journey": placed.journeys, "stage": placed.stages, "touchpoint": placed.touchpoints,
                  "kpi": placed.kpis}.get(kind)
        if bucket is None:
            placed.elsewhere.append(d)
        else:
            bucket.setdefault(key, []).append(d)
    return placed


def _extents(comp: Compilation) -> list:
    """(file, first position, last position, kind, key) of every
    touchpoint, stage, journey and KPI block, positions as (line, column):
    from its keyword to its closing `}` (a block records where it ends),
    or for a KPI without a body, to the end of its keyword's line."""
    out = []

    def add(construct, kind, key):
        span, end = construct.span, construct.end
        last = (end.line, end.column) if end is not None else (span.end_line, sys.maxsize)
        out.append((span.file, (span.line, span.column), last, kind, key))

    for j in comp.journeys:
        add(j, "journey", j.span)
        for s in j.stages:
            add(s, "stage", s.span)
            for t in s.touchpoints:
                add(t, "touchpoint", t.span)
    for k in comp.kpis.values():
        add(k, "kpi", k.id.text)
    return out


def _innermost(extents: list, span) -> tuple:
    """(kind, key) of the innermost block holding `span`'s start: blocks
    nest, so of those holding it, the one that starts last."""
    at = (span.line, span.column)
    best = None
    for file, first, last, kind, key in extents:
        if file == span.file and first <= at <= last and (best is None or first > best[0]):
            best = (first, kind, key)
    return (best[1], best[2]) if best else (None, None)


class DiagramBuilder:
    """What the DOT and Mermaid builders share: generated ids (`j1`, `s1`,
    `t1`; never user text) and the findings placed on a construct."""

    def __init__(self, placed: "Placed | None"):
        self.placed = placed
        self.counter: dict[str, int] = {}

    def new_id(self, prefix: str) -> str:
        self.counter[prefix] = self.counter.get(prefix, 0) + 1
        return f"{prefix}{self.counter[prefix]}"

    def findings(self, kind: str, obj) -> list:
        if self.placed is None:
            return []
        return {"journey": self.placed.of_journey, "stage": self.placed.of_stage,
                "touchpoint": self.placed.of_touchpoint}[kind](obj)


def worst(findings) -> str | None:
    """The most severe severity among findings, or None."""
    if not findings:
        return None
    return max((d.severity for d in findings), key=lambda s: SEVERITY_RANK.get(s, 0))


def codes_text(findings) -> str:
    """`F002, M001`: the distinct codes, sorted."""
    return ", ".join(sorted({d.code for d in findings}))


# ---------------------------------------------------------------------------
# the journey map: emotion curves and blueprint layers

LAYER_TITLES = {"frontstage": "Frontstage", "backstage": "Backstage", "support": "Support"}


class Curve:
    """One persona's emotion curve (LANGUAGE.md, "Emotion per persona"):
    `points[k]` is the score at slot k (a frontstage touchpoint of the
    journey, in journey order), None where the touchpoint is unscored (a
    gap), absent from `points` where the touchpoint is not for this persona."""

    __slots__ = ("persona", "title", "points")

    def __init__(self, persona: str | None, title: str, points: dict):
        self.persona = persona  # None: everyone (the compilation declares no persona)
        self.title = title
        self.points = points

    def scored(self) -> list:
        return [(k, v) for k, v in sorted(self.points.items()) if v is not None]


class EmotionMap:
    """The slots of a journey's emotion chart (its frontstage touchpoints in
    journey order), the stage each belongs to, and one curve per persona."""

    def __init__(self, comp: Compilation, j: Journey):
        self.journey = j
        self.slots: list[tuple[Stage, Touchpoint]] = [
            (s, t) for s in j.stages for t in s.touchpoints if t.customer_facing]
        personas = list(comp.personas.values())
        self.curves: list[Curve] = []
        if not personas:
            self.curves.append(Curve(None, "Everyone", {
                k: (t.score.value if t.score is not None else None) for k, (_, t) in enumerate(self.slots)}))
        for p in personas:
            points = {}
            for k, (_, t) in enumerate(self.slots):
                if not t.audience or any(a.text == p.id.text for a in t.audience):
                    points[k] = t.score.value if t.score is not None else None
            curve = Curve(p.id.text, title_of(p), points)
            if curve.scored():
                self.curves.append(curve)

    @property
    def scored(self) -> bool:
        return any(c.scored() for c in self.curves)


def recovery_of(j: Journey) -> dict[str, list[Touchpoint]]:
    """touchpoint id -> the recovery touchpoints of the journey that
    `recovers` it, in journey order."""
    out: dict[str, list[Touchpoint]] = {}
    for s in j.stages:
        for t in s.touchpoints:
            if t.recovery:
                for r in t.recovers:
                    out.setdefault(r.text, []).append(t)
    return out


def opportunities_for(j: Journey) -> dict[str, list]:
    """touchpoint or stage id -> the opportunities that are `for` it."""
    out: dict[str, list] = {}
    for o in j.opportunities:
        for _, ident in o.targets:
            out.setdefault(ident, []).append(o)
    return out

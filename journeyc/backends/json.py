"""The compiled JSON (LANGUAGE.md, The compiled JSON; schema in
journeyc/schema/journey.schema.json). Key order and array order are source
order, files in compile order, so the same input gives the same bytes."""
from __future__ import annotations

import json

from ..language import BUILTIN_CHANNELS
from ..model import Bool, Compilation, Kpi, Measure, Num, Span, Stage, Str, Target, Touchpoint

SCHEMA_VERSION = "1"


class _Doc:
    def __init__(self, with_locations: bool):
        self.with_locations = with_locations

    def loc(self, obj: dict, span: Span) -> dict:
        if self.with_locations:
            obj["location"] = {"file": span.file, "line": span.line, "column": span.column}
        return obj

    def target(self, t: Target | None):
        if t is None:
            return None
        return {"op": t.op, "number": t.number.value, "unit": t.number.unit}

    def value(self, v):
        if isinstance(v, Num):
            return {"number": v.value, "unit": v.unit}
        if isinstance(v, Str):
            return {"string": v.text}
        assert isinstance(v, Bool)
        return {"bool": v.value}

    def kpi(self, k: Kpi) -> dict:
        return self.loc({
            "id": k.id.text, "title": k.title, "unit": k.unit, "target": self.target(k.target),
            "sources": [{"kind": s.kind, "name": s.name} for s in k.sources],
            "cadence": k.cadence, "category": k.category, "description": k.description,
        }, k.span)

    def measure(self, m: Measure) -> dict:
        return self.loc({"kpi": m.kpi.text, "target": self.target(m.target)}, m.span)

    def touchpoint(self, t: Touchpoint) -> dict:
        return self.loc({
            "id": t.id.text, "title": t.title, "channel": t.channel.text if t.channel else None,
            "area": t.area, "owner": t.owner, "owner_inherited": t.owner_inherited,
            "audience": [a.text for a in t.audience],
            "score": t.score.value if t.score else None, "recovery": t.recovery,
            "measures": [self.measure(m) for m in t.measures],
            "messages": [self.loc({
                "text": m.text.text, "source": m.source.text if m.source is not None else None,
                "tone": m.tone.text if m.tone else None,
                "claims": [self.loc({"id": c.id.text, "value": self.value(c.value)}, c.span) for c in m.claims],
                "figures": [self.loc({"kind": f.kind, "number": f.number, "unit": f.unit, "text": f.text,
                                      "fact": f.fact}, f.span) for f in m.figures],
            }, m.span) for m in t.messages],
            "description": t.description,
            "layer": t.layer, "recovers": [r.text for r in t.recovers],
            "action": t.action, "thought": t.thought, "evidence": list(t.evidence),
            "confidence": t.confidence,
        }, t.span)

    def stage(self, s: Stage) -> dict:
        return self.loc({
            "id": s.id.text, "title": s.title, "entry": s.entry,
            "phase": s.phase, "phase_inferred": s.phase_inferred,
            "owner": s.owner, "owner_inherited": s.owner_inherited,
            "measures": [self.measure(m) for m in s.measures],
            "touchpoints": [self.touchpoint(t) for t in s.touchpoints],
            "transitions": [self.loc({"to": tr.to.text, "label": tr.label, "loop_back": tr.loop_back}, tr.span)
                            for tr in s.transitions],
            "description": s.description,
            "goal": s.goal, "evidence": list(s.evidence),
        }, s.span)

    def document(self, comp: Compilation) -> dict:
        used = sorted({t.channel.text for j in comp.journeys for s in j.stages for t in s.touchpoints
                       if t.channel and t.channel.text in BUILTIN_CHANNELS and t.channel.text not in comp.channels})
        return {
            "schema_version": SCHEMA_VERSION,
            "sources": comp.sources,
            "owners": [self.loc({"id": o.id.text, "title": o.title, "description": o.description,
                                 "contact": o.contact}, o.span) for o in comp.owners.values()],
            "personas": [self.loc({"id": p.id.text, "title": p.title, "kind": p.kind,
                                   "description": p.description}, p.span) for p in comp.personas.values()],
            "channels": [self.loc({"id": c.id.text, "title": c.title, "builtin": False}, c.span)
                         for c in comp.channels.values()]
                        + [{"id": c, "title": None, "builtin": True} for c in used],
            "kpis": [self.kpi(k) for k in comp.kpis.values()],
            "facts": [self.loc({"id": f.id.text, "value": self.value(f.value), "phrases": list(f.phrase_texts),
                                "audience": [a.text for a in f.audience], "description": f.description}, f.span)
                      for f in comp.facts.values()],
            "journeys": [self.loc({
                "id": j.id.text, "title": j.title, "model": j.model, "business": j.business,
                "owner": j.owner, "description": j.description,
                "promise": None if j.promise is None else {
                    "text": j.promise.text.text, "tones": [t.text for t in j.promise.tones]},
                "entry": list(j.entries),
                "loops_back": any(tr.loop_back for s in j.stages for tr in s.transitions),
                "kpis": [k.id.text for k in j.kpis],
                "stages": [self.stage(s) for s in j.stages],
                "state": j.state,
                "opportunities": [self.loc({
                    "id": o.id.text, "title": o.title,
                    "for": [{"kind": kind, "id": ident} for kind, ident in o.targets],
                    "owner": o.owner, "owner_inherited": o.owner_inherited,
                    "status": o.status, "impact": o.impact, "description": o.description,
                }, o.span) for o in j.opportunities],
            }, j.span) for j in comp.journeys],
        }


def to_json(comp: Compilation, with_locations: bool = False) -> dict:
    """The compiled JSON document of a compilation, as Python data."""
    return _Doc(with_locations).document(comp)


def dumps(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

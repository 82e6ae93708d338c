"""What the rules look at: one `CompilationContext` per compilation, one
`RunContext` for the whole run.

Facts that several rules need (a rule's firing condition that another rule's
"unless" clause refers to, the stages reachable from an entry, ...) are
computed here once, lazily, and cached, so each rule stays a short, linear
pass and the "unless" clauses use exactly the condition of the rule they
name."""
from __future__ import annotations

from collections.abc import Iterator

from ..graphs import reach
from ..language import CONVERSION, POST_SALE
from ..model import Compilation, Journey, Kpi, Measure, Owner, Span, Stage, Touchpoint


FRONTSTAGE = "frontstage"


def customer_facing(t: Touchpoint) -> bool:
    """Whether customers see the touchpoint's messages (LANGUAGE.md 1.1,
    `layer`): backstage and support touchpoints take no part in C006 (and,
    by the contract, C002 and C004). The one place that condition lives;
    a touchpoint without a `layer` field is frontstage."""
    return getattr(t, "layer", FRONTSTAGE) == FRONTSTAGE


def stage_path(j: Journey, s: Stage) -> str:
    return f"{j.id.text}/{s.id.text}"


def touchpoint_path(j: Journey, s: Stage, t: Touchpoint) -> str:
    return f"{j.id.text}/{s.id.text}/{t.id.text}"


class CompilationContext:
    """One resolved compilation without compile errors, and the facts about
    it that rules share."""

    def __init__(self, comp: Compilation, config):
        self.comp = comp
        self.config = config
        self.journeys: tuple[Journey, ...] = comp.journeys
        self._cache: dict[tuple, object] = {}

    def option(self, rule, name: str):
        return self.config.option(rule, name)

    def _cached(self, key: tuple, compute):
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()
            return value

    # -- lookups ---------------------------------------------------------------
    def kpi(self, m: Measure) -> Kpi:
        return self.comp.kpis[m.kpi.text]

    def stages(self) -> Iterator[tuple[Journey, Stage]]:
        for j in self.journeys:
            for s in j.stages:
                yield j, s

    def touchpoints(self) -> Iterator[tuple[Journey, Stage, Touchpoint]]:
        for j in self.journeys:
            for s in j.stages:
                for t in s.touchpoints:
                    yield j, s, t

    @staticmethod
    def seen_touchpoints(s: Stage) -> list[Touchpoint]:
        """The stage's touchpoints that customers see (frontstage): only
        their messages take part in C002 and C004; backstage and support
        touchpoints send nothing to the customer."""
        return [t for t in s.touchpoints if t.customer_facing]

    # -- flow ------------------------------------------------------------------
    def reachable(self, j: Journey) -> frozenset[str]:
        """Ids of the stages some path of transitions leads to from an entry."""

        def compute():
            edges = {s.id.text: [tr.to.text for tr in s.transitions] for s in j.stages}
            return frozenset(reach(j.entries, edges))

        return self._cached(("reachable", id(j)), compute)

    def unreachable(self, j: Journey, s: Stage) -> bool:
        """F002's condition."""
        return s.id.text not in self.reachable(j)

    def has_loop_back(self, j: Journey) -> bool:
        return self._cached(("loop_back", id(j)),
                            lambda: any(tr.loop_back for s in j.stages for tr in s.transitions))

    def post_sale_stages(self, j: Journey) -> tuple[Stage, ...]:
        return self._cached(("post_sale", id(j)), lambda: tuple(s for s in j.stages if s.phase == POST_SALE))

    def has_conversion(self, j: Journey) -> bool:
        return any(s.phase == CONVERSION for s in j.stages)

    # -- measurement -------------------------------------------------------------
    @staticmethod
    def stage_measures(s: Stage) -> bool:
        """The stage or one of its touchpoints measures a KPI (a KPI declared
        in the stage counts)."""
        return bool(s.measures) or any(t.measures for t in s.touchpoints)

    def no_post_sale_kpi(self, j: Journey) -> bool:
        """M002's condition."""
        return self._cached(("m002", id(j)), lambda: bool(self.post_sale_stages(j)) and not any(
            self.stage_measures(s) for s in self.post_sale_stages(j)))

    def measured_kpis(self, j: Journey) -> list[Kpi]:
        """The KPIs the journey's stages and touchpoints measure, in source
        order, each once."""

        def compute():
            found: dict[str, Kpi] = {}
            for s in j.stages:
                for m in s.measures:
                    found.setdefault(m.kpi.text, self.kpi(m))
                for t in s.touchpoints:
                    for m in t.measures:
                        found.setdefault(m.kpi.text, self.kpi(m))
            return list(found.values())

        return self._cached(("measured", id(j)), compute)

    # -- experience ----------------------------------------------------------------
    def no_recovery(self, j: Journey) -> bool:
        """X001's condition."""
        return self._cached(("x001", id(j)),
                            lambda: not any(t.recovery for s in j.stages for t in s.touchpoints))

    def recovered(self, j: Journey) -> frozenset[str]:
        """Ids of the touchpoints that some recovery touchpoint of the
        journey `recovers`."""
        return self._cached(("recovered", id(j)), lambda: frozenset(
            r.text for s in j.stages for t in s.touchpoints if t.recovery for r in t.recovers))

    def unrecovered_pain_point(self, j: Journey, s: Stage, t: Touchpoint) -> bool:
        """X003's condition, less its "unless": a pain point in a stage with
        no recovery touchpoint, which no recovery touchpoint `recovers`."""
        return t.pain_point and not any(o.recovery for o in s.touchpoints) \
            and t.id.text not in self.recovered(j)


class RunContext:
    """Every compilation of a run, and the facts judged over all of them
    ("in any compilation of the run"): which KPIs are measured and given a
    target, which owners are used. A declaration is identified by its span,
    so a catalogue that several compilations import counts once."""

    def __init__(self, contexts: list[CompilationContext], config):
        self.contexts = contexts
        self.config = config
        self.kpis: dict[Span, Kpi] = {}
        self.owners: dict[Span, Owner] = {}
        self.measured: set[Span] = set()
        self.targeted: set[Span] = set()
        self.used_owners: set[Span] = set()
        for ctx in contexts:
            self._collect(ctx.comp)

    def _collect(self, comp: Compilation) -> None:
        for k in comp.kpis.values():
            self.kpis.setdefault(k.span, k)
        for o in comp.owners.values():
            self.owners.setdefault(o.span, o)
        owners = comp.owners

        def use_owner(ref):
            if ref is not None and ref.text in owners:
                self.used_owners.add(owners[ref.text].span)

        def measure(m: Measure):
            k = comp.kpis.get(m.kpi.text)
            if k is not None:
                self.measured.add(k.span)
                if m.target is not None:
                    self.targeted.add(k.span)

        for j in comp.journeys:
            use_owner(j.owner_ref)
            for o in j.opportunities:
                use_owner(o.owner_ref)
            for s in j.stages:
                use_owner(s.owner_ref)
                for m in s.measures:
                    measure(m)
                for t in s.touchpoints:
                    use_owner(t.owner_ref)
                    for m in t.measures:
                        measure(m)

    def option(self, rule, name: str):
        return self.config.option(rule, name)

    def unused_kpi(self, k: Kpi) -> bool:
        """M007's condition."""
        return k.span not in self.measured

"""Stage 3: the modules of a compilation -> one resolved `Compilation`.

Checks names (E002 undefined, E003 duplicate), percent targets of measures
on percent KPIs (E006), and makes the derived facts explicit: inferred
phases, inherited owners, entry stages and loop-backs."""
from __future__ import annotations


from .build import closest, describe_number
from .codes import E002, E003, E006
from .diagnostics import Diagnostic, Related
from .language import CONVERSION, POST_SALE, PRE_SALE
from .model import Compilation, Journey, Kpi, Module, Name, Stage

KIND_NAMES = {"owner": "an owner", "persona": "a persona", "channel": "a channel", "kpi": "a KPI",
              "journey": "a journey"}


class Resolver:
    def __init__(self, modules: list[Module], root: str):
        self.modules = modules
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        # name -> (kind, declaration)
        self.names: dict[str, tuple[str, object]] = {}
        self.by_kind: dict[str, dict[str, object]] = {k: {} for k in KIND_NAMES}

    # -- the shared namespace --------------------------------------------------
    def declarations(self):
        """Every named top-level declaration, in compile order and source
        order (KPIs inside journeys and stages included)."""
        for index, m in enumerate(self.modules):
            found = [("owner", o) for o in m.owners] + [("persona", p) for p in m.personas] \
                + [("channel", c) for c in m.channels] + [("kpi", k) for k in m.kpis]
            for j in m.journeys:
                found.append(("journey", j))
                found.extend(("kpi", k) for k in j.kpis)
                for s in j.stages:
                    found.extend(("kpi", k) for k in s.kpis)
            found.sort(key=lambda kd: (kd[1].span.line, kd[1].span.column))
            for kind, decl in found:
                yield kind, decl

    def declare_all(self):
        for kind, decl in self.declarations():
            name = decl.id.text
            earlier = self.names.get(name)
            if earlier is not None:
                ekind, edecl = earlier
                self.diagnostics.append(E003.at(
                    decl.id.span,
                    f"'{name}' is already declared as {KIND_NAMES[ekind]}; owners, personas, channels, "
                    "KPIs and journeys share one namespace: rename one of them",
                    (Related(edecl.id.span, f"'{name}' first declared here"),)))
                continue
            self.names[name] = (kind, decl)
            self.by_kind[kind][name] = decl

    def ref(self, name: Name, kind: str, what: str | None = None) -> bool:
        """Check a reference to a declaration of `kind` (E002)."""
        found = self.names.get(name.text)
        if found is not None and found[0] == kind:
            return True
        what = what or kind.replace("kpi", "KPI")
        if found is not None:
            message = f"'{name.text}' is {KIND_NAMES[found[0]]}, not {KIND_NAMES[kind]}"
        else:
            message = f"undefined {what} '{name.text}': no {what} of that name is declared"
        best = closest(name.text, self.by_kind[kind])
        self.diagnostics.append(E002.at(name.span, message, suggestion=f"did you mean '{best}'?" if best else None))
        return False

    # -- per journey -------------------------------------------------------------
    def check_journey(self, j: Journey) -> None:
        stages: dict[str, Stage] = {}
        touchpoints: dict[str, object] = {}
        for s in j.stages:
            self._unique(stages, s, f"stage '{s.id.text}' is declared twice in journey '{j.id.text}'")
            for t in s.touchpoints:
                self._unique(touchpoints, t, f"touchpoint '{t.id.text}' is declared twice in journey "
                                             f"'{j.id.text}'; touchpoint ids are unique within a journey")
        if j.owner_ref:
            self.ref(j.owner_ref, "owner")
        for s in j.stages:
            if s.owner_ref:
                self.ref(s.owner_ref, "owner")
            self.check_measures(s.measures)
            for tr in s.transitions:
                if tr.to.text not in stages:
                    best = closest(tr.to.text, stages)
                    self.diagnostics.append(E002.at(
                        tr.to.span, f"undefined stage '{tr.to.text}': journey '{j.id.text}' has no stage of that name",
                        suggestion=f"did you mean '{best}'?" if best else None))
            for t in s.touchpoints:
                if t.owner_ref:
                    self.ref(t.owner_ref, "owner")
                for a in t.audience:
                    self.ref(a, "persona")
                self.check_measures(t.measures)
                for ref in t.recovers:
                    if ref.text not in touchpoints:
                        best = closest(ref.text, touchpoints)
                        self.diagnostics.append(E002.at(
                            ref.span, f"undefined touchpoint '{ref.text}' after `recovers`: journey "
                                      f"'{j.id.text}' has no touchpoint of that name",
                            suggestion=f"did you mean '{best}'?" if best else None))
        opportunities: dict[str, object] = {}
        for o in j.opportunities:
            self._unique(opportunities, o, f"opportunity '{o.id.text}' is declared twice in journey "
                                           f"'{j.id.text}'; opportunity ids are unique within a journey")
            if o.owner_ref:
                self.ref(o.owner_ref, "owner")
            for ref in o.for_refs:
                if ref.text not in touchpoints and ref.text not in stages:
                    best = closest(ref.text, list(touchpoints) + list(stages))
                    self.diagnostics.append(E002.at(
                        ref.span, f"undefined touchpoint or stage '{ref.text}' after `for`: journey "
                                  f"'{j.id.text}' has no touchpoint or stage of that name",
                        suggestion=f"did you mean '{best}'?" if best else None))

    def _unique(self, seen: dict, decl, message: str) -> None:
        earlier = seen.get(decl.id.text)
        if earlier is None:
            seen[decl.id.text] = decl
        else:
            self.diagnostics.append(E003.at(decl.id.span, message,
                                            (Related(earlier.id.span, f"'{decl.id.text}' first declared here"),)))

    def check_measures(self, measures) -> None:
        for m in measures:
            if m.declared or not self.ref(m.kpi, "kpi"):
                continue
            kpi: Kpi = self.by_kind["kpi"][m.kpi.text]
            n = m.target.number if m.target else None
            if n is not None and n.unit != "%" and kpi.unit == "percent" and not 0 <= n.value <= 100:
                self.diagnostics.append(E006.at(
                    n.span, f"percent target {describe_number(n)} lies outside 0..100 "
                            f"(KPI '{kpi.id.text}' is measured in percent)"))

    # -- derived facts -------------------------------------------------------------
    def complete(self, j: Journey) -> Journey:
        first_conversion = next((i for i, s in enumerate(j.stages)
                                 if s.declared_phase and s.declared_phase.text == CONVERSION), None)
        stages = []
        for i, s in enumerate(j.stages):
            if s.declared_phase is not None:
                phase, inferred = s.declared_phase.text, False
            elif first_conversion is None:
                phase, inferred = None, False
            else:
                phase, inferred = (PRE_SALE if i < first_conversion else POST_SALE), True
            owner = s.owner_ref.text if s.owner_ref else j.owner
            touchpoints = tuple(
                t._replace(owner=t.owner_ref.text if t.owner_ref else owner,
                           owner_inherited=t.owner_ref is None and owner is not None)
                for t in s.touchpoints)
            stages.append(s._replace(phase=phase, phase_inferred=inferred, owner=owner,
                                     owner_inherited=s.owner_ref is None and owner is not None,
                                     touchpoints=touchpoints))
        phase_of = {s.id.text: s.phase for s in stages}
        for i, s in enumerate(stages):
            if s.phase == POST_SALE:
                stages[i] = s._replace(transitions=tuple(
                    tr._replace(loop_back=phase_of.get(tr.to.text) in (PRE_SALE, CONVERSION))
                    for tr in s.transitions))
        entries = tuple(s.id.text for s in stages if s.entry) or ((stages[0].id.text,) if stages else ())
        touchpoint_ids = {t.id.text for s in stages for t in s.touchpoints}
        opportunities = tuple(
            o._replace(targets=tuple(("touchpoint" if r.text in touchpoint_ids else "stage", r.text)
                                     for r in o.for_refs),
                       owner=o.owner_ref.text if o.owner_ref else j.owner,
                       owner_inherited=o.owner_ref is None and j.owner is not None)
            for o in j.opportunities)
        return j._replace(stages=tuple(stages), entries=entries, opportunities=opportunities)

    def run(self) -> tuple[Compilation | None, list[Diagnostic]]:
        self.declare_all()
        journeys = [j for m in self.modules for j in m.journeys]
        for j in journeys:
            self.check_journey(j)
        if self.diagnostics:
            return None, self.diagnostics
        comp = Compilation(
            self.root, tuple(self.modules),
            owners=dict(self.by_kind["owner"]), personas=dict(self.by_kind["persona"]),
            channels=dict(self.by_kind["channel"]), kpis=dict(self.by_kind["kpi"]),
            journeys=tuple(self.complete(j) for j in journeys))
        return comp, []


def resolve(modules: list[Module], root: str) -> tuple[Compilation | None, list[Diagnostic]]:
    return Resolver(modules, root).run()

"""Stage 3: the modules of a compilation -> one resolved `Compilation`.

Checks names (E002 undefined, E003 duplicate), percent targets of measures
on percent KPIs (E006), and makes the derived facts explicit: inferred
phases, inherited owners, entry stages and loop-backs."""
from __future__ import annotations

import bisect

from .build import describe_number, is_percent
from .text import Candidates, closest
from .codes import E002, E003, E006
from .diagnostics import Diagnostic, Related
from .figures import FactIndex, extract, may_hold_figures
from .language import CONVERSION, POST_SALE, PRE_SALE
from .model import Compilation, Journey, Kpi, Module, Name, Num, Span, Stage, Str
from .units import dimension
from .text import did_you_mean_phrase
from .wording import declaration_hint, name_of

KIND_NAMES = {"owner": "an owner", "persona": "a persona", "channel": "a channel", "kpi": "a KPI",
              "journey": "a journey", "fact": "a fact"}


class Resolver:
    def __init__(self, modules: list[Module], root: str, copies: dict | None = None):
        self.modules = modules
        self.root = root
        self.copies = copies or {}  # span of a `message from` path -> CopyText
        self.facts: FactIndex | None = None
        self.line_starts: dict[str, list[int]] = {}
        self.diagnostics: list[Diagnostic] = []
        # name -> (kind, declaration)
        self.names: dict[str, tuple[str, object]] = {}
        self.by_kind: dict[str, dict[str, object]] = {k: {} for k in KIND_NAMES}
        self.candidates: dict[str, Candidates] = {}  # kind -> its names, indexed for suggestions

    # -- the shared namespace --------------------------------------------------
    def declarations(self):
        """Every named top-level declaration, in compile order and source
        order (KPIs inside journeys and stages included)."""
        for index, m in enumerate(self.modules):
            found = [("owner", o) for o in m.owners] + [("persona", p) for p in m.personas] \
                + [("channel", c) for c in m.channels] + [("kpi", k) for k in m.kpis] \
                + [("fact", f) for f in m.facts]
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
                    "KPIs, facts and journeys share one namespace: rename one of them",
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
        if kind not in self.candidates:  # the namespace is complete once declare_all has run
            self.candidates[kind] = Candidates(self.by_kind[kind])
        best = closest(name.text, self.candidates[kind])
        if best:
            suggestion = did_you_mean_phrase(best)
        elif found is None:
            suggestion = declaration_hint(kind, name.text)
        else:
            suggestion = None
        self.diagnostics.append(E002.at(name.span, message, suggestion=suggestion))
        return False

    # -- per journey -------------------------------------------------------------
    def check_journey(self, j: Journey) -> None:
        stages: dict[str, Stage] = {}
        touchpoints: dict[str, object] = {}
        stage_names: Candidates | None = None
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
                    stage_names = stage_names or Candidates(stages)
                    best = closest(tr.to.text, stage_names)
                    self.diagnostics.append(E002.at(
                        tr.to.span, f"undefined stage '{tr.to.text}': {name_of('journey', j)} has no stage of that name",
                        suggestion=did_you_mean_phrase(best)
                        or declaration_hint("stage", tr.to.text, f" in {name_of('journey', j)}")))
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
                            suggestion=did_you_mean_phrase(best)))
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
                        suggestion=did_you_mean_phrase(best)))

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
            if n is not None and not is_percent(n) and kpi.unit == "percent" and not 0 <= n.value <= 100:
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
                           owner_inherited=t.owner_ref is None and owner is not None,
                           messages=self.messages(t))
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

    # -- messages: copy files' text, figures and the facts they are about (1.1) ------
    def messages(self, t) -> tuple:
        if not t.messages:
            return t.messages
        audience = None
        out = []
        for m in t.messages:
            if m.source is not None:
                copy = self.copies[m.source.span]
                m = m._replace(text=Str(copy.text, m.source.span), copy_path=copy.path)
                figures = extract(copy.text, copy.span)
            elif may_hold_figures(m.text.text):
                figures = extract(m.text.text, self.string_locator(m.text))
            else:
                figures = ()
            if figures:
                if self.facts:
                    if audience is None:
                        audience = frozenset(a.text for a in t.audience)
                    figures = self.facts.attribute(m.text.text, figures, audience)
                m = m._replace(figures=figures)
            out.append(m)
        return tuple(out)

    def string_locator(self, s: Str):
        """(start, end) in a string's decoded text -> its Span in the journey file."""
        sp = s.span
        width = sp.end_column - sp.column
        if sp.line == sp.end_line and width == len(s.text) + 2:  # "..." without escapes (they make it wider)
            base = sp.column + 1
            return lambda a, b: Span(sp.file, sp.line, base + a, sp.line, base + b)
        starts = self.line_starts.get(sp.file)
        text = self.sources[sp.file]
        if starts is None:
            starts = self.line_starts[sp.file] = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        offset = starts[sp.line - 1] + sp.column - 1
        raw_offsets = string_offsets(text, offset)

        def position(raw: int) -> tuple[int, int]:
            line = bisect.bisect_right(starts, raw)
            return line, raw - starts[line - 1] + 1

        def locate(a: int, b: int) -> Span:
            start = raw_offsets[a] if a < len(raw_offsets) else raw_offsets[-1]
            end = raw_offsets[b] if b < len(raw_offsets) else raw_offsets[-1]
            return Span(sp.file, *position(start), *position(end))
        return locate

    def check_facts(self) -> None:
        for f in (f for m in self.modules for f in m.facts):
            for a in f.audience:
                self.ref(a, "persona")

    def run(self) -> tuple[Compilation | None, list[Diagnostic]]:
        self.declare_all()
        journeys = [j for m in self.modules for j in m.journeys]
        for j in journeys:
            self.check_journey(j)
        self.check_facts()
        if self.diagnostics:
            return None, self.diagnostics
        facts = dict(self.by_kind["fact"])
        if facts:
            self.facts = FactIndex(
                (f.id.text, f.phrase_texts, dimension(f.value.unit), frozenset(a.text for a in f.audience))
                for f in facts.values() if isinstance(f.value, Num))
        self.sources = {m.file.path: m.file.text for m in self.modules}
        copy_files = tuple(dict.fromkeys(self.copies[ref.span].path for m in self.modules for ref in m.copies))
        comp = Compilation(
            self.root, tuple(self.modules),
            owners=dict(self.by_kind["owner"]), personas=dict(self.by_kind["persona"]),
            channels=dict(self.by_kind["channel"]), kpis=dict(self.by_kind["kpi"]),
            journeys=tuple(self.complete(j) for j in journeys), facts=facts, copy_files=copy_files)
        return comp, []


def string_offsets(text: str, offset: int) -> list[int]:
    """For the string token starting at `offset` of `text`: the offset in
    `text` of each character of its decoded value, and one past the last."""
    if text.startswith('"""', offset):
        end = text.index('"""', offset + 3)
        return list(range(offset + 3, end + 1))
    out = []
    i = offset + 1
    while text[i] != '"':
        out.append(i)
        if text[i] == "\\":
            if text[i + 1] == "u":
                code = int(text[i + 2:i + 6], 16)
                i += 6
                # a surrogate pair written as two escapes is one character
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                    low = int(text[i + 2:i + 6], 16)
                    if 0xDC00 <= low < 0xE000:
                        i += 6
            else:
                i += 2
        else:
            i += 1
    out.append(i)
    return out


def resolve(modules: list[Module], root: str, copies: dict | None = None) -> tuple[Compilation | None, list[Diagnostic]]:
    return Resolver(modules, root, copies).run()

"""The HTML report (`journeyc report SPEC -o report.html`): one
self-contained page for a review, a PR or a wiki.

Per journey (its `state`, current or future, in the title): the diagram
(Graphviz's SVG, inline, with the lint findings marked, fitted to the page's
width); the emotion curve per persona; the service blueprint; the pain
points (score, evidence, confidence, recovery, opportunity); the
opportunities board by status; a table of stages (phase, owner, KPIs with targets and sources,
touchpoints, findings); a coverage matrix of stages against the seven areas
of the complete product experience; a measurement summary (which stages and
phases are measured, what share of the KPIs is first-party, the KPI
categories the business model needs); the lint findings with their
locations. Then the findings that belong to no journey. With
`report --compare CURRENT FUTURE`, a comparison comes first: per journey id
found in both, the stages and touchpoints added, removed and changed, and
the emotion curves of both states overlaid.

Self-contained: the style is inline, the diagrams are inline SVG, there is
no script, and a Content-Security-Policy forbids loading anything at all,
so the file works offline and cannot call out. All user text is
HTML-escaped (and cleaned of control characters); the SVG comes from the
DOT backend, where user text is escaped too."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources

from ..language import AREAS, BUSINESS_CATEGORIES, PHASES, STATUSES
from ..model import Compilation, Journey, Kpi, Touchpoint
from . import diagram

CHECK, CROSS, LOOP = "\u2714", "\u2716", "\u21ba"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def html_text(text) -> str:
    """User text for HTML (element content or a quoted attribute)."""
    return html.escape(diagram.clean(None if text is None else str(text)), quote=True)


def _css() -> str:
    return resources.files("journeyc.backends").joinpath("report.css").read_text(encoding="utf-8")


def _phase_badge(phase: str | None, inferred: bool = False) -> str:
    name, fill, line = diagram.PHASE_STYLE.get(phase, diagram.PHASE_STYLE[None])
    cls = phase or "unknown"
    extra = ' <span class="muted">(inferred)</span>' if inferred else ""
    return f'<span class="phase phase-{cls}">{html_text(name)}</span>{extra}'


def _severity_badge(sev: str) -> str:
    _, sign = diagram.SEVERITY_STYLE.get(sev, diagram.SEVERITY_STYLE["warning"])
    return f'<span class="sev sev-{html_text(sev)}">{sign} {html_text(sev)}</span>'


def _codes(findings) -> str:
    if not findings:
        return ""
    out = []
    for code in sorted({f.code for f in findings}):
        sev = diagram.worst([f for f in findings if f.code == code])
        out.append(f'<span class="code sev-{html_text(sev)}">{html_text(code)}</span>')
    return " ".join(out)


def inline_svg(svg: bytes) -> str:
    """Graphviz's SVG made fit to sit inside HTML: no XML prolog, doctype,
    comments or tooltips (Graphviz's `<title>`s hold only generated ids)."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<title>[^<]*</title>", "", text)
    text = text.replace("<svg ", '<svg class="diagram-svg" role="img" ', 1)
    return "\n".join(line for line in text.splitlines() if line.strip())


@dataclass
class _JourneyFacts:
    journey: Journey
    comp: Compilation
    placed: diagram.Placed

    def kpis(self) -> list[tuple[str, Kpi | None]]:
        """The KPIs the journey measures (stages and touchpoints), first use first."""
        seen: dict[str, Kpi | None] = {}
        for s in self.journey.stages:
            for m in list(s.measures) + [m for t in s.touchpoints for m in t.measures]:
                seen.setdefault(m.kpi.text, self.comp.kpis.get(m.kpi.text))
        return list(seen.items())

    def findings(self) -> list:
        j = self.journey
        out = list(self.placed.of_journey(j))
        for s in j.stages:
            out.extend(self.placed.of_stage(s))
            for t in s.touchpoints:
                out.extend(self.placed.of_touchpoint(t))
        for kid, _ in self.kpis():
            out.extend(self.placed.of_kpi(kid))
        return sorted(dict.fromkeys(out), key=lambda x: x.sort_key())


class _Report:
    def __init__(self, compilations, diagnostics, source_line, diagram_svg, version: str,
                 blueprint_svg=None, compare=None):
        self.compilations = compilations
        self.blueprint_svg = blueprint_svg or default_blueprint
        self.compare = compare
        self.diagnostics = list(diagnostics)
        self.source_line = source_line
        self.diagram_svg = diagram_svg
        self.version = version
        self.shown: set = set()
        self.where: dict = {}  # diagnostic -> "stage “Trial”"

    # -- pieces -------------------------------------------------------------------
    def kpi_item(self, comp: Compilation, use: diagram.KpiUse, placed: diagram.Placed) -> str:
        k = use.kpi
        parts = [f'<span class="kpi-name">{html_text(use.title)}</span>']
        t = diagram.target_text(use.target)
        parts.append(f'<span class="target">{html_text(t)}</span>' if t else '<span class="target none">no target</span>')
        if k is not None:
            for src in k.sources:
                label = "first-party" if src.kind == "first_party" else "third-party"
                name = f": {html_text(src.name)}" if src.name else ""
                parts.append(f'<span class="src src-{html_text(src.kind)}">{label}{name}</span>')
            if not k.sources:
                parts.append('<span class="src src-none">no source</span>')
            if k.cadence:
                parts.append(f'<span class="cadence">{html_text(k.cadence)}</span>')
        parts.append(_codes(placed.of_kpi(use.kpi_id)))
        return "<li>" + " ".join(p for p in parts if p) + "</li>"

    def touchpoint_item(self, comp: Compilation, t: Touchpoint, placed: diagram.Placed) -> str:
        meta = " \u00b7 ".join([diagram.channel_title(comp, t) or "no channel", diagram.AREA_TITLES.get(t.area, "no area")])
        badges = []
        if diagram.is_pain_point(t):
            badges.append(f'<span class="badge pain">\u2639 pain point \u00b7 score {html_text(diagram.score_text(t))}</span>')
        elif t.score is not None:
            badges.append(f'<span class="badge score">score {html_text(diagram.score_text(t))}/5</span>')
        if t.recovery:
            badges.append('<span class="badge recovery">\u271a recovery</span>')
        owner = diagram.owner_title(comp, t.owner)
        if owner and t.owner_ref is not None:
            badges.append(f'<span class="meta">owner: {html_text(owner)}</span>')
        return (f'<li><span class="tp-name">{html_text(diagram.title_of(t))}</span> <span class="meta">{html_text(meta)}</span> '
                f'{" ".join(badges)} {_codes(placed.of_touchpoint(t))}</li>')

    def stage_rows(self, f: _JourneyFacts) -> str:
        comp, j, placed = f.comp, f.journey, f.placed
        rows = []
        for i, s in enumerate(j.stages, start=1):
            owner = diagram.owner_title(comp, s.owner)
            owner_html = (f'{html_text(owner)}{" <span class=muted>(journey default)</span>" if s.owner_inherited else ""}'
                          if owner else '<span class="missing">none</span>')
            kpis = "".join(self.kpi_item(comp, u, placed) for u in diagram.kpi_uses(comp, s.measures))
            tps = "".join(self.touchpoint_item(comp, t, placed) for t in s.touchpoints)
            entry = ' <span class="badge entry">\u25b6 entry</span>' if s.id.text in j.entries else ""
            moves = []
            for tr in s.transitions:
                target = next((x for x in j.stages if x.id.text == tr.to.text), None)
                name = diagram.title_of(target) if target is not None else tr.to.text
                label = f" \u201c{html_text(diagram.text_of(tr.label))}\u201d" if diagram.text_of(tr.label) else ""
                cls = "loop" if tr.loop_back else "next"
                sign = "\u21ba" if tr.loop_back else "\u2192"
                moves.append(f'<span class="move {cls}">{sign} {html_text(name)}{label}</span>')
            rows.append(
                f'<tr class="stage-row" data-phase="{html_text(s.phase or "unknown")}">'
                f'<td class="num">{i}</td>'
                f'<th scope="row"><span class="stage-name">{html_text(diagram.title_of(s))}</span>{entry}'
                f'<div class="moves">{"".join(moves)}</div></th>'
                f'<td>{_phase_badge(s.phase, s.phase_inferred)}</td>'
                f'<td>{owner_html}</td>'
                f'<td>{"<ul class=plain>" + kpis + "</ul>" if kpis else "<span class=missing>not measured</span>"}</td>'
                f'<td>{"<ul class=plain>" + tps + "</ul>" if tps else "<span class=muted>none</span>"}</td>'
                f'<td class="codes">{_codes(placed.of_stage(s))}</td></tr>')
        return "".join(rows)

    def coverage(self, f: _JourneyFacts) -> str:
        j = f.journey
        head = "".join(f'<th scope="col">{html_text(diagram.AREA_TITLES[a])}</th>' for a in AREAS)
        rows = []
        covered = {a: 0 for a in AREAS}
        for s in j.stages:
            cells = []
            for a in AREAS:
                tps = [t for t in s.touchpoints if t.area == a]
                covered[a] += len(tps)
                if tps:
                    names = "".join(f"<li>{html_text(diagram.title_of(t))}</li>" for t in tps)
                    cells.append(f'<td class="hit"><span class="count">{len(tps)}</span><ul>{names}</ul></td>')
                else:
                    cells.append('<td class="empty"></td>')
            rows.append(f'<tr><th scope="row">{html_text(diagram.title_of(s))} {_phase_badge(s.phase)}</th>{"".join(cells)}</tr>')
        total = "".join(
            f'<td class="{"ok" if covered[a] else "gap"}">{CHECK + " " + str(covered[a]) if covered[a] else CROSS + " none"}</td>'
            for a in AREAS)
        missing = [diagram.AREA_TITLES[a] for a in AREAS if not covered[a]]
        n = len(AREAS) - len(missing)
        caption = f"{n} of {len(AREAS)} areas covered" + (f"; missing: {', '.join(missing)}" if missing else "")
        return (f'<table class="coverage"><caption>{html_text(caption)}</caption>'
                f'<thead><tr><th scope="col">Stage</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
                f'<tfoot><tr><th scope="row">Journey</th>{total}</tr></tfoot></table>')

    def measurement(self, f: _JourneyFacts) -> str:
        comp, j = f.comp, f.journey
        measured = [s for s in j.stages if diagram.stage_measured(s)]
        unmeasured = [s for s in j.stages if not diagram.stage_measured(s)]
        cards = []
        share = len(measured) / len(j.stages) if j.stages else 0
        lst = ""
        if unmeasured:
            lst = ('<p class="small">Not measured: '
                   + ", ".join(f'<span class="missing">{html_text(diagram.title_of(s))}</span>' for s in unmeasured) + "</p>")
        cards.append(f'<div class="card"><h4>Stages measured</h4><p class="big">{len(measured)} '
                     f'<span class="of">of {len(j.stages)}</span></p>{_bar(share)}{lst}</div>')
        # phases
        prow = []
        for phase in list(PHASES) + [None]:
            stages = [s for s in j.stages if s.phase == phase]
            if not stages:
                if phase is None:
                    continue
                prow.append(f'<tr><td>{_phase_badge(phase)}</td><td class="muted">no stage</td></tr>')
                continue
            m = [s for s in stages if diagram.stage_measured(s)]
            state, sign = ("ok", CHECK) if m else ("gap", CROSS)
            prow.append(f'<tr><td>{_phase_badge(phase)}</td>'
                        f'<td class="{state}">{sign} {len(m)} of {len(stages)} stage{"s" if len(stages) != 1 else ""}'
                        f'</td></tr>')
        cards.append(f'<div class="card"><h4>Phases measured</h4><table class="mini">{"".join(prow)}</table></div>')
        # KPIs
        kpis = f.kpis()
        first = [k for _, k in kpis if k is not None and any(s.kind == "first_party" for s in k.sources)]
        third = [k for _, k in kpis if k is not None and k.sources and all(s.kind == "third_party" for s in k.sources)]
        nosrc = [kid for kid, k in kpis if k is None or not k.sources]
        targets = {}
        for s in j.stages:
            for u in diagram.kpi_uses(comp, list(s.measures) + [m for t in s.touchpoints for m in t.measures]):
                targets[u.kpi_id] = targets.get(u.kpi_id, False) or u.target is not None
        with_target = sum(targets.values())
        fp_share = len(first) / len(kpis) if kpis else 0
        cards.append(
            f'<div class="card"><h4>First-party KPIs</h4><p class="big">{round(fp_share * 100)}%'
            f' <span class="of">{len(first)} of {len(kpis)} KPIs</span></p>{_bar(fp_share)}'
            f'<p class="small">third-party only: {len(third)} \u00b7 no source: {len(nosrc)} \u00b7 '
            f'with a target: {with_target} of {len(kpis)}</p></div>')
        # business model
        if j.business in BUSINESS_CATEGORIES:
            cats = {k.category for _, k in kpis if k is not None and k.category}
            items = "".join(
                f'<li class="{"ok" if c in cats else "gap"}">{CHECK if c in cats else CROSS} {html_text(c)}</li>'
                for c in BUSINESS_CATEGORIES[j.business])
            cards.append(f'<div class="card"><h4>A {html_text(j.business)} business tracks</h4>'
                         f'<ul class="cats">{items}</ul></div>')
        return f'<div class="cards">{"".join(cards)}</div>'

    def _audience(self, comp: Compilation, t: Touchpoint) -> str:
        return ", ".join(diagram.persona_title(comp, a.text) for a in t.audience) if t.audience else "everyone"

    def messages(self, f: _JourneyFacts) -> str:
        """The message inventory: per stage, who hears what, on which
        channel, with which figures, tone and facts."""
        from ..figures import facts_stated

        comp, j, placed = f.comp, f.journey, f.placed
        rows = []
        for s in j.stages:
            for t in s.touchpoints:
                for m in t.messages:
                    source = (f'<div class="muted small">from <code>{html_text(m.copy_path or m.source.text)}</code></div>'
                              if m.source is not None else "")
                    figures = "".join(
                        f'<li><span class="figure">{html_text(x.text)}</span>'
                        f'{" <span class=muted>(fact " + html_text(x.fact) + ")</span>" if x.fact else ""}'
                        f'{" <span class=muted>(countdown)</span>" if x.countdown else ""}</li>'
                        for x in m.figures)
                    stated = facts_stated(comp, m)
                    codes = [x for x in placed.of_touchpoint(t) if x.code in ("C001", "C002", "C003", "C005", "C006")]
                    text = " ".join(m.text.text.split())
                    rows.append(
                        f'<tr><td>{html_text(diagram.title_of(s))}</td><td>{html_text(diagram.title_of(t))}</td>'
                        f'<td>{html_text(diagram.channel_title(comp, t) or "no channel")}</td>'
                        f'<td>{html_text(self._audience(comp, t))}</td>'
                        f'<td>“{html_text(text)}”{source}</td>'
                        f'<td>{"<ul class=plain>" + figures + "</ul>" if figures else "<span class=muted>none</span>"}</td>'
                        f'<td>{html_text(m.tone.text) if m.tone else "<span class=muted>none</span>"}</td>'
                        f'<td>{html_text(", ".join(stated)) if stated else "<span class=muted>none</span>"}</td>'
                        f'<td class="codes">{_codes(codes)}</td></tr>')
        if not rows:
            return '<p class="muted">No touchpoint of this journey sends a message.</p>'
        return ('<div class="scroll"><table class="messages"><thead><tr><th scope="col">Stage</th>'
                '<th scope="col">Touchpoint</th><th scope="col">Channel</th><th scope="col">Audience</th>'
                '<th scope="col">Message</th><th scope="col">Figures</th><th scope="col">Tone</th>'
                '<th scope="col">Facts</th><th scope="col">Findings</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    def facts_table(self, f: _JourneyFacts) -> str:
        """Every fact of the compilation, the messages of this journey that
        state it (a figure about it, or a claim named after it) and whether
        each agrees."""
        from ..figures import statements
        from ..figures import describe_value

        comp, j = f.comp, f.journey
        if not comp.facts:
            return '<p class="muted">No fact is declared (<code>fact ID = VALUE</code>).</p>'
        stating: dict[str, list[str]] = {fid: [] for fid in comp.facts}
        for st in statements(comp, j):
            stating[st.fact].append(self._stated(st.touchpoint, st.what, st.agrees))
        rows = []
        for fid, fact in comp.facts.items():
            audience = (", ".join(diagram.persona_title(comp, a.text) for a in fact.audience)
                        if fact.audience else "everyone")
            said = "".join(stating[fid])
            rows.append(
                f'<tr><th scope="row"><code>{html_text(fid)}</code>'
                f'{"<div class=small>" + html_text(fact.description) + "</div>" if fact.description else ""}</th>'
                f'<td>{html_text(describe_value(fact.value))}</td><td>{html_text(", ".join(fact.phrase_texts))}</td>'
                f'<td>{html_text(audience)}</td>'
                f'<td>{"<ul class=plain>" + said + "</ul>" if said else "<span class=muted>no message of this journey</span>"}</td></tr>')
        return ('<div class="scroll"><table class="facts-table"><thead><tr><th scope="col">Fact</th>'
                '<th scope="col">Value</th><th scope="col">Phrases</th><th scope="col">Audience</th>'
                '<th scope="col">Stated by</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    @staticmethod
    def _stated(t: Touchpoint, what: str, ok: bool) -> str:
        mark = f'<span class="ok">{CHECK} agrees</span>' if ok else f'<span class="gap">{CROSS} disagrees</span>'
        return f'<li>{html_text(diagram.title_of(t))}: {html_text(what)} {mark}</li>'

    def describe_place(self, comp: Compilation, diag) -> str:
        for j in comp.journeys:
            if diag.span == j.span or diag in self._placed_cache[id(comp)].of_journey(j):
                return f"journey {diagram.title_of(j)}"
            for s in j.stages:
                if diag in self._placed_cache[id(comp)].of_stage(s):
                    return f"stage {diagram.title_of(s)}"
                for t in s.touchpoints:
                    if diag in self._placed_cache[id(comp)].of_touchpoint(t):
                        return f"touchpoint {diagram.title_of(t)} ({diagram.title_of(s)})"
        for kid, ds in self._placed_cache[id(comp)].kpis.items():
            if diag in ds:
                k = comp.kpis.get(kid)
                return f"KPI {diagram.title_of(k) if k else kid}"
        return ""

    def findings_table(self, findings, comp: Compilation | None) -> str:
        if not findings:
            return '<p class="none-found">\u2714 No lint findings.</p>'
        rows = []
        for f in findings:
            self.shown.add(f)
            s = f.span
            where = self.describe_place(comp, f) if comp is not None else ""
            line = self.source_line(s.file, s.line) if self.source_line else None
            excerpt = f'<pre class="excerpt">{html_text(line.strip())}</pre>' if line and line.strip() else ""
            suggestion = f'<div class="suggest">{html_text(f.suggestion)}</div>' if f.suggestion else ""
            rows.append(
                f'<tr class="finding sev-{html_text(f.severity)}"><td>{_severity_badge(f.severity)}</td>'
                f'<td><span class="code sev-{html_text(f.severity)}">{html_text(f.code)}</span><div class="muted small">{html_text(f.name)}</div></td>'
                f'<td>{html_text(f.message)}{suggestion}{excerpt}</td>'
                f'<td>{html_text(where)}</td>'
                f'<td class="loc"><code>{html_text(s.file)}:{s.line}:{s.column}</code></td></tr>')
        return ('<table class="findings"><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
                '<th scope="col">Finding</th><th scope="col">On</th><th scope="col">Location</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')

    def pain_points(self, f: _JourneyFacts) -> str:
        comp, j = f.comp, f.journey
        recovered_by = diagram.recovery_of(j)
        opportunities = diagram.opportunities_for(j)
        rows = []
        for s in j.stages:
            for t in s.touchpoints:
                if not diagram.is_pain_point(t):
                    continue
                evidence = [(e, "") for e in t.evidence] + [(e, " (stage)") for e in s.evidence]
                ev = ("<ul class=plain>" + "".join(f"<li>{html_text(e)}{html_text(w)}</li>" for e, w in evidence) + "</ul>"
                      if evidence else '<span class="missing">none</span>')
                recoveries = recovered_by.get(t.id.text, [])
                if recoveries:
                    rec = ", ".join(f'<span class="badge recovery">\u271a {html_text(diagram.title_of(r))}</span>'
                                    for r in recoveries)
                else:
                    same = [x for x in s.touchpoints if x.recovery]
                    rec = (", ".join(f'<span class="badge recovery">\u271a {html_text(diagram.title_of(r))}</span> '
                                     '<span class="muted small">(same stage)</span>' for r in same)
                           if same else '<span class="missing">none</span>')
                opps = opportunities.get(t.id.text, []) + opportunities.get(s.id.text, [])
                opp = ("<ul class=plain>" + "".join(
                    f"<li>{html_text(diagram.title_of(o))} <span class=\"status status-{html_text(o.status)}\">"
                    f"{html_text(o.status.replace('_', ' '))}</span></li>" for o in dict.fromkeys(opps)) + "</ul>"
                       if opps else '<span class="muted">none</span>')
                layer = "" if t.customer_facing else f' <span class="badge layer">{html_text(t.layer)}</span>'
                rows.append(
                    f'<tr><th scope="row"><span class="tp-name">{html_text(diagram.title_of(t))}</span>{layer}'
                    f'<div class="muted small">{html_text(diagram.title_of(s))}</div></th>'
                    f'<td><span class="badge pain">\u2639 {html_text(diagram.score_text(t))}</span></td>'
                    f'<td>{ev}</td><td>{html_text(t.confidence) if t.confidence else "<span class=muted>not given</span>"}</td>'
                    f'<td>{rec}</td><td>{opp}</td></tr>')
        if not rows:
            return '<p class="muted">No touchpoint has a score of 1 or 2.</p>'
        return ('<div class="scroll"><table class="pain-points"><thead><tr><th scope="col">Pain point</th>'
                '<th scope="col">Score</th><th scope="col">Evidence</th><th scope="col">Confidence</th>'
                '<th scope="col">Recovery</th><th scope="col">Opportunity</th></tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div>')

    def opportunities(self, f: _JourneyFacts) -> str:
        comp, j = f.comp, f.journey
        if not j.opportunities:
            return '<p class="muted">No opportunity is planned: add <code>opportunity</code> items to the journey.</p>'
        titles = {s.id.text: diagram.title_of(s) for s in j.stages}
        titles.update({t.id.text: diagram.title_of(t) for s in j.stages for t in s.touchpoints})
        columns = []
        for status in STATUSES:
            cards = []
            for o in j.opportunities:
                if o.status != status:
                    continue
                owner = diagram.owner_title(comp, o.owner)
                owner_html = (f"{html_text(owner)}{' <span class=muted>(journey default)</span>' if o.owner_inherited else ''}"
                              if owner else '<span class="missing">none</span>')
                targets = ", ".join(f"{html_text(titles.get(ident, ident))} <span class=muted>({kind})</span>"
                                    for kind, ident in o.targets) or '<span class="muted">nothing named</span>'
                impact = (f'<span class="impact impact-{html_text(o.impact)}">{html_text(o.impact)} impact</span>'
                          if o.impact else '<span class="muted small">impact not given</span>')
                desc = f'<p class="small">{html_text(o.description)}</p>' if o.description else ""
                cards.append(f'<div class="opp"><div class="opp-title">{html_text(diagram.title_of(o))}</div>{impact}'
                             f'<div class="small"><b>owner</b> {owner_html}</div>'
                             f'<div class="small"><b>for</b> {targets}</div>{desc}</div>')
            columns.append(f'<div class="board-col" data-status="{html_text(status)}"><h4>{html_text(status.replace("_", " "))} '
                           f'<span class="muted">{len(cards)}</span></h4>{"".join(cards)}</div>')
        return f'<div class="board">{"".join(columns)}</div>'

    def comparison(self) -> str:
        """`report --compare CURRENT FUTURE`: per journey id found in both,
        what changed, and both emotion curves in one chart."""
        from .emotion import journey_svg

        current, future = self.compare
        now = {j.id.text: (c, j) for c in current for j in c.journeys}
        later = {j.id.text: (c, j) for c in future for j in c.journeys}
        parts = []
        for jid, (fc, fj) in later.items():
            if jid not in now:
                continue
            cc, cj = now[jid]
            rows = self._changes("stage", [(s, s) for s in cj.stages], [(s, s) for s in fj.stages], cc, fc)
            rows += self._changes("touchpoint", [(s, t) for s in cj.stages for t in s.touchpoints],
                                  [(s, t) for s in fj.stages for t in s.touchpoints], cc, fc)
            table = ('<div class="scroll"><table class="changes"><thead><tr><th scope="col">Change</th>'
                     '<th scope="col">What</th><th scope="col">Current</th><th scope="col">Future</th></tr></thead>'
                     f'<tbody>{"".join(rows)}</tbody></table></div>' if rows
                     else '<p class="muted">No stage or touchpoint differs.</p>')
            chart = journey_svg(fc, fj, overlay=(("current", diagram.EmotionMap(cc, cj)),))
            chart = chart.replace("<svg ", '<svg class="chart-svg" ', 1)
            parts.append(f'<h3>{html_text(diagram.title_of(cj))} <span class="muted small">({html_text(cj.state)} \u2192 {html_text(fj.state)})'
                         f'</span></h3>{table}<h4>Emotion curves, current (dashed) and future</h4>'
                         f'<div class="chart">{chart}</div>')
        only = [("current", j) for jid, (_, j) in now.items() if jid not in later] + \
               [("future", j) for jid, (_, j) in later.items() if jid not in now]
        if only:
            parts.append("<p>" + "; ".join(f"journey <code>{html_text(j.id.text)}</code> is only in the {side} files"
                                           for side, j in only) + "</p>")
        if not parts:
            parts.append('<p class="muted">No journey id is in both.</p>')
        return (f'<section class="journey compare" id="compare"><h2>Current state against future state</h2>'
                f'{"".join(parts)}</section>')

    def _changes(self, kind: str, before: list, after: list, cc: Compilation, fc: Compilation) -> list[str]:
        def facts(comp, s, x) -> dict:
            if kind == "stage":
                return {"title": diagram.title_of(x), "phase": diagram.PHASE_STYLE.get(x.phase, diagram.PHASE_STYLE[None])[0],
                        "owner": diagram.owner_title(comp, x.owner) or "none", "goal": diagram.text_of(x.goal) or "none"}
            return {"title": diagram.title_of(x), "stage": diagram.title_of(s), "channel": diagram.channel_title(comp, x) or "none",
                    "layer": x.layer, "score": diagram.score_text(x) or "none",
                    "owner": diagram.owner_title(comp, x.owner) or "none", "recovery": "yes" if x.recovery else "no"}

        old = {x.id.text: facts(cc, s, x) for s, x in before}
        new = {x.id.text: facts(fc, s, x) for s, x in after}
        rows = []

        def row(change, ident, title, was, now):
            rows.append(f'<tr><td class="change-{change}">{change}</td><td>{kind} <b>{html_text(title)}</b> '
                        f'<code>{html_text(ident)}</code></td><td>{was}</td><td>{now}</td></tr>')

        for ident, f in new.items():
            if ident not in old:
                row("added", ident, f["title"], "", "")
            elif f != old[ident]:
                diffs = [k for k in f if f[k] != old[ident][k]]
                row("changed", ident, f["title"], "<br>".join(f"{k}: {html_text(old[ident][k])}" for k in diffs),
                    "<br>".join(f"{k}: {html_text(f[k])}" for k in diffs))
        for ident, f in old.items():
            if ident not in new:
                row("removed", ident, f["title"], "", "")
        return rows

    def journey_section(self, f: _JourneyFacts, index: int) -> str:
        comp, j = f.comp, f.journey
        facts = [f'<span class="fact"><b>model</b> {html_text(j.model)}</span>']
        if j.business:
            facts.append(f'<span class="fact"><b>business</b> {html_text(j.business)}</span>')
        owner = diagram.owner_title(comp, j.owner)
        facts.append(f'<span class="fact"><b>owner</b> {html_text(owner) if owner else "<span class=missing>none</span>"}</span>')
        loops = [tr for s in j.stages for tr in s.transitions if tr.loop_back]
        facts.append(f'<span class="fact"><b>loops back</b> {LOOP + " yes (" + str(len(loops)) + ")" if loops else "no"}</span>')
        facts.append(f'<span class="fact"><b>stages</b> {len(j.stages)}</span>')
        facts.append(f'<span class="fact"><b>touchpoints</b> {sum(len(s.touchpoints) for s in j.stages)}</span>')
        promise = ""
        if j.promise is not None:
            tones = ", ".join(t.text for t in j.promise.tones)
            promise = (f'<blockquote class="promise">\u201c{html_text(j.promise.text.text)}\u201d'
                       f'{f" <span class=muted>tones: {html_text(tones)}</span>" if tones else ""}</blockquote>')
        description = f'<p class="description">{html_text(j.description)}</p>' if j.description else ""
        svg = self.diagram_svg(comp, j, self.diagnostics)
        blueprint_svg = self.blueprint_svg(comp, j)
        from .emotion import journey_svg

        emotion_svg = journey_svg(comp, j).replace("<svg ", '<svg class="chart-svg" ', 1)
        state = (f' <span class="state state-{html_text(j.state)}">{html_text(j.state)} state</span>')
        diagram_id = f"fit-{index}"
        findings = f.findings()
        counts = _counts(findings)
        return (
            f'<section class="journey" id="journey-{index}" aria-labelledby="journey-{index}-title">'
            f'<header class="journey-head"><p class="eyebrow">Journey <code>{html_text(j.id.text)}</code> \u00b7 '
            f'{html_text(j.span.file)}</p><h2 id="journey-{index}-title">{html_text(diagram.title_of(j))}{state}</h2>'
            f'<div class="facts">{"".join(facts)}</div>{promise}{description}</header>'
            f'<h3>Diagram</h3>'
            f'<div class="diagram-box"><input type="checkbox" id="{diagram_id}" class="fit-toggle">'
            f'<label for="{diagram_id}" class="fit-label">Actual size</label>'
            f'<div class="diagram">{svg}</div></div>'
            f'<h3>Emotion curve</h3><div class="chart">{emotion_svg}</div>'
            f'<h3>Service blueprint</h3><div class="diagram-box"><div class="diagram blueprint">{blueprint_svg}</div></div>'
            f'<h3>Pain points</h3>{self.pain_points(f)}'
            f'<h3>Opportunities</h3>{self.opportunities(f)}'
            f'<h3>Stages</h3>'
            f'<div class="scroll"><table class="stages"><thead><tr><th scope="col">#</th><th scope="col">Stage</th>'
            f'<th scope="col">Phase</th><th scope="col">Owner</th><th scope="col">KPIs, targets and sources</th>'
            f'<th scope="col">Touchpoints</th><th scope="col">Findings</th></tr></thead>'
            f'<tbody>{self.stage_rows(f)}</tbody></table></div>'
            f'<h3>Coverage of the complete product experience</h3>'
            f'<div class="scroll">{self.coverage(f)}</div>'
            f'<h3>Measurement</h3>{self.measurement(f)}'
            f'<h3>Messages</h3>{self.messages(f)}'
            f'<h3>Facts</h3>{self.facts_table(f)}'
            f'<h3>Lint findings <span class="count-line">{counts}</span></h3>'
            f'{self.findings_table(findings, comp)}'
            f'</section>')

    def build(self) -> str:
        facts: list[_JourneyFacts] = []
        self._placed_cache = {}
        for comp in self.compilations:
            placed = diagram.place_findings(comp, self.diagnostics)
            self._placed_cache[id(comp)] = placed
            facts.extend(_JourneyFacts(j, comp, placed) for j in comp.journeys)
        sections = [self.journey_section(f, i) for i, f in enumerate(facts, start=1)]
        rest = [x for x in self.diagnostics if x not in self.shown]
        other = ""
        if rest:
            rows_by_comp = self.findings_table(rest, None)
            other = (f'<section class="journey other" id="other-findings"><h2>Findings outside the journeys</h2>'
                     f'<p class="muted">Owners, KPIs and comments that no journey uses, and the like.</p>'
                     f'{rows_by_comp}</section>')
        nav = '<a href="#compare">Current against future</a>' if self.compare else ""
        nav += "".join(f'<a href="#journey-{i}">{html_text(diagram.title_of(f.journey))}'
                       f'{" (future)" if f.journey.state == "future" else ""}</a>' for i, f in enumerate(facts, start=1))
        if rest:
            nav += '<a href="#other-findings">Other findings</a>'
        titles = ", ".join(diagram.one_line(diagram.title_of(f.journey)) for f in facts) or "no journey"
        sources = sorted({src for c in self.compilations for src in c.sources})
        totals = {
            "journeys": len(facts),
            "stages": sum(len(f.journey.stages) for f in facts),
            "touchpoints": sum(len(s.touchpoints) for f in facts for s in f.journey.stages),
        }
        stats = "".join(f'<div class="stat"><span class="n">{n}</span><span class="l">{k}</span></div>'
                        for k, n in totals.items())
        stats += "".join(
            f'<div class="stat sev-{sev}"><span class="n">{sum(x.severity == sev for x in self.diagnostics)}</span>'
            f'<span class="l">{label}</span></div>'
            for sev, label in (("error", "errors"), ("warning", "warnings"), ("info", "infos")))
        if not facts:
            sections.append('<section class="journey"><p>No journey in these files.</p></section>')
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="journeyc {html_text(self.version)}">\n'
            f"<title>Journey report: {html_text(titles)}</title>\n"
            f"<style>\n{_css()}</style>\n</head>\n<body>\n"
            f'<header class="top"><div class="wrap"><p class="eyebrow">journeyc report</p>'
            f'<h1>{html_text(titles)}</h1>'
            f'<p class="muted">{html_text(", ".join(sources))}</p>'
            f'<div class="stats">{stats}</div><nav class="toc" aria-label="Journeys">{nav}</nav></div></header>\n'
            f'<main class="wrap">\n{self.comparison() if self.compare else ""}{"".join(sections)}{other}\n</main>\n'
            f'<footer class="wrap muted">Generated by journeyc {html_text(self.version)} from {html_text(", ".join(sources))}. '
            f"Edit the .journey files, not this page.</footer>\n"
            "</body>\n</html>\n")


def _bar(share: float) -> str:
    pct = max(0, min(100, round(share * 100)))
    return f'<div class="bar" role="img" aria-label="{pct}%"><span style="width:{pct}%"></span></div>'


def _counts(findings) -> str:
    parts = []
    for sev in ("error", "warning", "info"):
        n = sum(f.severity == sev for f in findings)
        if n:
            parts.append(f'<span class="sev sev-{sev}">{n} {sev}{"s" if n != 1 else ""}</span>')
    return " ".join(parts)


def default_diagram(comp: Compilation, journey: Journey, diagnostics, timeout: float | None = None) -> str:
    """The journey drawn by Graphviz; for a journey too dense to draw
    readably (or to lay out within `timeout` seconds), a note saying so:
    the stages table below is the smaller view."""
    from . import dot

    try:
        return inline_svg(dot.draw(comp, "svg", diagnostics, [journey], timeout))
    except dot.TooDense:
        stages, transitions = dot.size_of([journey])
        return (f'<p class="muted">No diagram: {stages} stages and {transitions} transitions are too many to '
                f'draw readably (or to lay out in time). The stages, their transitions and findings are listed '
                f'below.</p>')


def no_diagram(comp: Compilation, journey: Journey, diagnostics) -> str:
    """In place of the diagram where Graphviz is not installed."""
    return ('<p class="no-diagram">No diagram: Graphviz\'s <code>dot</code> program was not found when this report '
            'was written. Install Graphviz and run <code>journeyc report</code> again to draw it.</p>')


def no_blueprint(comp: Compilation, journey: Journey) -> str:
    """In place of the service blueprint where Graphviz is not installed."""
    return ('<p class="no-diagram">No blueprint: Graphviz\'s <code>dot</code> program was not found when this report '
            'was written. Install Graphviz and run <code>journeyc report</code> again to draw it.</p>')


def default_blueprint(comp: Compilation, journey: Journey, timeout: float | None = None) -> str:
    """The journey's service blueprint drawn by Graphviz; for a journey too
    big to draw readably (or to lay out within `timeout` seconds), a note."""
    from . import blueprint, dot

    try:
        return inline_svg(blueprint.draw(comp, "svg", [journey], timeout))
    except dot.TooDense:
        stages, _ = dot.size_of([journey])
        return (f'<p class="muted">No blueprint: {stages} stages are too many to draw readably (or to lay out '
                f'in time). The stages and their touchpoints are listed below.</p>')


def render_report(compilations, diagnostics, source_line=None, diagram_svg=default_diagram,
                  version: str | None = None, blueprint_svg=default_blueprint, compare=None) -> str:
    """The report page of a run: `compilations` (without compile errors),
    the run's lint `diagnostics`; `source_line(file, line)` gives a line of
    source for the findings' excerpts; `diagram_svg(comp, journey,
    diagnostics)` draws a journey (default: Graphviz, which must be installed)."""
    if version is None:
        from ..version import __version__ as version
    return _Report(list(compilations), diagnostics, source_line, diagram_svg, version, blueprint_svg,
                   compare).build()

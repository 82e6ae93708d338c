"""Mermaid: a resolved Compilation -> a flowchart (`--format mermaid`) or
Mermaid's `journey` diagram (`--format mermaid-journey`), as text to paste
into a ```mermaid block of GitHub markdown, a wiki or the Mermaid editor.

The flowchart carries what the DOT diagram carries: a subgraph per journey
and per stage (title; a card with phase, owner, KPIs with targets),
touchpoints as nodes (title, channel, area, blueprint layer, pain point,
recovery; backstage and support touchpoints dashed),
transitions as labelled links, loop-backs dotted, purple and marked, phases
coloured with the palette of the DOT diagram, and a legend.

Safety: ids are generated (`j1`, `s1`, `t1`). User text goes only inside
double-quoted labels, where every character that Mermaid, its Markdown or
HTML could read as syntax is written as a Mermaid entity (`#35;` for `#`,
`#60;` for `<`, ...), so `"`, `%%`, `-->`, `end`, `<script>` and the rest
show literally. The journey diagram, which has no quoted strings, gets the
same treatment (its separators `:` `,` `;` `#` are entities too)."""
from __future__ import annotations

from ..model import Compilation, Journey, Stage, Touchpoint
from . import diagram

# Characters of user text written as themselves; every other ASCII
# character becomes an entity `#NNN;`, and so do the characters Mermaid
# uses for its own entity placeholders and the Unicode line separators.
# In the journey diagram, `:` and `,` separate a task's parts: entities too.
_PLAIN = frozenset(" .,'!?/@^+*~_:()")
_PLAIN_JOURNEY = frozenset(" .'!?/@^+*~_()")
_ARROWISH = frozenset("-=.<>")  # `-` and `=` stay plain unless they could start an arrow
_SPECIAL = frozenset("\ufb02\u00b0\u00b6\u00df\u2028\u2029\u0085\ufeff\u200b")  # ﬂ ° ¶ ß and invisible breaks


def esc(text: str | None, journey: bool = False) -> str:
    """User text for a Mermaid label: in a flowchart, inside `"..."` (a
    newline is a line break); in the journey diagram, a task, a section, an
    actor or the title (a newline is a space)."""
    plain = _PLAIN_JOURNEY if journey else _PLAIN
    text = diagram.clean(text)
    out = []
    for i, c in enumerate(text):
        if c == "\n":
            out.append(" " if journey else "<br/>")
        elif c.isascii():
            if c.isalnum() or c in plain:
                out.append(c)
            elif c in "-=" and not (i > 0 and text[i - 1] in _ARROWISH) \
                    and not (i + 1 < len(text) and text[i + 1] in _ARROWISH):
                out.append(c)
            else:
                out.append(f"#{ord(c)};")
        elif c in _SPECIAL or not (c.isalnum() or c.isspace()):
            out.append(f"#{ord(c)};")
        elif c.isspace():
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


def _bold(text: str) -> str:
    return f"<b>{text}</b>"


def _finding_line(findings) -> str | None:
    if not findings:
        return None
    _, sign = diagram.SEVERITY_STYLE.get(diagram.worst(findings), diagram.SEVERITY_STYLE["warning"])
    return esc(f"{sign} {diagram.codes_text(findings)}")


class _Flowchart(diagram.DiagramBuilder):
    def __init__(self, comp: Compilation, placed: diagram.Placed | None):
        self.comp = comp
        super().__init__(placed)
        self.lines: list[str] = []
        self.styles: list[str] = []
        self.classes: dict[str, list[str]] = {}
        self.links = 0
        self.loop_links: list[int] = []
        self.tp_ids: dict = {}

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def mark(self, node: str, cls: str) -> None:
        self.classes.setdefault(cls, []).append(node)

    def build(self) -> str:
        self.emit(0, "flowchart TB")
        # ids in source order; Mermaid lays out sibling subgraphs in reverse
        # order of declaration, so the legend comes first and the journeys
        # last to first, to read in source order
        self.ids = {}
        for j in self.comp.journeys:
            self.ids[j.span] = self.new_id("j")
            self.ids.update((s.span, self.new_id("s")) for s in j.stages)
            self.tp_ids.update((t.span, self.new_id("t")) for s in j.stages for t in s.touchpoints)
        self.legend()
        for j in reversed(self.comp.journeys):
            self.journey(j)
        self.emit(1, "classDef tp fill:#ffffff,stroke:#94a3b8,stroke-width:1px,color:#0f172a")
        self.emit(1, f"classDef pain fill:{diagram.PAIN_FILL},stroke:{diagram.PAIN_LINE},stroke-width:2px,color:#0f172a")
        self.emit(1, f"classDef recovery fill:{diagram.RECOVERY_FILL},stroke:{diagram.RECOVERY_LINE},stroke-width:4px,"
                     "stroke-dasharray:6 3,color:#0f172a")
        self.emit(1, "classDef card fill:#ffffff,stroke:#cbd5e1,stroke-width:1px,color:#334155")
        self.emit(1, "classDef hidden stroke-dasharray:4")
        for phase in diagram.PHASE_ORDER:
            _, fill, line = diagram.PHASE_STYLE[phase]
            self.emit(1, f"classDef {phase} fill:{fill},stroke:{line},stroke-width:2px,color:#0f172a")
        for sev, (colour, _) in diagram.SEVERITY_STYLE.items():
            self.emit(1, f"classDef {sev} stroke:{colour},stroke-width:4px")
        for cls, nodes in self.classes.items():
            self.emit(1, f"class {','.join(nodes)} {cls}")
        for line in self.styles:
            self.emit(1, line)
        for i in self.loop_links:
            self.emit(1, f"linkStyle {i} stroke:{diagram.LOOP_COLOUR},stroke-width:3px,color:{diagram.LOOP_COLOUR}")
        return "\n".join(self.lines) + "\n"

    def journey(self, j: Journey) -> None:
        comp = self.comp
        jid = self.ids[j.span]
        facts = [j.model] + ([j.business] if j.business else [])
        owner = diagram.owner_title(comp, j.owner)
        if owner:
            facts.append(f"owner: {owner}")
        card = [esc(" \u00b7 ".join(facts))]
        if j.promise is not None:
            card.append(esc(f"\u201c{diagram.text_of(j.promise.text.text)}\u201d"))
        jf = self.findings("journey", j)
        if jf:
            card.append(_finding_line(jf))
        # A subgraph's title is one line of bold text (Mermaid lets a longer
        # title run into the subgraph's content); the rest goes on a card.
        self.emit(1, f'subgraph {jid}["{_bold(esc(diagram.title_of(j)))}"]')
        self.emit(2, "direction TB")
        # Stages are declared last to first: Mermaid's layout breaks the cycle
        # a loop-back makes at the stage it meets first, and it meets them in
        # reverse order of declaration. So the loop-back is the edge drawn
        # against the flow, and the journey reads top to bottom.
        self.emit(2, "%% stages are listed last to first so that Mermaid lays them out first to last")
        self.emit(2, f'{jid}c["{"<br/>".join(card)}"]')
        self.mark(f"{jid}c", "card")
        anchors = {s.id.text: self.ids[s.span] for s in j.stages}
        for s in reversed(j.stages):
            self.stage(j, s, anchors[s.id.text])
        self.emit(1, "end")
        self.styles.append(f"style {jid} fill:#ffffff,stroke:"
                           f"{diagram.SEVERITY_STYLE[diagram.worst(jf)][0] if jf else '#cbd5e1'},"
                           f"stroke-width:{'4px' if jf else '1px'},color:#0f172a")
        for s in j.stages:
            for tr in s.transitions:
                a, b = anchors[s.id.text], anchors[tr.to.text]
                label = diagram.text_of(tr.label)
                if tr.loop_back:
                    text = "\u21ba loop-back" + (f": {label}" if label else "")
                    self.emit(1, f'{a} -.->|"{_bold(esc(text))}"| {b}')
                    self.loop_links.append(self.links)
                elif label:
                    self.emit(1, f'{a} -->|"{esc(label)}"| {b}')
                else:
                    self.emit(1, f"{a} --> {b}")
                self.links += 1

    def stage(self, j: Journey, s: Stage, sid: str) -> None:
        comp = self.comp
        name, _, _ = diagram.PHASE_STYLE.get(s.phase, diagram.PHASE_STYLE[None])
        self.emit(2, f'subgraph {sid}["{_bold(esc(diagram.title_of(s)))}"]')
        self.emit(3, "direction TB")
        phase = name.upper() + (" (inferred)" if s.phase_inferred else "")
        if s.id.text in j.entries:
            phase = "\u25b6 entry \u00b7 " + phase
        owner = diagram.owner_title(comp, s.owner)
        card = [_bold(esc(phase)), esc(f"owner: {owner}" if owner else "owner: none")]
        for use in diagram.kpi_uses(comp, s.measures):
            card.append(esc(f"\u25c6 {use.text()}"))
            kf = self.placed.of_kpi(use.kpi_id) if self.placed else []
            if kf:
                card.append(_finding_line(kf))
        if not s.measures:
            card.append(esc("no KPI"))
        sf = self.findings("stage", s)
        if sf:
            card.append(_finding_line(sf))
        self.emit(3, f'{sid}c["{"<br/>".join(card)}"]')
        self.mark(f"{sid}c", "card")
        for t in s.touchpoints:
            self.touchpoint(t)
        self.emit(2, "end")
        self.mark(sid, s.phase if s.phase in diagram.PHASE_ORDER else "card")
        if sf:
            self.mark(sid, diagram.worst(sf))
            self.mark(f"{sid}c", diagram.worst(sf))

    def touchpoint(self, t: Touchpoint) -> None:
        comp = self.comp
        tid = self.tp_ids[t.span]
        label = [_bold(esc(diagram.title_of(t)))]
        label.append(esc(" \u00b7 ".join([diagram.channel_title(comp, t) or "no channel",
                                          diagram.AREA_TITLES.get(t.area, "no area")])))
        if not t.customer_facing:
            label.append(esc(f"\u25cc {t.layer}: not seen by customers"))
        pain = diagram.is_pain_point(t)
        if pain:
            label.append(_bold(esc(f"\u2639 pain point (score {diagram.score_text(t)})")))
        elif t.score is not None:
            label.append(esc(f"score {diagram.score_text(t)}/5"))
        if t.recovery:
            label.append(_bold(esc("\u271a recovery")))
        for use in diagram.kpi_uses(comp, t.measures):
            label.append(esc(f"\u25c6 {use.text()}"))
        tf = self.findings("touchpoint", t)
        if tf:
            label.append(_finding_line(tf))
        self.emit(3, f'{tid}["{"<br/>".join(label)}"]')
        self.mark(tid, "recovery" if t.recovery else "pain" if pain else "tp")
        if t.recovery and pain:
            self.styles.append(f"style {tid} fill:{diagram.PAIN_FILL}")
        if not t.customer_facing:
            self.mark(tid, "hidden")
        if tf:
            self.mark(tid, diagram.worst(tf))

    def legend(self) -> None:
        self.emit(1, 'subgraph legend["Legend"]')
        self.emit(2, "direction LR")
        items = [(phase, diagram.PHASE_STYLE[phase][0]) for phase in diagram.PHASE_ORDER]
        items += [("pain", "\u2639 pain point (score 1\u20132)"), ("recovery", "\u271a recovery"),
                  ("tp", "\u21ba loop-back: dotted purple link"),
                  ("hidden", "\u25cc backstage or support: not seen by customers")]
        if self.placed is not None:
            items += [(sev, f"{sign} {sev}") for sev, (_, sign) in diagram.SEVERITY_STYLE.items()]
        for i, (cls, text) in enumerate(items, start=1):
            self.emit(2, f'legend{i}["{esc(text)}"]')
            self.mark(f"legend{i}", cls)
        self.emit(1, "end")
        self.styles.append("style legend fill:#ffffff,stroke:#e2e8f0,color:#475569")


def to_flowchart(comp: Compilation, diagnostics=None) -> str:
    """A Mermaid flowchart of the compilation; with `diagnostics`, stages,
    touchpoints and journeys with lint findings get a border in their worst
    severity's colour and their codes (`--annotate`)."""
    placed = diagram.place_findings(comp, diagnostics) if diagnostics is not None else None
    return _Flowchart(comp, placed).build()


UNSCORED = " (not scored)"
NO_TOUCHPOINTS = "No touchpoints" + UNSCORED
NEUTRAL = "3"  # where Mermaid draws a task without a score of its own: it needs a number
ACTORS_NOTE = "%% Actors: the touchpoints' audience (personas); owners are in the flowchart (--format mermaid)."
UNSCORED_NOTE = (f'%% Tasks marked "{UNSCORED.strip()}" have no score in the spec; Mermaid needs one, so they stand '
                 f"at the neutral {NEUTRAL}.")


def _score(t: Touchpoint) -> str:
    v = t.score.value
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def to_journey(comp: Compilation) -> str:
    """Mermaid's `journey` diagram: a section per stage, a task per
    touchpoint with its score and its actors (its audience). A touchpoint
    without a score is marked "(not scored)" (Mermaid draws every task at a
    score: it stands at the neutral 3), and a stage without touchpoints gets
    a placeholder task, so that Mermaid draws its section; a comment says
    so, and that the actors are the audience. Several journeys share one diagram: their sections are prefixed with
    the journey's title."""
    def line(text: str) -> str:
        return esc(text, journey=True)

    several = len(comp.journeys) > 1
    title = " \u00b7 ".join(diagram.title_of(j) for j in comp.journeys)
    if not comp.journeys:  # a catalogue compiled alone: an empty diagram, still a valid one
        title = f"No journey in {comp.root.replace(chr(92), '/').rsplit('/', 1)[-1]}"
    out = ["journey", f"    {ACTORS_NOTE}", f"    title {line(title)}"]
    unscored = False
    for j in comp.journeys:
        for s in j.stages:
            section = f"{diagram.title_of(j)} \u203a {diagram.title_of(s)}" if several else diagram.title_of(s)
            out.append(f"    section {line(section)}")
            if not s.touchpoints:
                out.append(f"        {line(NO_TOUCHPOINTS)}: {NEUTRAL}")
                unscored = True
            for t in s.touchpoints:
                actors = list(dict.fromkeys(diagram.persona_title(comp, a.text) for a in t.audience))
                if t.score is None:
                    task = f"        {line(diagram.title_of(t) + UNSCORED)}: {NEUTRAL}"
                    unscored = True
                else:
                    task = f"        {line(diagram.title_of(t))}: {_score(t)}"
                if actors:
                    task += ": " + ", ".join(line(a) for a in actors)
                out.append(task)
    if unscored:
        out.insert(2, f"    {UNSCORED_NOTE}")
    return "\n".join(out) + "\n"

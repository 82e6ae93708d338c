"""Graphviz: a resolved Compilation -> DOT text, and DOT -> SVG, PNG, PDF
through Graphviz's `dot` program.

The drawing, left to right: one cluster per journey; inside it one cluster
per stage (title, phase, owner, KPIs with targets), coloured by phase;
touchpoints as nodes inside their stage (title, channel, area), pain points
(score 1-2) and recovery touchpoints drawn distinctly; transitions as
labelled edges, loop-backs dashed, purple and marked; a legend below.

Safety: node and cluster ids are generated (`j1`, `s1`, `t1`); user text
goes only into HTML-like labels, escaped (`&`, `<`, `>`, `"`), cleaned of
control characters, with newlines as `<BR/>`. Nothing from user text becomes
an attribute other than a label, so no URL, link or tooltip can come from it.
The same compilation always gives the same bytes.

`graphviz` (the Python package) is imported inside `to_dot`, so that the
CLI does not pay for it unless a diagram is asked for."""
from __future__ import annotations

import os
import shutil
import subprocess

from ..errors import JourneycError, TooDense  # noqa: F401  (TooDense: imported from here too)
from ..model import Compilation, Journey, Stage, Touchpoint
from . import diagram as d

FONT = "Helvetica,Arial,sans-serif"

# Bounded layout (issue 17). Graphviz's layout of clusters with many crossing
# edges grows much faster than the graph: 40 stages with 6 links each took
# 5 s, 80 stages with 12 links each 123 s. Above BIG stages or transitions
# the layout is bounded (few network-simplex and crossing-minimisation
# passes, straight edges): 40 x 6 then takes 0.4 s, 300 x 1 2.6 s instead of
# more than a minute. Above MAX_STAGES or MAX_TRANSITIONS a picture is no
# longer readable: journeyc says so and points to a smaller view instead of
# drawing. Every layout runs under a time limit (--layout-timeout).
BIG = 40
MAX_STAGES = 200
MAX_TRANSITIONS = 300
BOUNDED_LAYOUT = {"nslimit": "2", "nslimit1": "2", "mclimit": "0.3", "searchsize": "10", "splines": "line"}
LAYOUT_TIMEOUT = 25.0  # seconds; --layout-timeout changes it
SMALLER_VIEWS = ("see it as text with --format mermaid-journey (its stages and touchpoints) or --format dot, "
                 "or in `journeyc report` (its stages in a table)")


def size_of(journeys) -> tuple[int, int]:
    """How many stages and transitions a diagram of `journeys` draws."""
    stages = sum(len(j.stages) for j in journeys)
    return stages, sum(len(s.transitions) for j in journeys for s in j.stages)


def check_drawable(journeys) -> None:
    """TooDense when a picture of `journeys` would be unreadable."""
    stages, transitions = size_of(journeys)
    if stages > MAX_STAGES or transitions > MAX_TRANSITIONS:
        raise TooDense(f"the diagram would hold {stages} stages and {transitions} transitions: too dense to draw "
                       f"readably (at most {MAX_STAGES} stages and {MAX_TRANSITIONS} transitions are drawn); "
                       f"{SMALLER_VIEWS}")

# A journey of many stages wraps onto several rows of this many stages, so
# the drawing stays under about 1,600 px wide; Graphviz scales anything
# wider than a 1,400 px page down (`size`, in inches; a point is 4/3 px).
STAGES_PER_ROW = 4
MAX_SIZE = "13.5,200"
RENDERED = ("svg", "png", "pdf")
INSTALL = ("install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`; "
           "others: https://graphviz.org/download/)")
INSTALL_HINT = "Graphviz's `dot` program is needed for --format {fmt} and was not found on PATH: " + INSTALL
REPORT_WITHOUT_DOT = ("report: Graphviz's `dot` program was not found on PATH, so the report was written without "
                      "its diagrams: " + INSTALL + " and run `journeyc report` again to draw them")


def esc(text: str | None) -> str:
    """User text for an HTML-like label: cleaned and entity-escaped, with
    newlines as line breaks."""
    text = d.clean(text)
    # Graphviz expands `\N`, `\G`, `\L`... even in HTML-like labels (after
    # entities are decoded): a doubled backslash is one literal backslash.
    text = text.replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    # Graphviz's HTML lexer rejects a text that is only `]` (or `]]`): an entity is always safe
    text = text.replace("]", "&#93;")
    # a newline becomes a left-aligned line break
    return text.replace("\n", '<BR ALIGN="LEFT"/>')


def _lines(lines: list[str], size: int | None = None, colour: str | None = None, bold: bool = False) -> str:
    """Rows of a label table, each line already escaped."""
    out = []
    for line in lines:
        cell = line or "&#160;"  # an empty <B></B> or <FONT></FONT> is a syntax error to Graphviz
        if bold:
            cell = f"<B>{cell}</B>"
        attrs = ""
        if size is not None:
            attrs += f' POINT-SIZE="{size}"'
        if colour is not None:
            attrs += f' COLOR="{colour}"'
        if attrs:
            cell = f"<FONT{attrs}>{cell}</FONT>"
        out.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{cell}</TD></TR>')
    return "".join(out)


def _table(rows: str) -> str:
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>'


def _finding_rows(findings, width: int = 44) -> str:
    if not findings:
        return ""
    sev = d.worst(findings)
    colour, sign = d.SEVERITY_STYLE.get(sev, d.SEVERITY_STYLE["warning"])
    text = f"{sign} {d.codes_text(findings)}"
    return _lines([esc(line) for line in d.wrap(text, width)], size=10, colour=colour, bold=True)


class _Builder(d.DiagramBuilder):
    def __init__(self, comp: Compilation, placed: d.Placed | None, journeys=None):
        import graphviz

        self.comp = comp
        self.journeys = tuple(comp.journeys if journeys is None else journeys)
        super().__init__(placed)
        self.g = graphviz.Digraph("journeyc", format="dot")
        self.ids: dict = {}

    # -- labels ---------------------------------------------------------------
    def journey_label(self, j: Journey) -> str:
        comp = self.comp
        facts = [j.model]
        if j.business:
            facts.append(j.business)
        owner = d.owner_title(comp, j.owner)
        if owner:
            facts.append(f"owner: {owner}")
        rows = _lines([esc(line) for line in d.wrap(d.title_of(j), 60)], size=18, bold=True)
        rows += _lines([esc(" \u00b7 ".join(facts))], size=11, colour="#475569")
        if j.promise is not None:
            promise = f"\u201c{d.text_of(j.promise.text.text)}\u201d"
            rows += _lines([esc(line) for line in d.wrap(promise, 70)], size=11, colour="#334155")
        rows += _finding_rows(self.findings("journey", j), 70)
        return _table(rows)

    def stage_label(self, j: Journey, s: Stage) -> str:
        comp = self.comp
        name, _, colour = d.PHASE_STYLE.get(s.phase, d.PHASE_STYLE[None])
        rows = _lines([esc(line) for line in d.wrap(d.title_of(s), 32)], size=14, bold=True)
        phase = name.upper() + (" (inferred)" if s.phase_inferred else "")
        if s.id.text in j.entries:
            phase = "\u25b6 entry \u00b7 " + phase
        rows += _lines([esc(phase)], size=9, colour=colour, bold=True)
        owner = d.owner_title(comp, s.owner)
        rows += _lines([esc(f"owner: {owner}" if owner else "owner: none")], size=10, colour="#334155")
        for use in d.kpi_uses(comp, s.measures):
            line = f"\u25c6 {use.text()}"
            kf = self.placed.of_kpi(use.kpi_id) if self.placed else []
            rows += _lines([esc(x) for x in d.wrap(line, 40)], size=10, colour="#0f172a")
            if kf:
                rows += _finding_rows(kf)
        if not s.measures:
            rows += _lines([esc("no KPI")], size=10, colour="#64748b")
        rows += _finding_rows(self.findings("stage", s))
        return _table(rows)

    def touchpoint_label(self, t: Touchpoint, s: Stage | None = None) -> str:
        comp = self.comp
        rows = _lines([esc(line) for line in d.wrap(d.title_of(t), 30)], size=11, bold=True)
        facts = [d.channel_title(comp, t) or "no channel", d.AREA_TITLES.get(t.area, "no area")]
        rows += _lines([esc(" \u00b7 ".join(facts))], size=9, colour="#475569")
        if not t.customer_facing:
            rows += _lines([esc(f"\u25cc {t.layer} (not seen by customers)")], size=9, colour="#475569", bold=True)
        if s is not None and t.owner != s.owner and t.owner is not None:
            rows += _lines([esc(x) for x in d.wrap(f"owner: {d.owner_title(comp, t.owner)}", 36)], size=9,
                           colour="#334155")
        if t.audience:
            who = ", ".join(d.persona_title(comp, a.text) for a in t.audience)
            rows += _lines([esc(x) for x in d.wrap(f"for: {who}", 36)], size=9, colour="#334155")
        marks = []
        if d.is_pain_point(t):
            marks.append((f"\u2639 pain point (score {d.score_text(t)})", d.PAIN_LINE))
        elif t.score is not None:
            marks.append((f"score {d.score_text(t)}/5", "#475569"))
        if t.recovery:
            marks.append(("\u271a recovery", d.RECOVERY_LINE))
        for text, colour in marks:
            rows += _lines([esc(text)], size=9, colour=colour, bold=True)
        for use in d.kpi_uses(comp, t.measures):
            rows += _lines([esc(x) for x in d.wrap(f"\u25c6 {use.text()}", 36)], size=9, colour="#0f172a")
        rows += _finding_rows(self.findings("touchpoint", t), 36)
        return _table(rows)

    # -- graph ----------------------------------------------------------------
    def build(self):
        g = self.g
        g.attr("graph", rankdir="LR", compound="true", newrank="true", fontname=FONT, nodesep="0.18",
               ranksep="0.5", pad="0.3", bgcolor="white", labelloc="t", labeljust="l", margin="0",
               size=MAX_SIZE)
        if max(size_of(self.journeys)) > BIG:
            g.attr("graph", **BOUNDED_LAYOUT)
        g.attr("node", shape="box", style="rounded,filled", fillcolor="white", color=d.TOUCHPOINT_LINE,
               fontname=FONT, fontsize="11", margin="0.14,0.07", penwidth="1.2")
        g.attr("edge", fontname=FONT, fontsize="10", color=d.EDGE_COLOUR, fontcolor="#334155",
               arrowsize="0.8", penwidth="1.3")
        # ids in source order, whatever the order of emission
        for j in self.journeys:
            self.ids[j.span] = self.new_id("j")
            for s in j.stages:
                self.ids[s.span] = self.new_id("s")
            for s in j.stages:
                for t in s.touchpoints:
                    self.ids[t.span] = self.new_id("t")
        # Graphviz stacks separate clusters of one rank bottom to top (rankdir=LR):
        # emitted last to first, the first journey is drawn at the top
        for j in reversed(self.journeys):
            self.journey(j)
        g.attr(label=self.legend(), labelloc="b", labeljust="l", fontsize="10")
        return g

    def journey(self, j: Journey) -> None:
        jid = self.ids[j.span]
        anchors: dict[str, tuple[str, str]] = {}  # stage id -> (anchor node, cluster name)
        order = {s.id.text: i for i, s in enumerate(j.stages)}
        jf = self.findings("journey", j)
        with self.g.subgraph(name=f"cluster_{jid}") as jc:
            jc.attr(label=self.journey_label(j), style="rounded", labelloc="t", labeljust="l",
                    color=d.SEVERITY_STYLE[d.worst(jf)][0] if jf else "#cbd5e1",
                    penwidth="3" if jf else "1", margin="14", fontname=FONT)
            for s in j.stages:
                anchors[s.id.text] = self.stage(jc, j, s)
        stages = j.stages
        per_row = STAGES_PER_ROW
        row_of = {s.id.text: i // per_row for i, s in enumerate(stages)}
        # source order runs left to right, in rows of `per_row` stages: an
        # invisible chain of the stages of a row, and the stages in the same
        # place of each row share a rank (a column)
        for a, b in zip(stages, stages[1:]):
            if row_of[a.id.text] == row_of[b.id.text]:
                self.g.edge(anchors[a.id.text][0], anchors[b.id.text][0], style="invis", weight="4")
        if len(stages) > per_row:
            for col in range(per_row):
                with self.g.subgraph() as column:
                    column.attr(rank="same")
                    for s in stages[col::per_row]:
                        column.node(anchors[s.id.text][0])
            # each row under the one before: the first stages of the rows, chained
            firsts = stages[::per_row]
            for a, b in zip(firsts, firsts[1:]):
                self.g.edge(anchors[a.id.text][0], anchors[b.id.text][0], style="invis", weight="0",
                            constraint="false")
        for s in stages:
            na, ca = anchors[s.id.text]
            for tr in s.transitions:
                nb, cb = anchors[tr.to.text]
                attrs = {}
                label = d.text_of(tr.label)
                if tr.loop_back:
                    text = f"\u21ba loop-back: {label}" if label else "\u21ba loop-back"
                    attrs.update(style="dashed", color=d.LOOP_COLOUR, fontcolor=d.LOOP_COLOUR, penwidth="2.4",
                                 label=_table(_lines([esc(x) for x in d.wrap(text, 30)], bold=True)))
                elif label:
                    attrs["label"] = _table(_lines([esc(x) for x in d.wrap(label, 30)]))
                if row_of[s.id.text] != row_of[tr.to.text]:
                    # from one row to another: drawn, but the rows keep their places
                    attrs["constraint"] = "false"
                if na == nb:
                    self.g.edge(na, nb, **attrs)
                elif order[tr.to.text] < order[s.id.text]:
                    # against source order (a loop-back, a step back): laid out as
                    # a forward edge and drawn with its arrowhead at the tail
                    self.g.edge(nb, na, ltail=cb, lhead=ca, dir="back", **attrs)
                else:
                    self.g.edge(na, nb, ltail=ca, lhead=cb, **attrs)

    def stage(self, jc, j: Journey, s: Stage) -> tuple[str, str]:
        sid = self.ids[s.span]
        cluster = f"cluster_{sid}"
        _, fill, line = d.PHASE_STYLE.get(s.phase, d.PHASE_STYLE[None])
        sf = self.findings("stage", s)
        with jc.subgraph(name=cluster) as c:
            c.attr(label=self.stage_label(j, s), style="rounded,filled", fillcolor=fill, labelloc="t",
                   labeljust="l", color=d.SEVERITY_STYLE[d.worst(sf)][0] if sf else line,
                   penwidth="3.5" if sf else "1.6", margin="12", fontname=FONT)
            with c.subgraph() as column:
                column.attr(rank="same")
                column.node(sid, label="", shape="point", style="invis", width="0", height="0")
                for t in s.touchpoints:
                    self.touchpoint(column, t, s)
        return sid, cluster

    def touchpoint(self, c, t: Touchpoint, s: Stage | None = None) -> None:
        tid = self.ids[t.span]
        attrs = {}
        if not t.customer_facing:
            attrs.update(style="rounded,filled,dashed", fillcolor="#f1f5f9")
        pain = d.is_pain_point(t)
        if pain:
            attrs.update(fillcolor=d.PAIN_FILL, color=d.PAIN_LINE, penwidth="2")
        if t.recovery:
            attrs.update(color=d.RECOVERY_LINE, penwidth="2", peripheries="2", style="filled")
            if not pain:
                attrs["fillcolor"] = d.RECOVERY_FILL
        tf = self.findings("touchpoint", t)
        if tf:
            attrs.update(color=d.SEVERITY_STYLE[d.worst(tf)][0], penwidth="3.5")
        c.node(tid, label=self.touchpoint_label(t, s), **attrs)

    def legend(self) -> str:
        cells = []
        for phase in d.PHASE_ORDER:
            name, fill, line = d.PHASE_STYLE[phase]
            cells.append(f'<TD BGCOLOR="{fill}" COLOR="{line}" BORDER="1"><FONT COLOR="{line}"><B>{name}</B></FONT></TD>')
        cells.append(f'<TD BGCOLOR="{d.PAIN_FILL}" COLOR="{d.PAIN_LINE}" BORDER="1">'
                     f'<FONT COLOR="{d.PAIN_LINE}">\u2639 pain point (score 1\u20132)</FONT></TD>')
        cells.append(f'<TD BGCOLOR="{d.RECOVERY_FILL}" COLOR="{d.RECOVERY_LINE}" BORDER="2">'
                     f'<FONT COLOR="{d.RECOVERY_LINE}">\u271a recovery</FONT></TD>')
        cells.append(f'<TD><FONT COLOR="{d.LOOP_COLOUR}"><B>- - \u25b6 \u21ba loop-back</B></FONT></TD>')
        cells.append('<TD><FONT COLOR="#475569">\u2500\u25b6 transition</FONT></TD>')
        cells.append('<TD><FONT COLOR="#0f172a">\u25c6 KPI measured, with its target</FONT></TD>')
        cells.append('<TD><FONT COLOR="#475569">(inferred): phase taken from the stage\'s place</FONT></TD>')
        cells.append('<TD><FONT COLOR="#475569">\u25b6 entry stage</FONT></TD>')
        cells.append('<TD STYLE="dashed" BORDER="1" COLOR="#94a3b8" BGCOLOR="#f1f5f9">'
                     '<FONT COLOR="#475569">\u25cc backstage or support</FONT></TD>')
        if self.placed is not None:
            for sev in ("error", "warning", "info"):
                colour, sign = d.SEVERITY_STYLE[sev]
                cells.append(f'<TD COLOR="{colour}" BORDER="2"><FONT COLOR="{colour}">{sign} {sev}</FONT></TD>')
        return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="6" CELLPADDING="4"><TR>'
                '<TD><FONT COLOR="#475569"><B>Legend</B></FONT></TD>' + "".join(cells) + "</TR></TABLE>>")


def to_dot(comp: Compilation, diagnostics=None, journeys=None) -> str:
    """The DOT text of a compilation (or of some of its `journeys`). With
    `diagnostics` (lint findings of the run), stages, touchpoints and
    journeys with findings get a border in the colour of their worst
    severity and their codes (`--annotate`)."""
    placed = d.place_findings(comp, diagnostics) if diagnostics is not None else None
    return _Builder(comp, placed, journeys).build().source


def has_dot() -> bool:
    return shutil.which("dot") is not None


def find_dot(fmt: str) -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise JourneycError(INSTALL_HINT.format(fmt=fmt))
    return exe


def draw(comp: Compilation, fmt: str, diagnostics=None, journeys=None, timeout: float | None = None) -> bytes:
    """A compilation (or some of its `journeys`) drawn in `fmt` (svg, png,
    pdf): TooDense, before any work, when the picture would be unreadable,
    or when the layout takes more than `timeout` seconds."""
    shown = tuple(comp.journeys if journeys is None else journeys)
    try:
        check_drawable(shown)
        return render(to_dot(comp, diagnostics, shown), fmt, timeout, size_of(shown))
    except TooDense as e:
        names = ", ".join(f"'{j.id.text}'" for j in shown)
        raise TooDense(f"{comp.root}: journey{'s' if len(shown) != 1 else ''} {names}: {e}") from None


def render(source: str, fmt: str, timeout: float | None = None, size: tuple[int, int] | None = None) -> bytes:
    """DOT text -> `fmt` (svg, png, pdf) with Graphviz's `dot`, in at most
    `timeout` seconds (LAYOUT_TIMEOUT by default). Missing `dot`, `dot`
    failing or running out of time is a JourneycError (one line, exit 2)."""
    if fmt not in RENDERED:
        raise ValueError(fmt)
    exe = find_dot(fmt)
    env = dict(os.environ)
    env.pop("GVBINDIR", None)
    timeout = LAYOUT_TIMEOUT if timeout is None else timeout
    try:
        proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        what = f" of {size[0]} stages and {size[1]} transitions" if size else ""
        raise TooDense(f"Graphviz's dot did not finish the layout{what} within {timeout:g} s: give it more time "
                       f"with --layout-timeout SECONDS, or {SMALLER_VIEWS}") from None
    except OSError as e:
        raise JourneycError(f"cannot run Graphviz's dot ({exe}): {e.strerror or e}") from None
    if proc.returncode != 0 or not proc.stdout:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise JourneycError(f"Graphviz's dot failed to render {fmt}"
                            + (f": {detail[0]}" if detail else f" (exit status {proc.returncode})"))
    return proc.stdout

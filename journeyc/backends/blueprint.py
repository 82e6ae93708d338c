"""The service blueprint view (`compile --view blueprint`): a resolved
Compilation -> DOT text (rendered to SVG, PNG and PDF by journeyc.backends.dot).

One grid per journey, top to bottom: columns are stages (source order; more
than five wrap onto another band of columns below, as a printed blueprint
goes on to the next page); rows
are the stage (title, phase, goal), the customer's actions and thoughts, the
frontstage touchpoints, the line of visibility, then backstage and support
touchpoints. Pain points (score 1-2) and recovery touchpoints are marked as
in the flow view; each `recovers` is drawn as an edge from the recovery to
the pain point it answers.

The grid is a lattice of plain nodes: one row per rank (`rank=same`, chained
left to right by invisible edges), one column per stage (chained top to
bottom by heavy invisible edges), each cell an HTML-like table of fixed width
whose touchpoints are ports, so a `recovers` edge joins two touchpoints.

Safety as in journeyc.backends.dot: ids are generated, user text goes only
into escaped HTML-like labels. The same compilation gives the same bytes."""
from __future__ import annotations

from ..model import Compilation, Journey, Stage, Touchpoint
from . import diagram
from .dot import FONT, _lines, _table, esc

CELL_WIDTH = 210  # points: every cell of a column has this width, so columns line up
STAGES_PER_BAND = 5  # more stages wrap onto another band of columns, under the first
LABEL_WIDTH = 120
ROWS = ("stage", "actions", "frontstage", "visibility", "backstage", "support")
ROW_TITLES = {"stage": "Stage", "actions": "Customer actions", "frontstage": "Frontstage",
              "visibility": "Line of visibility", "backstage": "Backstage", "support": "Support"}
ROW_FILL = {"actions": "#f8fafc", "frontstage": "#ffffff", "backstage": "#f1f5f9", "support": "#e2e8f0"}
# Fit a page 1,400 px wide (a point is 4/3 px): Graphviz scales a wider drawing down.
MAX_SIZE = "13.5,200"


def _cell(rows: str, fill: str, width: int = CELL_WIDTH, border: str = "#cbd5e1") -> str:
    return (f'<<TABLE BORDER="1" COLOR="{border}" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" '
            f'BGCOLOR="{fill}" WIDTH="{width}" FIXEDSIZE="FALSE">{rows or "<TR><TD> </TD></TR>"}</TABLE>>')


class _Blueprint:
    def __init__(self, comp: Compilation, journeys=None):
        import graphviz

        self.comp = comp
        self.journeys = tuple(comp.journeys if journeys is None else journeys)
        self.g = graphviz.Digraph("blueprint", format="dot")
        self.counter = 0

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # -- cells ------------------------------------------------------------------
    def stage_cell(self, j: Journey, s: Stage) -> str:
        name, fill, colour = diagram.PHASE_STYLE.get(s.phase, diagram.PHASE_STYLE[None])
        rows = _lines([esc(x) for x in diagram.wrap(diagram.title_of(s), 30)], size=13, bold=True)
        rows += _lines([esc(name.upper() + (" (inferred)" if s.phase_inferred else ""))], size=9, colour=colour,
                       bold=True)
        owner = diagram.owner_title(self.comp, s.owner)
        rows += _lines([esc(f"owner: {owner}" if owner else "owner: none")], size=9, colour="#334155")
        goal = diagram.text_of(s.goal)
        if goal:
            rows += _lines([esc(x) for x in diagram.wrap(f"\u2691 goal: {goal}", 34)], size=10, colour="#0f172a")
        if s.evidence:
            rows += _lines([esc(f"evidence: {len(s.evidence)} source{'s' if len(s.evidence) > 1 else ''}")],
                           size=9, colour="#475569")
        return _cell(rows, fill, border=colour)

    def actions_cell(self, s: Stage) -> str:
        rows = ""
        for t in s.touchpoints:
            if not t.customer_facing:
                continue
            action, thought = diagram.text_of(t.action), diagram.text_of(t.thought)
            if action:
                rows += _lines([esc(x) for x in diagram.wrap(f"\u25b8 {action}", 34)], size=10, colour="#0f172a")
            if thought:
                rows += _lines([esc(x) for x in diagram.wrap(f"\u201c{thought}\u201d", 34)], size=9, colour="#475569")
        return _cell(rows, ROW_FILL["actions"])

    def touchpoint_rows(self, t: Touchpoint, port: str) -> str:
        pain, recovery = diagram.is_pain_point(t), t.recovery
        fill = diagram.PAIN_FILL if pain else diagram.RECOVERY_FILL if recovery else "#ffffff"
        line = diagram.PAIN_LINE if pain else diagram.RECOVERY_LINE if recovery else diagram.TOUCHPOINT_LINE
        inner = _lines([esc(x) for x in diagram.wrap(diagram.title_of(t), 30)], size=10, bold=True)
        facts = [diagram.channel_title(self.comp, t) or "no channel"]
        owner = diagram.owner_title(self.comp, t.owner)
        if owner and not t.owner_inherited:
            facts.append(f"owner: {owner}")
        inner += _lines([esc(x) for x in diagram.wrap(" \u00b7 ".join(facts), 36)], size=8, colour="#475569")
        if pain:
            inner += _lines([esc(f"\u2639 pain point (score {diagram.score_text(t)})")], size=8, colour=diagram.PAIN_LINE,
                            bold=True)
        elif t.score is not None:
            inner += _lines([esc(f"score {diagram.score_text(t)}/5")], size=8, colour="#475569")
        if recovery:
            inner += _lines([esc("\u271a recovery")], size=8, colour=diagram.RECOVERY_LINE, bold=True)
        table = (f'<TABLE BORDER="{2 if pain or recovery else 1}" COLOR="{line}" CELLBORDER="0" CELLSPACING="0" '
                 f'CELLPADDING="2" BGCOLOR="{fill}" STYLE="rounded" WIDTH="{CELL_WIDTH - 14}">{inner}</TABLE>')
        return f'<TR><TD PORT="{port}">{table}</TD></TR>'

    def layer_cell(self, s: Stage, layer: str, ports: dict) -> str:
        rows = ""
        for t in s.touchpoints:
            if t.layer == layer:
                rows += self.touchpoint_rows(t, ports[t.span][1])
        return _cell(rows, ROW_FILL[layer])

    # -- the grid ---------------------------------------------------------------
    def journey(self, j: Journey) -> str:
        """Draws the journey's grid, in bands of STAGES_PER_BAND stage columns
        one under the other; returns its first node."""
        g = self.g
        title = diagram.title_of(j) + (" \u00b7 future state" if j.state == "future" else "")
        head = self.new_id("h")
        g.node(head, label=_table(_lines([esc(x) for x in diagram.wrap(f"Service blueprint: {title}", 80)],
                                         size=16, bold=True)), shape="plain")
        ports: dict = {}  # touchpoint span -> (cell node, port)
        above = head
        for start in range(0, len(j.stages), STAGES_PER_BAND):
            above = self.band(j, j.stages[start:start + STAGES_PER_BAND], above, ports)
        # recovers: recovery -> the pain point it answers
        spans = {t.id.text: t.span for s in j.stages for t in s.touchpoints}
        for s in j.stages:
            for t in s.touchpoints:
                for r in t.recovers:
                    target = spans.get(r.text)
                    if target is None:
                        continue
                    (na, pa), (nb, pb) = ports[t.span], ports[target]
                    side = ":w" if na == nb else ""  # within one cell: along its left side
                    g.edge(f"{na}:{pa}{side}", f"{nb}:{pb}{side}", constraint="false", color=diagram.RECOVERY_LINE,
                           fontcolor=diagram.RECOVERY_LINE, style="bold", xlabel="recovers")
        return head

    def band(self, j: Journey, stages, above: str, ports: dict) -> str:
        """One band of stage columns under the node `above`; returns its last
        row's title node."""
        g = self.g
        cells: dict[tuple[str, int], str] = {}  # (row, column) -> node id; column 0 holds the row titles
        for row in ROWS:
            cells[(row, 0)] = self.new_id("r")
        for c, s in enumerate(stages, start=1):
            for row in ROWS:
                cells[(row, c)] = self.new_id("c")
            for t in s.touchpoints:
                ports[t.span] = (cells[(t.layer, c)], self.new_id("p"))
        for row in ROWS:
            with g.subgraph() as rank:
                rank.attr(rank="same")
                for c in range(len(stages) + 1):
                    node = cells[(row, c)]
                    if c == 0:
                        label = _table(_lines([esc(ROW_TITLES[row])], size=10, colour="#334155", bold=True))
                        rank.node(node, label=label, shape="plain", width=str(LABEL_WIDTH / 72))
                        continue
                    s = stages[c - 1]
                    if row == "stage":
                        label = self.stage_cell(j, s)
                    elif row == "actions":
                        label = self.actions_cell(s)
                    elif row == "visibility":
                        label = _table(_lines([esc("\u2504" * 24)], size=10, colour="#64748b"))
                    else:
                        label = self.layer_cell(s, row, ports)
                    rank.node(node, label=label, shape="plain")
            for c in range(len(stages)):
                g.edge(cells[(row, c)], cells[(row, c + 1)], style="invis", weight="2")
        g.edge(above, cells[(ROWS[0], 0)], style="invis", weight="50")
        for c in range(len(stages) + 1):
            for upper, lower in zip(ROWS, ROWS[1:]):
                g.edge(cells[(upper, c)], cells[(lower, c)], style="invis", weight="50")
        return cells[(ROWS[-1], 0)]

    def legend(self) -> str:
        cells = [
            f'<TD BGCOLOR="{diagram.PAIN_FILL}" COLOR="{diagram.PAIN_LINE}" BORDER="2"><FONT COLOR="{diagram.PAIN_LINE}">'
            "\u2639 pain point (score 1\u20132)</FONT></TD>",
            f'<TD BGCOLOR="{diagram.RECOVERY_FILL}" COLOR="{diagram.RECOVERY_LINE}" BORDER="2"><FONT COLOR="{diagram.RECOVERY_LINE}">'
            "\u271a recovery</FONT></TD>",
            f'<TD><FONT COLOR="{diagram.RECOVERY_LINE}"><B>\u2500\u25b6 recovers</B></FONT> (recovery \u2192 pain point)</TD>',
            "<TD>\u25b8 customer action \u00b7 \u201cthought\u201d \u00b7 \u2691 stage goal</TD>",
            "<TD>\u2504 line of visibility: below it, what customers do not see</TD>",
        ]
        return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="6" CELLPADDING="4"><TR>'
                '<TD><FONT COLOR="#475569"><B>Legend</B></FONT></TD>' + "".join(cells) + "</TR></TABLE>>")

    def build(self):
        g = self.g
        g.attr("graph", rankdir="TB", fontname=FONT, nodesep="0.12", ranksep="0.12", pad="0.3",
               bgcolor="white", newrank="true", size=MAX_SIZE)
        g.attr("node", fontname=FONT, fontsize="10")
        g.attr("edge", fontname=FONT, fontsize="9", arrowsize="0.8", penwidth="1.6")
        for j in self.journeys:
            self.journey(j)
        g.attr(label=self.legend(), labelloc="b", labeljust="l", fontsize="10")
        return g


def to_dot(comp: Compilation, journeys=None) -> str:
    """The DOT text of the service blueprint of a compilation's journeys."""
    return _Blueprint(comp, journeys).build().source


def draw(comp: Compilation, fmt: str, journeys=None, timeout: float | None = None) -> bytes:
    """The blueprint of a compilation (or of some of its `journeys`) in
    `fmt` (svg, png, pdf), bounded as the flow view is: dot.TooDense before
    any work when it would be unreadable, or when the layout takes more
    than `timeout` seconds."""
    from . import dot

    shown = tuple(comp.journeys if journeys is None else journeys)
    try:
        dot.check_drawable(shown)
        return dot.render(to_dot(comp, shown), fmt, timeout, dot.size_of(shown))
    except dot.TooDense as e:
        names = ", ".join(f"'{j.id.text}'" for j in shown)
        raise dot.TooDense(f"{comp.root}: blueprint of journey{'s' if len(shown) != 1 else ''} {names}: {e}") from None

"""The emotion curve view (`compile --format svg --view emotion`, and the
report): per journey, an SVG line chart of the scores of its frontstage
touchpoints in journey order, one line per persona (LANGUAGE.md, "Emotion
per persona"; the data is journeyc.backends.diagram.EmotionMap).

Stage bands lie behind the curves; pain points (score 1-2) are marked; an
unscored touchpoint breaks the persona's line (a gap), never a made-up
value. Built directly as SVG text: every user text is cleaned and escaped
(`&`, `<`, `>`, quotes) and only ever becomes element text, never markup or
an attribute; numbers are written with fixed decimals, so the same
compilation gives the same bytes. The chart is at most 1,360 px wide."""
from __future__ import annotations

from ..model import Compilation, Journey
from . import diagram

FONT = "Helvetica,Arial,sans-serif"
# Persona line colours and dash patterns (colour-blind safe, distinct in grey)
PALETTE = ("#2563eb", "#d97706", "#059669", "#9333ea", "#db2777", "#0891b2", "#65a30d", "#475569")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MAX_WIDTH, MIN_WIDTH = 1360, 640
LEFT, RIGHT, TOP = 120, 24, 70
PLOT_HEIGHT = 220
LABEL_SPACE = 120  # below the plot: touchpoint titles, slanted
SLOT_MAX, SLOT_MIN = 96, 28


def esc(text: str) -> str:
    text = diagram.clean(text).replace("\n", " ")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _f(x: float) -> str:
    return f"{x:.1f}"


def _short(text: str, n: int) -> str:
    text = " ".join(diagram.clean(text).split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def journey_svg(comp: Compilation, j: Journey, overlay: tuple = ()) -> str:
    """The emotion chart of one journey. `overlay`: (label, EmotionMap) of
    other states of the same journey (`report --compare`), drawn in the same
    slots where their touchpoint ids match, thinner and dashed."""
    em = diagram.EmotionMap(comp, j)
    slots = em.slots
    n = max(len(slots), 1)
    slot = max(SLOT_MIN, min(SLOT_MAX, (MAX_WIDTH - LEFT - RIGHT) / n))
    width = max(MIN_WIDTH, min(MAX_WIDTH, LEFT + RIGHT + slot * n))
    slot = (width - LEFT - RIGHT) / n
    legend_rows = 1 + (len(em.curves) + len(overlay) * max(1, len(em.curves))) // 4
    height = TOP + PLOT_HEIGHT + LABEL_SPACE + 20 * legend_rows

    def x(k: int) -> float:
        return LEFT + slot * (k + 0.5)

    def y(score: float) -> float:
        return TOP + PLOT_HEIGHT - (score - 1) / 4 * PLOT_HEIGHT

    title = diagram.title_of(j) + (" \u00b7 future state" if j.state == "future" else "")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
           f'viewBox="0 0 {_f(width)} {_f(height)}" font-family="{FONT}" font-size="11" role="img">',
           f"<title>Emotion curve: {esc(title)}</title>",
           f'<rect x="0" y="0" width="{_f(width)}" height="{_f(height)}" fill="white"/>',
           f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold" fill="#0f172a">'
           f"Emotion curve: {esc(_short(title, 90))}</text>"]
    # stage bands
    k = 0
    for i, s in enumerate(j.stages):
        count = sum(1 for stage, _ in slots if stage is s)
        if count == 0:
            continue
        _, fill, line = diagram.PHASE_STYLE.get(s.phase, diagram.PHASE_STYLE[None])
        x0 = LEFT + slot * k
        out.append(f'<rect x="{_f(x0)}" y="{TOP - 24}" width="{_f(slot * count)}" height="{PLOT_HEIGHT + 24}" '
                   f'fill="{fill}" stroke="white" stroke-width="2"/>')
        chars = max(3, int(slot * count / 6.5))
        out.append(f'<text x="{_f(x0 + 6)}" y="{TOP - 9}" font-size="11" font-weight="bold" fill="{line}">'
                   f"{esc(_short(diagram.title_of(s), chars))}</text>")
        k += count
    # the grid: scores 1..5, the pain zone below 2.5
    out.append(f'<rect x="{LEFT}" y="{_f(y(2.5))}" width="{_f(slot * n)}" height="{_f(y(1) - y(2.5))}" '
               f'fill="{diagram.PAIN_FILL}" fill-opacity="0.55"/>')
    for score in range(1, 6):
        out.append(f'<line x1="{LEFT}" y1="{_f(y(score))}" x2="{_f(LEFT + slot * n)}" y2="{_f(y(score))}" '
                   f'stroke="#94a3b8" stroke-width="0.6" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{LEFT - 8}" y="{_f(y(score) + 4)}" text-anchor="end" fill="#334155">{score}</text>')
    ax, ay = LEFT - 34, TOP + PLOT_HEIGHT / 2
    out.append(f'<text x="{ax}" y="{_f(ay)}" fill="#334155" transform="rotate(-90 {ax} {_f(ay)})" '
               'text-anchor="middle">score</text>')
    # touchpoint labels, slanted
    chars = 22
    for k, (s, t) in enumerate(slots):
        lx, ly = x(k), TOP + PLOT_HEIGHT + 12
        pain = diagram.is_pain_point(t)
        label = ("\u2639 " if pain else "") + _short(diagram.title_of(t), chars)
        out.append(f'<text x="{_f(lx)}" y="{_f(ly)}" fill="{diagram.PAIN_LINE if pain else "#334155"}" text-anchor="end" '
                   f'transform="rotate(-40 {_f(lx)} {_f(ly)})">{esc(label)}</text>')
    if not slots:
        out.append(f'<text x="{LEFT + 10}" y="{_f(y(3))}" fill="#64748b">no frontstage touchpoint</text>')
    elif not em.scored:
        out.append(f'<text x="{LEFT + 10}" y="{_f(y(3))}" fill="#64748b">no touchpoint has a score</text>')

    legend = []

    def draw(curve: diagram.Curve, colour: str, dash: str, slot_of, width_px: float, label: str) -> None:
        segments, current = [], []
        for k in sorted(curve.points):
            v = curve.points[k]
            pos = slot_of(k)
            if v is None or pos is None:
                if current:
                    segments.append(current)
                current = []
                continue
            current.append((pos, v))
        if current:
            segments.append(current)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for seg in segments:
            if len(seg) > 1:
                points = " ".join(f"{_f(x(p))},{_f(y(v))}" for p, v in seg)
                out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                           f'stroke-width="{width_px}"{dash_attr} stroke-linejoin="round"/>')
            for p, v in seg:
                r = 5 if v <= 2 else 3.5
                stroke = diagram.PAIN_LINE if v <= 2 else colour
                out.append(f'<circle cx="{_f(x(p))}" cy="{_f(y(v))}" r="{r}" fill="{colour}" stroke="{stroke}" '
                           f'stroke-width="{2 if v <= 2 else 1}"/>')
        legend.append((label, colour, dash, width_px))

    for i, curve in enumerate(em.curves):
        draw(curve, PALETTE[i % len(PALETTE)], DASHES[(i // len(PALETTE)) % len(DASHES)], lambda k: k, 2.5,
             curve.title)
    index = {t.id.text: k for k, (_, t) in enumerate(slots)}
    for name, other in overlay:
        for i, curve in enumerate(other.curves):
            ids = [t.id.text for _, t in other.slots]
            draw(curve, PALETTE[i % len(PALETTE)], "5 4", lambda k, ids=ids: index.get(ids[k]), 1.5,
                 f"{curve.title} ({name})")
    # legend
    ly = TOP + PLOT_HEIGHT + LABEL_SPACE
    lx = LEFT
    for label, colour, dash, width_px in legend + [("\u2639 pain point (score 1\u20132)", diagram.PAIN_LINE, "", 0)]:
        if lx > width - 260:
            lx, ly = LEFT, ly + 20
        if width_px:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_f(lx)}" y1="{_f(ly - 4)}" x2="{_f(lx + 26)}" y2="{_f(ly - 4)}" '
                       f'stroke="{colour}" stroke-width="{width_px}"{dash_attr}/>')
            out.append(f'<text x="{_f(lx + 32)}" y="{_f(ly)}" fill="#0f172a">{esc(_short(label, 34))}</text>')
        else:
            out.append(f'<text x="{_f(lx)}" y="{_f(ly)}" fill="{colour}">{esc(label)}</text>')
        lx += 250
    out.append("</svg>")
    return "\n".join(out) + "\n"


def to_svg(comp: Compilation, journeys=None) -> str:
    """The emotion charts of a compilation's journeys, one under the other,
    as one SVG document."""
    charts = [journey_svg(comp, j) for j in (comp.journeys if journeys is None else journeys)]
    if len(charts) == 1:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + charts[0]
    heights, widths, inner = [], [], []
    y = 0.0
    for c in charts:
        head = c.split(">", 1)[0]
        w = float(head.split('width="', 1)[1].split('"', 1)[0])
        h = float(head.split('height="', 1)[1].split('"', 1)[0])
        inner.append(f'<g transform="translate(0 {_f(y)})">\n{c.split(chr(10), 1)[1].rsplit("</svg>", 1)[0]}</g>')
        widths.append(w)
        heights.append(h)
        y += h + 10
    w = max(widths) if widths else MIN_WIDTH
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(w)}" height="{_f(y)}" viewBox="0 0 {_f(w)} {_f(y)}" '
            f'font-family="{FONT}" font-size="11" role="img">\n' + "\n".join(inner) + "\n</svg>\n")

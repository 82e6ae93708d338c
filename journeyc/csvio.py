"""Touchpoint inventories as spreadsheets: `journeyc export csv` (one row per
touchpoint) and `journeyc import csv` (the reverse: rows grouped into
journeys, stages and touchpoints, written as a `.journey` spec).

The columns, in this order (COLUMNS):

| column | export writes | import reads |
| --- | --- | --- |
| journey | the journey's id | required: an identifier |
| journey_title | its title | the first non-empty one of the journey's rows |
| stage | the stage's id | required: an identifier |
| stage_title | its title | as journey_title |
| phase | the stage's phase (declared or inferred) | `phase` of the stage |
| touchpoint | the touchpoint's id; empty on the row of a stage without touchpoints | an identifier, or empty for a stage alone |
| touchpoint_title | its title | |
| channel | its channel | a channel not built in is declared |
| area | its area | |
| owner | its owner (inherited from the stage or journey when it names none); on a stage's own row, the stage's owner | declared as an owner |
| audience | its personas, `, ` between them | declared as personas |
| score | its score | |
| recovery | `yes` for a recovery touchpoint | `yes`, `true`, `x` or `1`; `no`, `false`, `0` or empty |
| kpis | what it measures: `kpi` or `kpi >= 40%`, `, ` between them | declared as KPIs |
| messages | one message text a line (`\\n` for a line break inside a text, `\\\\` for a backslash) | |
| tones | the tone of each message, a line each (empty: none) | |
| claims | the claims of each message, a line each: `id = value` with `; ` between them (a value as in the language: `14 days`, `40%`, `"text"`, `true`) | |
| figures | the figures of each message's text, a line each, as written, `; ` between them (`14-day; $4`) | derived: ignored |
| facts | the facts each message states (a figure about the fact, or a claim named after it), a line each, `, ` between them | derived: ignored |
| description | the touchpoint's description | |

A cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
`-`, `@`, a tab or a carriage return) is written with a `'` in front, as
OWASP recommends; import removes it again. Export writes UTF-8 with `\\n`
line ends; `--excel` adds a byte-order mark and `\\r\\n` line ends, which is
what Excel needs to read UTF-8. Import reads UTF-8 with or without the mark,
with `,`, `;` or a tab between cells; rows are numbered as a spreadsheet
numbers them (the header is row 1).

`figures` and `facts` are derived from the messages (LANGUAGE.md 1.1,
"Figures in message text") for reviewing copy in a spreadsheet; import
accepts them and reads nothing from them. An imported spec declares no
facts (a fact is a declaration of the catalogue, not touchpoint data):
its messages state the same facts again once it imports the facts they
were checked against."""
from __future__ import annotations

import csv
import io
import re

from .language import BUILTIN_CHANNELS
from .model import Bool, Compilation, Num, Str
from .specwriter import Writer, is_name, number, string, title

COLUMNS = ("journey", "journey_title", "stage", "stage_title", "phase", "touchpoint", "touchpoint_title",
           "channel", "area", "owner", "audience", "score", "recovery", "kpis", "messages", "tones", "claims",
           "figures", "facts", "description")
REQUIRED = ("journey", "stage")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
YES, NO = ("yes", "true", "x", "1"), ("no", "false", "0", "")


# -- export ------------------------------------------------------------------

def _cell(text) -> str:
    text = "" if text is None else str(text)
    return "'" + text if _FORMULA.match(text) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA.match(text[1:]) else text


def _message_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def value_text(v) -> str:
    """A claim's value as the language writes it."""
    if isinstance(v, Num):
        return number(v.value, v.unit)
    if isinstance(v, Str):
        return string(v.text)
    assert isinstance(v, Bool)
    return "true" if v.value else "false"


def _measure_text(m) -> str:
    if m.target is None:
        return m.kpi.text
    return f"{m.kpi.text} {m.target.op} {number(m.target.number.value, m.target.number.unit)}"


def rows(compilations) -> list[list[str]]:
    """The rows of the compilations' journeys (each journey once)."""
    from .figures import facts_stated

    out = []
    seen = set()
    for comp in compilations:
        for j in comp.journeys:
            if j.span in seen:
                continue
            seen.add(j.span)
            for s in j.stages:
                head = [j.id.text, j.title, s.id.text, s.title, s.phase]
                if not s.touchpoints:
                    out.append(head + [None] * 4 + [s.owner] + [None] * 10)
                for t in s.touchpoints:
                    out.append(head + [
                        t.id.text, t.title, t.channel.text if t.channel else None, t.area, t.owner,
                        ", ".join(a.text for a in t.audience),
                        number(t.score.value) if t.score is not None else None,
                        "yes" if t.recovery else None,
                        ", ".join(_measure_text(m) for m in t.measures),
                        "\n".join(_message_text(m.text.text) for m in t.messages),
                        "\n".join(m.tone.text if m.tone else "" for m in t.messages) if any(
                            m.tone for m in t.messages) else None,
                        "\n".join("; ".join(f"{c.id.text} = {value_text(c.value)}" for c in m.claims)
                                  for m in t.messages) if any(m.claims for m in t.messages) else None,
                        "\n".join("; ".join(x.text for x in m.figures) for m in t.messages) if any(
                            m.figures for m in t.messages) else None,
                        "\n".join(", ".join(facts_stated(comp, m)) for m in t.messages) if any(
                            facts_stated(comp, m) for m in t.messages) else None,
                        t.description])
    return [[_cell(c) for c in row] for row in out]


def export_csv(compilations: list[Compilation], excel: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(compilations))
    return (b"\xef\xbb\xbf" if excel else b"") + buf.getvalue().encode("utf-8")


# -- import ------------------------------------------------------------------

class BadRow(Exception):
    pass


class Problem:
    """What import could not take: a row (1 is the header) or the whole file."""

    def __init__(self, row: int | None, message: str):
        self.row = row
        self.message = message

    def text(self, filename: str) -> str:
        return f"{filename}:{self.row}: {self.message}" if self.row else f"{filename}: {self.message}"


def _scanner():
    from .parsing.driver import tables

    return tables().scanner


def _tokens(text: str, row_column: str) -> list[tuple[str, str]]:
    """The tokens of a cell, lexed by the grammar's own terminals (`;` and
    `,` as separators)."""
    scan = _scanner()
    out, pos = [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        if text[pos] == ";":
            out.append((";", ";"))
            pos += 1
            continue
        m = scan.match(text, pos)
        if m is None or m.end() == pos or m.lastgroup == "COMMENT":
            raise BadRow(f"{row_column}: cannot read {text[pos:pos + 20]!r}")
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


def _value(tokens, i: int, where: str) -> tuple[str, int]:
    """A value (number with its unit, string, true/false) at tokens[i]: its
    journey text and the index after it."""
    kind, text = tokens[i] if i < len(tokens) else ("", "")
    if kind == "PERCENT_NUMBER":
        return text, i + 1
    if kind == "NUMBER":
        if i + 1 < len(tokens) and tokens[i + 1][0] == "NAME":
            return f"{text} {tokens[i + 1][1]}", i + 2
        return text, i + 1
    if kind in ("STRING", "LONG_STRING"):
        return text, i + 1
    if kind == "NAME" and text in ("true", "false"):
        return text, i + 1
    raise BadRow(f"{where}: expected a value (a number with an optional unit, a \"string\", true or false)"
                 + (f", got {text!r}" if text else ""))


def _names(cell: str, column: str) -> list[str]:
    names = [n.strip() for n in cell.split(",") if n.strip()]
    for n in names:
        if not is_name(n):
            raise BadRow(f"{column}: {n!r} is not an identifier (letters, digits and _, not starting with a digit)")
    return names


def _measures(cell: str) -> list[tuple[str, str | None]]:
    """`kpi` or `kpi >= 40%`, comma-separated: (kpi, 'op number' or None)."""
    out = []
    for part in (p.strip() for p in cell.split(",")):
        if not part:
            continue
        toks = _tokens(part, "kpis")
        if not toks or toks[0][0] != "NAME":
            raise BadRow(f"kpis: {part!r}: expected a KPI id, then an optional target such as >= 40%")
        if len(toks) == 1:
            out.append((toks[0][1], None))
            continue
        if toks[1][0] not in ("GE", "LE", "GT", "LT", "EQ"):
            raise BadRow(f"kpis: {part!r}: after the KPI id, expected a comparator (>=, <=, >, <, =) and a number")
        value, end = _value(toks, 2, f"kpis: {part!r}")
        if end != len(toks) or value.startswith('"') or value in ("true", "false"):
            raise BadRow(f"kpis: {part!r}: a target is a comparator and a number, e.g. >= 40%")
        out.append((toks[0][1], f"{toks[1][1]} {value}"))
    return out


def _claims(line: str) -> list[tuple[str, str]]:
    """`id = value; id = value` -> [(id, value text)]."""
    toks = _tokens(line, "claims")
    out, i = [], 0
    while i < len(toks):
        if toks[i][0] == ";":
            i += 1
            continue
        if toks[i][0] != "NAME" or i + 1 >= len(toks) or toks[i + 1][0] != "EQ":
            raise BadRow(f"claims: {line!r}: expected `id = value`, with `; ` between claims")
        claim_id = toks[i][1]
        value, i = _value(toks, i + 2, f"claims: {line!r}")
        out.append((claim_id, value))
        if i < len(toks) and toks[i][0] != ";":
            raise BadRow(f"claims: {line!r}: expected `; ` between claims, got {toks[i][1]!r}")
    return out


def _unescape_message(text: str) -> str:
    return re.sub(r"\\(\\|n)", lambda m: "\n" if m.group(1) == "n" else "\\", text)


class _Touchpoint:
    def __init__(self, row: int, cells: dict):
        self.row = row
        self.cells = cells


def _read_table(data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BadRow(f"not UTF-8 text (byte {e.start}): save the spreadsheet as CSV UTF-8") from None
    if "\0" in text:
        raise BadRow("holds a NUL byte: not a CSV file")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    if not table:
        raise BadRow("empty: expected a header row naming the columns " + ", ".join(COLUMNS))
    return [h.strip().lower() for h in table[0]], table[1:]


def import_csv(data: bytes, out_name: str = "imported.journey") -> tuple[str | None, list[Problem], list[str]]:
    """A CSV (bytes) -> the journey spec text (None when some row is bad),
    the problems (bad rows, each with its row number) and notes (what was
    not used)."""
    from .build import closest

    notes: list[str] = []
    try:
        header, body = _read_table(data)
    except csv.Error as e:
        return None, [Problem(None, f"not a readable CSV file: {e}")], notes
    except BadRow as e:
        return None, [Problem(None, str(e))], notes
    for h in header:
        if h and h not in COLUMNS:
            best = closest(h, COLUMNS)
            notes.append(f"column '{h}' is not one journeyc reads: ignored"
                         + (f" (did you mean '{best}'?)" if best else ""))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return None, [Problem(1, f"no column {' or '.join(repr(m) for m in missing)}: the header names the columns "
                                 + ", ".join(COLUMNS))], notes
    where = {c: header.index(c) for c in COLUMNS if c in header}
    problems: list[Problem] = []
    journeys: dict[str, dict] = {}
    declared: dict[str, dict[str, int]] = {"owner": {}, "persona": {}, "kpi": {}, "channel": {}}
    for number_, raw in enumerate(body, start=2):
        if not any(c.strip() for c in raw):
            continue
        cells = {c: _uncell(raw[i].strip()) if i < len(raw) else "" for c, i in where.items()}
        cells["messages_raw"] = _uncell(raw[where["messages"]]) if "messages" in where and where["messages"] < len(raw) else ""
        try:
            _take_row(number_, cells, journeys, declared)
        except BadRow as e:
            problems.append(Problem(number_, str(e)))
    if problems:
        return None, problems, notes
    if not journeys:
        return None, [Problem(None, "no rows: nothing to import")], notes
    w = _write(journeys, declared)
    from .specwriter import compile_errors

    for d in compile_errors(w.text(), out_name):
        problems.append(Problem(w.origin_of(d.span.line), f"{d.code} {d.message}"
                                + (f" ({d.suggestion})" if d.suggestion else "")))
    if problems:
        return None, problems, notes
    return w.text(), problems, notes


def _ident(cells: dict, column: str, required: bool = True) -> str:
    value = cells.get(column, "")
    if not value:
        if required:
            raise BadRow(f"{column}: empty; every row names its {column} by id")
        return ""
    if not is_name(value):
        from .specwriter import slug

        hint = (f": write an id such as {slug(value, set(), column)!r} and put the words in {column}_title"
                if column in ("journey", "stage", "touchpoint") else "")
        raise BadRow(f"{column}: {value!r} is not an identifier (letters, digits and _, not starting with a digit)"
                     + hint)
    return value


def _same(entry: dict, key: str, value: str, what: str) -> None:
    """Rows of one stage (journey) must agree on its title, phase, ..."""
    if not value:
        return
    old = entry.get(key)
    if old and old != value:
        raise BadRow(f"{what}: {value!r} disagrees with {old!r} of row {entry['row']}")
    entry[key] = value


def _take_row(row: int, cells: dict, journeys: dict, declared: dict) -> None:
    jid, sid = _ident(cells, "journey"), _ident(cells, "stage")
    tid = _ident(cells, "touchpoint", required=False)
    j = journeys.setdefault(jid, {"row": row, "stages": {}})
    _same(j, "title", cells.get("journey_title", ""), "journey_title")
    s = j["stages"].setdefault(sid, {"row": row, "touchpoints": {}})
    _same(s, "title", cells.get("stage_title", ""), "stage_title")
    _same(s, "phase", _ident(cells, "phase", required=False), "phase")
    _ident(cells, "area", required=False)
    owner = _ident(cells, "owner", required=False)
    if owner:
        declared["owner"].setdefault(owner, row)
    if not tid:
        for column in ("touchpoint_title", "channel", "area", "audience", "score", "kpis", "messages", "tones",
                       "claims", "description"):
            if cells.get(column):
                raise BadRow(f"{column}: given on a row without a touchpoint id (a stage's own row)")
        if cells.get("recovery", "").lower() not in NO:
            raise BadRow("recovery: given on a row without a touchpoint id (a stage's own row)")
        _same(s, "owner", owner, "owner")
        return
    for other_sid, other in j["stages"].items():
        if tid in other["touchpoints"]:
            raise BadRow(f"touchpoint: '{tid}' is already in row {other['touchpoints'][tid].row} "
                         f"(stage '{other_sid}'); touchpoint ids are unique within a journey")
    channel = _ident(cells, "channel", required=False)
    if channel and channel not in BUILTIN_CHANNELS:
        declared["channel"].setdefault(channel, row)
    audience = _names(cells.get("audience", ""), "audience")
    for a in audience:
        declared["persona"].setdefault(a, row)
    score = cells.get("score", "")
    if score:
        toks = _tokens(score, "score")
        if len(toks) != 1 or toks[0][0] != "NUMBER":
            raise BadRow(f"score: {score!r} is not a number from 1 to 5")
    recovery = cells.get("recovery", "").lower()
    if recovery not in YES + NO:
        raise BadRow(f"recovery: {cells['recovery']!r}: expected yes or nothing")
    measures = _measures(cells.get("kpis", ""))
    for kpi, _ in measures:
        declared["kpi"].setdefault(kpi, row)
    raw_messages = cells.get("messages_raw", "").replace("\r\n", "\n").strip("\n")
    messages = [_unescape_message(m) for m in raw_messages.split("\n")] if raw_messages.strip() else []
    tones = cells.get("tones", "").replace("\r\n", "\n").split("\n") if cells.get("tones") else []
    claim_lines = cells.get("claims", "").replace("\r\n", "\n").split("\n") if cells.get("claims") else []
    for column, lines in (("tones", tones), ("claims", claim_lines)):
        if len(lines) > len(messages):
            raise BadRow(f"{column}: {len(lines)} lines for {len(messages)} message{'s' if len(messages) != 1 else ''}"
                         f": one line per message")
    tones = [t.strip() for t in tones]
    for t in tones:
        if t and not is_name(t):
            raise BadRow(f"tones: {t!r} is not a tone (a word such as educate)")
    claims = [_claims(line) for line in claim_lines]
    cells.update(channel=channel, owner=owner, audience=audience, measures=measures, messages=messages,
                 tones=tones, claims=claims, recovery=recovery in YES and recovery != "")
    s["touchpoints"][tid] = _Touchpoint(row, cells)


def _write(journeys: dict, declared: dict) -> Writer:
    w = Writer()
    for kind in ("owner", "persona", "channel", "kpi"):
        for name, row in declared[kind].items():
            w.line(f"{kind} {name}", row)
        if declared[kind]:
            w.blank()
    for jid, j in journeys.items():
        w.open(f"journey {jid}{title(j.get('title'))}", j["row"])
        for sid, s in j["stages"].items():
            w.open(f"stage {sid}{title(s.get('title'))}", s["row"])
            if s.get("phase"):
                w.line(f"phase {s['phase']}", s["row"])
            if s.get("owner"):
                w.line(f"owner {s['owner']}", s["row"])
            for tid, tp in s["touchpoints"].items():
                _touchpoint(w, tid, tp)
            w.close()
        w.close()
        w.blank()
    return w


def _touchpoint(w: Writer, tid: str, tp: _Touchpoint) -> None:
    c, row = tp.cells, tp.row
    w.open(f"touchpoint {tid}{title(c.get('touchpoint_title'))}", row)
    if c["channel"]:
        w.line(f"channel {c['channel']}", row)
    if c.get("area"):
        w.line(f"area {c['area']}", row)
    if c["owner"]:
        w.line(f"owner {c['owner']}", row)
    if c["audience"]:
        w.line(f"audience {', '.join(c['audience'])}", row)
    if c.get("score"):
        w.line(f"score {c['score']}", row)
    if c["recovery"]:
        w.line("recovery", row)
    for kpi, target in c["measures"]:
        w.line(f"measure {kpi}" + (f" target {target}" if target else ""), row)
    for i, text in enumerate(c["messages"]):
        tone = c["tones"][i] if i < len(c["tones"]) else ""
        claims = c["claims"][i] if i < len(c["claims"]) else []
        inner = ([f"tone {tone}"] if tone else []) + [f"claim {cid} = {value}" for cid, value in claims]
        w.line(f"message {string(text)}" + (" { " + " ".join(inner) + " }" if inner else ""), row)
    if c.get("description"):
        w.line(f"description {string(c['description'])}", row)
    w.close()

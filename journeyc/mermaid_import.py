"""`journeyc import mermaid`: a Mermaid `journey` diagram -> a `.journey` spec.

What maps (read as Mermaid's own parser reads it: `journey.jison` and
`journeyDb`):

| Mermaid | journey spec |
| --- | --- |
| `title T` (or `title:` in the front matter) | the journey's title; its id made from it |
| `accDescr: D`, `accDescr { D }` | the journey's `description` |
| `section S` | a stage titled S; consecutive sections are linked by `->`, in order |
| `Task: score: A, B` | a touchpoint titled Task in the section's stage, with its `score` and `audience` |
| each actor | a persona titled with the actor's name |
| tasks before any section | a stage `tasks` |
| `Task (not scored): 3` (journeyc's mark) | a touchpoint without a score |
| `No touchpoints (not scored): 3` (journeyc's placeholder) | no touchpoint: the stage is empty |

In a Markdown file, the first ```` ```mermaid ```` block holding a journey
diagram is read (line numbers stay the file's). Entities (`#35;`, `#quot;`)
are decoded. `#` and `%%` start comments, `;`
ends a statement, keywords are case-insensitive, as in Mermaid. Anything
else (`accTitle`, `%%{init}%%` directives, front-matter keys other than
`title`, a score that is not a number from 1 to 5, a task part after the
actors, lines that are no statement) is reported, with its line, as not
mapped. Ids are made from the titles (ASCII letters, digits and `_`)."""
from __future__ import annotations

import html
import html.entities
import re

from .backends.mermaid import NO_TOUCHPOINTS, UNSCORED
from .specwriter import Writer, slug, string, title

_ENTITY = re.compile(r"#(\d+|[A-Za-z][A-Za-z0-9]*);")
_KEYWORD = re.compile(r"(?i)(journey|title|section|acctitle|accdescr)(?=\s|:|\{|$)")


class Note:
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message

    def text(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}" if self.line else f"{filename}: {self.message}"


def decode(text: str) -> str:
    """Mermaid's entities: `#35;` is `#`, `#quot;` is `"`."""
    def one(m):
        name = m.group(1)
        if name.isdigit():
            code = int(name)
            return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        return html.unescape(f"&{name};") if f"{name};" in html.entities.html5 else m.group(0)

    return _ENTITY.sub(one, text)


def _statements(line: str) -> list[str]:
    """The statements of one line: cut at a comment (`#` that starts no
    entity, `%%`) and split at `;` outside entities."""
    out, current, i = [], [], 0
    while i < len(line):
        m = _ENTITY.match(line, i)
        if m:
            current.append(m.group(0))
            i = m.end()
            continue
        c = line[i]
        if c == "#" or line.startswith("%%", i):
            break
        if c == ";":
            out.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    out.append("".join(current))
    return [s.strip() for s in out if s.strip()]


class _Section:
    def __init__(self, title: str | None, line: int):
        self.title = title
        self.line = line
        self.tasks: list[tuple[str, object, list[str], int]] = []  # (title, score or None, actors, line)


_FENCE = re.compile(r"^\s*(```+|~~~+)\s*mermaid\s*$")


def from_markdown(lines: list[str]) -> tuple[list[str], list[Note]]:
    """In a Markdown file, the first ```mermaid block that is a journey
    diagram: its lines kept in place (line numbers stay the file's), every
    other line blanked. Lines as they are when there is no such block."""
    blocks, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        fence = m.group(1)
        end = next((k for k in range(i + 1, len(lines)) if lines[k].strip().startswith(fence[0] * len(fence))),
                   len(lines))
        body = [line for line in lines[i + 1:end] if line.strip() and not line.strip().startswith("%%")]
        if body and body[0].strip().lower() in ("journey", "---"):
            blocks.append((i + 1, end))
        i = end + 1
    if not blocks:
        return lines, []
    start, end = blocks[0]
    notes = [Note(b + 1, "another journey diagram in the file: not imported (one diagram, one spec)")
             for b, _ in blocks[1:]]
    return [line if start <= k < end else "" for k, line in enumerate(lines)], notes


def parse(text: str) -> tuple[dict | None, list[Note]]:
    """The diagram's content, or None (with the reason) when the text is not
    a Mermaid journey diagram. In a Markdown file, the first journey block."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, notes = from_markdown(lines)
    start = next((k for k, line in enumerate(lines) if line.strip()), 0)
    doc = {"title": None, "title_line": None, "description": None, "sections": []}
    i = start
    if lines and lines[start].strip() == "---":  # front matter
        end = next((k for k in range(start + 1, len(lines)) if lines[k].strip() == "---"), None)
        if end is None:
            return None, [Note(start + 1, "front matter opened with --- is never closed")]
        for k in range(start + 1, end):
            key, sep, value = lines[k].partition(":")
            if sep and key.strip() == "title" and not lines[k][:1].isspace():
                doc["title"] = value.strip().strip("\"'")
                doc["title_line"] = k + 1
            elif lines[k].strip():
                notes.append(Note(k + 1, f"front matter {lines[k].strip()!r} not mapped"))
        i = end + 1
    header = None
    sections: list[_Section] = []
    current: _Section | None = None
    in_descr: list[str] | None = None
    descr_line = 0
    for n in range(i, len(lines)):
        raw = lines[n]
        number_ = n + 1
        if in_descr is not None:
            before, brace, _ = raw.partition("}")
            in_descr.append(before)
            if brace:
                doc["description"] = "\n".join(s.strip() for s in in_descr).strip()
                in_descr = None
            continue
        if raw.strip().startswith("%%{"):
            notes.append(Note(number_, "directive not mapped"))
            continue
        for stmt in _statements(raw):
            if header is None:
                if stmt.lower() == "journey":
                    header = number_
                    continue
                return None, [Note(number_, f"not a Mermaid journey diagram: it starts with {stmt[:40]!r}, "
                                            "not 'journey'")]
            m = _KEYWORD.match(stmt)
            word = m.group(1).lower() if m else None
            rest = stmt[m.end():] if m else ""
            if word == "title" and rest[:1].isspace():
                doc["title"], doc["title_line"] = decode(rest.strip()), number_
            elif word == "section" and rest[:1].isspace() and ":" not in rest:
                current = _Section(decode(rest.strip()), number_)
                sections.append(current)
            elif word == "acctitle" and rest.lstrip().startswith(":"):
                notes.append(Note(number_, "accTitle not mapped (the journey's title comes from `title`)"))
            elif word == "accdescr" and rest.lstrip().startswith(":"):
                doc["description"] = decode(rest.lstrip()[1:].strip())
            elif word == "accdescr" and rest.lstrip().startswith("{"):
                body = rest.lstrip()[1:]
                if "}" in body:
                    doc["description"] = decode(body.partition("}")[0].strip())
                else:
                    in_descr, descr_line = [body], number_
            elif word == "journey":
                notes.append(Note(number_, "a second 'journey' line: ignored"))
            elif ":" in stmt:
                if current is None:
                    current = _Section(None, number_)
                    sections.append(current)
                _task(stmt, number_, current, notes)
            else:
                notes.append(Note(number_, f"{stmt[:60]!r} is no title, section or task: not mapped"))
    if header is None:
        return None, [Note(None, "empty: a Mermaid journey diagram starts with 'journey'")]
    if in_descr is not None:
        notes.append(Note(descr_line, "accDescr { is never closed: not mapped"))
    doc["sections"] = sections
    return doc, notes


def _task(stmt: str, line: int, section: _Section, notes: list[Note]) -> None:
    name, _, data = stmt.partition(":")
    pieces = data.split(":")
    task = decode(name.strip())
    score_text = pieces[0].strip()
    score = None
    try:
        value = float(score_text)
        if 1 <= value <= 5:
            score = int(value) if value.is_integer() else value
        else:
            notes.append(Note(line, f"task {task!r}: score {score_text} lies outside 1..5: not mapped"))
    except ValueError:
        notes.append(Note(line, f"task {task!r}: score {score_text!r} is not a number: not mapped"))
    actors = [decode(a.strip()) for a in pieces[1].split(",")] if len(pieces) > 1 else []
    actors = [a for a in actors if a]
    if len(pieces) > 2:
        notes.append(Note(line, f"task {task!r}: {':'.join(pieces[2:]).strip()!r} after the actors not mapped"))
    # journeyc's own marks (compile --format mermaid-journey): a task without a
    # score stands at the neutral score, marked; a stage without touchpoints
    # has one placeholder task
    if task == NO_TOUCHPOINTS and not actors:
        return
    if task.endswith(UNSCORED) and task != UNSCORED.strip():
        task, score = task[:-len(UNSCORED)], None
    section.tasks.append((task, score, actors, line))


def import_mermaid(text: str, default_id: str = "journey",
                   out_name: str = "imported.journey") -> tuple[str | None, list[Note], list[Note]]:
    """Mermaid text -> (the spec text or None, errors, notes of what was not mapped)."""
    from .specwriter import compile_errors, number

    doc, notes = parse(text)
    if doc is None:
        return None, notes, []
    w = Writer()
    used: set[str] = set()  # owners, personas, channels, KPIs and journeys share one namespace
    personas: dict[str, tuple[str, int]] = {}
    for s in doc["sections"]:
        for _, _, actors, line in s.tasks:
            for a in actors:
                if a not in personas:
                    personas[a] = (slug(a, used, "persona"), line)
    for actor, (pid, line) in personas.items():
        w.line(f"persona {pid}{title(actor)}", line)
    w.blank()
    jid = slug(doc["title"] or default_id, used, "journey")
    w.open(f"journey {jid}{title(doc['title'])}", doc["title_line"] or 1)
    if doc["description"]:
        w.line(f"description {string(doc['description'])}", doc["title_line"] or 1)
    if not doc["sections"]:
        notes.append(Note(None, "no section and no task: the journey gets one empty stage"))
        doc["sections"].append(_Section(None, 1))
    stage_ids: set[str] = set()
    touchpoint_ids: set[str] = set()
    ids = [slug(s.title or "tasks", stage_ids, "stage") for s in doc["sections"]]
    for k, s in enumerate(doc["sections"]):
        w.open(f"stage {ids[k]}{title(s.title)}", s.line)
        for task, score, actors, line in s.tasks:
            tid = slug(task or "task", touchpoint_ids, "task")
            inner = []
            if actors:
                inner.append("audience " + ", ".join(personas[a][0] for a in actors))
            if score is not None:
                inner.append(f"score {number(score)}")
            w.line(f"touchpoint {tid}{title(task)} {{" + (" " + " ".join(inner) + " " if inner else " ") + "}",
                   line)
        if k + 1 < len(ids):
            w.line(f"-> {ids[k + 1]}", s.line)
        w.close()
    w.close()
    errors = [Note(w.origin_of(d.span.line), f"{d.code} {d.message}") for d in compile_errors(w.text(), out_name)]
    if errors:
        return None, errors, notes
    return w.text(), [], notes

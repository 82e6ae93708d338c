"""`journeyc diff`: what a change means for the journeys (docs/diff.md).

Two sides, each a set of compilations, are compiled to the JSON of
LANGUAGE.md and compared entity by entity: owners, personas, channels,
KPIs, facts, journeys and, inside them, stages, touchpoints (across the
stages of their journey, so a touchpoint that changes stage is a move),
transitions, measures, opportunities, messages (with their claims and
figures). Every field of an entity is compared, the ones journeyc gains
later included; a field one side's JSON lacks counts as absent (null).

Each change is `added`, `removed`, `changed` (one field, old and new
values), `moved` (a touchpoint between stages) or `renamed` (an id removed
and another added under the same parent with the same title). Some are
breaking for consumers of the compiled JSON (`BREAKING_KINDS`,
`loosened`)."""
from __future__ import annotations

import os
from collections import Counter
from typing import NamedTuple

# The entities: JSON key of the collection in its parent -> (kind, key field).
# A key field None: matched by `text`, then the rest by position (messages).
TOP = (("owners", "owner", "id"), ("personas", "persona", "id"), ("channels", "channel", "id"),
       ("kpis", "kpi", "id"), ("facts", "fact", "id"), ("journeys", "journey", "id"))
CHILDREN = {
    "journey": (("stages", "stage", "id"), ("opportunities", "opportunity", "id")),
    "stage": (("transitions", "transition", "to"), ("measures", "measure", "kpi")),
    "touchpoint": (("measures", "measure", "kpi"), ("messages", "message", None)),
    "message": (("claims", "claim", "id"),),
}
NOT_FIELDS = {"id", "location", "locations", "loc"}  # (and the child collections)
DERIVED = {("journey", "loops_back")}  # follows from the transitions, which are reported

# Removing (or renaming) one of these breaks consumers keyed by its id.
BREAKING_KINDS = ("journey", "stage", "touchpoint", "kpi", "owner", "persona", "fact")
CHANGE_ORDER = {"removed": 0, "renamed": 1, "moved": 2, "changed": 3, "added": 4}


class Change(NamedTuple):
    change: str  # added, removed, changed, moved, renamed
    kind: str  # journey, stage, touchpoint, kpi, ...
    path: str  # its id, qualified by its parents' ids: "saas/trial/welcome"
    journey: str | None  # the journey it belongs to (None: a top-level declaration)
    field: str | None = None  # for `changed`
    old: object = None
    new: object = None
    breaking: str | None = None  # why it breaks consumers, or None

    def to_json(self) -> dict:
        return {"change": self.change, "kind": self.kind, "id": self.path, "journey": self.journey,
                "field": self.field, "old": self.old, "new": self.new, "breaking": self.breaking}


# ---------------------------------------------------------------------------
# comparing documents


def merge(documents: list[dict]) -> dict:
    """One document from several compilations: each entity once (the first
    compilation to hold an id wins; imported catalogues repeat)."""
    out: dict = {}
    for doc in documents:
        for key, _, field in TOP:
            seen = {x.get(field) for x in out.get(key, [])}
            for x in doc.get(key) or []:
                if x.get(field) not in seen:
                    out.setdefault(key, []).append(x)
                    seen.add(x.get(field))
    return out


def _keyed(items, field):
    """{key: item} in order; a key seen again gets `#2`, `#3`..."""
    out, counts = {}, Counter()
    for i, x in enumerate(items or []):
        k = x.get(field) if field else i
        counts[k] += 1
        out[k if counts[k] == 1 else f"{k}#{counts[k]}"] = x
    return out


class _Differ:
    def __init__(self):
        self.changes: list[Change] = []

    def add(self, *args, **kw):
        self.changes.append(Change(*args, **kw))

    def collection(self, kind, field, old_items, new_items, prefix, journey):
        if field is None:
            for o, n, k in _pair_by_text(old_items or [], new_items or []):
                path = _join(prefix, _label(kind, n or o, k))
                if n is None:
                    self.add("removed", kind, path, journey, None, _summary(kind, o), None)
                elif o is None:
                    self.add("added", kind, path, journey, None, None, _summary(kind, n))
                else:
                    self.entity(kind, o, n, path, journey)
            return
        old, new = _keyed(old_items, field), _keyed(new_items, field)
        removed = [k for k in old if k not in new]
        added = [k for k in new if k not in old]
        renamed: dict = {}
        if kind not in ("transition", "measure", "claim"):
            by_title: dict = {}
            for a in added:
                title = new[a].get("title")
                if title:
                    by_title.setdefault(title, []).append(a)
            for r in removed:  # the same title under the same parent: a rename (first come, first paired)
                candidates = by_title.get(old[r].get("title")) if old[r].get("title") else None
                if candidates:
                    renamed[r] = candidates.pop(0)
        pairs = [(old[k], new[k], k) for k in new if k in old]
        for k in removed:
            if k in renamed:
                a = renamed[k]
                self.add("renamed", kind, _join(prefix, _label(kind, old[k], k)), journey, "id", k, a,
                         _breaking_removal(kind, "renamed"))
                pairs.append((old[k], new[a], a))
            else:
                self.add("removed", kind, _join(prefix, _label(kind, old[k], k)), journey, None,
                         _summary(kind, old[k]), None, _breaking_removal(kind, "removed"))
        for k in added:
            if k not in renamed.values():
                self.add("added", kind, _join(prefix, _label(kind, new[k], k)), journey, None, None,
                         _summary(kind, new[k]))
        for o, n, k in pairs:
            self.entity(kind, o, n, _join(prefix, _label(kind, n, k)), journey)

    def entity(self, kind, old, new, path, journey):
        # a collection that is not a list of objects (a JSON shape this module does not know) is a field
        children = tuple(c for c in CHILDREN.get(kind, ()) if _objects(old.get(c[0])) and _objects(new.get(c[0])))
        skip = NOT_FIELDS | {c[0] for c in children}
        if kind == "stage":
            skip = skip | {"touchpoints"}
        for f in list(dict.fromkeys(list(old) + list(new))):
            if f in skip or (kind, f) in DERIVED:
                continue
            a, b = old.get(f), new.get(f)
            if a != b:
                if kind == "touchpoint" and f == "stage":
                    self.add("moved", kind, path, journey, "stage", a, b)
                    continue
                self.add("changed", kind, path, journey, f, a, b, _breaking_change(kind, f, a, b))
        for key, child, field in children:
            self.collection(child, field, old.get(key), new.get(key), path, journey)
        if kind == "journey":  # touchpoints across the stages: a change of stage is a move
            self.collection("touchpoint", "id", _touchpoints(old), _touchpoints(new), path, journey)


def _objects(value) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(x, dict) for x in value))


def _touchpoints(journey: dict) -> list[dict]:
    out = []
    for s in journey.get("stages") or []:
        for t in s.get("touchpoints") or []:
            out.append(dict(t, stage=s.get("id")))
    return out


def _pair_by_text(old: list, new: list) -> list:
    """Messages have no id: the same text is the same message; the others
    are paired in order (a changed text), the rest added or removed."""
    pairs, left = [], list(range(len(new)))
    unmatched_old = []
    for i, o in enumerate(old):
        j = next((j for j in left if new[j].get("text") == o.get("text")), None)
        if j is None:
            unmatched_old.append(i)
        else:
            left.remove(j)
            pairs.append((o, new[j], j + 1))
    for i in unmatched_old:
        if left:
            j = left.pop(0)
            pairs.append((old[i], new[j], j + 1))
        else:
            pairs.append((old[i], None, i + 1))
    for j in left:
        pairs.append((None, new[j], j + 1))
    return pairs


def _join(prefix: str | None, name: str) -> str:
    if name.startswith("-> "):  # a transition: `saas/retention -> trial`
        return f"{prefix} {name}"
    return f"{prefix}/{name}" if prefix else name


def _label(kind: str, item: dict, key) -> str:
    if kind == "transition":
        return f"-> {key}"
    if kind == "message":
        return f"message {key}"
    if kind == "measure":
        return f"measure {key}"
    if kind == "claim":
        return f"claim {key}"
    return str(key)


def _summary(kind: str, item: dict):
    """What an added or removed entity shows: its title, a transition's
    label and whether it loops back, a message's text, a claim's value."""
    if kind == "transition":
        return {"to": item.get("to"), "label": item.get("label"), "loop_back": item.get("loop_back")}
    if kind == "message":
        return item.get("text")
    if kind == "claim":
        return item.get("value")
    if kind == "measure":
        return item.get("target")
    return item.get("title")


def _breaking_removal(kind: str, change: str) -> str | None:
    if kind in BREAKING_KINDS:
        return f"{kind} id {change}"
    return None


def _breaking_change(kind, field, old, new) -> str | None:
    if kind == "kpi" and field == "unit" and old != new:
        return "KPI unit changed"
    if field == "target" and kind in ("kpi", "measure") and loosened(old, new):
        return "target loosened"
    return None


_INF = float("inf")


def _interval(target: dict):
    op, x = target.get("op"), target.get("number")
    return {">=": (x, True, _INF, False), ">": (x, False, _INF, False), "<=": (-_INF, False, x, True),
            "<": (-_INF, False, x, False), "=": (x, True, x, True)}.get(op)


def loosened(old, new) -> bool:
    """Whether the new target accepts a value the old one did not: a target
    removed, a lower bound lowered, an upper bound raised, `>` made `>=`,
    `=` made a bound, the comparison turned round. A target added, or one
    whose unit changed (`24 hours` to `2 days`), is not judged loosened."""
    if not isinstance(old, dict):
        return False
    if not isinstance(new, dict):
        return True
    if old.get("unit") != new.get("unit"):
        return False
    a, b = _interval(old), _interval(new)
    if a is None or b is None or not all(isinstance(v, (int, float)) for v in (old.get("number"), new.get("number"))):
        return False
    lo_ok = b[0] > a[0] or (b[0] == a[0] and (a[1] or not b[1]))
    hi_ok = b[2] < a[2] or (b[2] == a[2] and (a[3] or not b[3]))
    return not (lo_ok and hi_ok)


def compare(old_docs: list[dict], new_docs: list[dict], old_base: str = ".", new_base: str = ".") -> list[Change]:
    """The changes from the old compilations' JSON to the new ones'.

    One compilation on each side: those two are compared. Several: each
    root file is compared with the root of the same path on the other side
    (relative to `old_base` and `new_base`), since two roots may declare the
    same ids differently (a current and a future state of one journey);
    roots present on one side only are compared together, with the top-level
    declarations of the paired ones as their context. A change found twice
    (a catalogue two roots import) is listed once."""
    if len(old_docs) <= 1 and len(new_docs) <= 1:
        return _compare_documents(old_docs, new_docs)
    olds = {_root_key(doc, old_base): doc for doc in old_docs}
    news = {_root_key(doc, new_base): doc for doc in new_docs}
    paired = [k for k in news if k in olds]
    changes = []
    for key in paired:
        changes += _compare_documents([olds[key]], [news[key]])
    declarations = [{k: v for k, v in doc.items() if k != "journeys"} for doc in (olds[k] for k in paired)]
    new_declarations = [{k: v for k, v in doc.items() if k != "journeys"} for doc in (news[k] for k in paired)]
    changes += _compare_documents([doc for k, doc in olds.items() if k not in news] + declarations,
                                  [doc for k, doc in news.items() if k not in olds] + new_declarations)
    import json

    once = {}
    for c in changes:
        once.setdefault(json.dumps(c.to_json(), sort_keys=True, default=str), c)
    return list(once.values())


def _root_key(doc: dict, base: str) -> str:
    """A compilation's root file (the first of its sources) relative to `base`."""
    sources = doc.get("sources") or [""]
    return os.path.relpath(sources[0], base).replace(os.sep, "/") if sources[0] else ""


def _compare_documents(old_docs: list[dict], new_docs: list[dict]) -> list[Change]:
    old, new = merge(old_docs), merge(new_docs)
    d = _Differ()
    for key, kind, field in TOP:
        if kind == "channel":  # built-in channels are there on both sides
            o = [c for c in old.get(key, []) if not c.get("builtin")]
            n = [c for c in new.get(key, []) if not c.get("builtin")]
        else:
            o, n = old.get(key), new.get(key)
        if kind == "journey":
            ok, nk = _keyed(o, field), _keyed(n, field)
            for k in ok:
                if k not in nk:
                    d.add("removed", kind, k, k, None, ok[k].get("title"), None, _breaking_removal(kind, "removed"))
            for k in nk:
                if k not in ok:
                    d.add("added", kind, k, k, None, None, nk[k].get("title"))
                else:
                    d.entity(kind, ok[k], nk[k], k, k)
        else:
            d.collection(kind, field, o, n, None, None)
    return d.changes


# ---------------------------------------------------------------------------
# showing values


def show(value) -> str:
    """A value as one line of text: targets and claim values as written
    (`>= 40%`, `14 days`), lists comma-separated, strings quoted."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    if isinstance(value, dict):
        if "op" in value and "number" in value:
            return f"{value['op']} {_quantity(value)}"
        if "number" in value and set(value) <= {"number", "unit", "kind", "text", "fact"}:
            return _quantity(value)
        if "to" in value and "loop_back" in value:
            label = f' "{value["label"]}"' if value.get("label") else ""
            return f"-> {value['to']}{label}" + (" (loop-back)" if value.get("loop_back") else "")
        if "text" in value and "tones" in value:  # a promise
            return f"{show(value['text'])} ({', '.join(value.get('tones') or [])})"
        if "kind" in value and "id" in value:
            return f"{value['kind']} {value['id']}"
        return ", ".join(f"{k} {show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def changed_texts(old: str, new: str, width: int = 80) -> tuple[str, str]:
    """Two versions of a text as `show` quotes them, white space runs read
    as one space; a long text is shown from a little before where the two
    first differ (a copy file's one changed sentence, not its first line)."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= width and len(new) <= width:
        return show(old), show(new)
    same = 0
    for a, b in zip(old, new):
        if a != b:
            break
        same += 1
    start = max(0, same - width // 3)

    def window(text: str) -> str:
        part = text[start:start + width - 6]
        return show(("..." if start else "") + part + ("..." if start + width - 6 < len(text) else ""))

    return window(old), window(new)


def _number(x) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x)


def _quantity(value: dict) -> str:
    unit = value.get("unit")
    if unit is None:
        return _number(value["number"])
    return f"{_number(value['number'])}{unit}" if unit == "%" else f"{_number(value['number'])} {unit}"


def describe(c: Change) -> str:
    """One line for people: `changed kpi trial_to_paid: target >= 18% -> >= 15%`."""
    if c.change == "changed":
        if isinstance(c.old, str) and isinstance(c.new, str):
            old, new = changed_texts(c.old, c.new)
            return f"{c.kind} {c.path}: {c.field} {old} -> {new}"
        return f"{c.kind} {c.path}: {c.field} {show(c.old)} -> {show(c.new)}"
    if c.change == "moved":
        return f"{c.kind} {c.path}: stage {c.old} -> {c.new}"
    if c.change == "renamed":
        return f"{c.kind} {c.path}: id {c.old} -> {c.new}"
    value = c.new if c.change == "added" else c.old
    return f"{c.kind} {c.path}" + (f": {show(value)}" if value is not None else "")


SIGNS = {"added": "+", "removed": "-", "changed": "~", "moved": ">", "renamed": "~"}


def summary_counts(changes: list[Change]) -> dict:
    counts = Counter(c.change for c in changes)
    return {"added": counts["added"], "removed": counts["removed"], "changed": counts["changed"],
            "moved": counts["moved"], "renamed": counts["renamed"],
            "breaking": sum(1 for c in changes if c.breaking)}


def summary_line(changes: list[Change], lint: "LintDelta | None" = None) -> str:
    n = summary_counts(changes)
    if not changes:
        text = "no semantic change"
    else:
        parts = [f"{n[k]} {k}" for k in ("added", "removed", "changed", "moved", "renamed") if n[k]]
        text = ", ".join(parts) + (f"; {n['breaking']} breaking" if n["breaking"] else "")
    if lint is not None:
        text += f"; lint: {len(lint.introduced)} introduced, {len(lint.fixed)} fixed"
    return text


def _groups(changes: list[Change]):
    """(title, changes): the top-level declarations first, then each journey."""
    top = [c for c in changes if c.journey is None]
    if top:
        yield "Declarations", top
    for j in dict.fromkeys(c.journey for c in changes if c.journey is not None):
        yield f"Journey `{j}`", [c for c in changes if c.journey == j]


def render_text(changes: list[Change], lint=None) -> str:
    out = [f"journeyc diff: {summary_line(changes, lint)}"]
    for title, group in _groups(changes):
        out.append("")
        out.append(title.replace("`", "") + ":")
        for c in group:
            mark = f"  [breaking: {c.breaking}]" if c.breaking else ""
            out.append(f"  {SIGNS[c.change]} {c.change} {_safe(describe(c))}{mark}")
    if lint is not None:
        out += _lint_text(lint)
    return "\n".join(out) + "\n"


def _safe(text: str) -> str:
    """Control characters shown visibly: one change stays one line."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in text)


def _md(text: str) -> str:
    """Text safe in a markdown table cell: no line break, `|` and markup escaped."""
    text = _safe(text)
    for ch in "\\`*_[]<>|#!":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(changes: list[Change], lint=None) -> str:
    n = summary_counts(changes)
    head = "**journeyc diff**: " + _md(summary_line(changes, lint))
    if n["breaking"]:
        head = "⚠️ " + head
    out = [head]
    for title, group in _groups(changes):
        out += ["", f"### {title}", "", "| change | what | old | new |", "| --- | --- | --- | --- |"]
        for c in group:
            what = f"{c.kind} `{_code(c.path)}`" + (f" {c.field}" if c.change == "changed" else "")
            change = f"**{c.change}**" + (f" ({_md(c.breaking)})" if c.breaking else "")
            old, new = _cells(c)
            out.append(f"| {change} | {what} | {old} | {new} |")
    if lint is not None:
        out += ["", "### Lint", ""]
        if not lint.introduced and not lint.fixed:
            out.append("No finding introduced or fixed.")
        else:
            out += ["| | code | where | message |", "| --- | --- | --- | --- |"]
            for sign, items in (("introduced", lint.introduced), ("fixed", lint.fixed)):
                for d in items:
                    out.append(f"| {sign} | {d.code} | `{_code(f'{d.span.file}:{d.span.line}')}` | {_md(d.message)} |")
    return "\n".join(out) + "\n"


def _code(text: str) -> str:
    return _safe(text).replace("`", "'").replace("|", "\\|")


def _cells(c: Change) -> tuple[str, str]:
    """The old and new values, each as a code span (nothing in it is markup)."""
    if c.change == "added":
        return "", _cell(show(c.new))
    if c.change == "removed":
        return _cell(show(c.old)), ""
    if c.change in ("moved", "renamed"):
        return _cell(str(c.old)), _cell(str(c.new))
    if isinstance(c.old, str) and isinstance(c.new, str):
        old, new = changed_texts(c.old, c.new)
        return _cell(old), _cell(new)
    return _cell(show(c.old)), _cell(show(c.new))


def _cell(text: str) -> str:
    return f"`{_code(text)}`"


def render_json(changes: list[Change], lint=None) -> str:
    import json

    doc = {"version": 1, "summary": summary_counts(changes), "changes": [c.to_json() for c in changes]}
    if lint is not None:
        from .render import diagnostic_to_json

        doc["lint"] = {"introduced": [dict(diagnostic_to_json(d), fingerprint=k) for k, d in lint.introduced_keyed],
                       "fixed": [dict(diagnostic_to_json(d), fingerprint=k) for k, d in lint.fixed_keyed]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}


# ---------------------------------------------------------------------------
# the lint delta


class LintDelta(NamedTuple):
    introduced_keyed: list  # (fingerprint, diagnostic) of the new side
    fixed_keyed: list  # ... of the old side

    @property
    def introduced(self):
        return [d for _, d in self.introduced_keyed]

    @property
    def fixed(self):
        return [d for _, d in self.fixed_keyed]


def lint_delta(old_diags, new_diags, old_base: str, new_base: str, old_root=None, new_root=None) -> LintDelta:
    """Findings keyed as a baseline keys them (journeyc/baseline.py: code,
    file relative to a base folder, entity), so moved lines do not count;
    identical keys are counted."""
    from .baseline import fingerprint

    def keyed(diags, base, root):
        out, seen = [], Counter()
        for d in diags:
            if d.is_compile_error:
                continue
            if root is not None and os.path.realpath(d.span.file) == os.path.realpath(root):
                d_key = d._replace(span=d.span._replace(file=os.path.join(base, "<root>")))
            else:
                d_key = d
            fp = fingerprint(d_key, base)
            seen[fp] += 1
            out.append((fp if seen[fp] == 1 else f"{fp}:{seen[fp]}", d))
        return out

    old = keyed(old_diags, old_base, old_root)
    new = keyed(new_diags, new_base, new_root)
    old_keys = {k for k, _ in old}
    new_keys = {k for k, _ in new}
    return LintDelta([(k, d) for k, d in new if k not in old_keys], [(k, d) for k, d in old if k not in new_keys])


def _lint_text(lint: LintDelta) -> list[str]:
    out = ["", "Lint:"]
    if not lint.introduced and not lint.fixed:
        out.append("  no finding introduced or fixed")
    for sign, word, items in (("+", "introduced", lint.introduced), ("-", "fixed", lint.fixed)):
        for d in items:
            out.append(f"  {sign} {word} {d.span.file}:{d.span.line}:{d.span.column}: {d.severity}[{d.code}] "
                       f"{_safe(d.message)}")
    return out


# ---------------------------------------------------------------------------
# the two sides


class Side(NamedTuple):
    documents: list  # the compiled JSON of each compilation
    diagnostics: list  # compile errors and lint findings (lint only when asked)
    errors: list  # compile errors
    source_line: object  # (path, line) -> text, for printing diagnostics


def compile_side(session, roots: list[str], config, lint: bool) -> Side:
    from .backends.json import to_json
    from .compiler import check_roots, compile_root
    from .diagnostics import merge

    if lint:
        run = check_roots(session, roots, config)
        results, diagnostics = run.results, run.diagnostics
    else:
        results = [compile_root(session, r) for r in roots]
        diagnostics = merge(d for r in results for d in r.errors)
    errors = [d for d in diagnostics if d.is_compile_error]
    docs = [to_json(r.compilation) for r in results if r.compilation is not None]
    texts = {lf.path: lf.source.text for lf in session.files.values() if lf.source is not None}

    def source_line(path, lineno):
        text = texts.get(path)
        if text is None:
            return None
        lines = text.split("\n")
        return lines[lineno - 1] if 0 < lineno <= len(lines) else None

    return Side(docs, diagnostics, errors, source_line)


class GitTree:
    """The `disk` of a Session that reads a git revision: every real path
    under the repository's top folder is answered from the revision (`git
    show REV:path`, read on first use), never from the working tree; a file
    the revision lacks does not exist, even where the working tree has it."""

    def __init__(self, git):
        self.git = git

    def _rel(self, real: str):
        top = self.git.top
        if not (real == top or real.startswith(top.rstrip(os.sep) + os.sep)):
            return None
        return os.path.relpath(real, top).replace(os.sep, "/")

    def not_readable(self, real: str) -> str | None:
        from .load import MAX_FILE_BYTES, not_readable

        rel = self._rel(real)
        if rel is None:  # outside the repository (--allow-imports-outside-root): the file system
            return not_readable(real)
        entry = self.git.listed.get(rel)
        if entry is None:
            prefix = rel.rstrip("/") + "/"
            if rel == "." or any(p.startswith(prefix) for p in self.git.listed):
                return f"is a folder at {self.git.ref}"
            return f"does not exist at {self.git.ref}"
        mode, size = entry
        if mode == "120000":
            return f"is a symbolic link at {self.git.ref} (links are not followed in a revision)"
        if size > MAX_FILE_BYTES:
            return (f"is too large at {self.git.ref} ({size / 2 ** 20:.0f} MB; journeyc reads files of up to "
                    f"{MAX_FILE_BYTES >> 20} MB)")
        return None

    def read(self, real: str) -> bytes:
        rel = self._rel(real)
        if rel is None:
            from .load import read_bytes

            return read_bytes(real)
        if self.not_readable(real):
            raise FileNotFoundError(2, f"{rel} is not a file at {self.git.ref}")
        return self.git.show(rel)


class Git:
    """The git command, run as a subprocess in one folder."""

    def __init__(self, ref: str, cwd: str = "."):
        from .errors import JourneycError

        self.ref = ref
        self.cwd = cwd
        top = self.run(["rev-parse", "--show-toplevel"], what="not inside a git repository").strip()
        self.top = os.path.realpath(top)
        if ref.startswith("-"):
            raise JourneycError(f"--against {ref}: not a revision")
        self.run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                 what=f"--against {ref}: no such revision in {self.top}")
        out = self.run(["ls-tree", "-r", "-z", "-l", "--full-tree", ref], cwd=self.top)
        self.listed: dict[str, tuple[str, int]] = {}  # the revision's files, relative to top: (mode, size)
        for entry in out.split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if path and len(parts) == 4 and parts[1] == "blob":
                self.listed[path] = (parts[0], int(parts[3]) if parts[3].isdigit() else 0)

    def run(self, args: list[str], what: str | None = None, cwd: str | None = None, binary: bool = False):
        import subprocess

        from .errors import JourneycError

        try:
            proc = subprocess.run(["git", *args], cwd=cwd or self.cwd, capture_output=True)
        except FileNotFoundError:
            raise JourneycError("--against needs git, and no `git` command was found") from None
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise JourneycError(what or f"git {' '.join(args)}: {detail[-1] if detail else 'failed'}")
        return proc.stdout if binary else proc.stdout.decode("utf-8", "surrogateescape")

    def show(self, rel: str) -> bytes:
        return self.run(["show", f"{self.ref}:{rel}"], cwd=self.top, binary=True)


class GitSession:
    """Builds a Session whose files come from a revision."""

    @staticmethod
    def make(git: Git, allow_imports_outside_root: bool):
        from .load import Session

        return Session(allow_imports_outside_root=allow_imports_outside_root, disk=GitTree(git))


def _old_roots(git: Git, session, paths: list[str]) -> list[str]:
    """The roots at the revision of the paths named (files and folders,
    relative to the working folder), chosen as `check` chooses them."""
    from .compiler import _import_targets, choose_roots

    named, found = [], []
    for p in paths:
        real = os.path.realpath(p)
        rel = os.path.relpath(real, git.top).replace(os.sep, "/")
        if rel in git.listed:
            named.append(p)
            continue
        prefix = "" if rel == "." else rel + "/"
        below = sorted(x for x in git.listed if x.startswith(prefix) and x.endswith(".journey")
                       and not any(part.startswith(".") for part in x[len(prefix):].split("/")[:-1]))
        for x in below:
            found.append(os.path.join(p, x[len(prefix):]).replace(os.sep, "/"))
    named = list(dict.fromkeys(named))
    found = sorted(dict.fromkeys(f for f in found if f not in named))
    return choose_roots(named, found, lambda f: _import_targets(session, f))


# ---------------------------------------------------------------------------
# the command


def run(old: str | None, new: str | None, against: str | None, paths: list[str], fmt: str = "text",
        lint: bool = False, fail_on_breaking: bool = False, config_path: str | None = None,
        allow_imports_outside_root: bool = False) -> int:
    """`journeyc diff`: prints the changes; returns the exit status."""
    import sys

    from .commands import EXIT_FINDINGS, EXIT_OK, emit_diagnostics
    from .compiler import discover_roots, read_paths_exist
    from .config import resolve_config
    from .load import Session

    if against is not None:
        paths = paths or ["."]
        read_paths_exist(paths)
        new_paths = paths
    else:
        read_paths_exist([old, new])
        new_paths = [new]
    config = resolve_config(list(new_paths), config_path) if lint else None
    new_session = Session(allow_imports_outside_root=allow_imports_outside_root)
    new_roots = discover_roots(new_session, list(new_paths))
    if against is not None:
        git = Git(against)
        old_session = GitSession.make(git, allow_imports_outside_root)
        old_roots = _old_roots(git, old_session, list(paths))
    else:
        old_session = Session(allow_imports_outside_root=allow_imports_outside_root)
        old_roots = discover_roots(old_session, [old])
    old_side = compile_side(old_session, old_roots, config, lint)
    new_side = compile_side(new_session, new_roots, config, lint)
    for label, side in (("old", old_side), ("new", new_side)):
        if side.errors:
            emit_diagnostics(side.errors, side.source_line, 1, "text", sys.stderr)
            sys.stderr.write(f"journeyc: the {label} side has compile errors: nothing to compare\n")
            return EXIT_FINDINGS
    if against is not None:
        changes = compare(old_side.documents, new_side.documents)
    else:
        changes = compare(old_side.documents, new_side.documents, _base(old), _base(new))
    delta = None
    if lint:
        if against is not None:
            delta = lint_delta(old_side.diagnostics, new_side.diagnostics, ".", ".")
        else:
            delta = lint_delta(old_side.diagnostics, new_side.diagnostics, _base(old), _base(new),
                               old if os.path.isfile(old) else None, new if os.path.isfile(new) else None)
    sys.stdout.write(RENDERERS[fmt](changes, delta))
    if fail_on_breaking and any(c.breaking for c in changes):
        return EXIT_FINDINGS
    return EXIT_OK


def _base(path: str) -> str:
    return path if os.path.isdir(path) else os.path.dirname(path) or "."

"""The typed model of a journey compilation: immutable records with spans.

Two layers live here:

* the **syntax** layer (`Name`, `Str`, `Num`, `Bool`, `Item`, `Block`,
  `SourceFile`) is what the parser's transformer constructs: blocks with their
  items in source order, nothing checked;
* the **model** layer (`Owner`, `Persona`, `Channel`, `Kpi`, `Journey`,
  `Stage`, `Touchpoint`, `Message`, `Claim`, ...) is what `build` makes of a
  syntax tree and `resolve` completes: typed fields, enumerations checked, and
  the derived facts (inferred phases, inherited owners, loop-backs, entries).

Every construct carries the span of its first token (`span`), as the
diagnostics table of LANGUAGE.md names it ("the stage" is the `stage`
keyword), and where it has one, the span of its identifier (`id.span`).

The records are named tuples (`journeyc.records.Record`, declared as
`typing.NamedTuple`s are): immutable, hashable, ordered field by field (so
spans sort by file, line and column) and cheap to make, both at import
(dataclasses generate and compile each class's methods when the module
loads, and typing.NamedTuple compiles each class's `__new__`: costs every
`check` would pay at start; tests/cli/test_launch.py keeps `dataclasses` and
`typing` out of a plain check) and when a large spec is parsed (about half
the cost of a frozen dataclass instance).
Being tuples, they compare by their fields alone: compare records of one kind.
`_replace` makes a changed copy.
"""

from __future__ import annotations

from .records import Record

# ---------------------------------------------------------------------------
# positions


class Span(Record):
    """A range of source text. Lines and columns count from 1; columns count
    code points; `end_column` is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


# ---------------------------------------------------------------------------
# syntax layer: what the parser constructs


class Name(Record):
    """An identifier as written, with its span."""

    text: str
    span: Span


class Str(Record):
    """A string literal, escapes decoded."""

    text: str
    span: Span


class Num(Record):
    """A number with an optional unit (`%` or a unit word). `value` is an int
    when written without a decimal point, else a float."""

    value: int | float
    unit: str | None
    span: Span


class Bool(Record):
    value: bool
    span: Span


Value = Num | Str | Bool


class Target(Record):
    """`target >= 40%`: a comparator and a number."""

    op: str
    number: Num
    span: Span  # the `target` keyword


class Item(Record):
    """A property inside a block: `owner growth`, `measure a, b`, `entry`.

    `key` is the property keyword (`owner`, `measure`, `->`, ...); `span` is the
    keyword's span; `args` holds the property's operands in source order."""

    key: str
    span: Span
    args: tuple


class Block(Record):
    """A declaration: `owner`, `persona`, `channel`, `kpi`, `journey`,
    `stage`, `touchpoint`, `opportunity`, `message`, `fact` or `promise`,
    with its items (an `import` is an Item at the top level)."""

    kind: str
    span: Span
    name: Name | None
    title: Str | None
    items: tuple  # of Item | Block, in source order
    end: Span | None = None  # its closing `}`; None for a declaration without a body


class Comment(Record):
    text: str
    span: Span
    alone: bool  # the comment stands alone on its line


class SourceFile(Record):
    """One parsed file: its display path, text and top-level blocks."""

    path: str  # the display path (CLI.md: as given, or joined with the import string)
    real_path: str  # the resolved path on disk, the file's identity
    text: str
    blocks: tuple  # of Block
    comments: tuple  # of Comment


# ---------------------------------------------------------------------------
# model layer: typed declarations


class Source(Record):
    kind: str  # first_party | third_party
    name: str | None
    span: Span


class Owner(Record):
    id: Name
    title: str | None
    description: str | None
    contact: str | None
    span: Span


class Persona(Record):
    id: Name
    title: str | None
    kind: str | None
    description: str | None
    span: Span


class Channel(Record):
    id: Name
    title: str | None
    span: Span


class Kpi(Record):
    id: Name
    title: str | None
    unit: str | None
    target: Target | None
    sources: tuple[Source, ...]
    cadence: str | None
    category: str | None
    description: str | None
    span: Span
    end: Span | None = None  # its closing `}` (Block.end); None for a KPI without a body


class Measure(Record):
    """`measure kpi` (or `measure kpi target >= 3`), or a KPI declared inside
    a stage, which measures it there (`declared=True`, no target)."""

    kpi: Name
    target: Target | None
    span: Span
    declared: bool = False


class Claim(Record):
    id: Name
    value: Value
    span: Span


class Message(Record):
    """A message. For `message from "path"`, `source` is the path as written
    and `text` holds the text the copy file contributes (set by resolve),
    with the path string's span. `figures` (journeyc.figures.Figure) are read
    from the text by resolve, each with the fact it is about."""

    text: Str
    tone: Name | None
    claims: tuple[Claim, ...]
    span: Span
    tone_span: Span | None = None  # the `tone` keyword (C003 reports there)
    source: Str | None = None  # the copy file's path as written (1.1)
    figures: tuple = ()  # of journeyc.figures.Figure, in text order (1.1)
    copy_path: str | None = None  # the copy file's display path, formed like an import's (1.1)


class Fact(Record):
    """`fact ID = VALUE { phrase ..., audience ..., description ... }` (1.1)."""

    id: Name
    value: Value
    phrases: tuple[Str, ...]  # as written; none: the id with `_` read as a space
    audience: tuple[Name, ...]
    description: str | None
    span: Span

    @property
    def phrase_texts(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.phrases) or (self.id.text.replace("_", " "),)


class Touchpoint(Record):
    id: Name
    title: str | None
    channel: Name | None
    area: str | None
    owner_ref: Name | None
    audience: tuple[Name, ...]
    measures: tuple[Measure, ...]
    score: Num | None
    recovery: bool
    messages: tuple[Message, ...]
    description: str | None
    span: Span
    # set by resolve: the owner after inheritance (touchpoint -> stage -> journey)
    owner: str | None = None
    owner_inherited: bool = False
    # the journey map (1.1)
    layer: str = "frontstage"  # frontstage | backstage | support
    recovers: tuple[Name, ...] = ()  # touchpoints of the journey whose failure this one answers
    action: str | None = None  # what the customer does here
    thought: str | None = None  # what the customer thinks here
    evidence: tuple[str, ...] = ()  # research behind the touchpoint
    confidence: str | None = None  # low | medium | high
    end: Span | None = None  # its closing `}` (Block.end)

    @property
    def customer_facing(self) -> bool:
        """Seen by the customer: a frontstage touchpoint (backstage and
        support ones are not)."""
        return self.layer == "frontstage"

    @property
    def pain_point(self) -> bool:
        """Score 1 or 2 (any score up to 2)."""
        return self.score is not None and self.score.value <= 2


class Transition(Record):
    to: Name
    label: str | None
    span: Span
    loop_back: bool = False  # set by resolve


class Stage(Record):
    id: Name
    title: str | None
    entry: bool
    declared_phase: Name | None
    owner_ref: Name | None
    measures: tuple[Measure, ...]
    kpis: tuple[Kpi, ...]
    touchpoints: tuple[Touchpoint, ...]
    transitions: tuple[Transition, ...]
    description: str | None
    span: Span
    # set by resolve
    phase: str | None = None
    phase_inferred: bool = False
    owner: str | None = None
    owner_inherited: bool = False
    # the journey map (1.1)
    goal: str | None = None  # what the customer wants to achieve here
    evidence: tuple[str, ...] = ()  # research behind the stage
    end: Span | None = None  # its closing `}` (Block.end)


class Opportunity(Record):
    """`opportunity ID "Title"? { for ..., owner, status, impact, description }`:
    something the team plans to improve (1.1)."""

    id: Name
    title: str | None
    for_refs: tuple[Name, ...]
    owner_ref: Name | None
    status: str  # idea | planned | in_progress | done | dropped
    impact: str | None  # low | medium | high
    description: str | None
    span: Span
    # set by resolve: each `for` as ("touchpoint" | "stage", id); the owner after inheritance
    targets: tuple[tuple[str, str], ...] = ()
    owner: str | None = None
    owner_inherited: bool = False


class Promise(Record):
    text: Str
    tones: tuple[Name, ...]
    span: Span


class Journey(Record):
    id: Name
    title: str | None
    model: str  # flywheel | funnel
    model_span: Span | None
    business: str | None
    business_span: Span | None
    owner_ref: Name | None
    promise: Promise | None
    description: str | None
    kpis: tuple[Kpi, ...]
    stages: tuple[Stage, ...]
    span: Span
    entries: tuple[str, ...] = ()  # set by resolve
    # the journey map (1.1)
    state: str = "current"  # current | future
    opportunities: tuple[Opportunity, ...] = ()
    end: Span | None = None  # its closing `}` (Block.end)

    @property
    def owner(self) -> str | None:
        return self.owner_ref.text if self.owner_ref else None


class Module(Record):
    """The model of one file: its declarations in source order."""

    file: SourceFile
    imports: tuple[Str, ...]
    owners: tuple[Owner, ...]
    personas: tuple[Persona, ...]
    channels: tuple[Channel, ...]
    kpis: tuple[Kpi, ...]  # top-level KPIs only; journey and stage KPIs live there
    journeys: tuple[Journey, ...]
    facts: tuple[Fact, ...] = ()
    copies: tuple[Str, ...] = ()  # the paths of `message from "path"`, in source order


class Compilation(Record):
    """A root file and every file it imports, resolved.

    Declarations are in compile order. The dictionaries index the shared
    namespace (first declaration wins; later ones are E003)."""

    root: str
    modules: tuple[Module, ...]
    owners: dict[str, Owner]
    personas: dict[str, Persona]
    channels: dict[str, Channel]
    kpis: dict[str, Kpi]  # every KPI, wherever declared
    journeys: tuple[Journey, ...]
    facts: dict = {}  # fact id -> Fact, in compile order (never mutated)
    copy_files: tuple[str, ...] = ()  # display paths of the copy files read, in compile order

    @property
    def sources(self) -> list[str]:
        """The journey files, then the copy files."""
        return [m.file.path for m in self.modules] + list(self.copy_files)

"""The typed model of a journey compilation: frozen dataclasses with spans.

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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# ---------------------------------------------------------------------------
# positions


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A range of source text. Lines and columns count from 1; columns count
    code points; `end_column` is exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column}


# ---------------------------------------------------------------------------
# syntax layer: what the parser constructs


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier as written, with its span."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Str:
    """A string literal, escapes decoded."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Num:
    """A number with an optional unit (`%` or a unit word). `value` is an int
    when written without a decimal point, else a float."""

    value: Union[int, float]
    unit: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Bool:
    value: bool
    span: Span


Value = Union[Num, Str, Bool]


@dataclass(frozen=True, slots=True)
class Target:
    """`target >= 40%`: a comparator and a number."""

    op: str
    number: Num
    span: Span  # the `target` keyword


@dataclass(frozen=True, slots=True)
class Item:
    """A property inside a block: `owner growth`, `measure a, b`, `entry`.

    `key` is the property keyword (`owner`, `measure`, `->`, ...); `span` is the
    keyword's span; `args` holds the property's operands in source order."""

    key: str
    span: Span
    args: tuple


@dataclass(frozen=True, slots=True)
class Block:
    """A declaration: `import`, `owner`, `persona`, `channel`, `kpi`,
    `journey`, `stage`, `touchpoint` or `message`, with its items."""

    kind: str
    span: Span
    name: Name | None
    title: Str | None
    items: tuple  # of Item | Block, in source order
    has_body: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    span: Span
    alone: bool  # the comment stands alone on its line


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One parsed file: its display path, text and top-level blocks."""

    path: str  # the display path (CLI.md: as given, or joined with the import string)
    real_path: str  # the resolved path on disk, the file's identity
    text: str
    blocks: tuple  # of Block
    comments: tuple  # of Comment


# ---------------------------------------------------------------------------
# model layer: typed declarations


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # first_party | third_party
    name: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Owner:
    id: Name
    title: str | None
    description: str | None
    contact: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Persona:
    id: Name
    title: str | None
    kind: str | None
    description: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Channel:
    id: Name
    title: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Kpi:
    id: Name
    title: str | None
    unit: str | None
    target: Target | None
    sources: tuple[Source, ...]
    cadence: str | None
    category: str | None
    description: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Measure:
    """`measure kpi` (or `measure kpi target >= 3`), or a KPI declared inside
    a stage, which measures it there (`declared=True`, no target)."""

    kpi: Name
    target: Target | None
    span: Span
    declared: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    id: Name
    value: Value
    span: Span


@dataclass(frozen=True, slots=True)
class Message:
    text: Str
    tone: Name | None
    claims: tuple[Claim, ...]
    span: Span
    tone_span: Span | None = None  # the `tone` keyword (C003 reports there)


@dataclass(frozen=True, slots=True)
class Touchpoint:
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


@dataclass(frozen=True, slots=True)
class Transition:
    to: Name
    label: str | None
    span: Span
    loop_back: bool = False  # set by resolve


@dataclass(frozen=True, slots=True)
class Stage:
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


@dataclass(frozen=True, slots=True)
class Promise:
    text: Str
    tones: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Journey:
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

    @property
    def owner(self) -> str | None:
        return self.owner_ref.text if self.owner_ref else None


@dataclass(frozen=True, slots=True)
class Module:
    """The model of one file: its declarations in source order."""

    file: SourceFile
    imports: tuple[Str, ...]
    owners: tuple[Owner, ...]
    personas: tuple[Persona, ...]
    channels: tuple[Channel, ...]
    kpis: tuple[Kpi, ...]  # top-level KPIs only; journey and stage KPIs live there
    journeys: tuple[Journey, ...]


@dataclass(frozen=True)
class Compilation:
    """A root file and every file it imports, resolved.

    Declarations are in compile order. The dictionaries index the shared
    namespace (first declaration wins; later ones are E003)."""

    root: str
    modules: tuple[Module, ...]
    owners: dict[str, Owner] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)  # every KPI, wherever declared
    journeys: tuple[Journey, ...] = ()

    @property
    def sources(self) -> list[str]:
        return [m.file.path for m in self.modules]

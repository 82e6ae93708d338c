"""The compile errors E001-E010, declared once (LANGUAGE.md, Diagnostics).

Compile errors are always errors and cannot be selected, ignored or
suppressed. Lint rules are declared next to their checks in
`journeyc.lint.rules` (`@rule`, journeyc.lint.rule)."""

from __future__ import annotations

from .diagnostics import ERROR, Diagnostic, Related
from .model import Span
from .records import Record


class CompileError(Record):
    code: str
    name: str
    summary: str
    doc: str
    severity: str = ERROR

    def at(self, span: Span, message: str, related: tuple[Related, ...] = (), suggestion: str | None = None) -> Diagnostic:
        return Diagnostic(self.code, self.name, ERROR, message, span, related, suggestion)


E001 = CompileError(
    "E001", "syntax-error", "The text does not parse.",
    "Reported at the unexpected token or character (for an unterminated string, its opening quote; "
    "at the end of input, just after the last token), saying in words what was expected there. "
    "The parser resynchronises and reports each mistake once.")
E002 = CompileError(
    "E002", "undefined-reference", "A reference names no declaration of the kind expected there.",
    "An owner, KPI, persona or stage reference that names nothing of that kind. The message says "
    "when the name belongs to another kind; the suggestion is the closest name of the right kind.")
E003 = CompileError(
    "E003", "duplicate-definition", "A name is declared twice.",
    "Owners, personas, channels, KPIs, facts and journeys share one namespace per compilation; stage and "
    "touchpoint ids are unique within their journey. Reported at the later declaration; related: the earlier.")
E004 = CompileError(
    "E004", "import-not-found", "An imported file does not exist or cannot be read.",
    "Import paths are relative to the importing file. Also a copy file (`message from \"path\"`) "
    "that does not exist or cannot be read: its path is relative to the journey file.")
E005 = CompileError(
    "E005", "import-cycle", "Files import each other in a loop.",
    "Reported at the import that closes the cycle, following compile order from the root; the "
    "message spells out the cycle.")
E006 = CompileError(
    "E006", "invalid-value", "A value lies outside its range.",
    "A score outside 1..5, a percent target outside 0..100, or a journey with no stage.")
E007 = CompileError(
    "E007", "unknown-keyword-value", "A value outside an enumeration.",
    "An enumerated property takes one of a fixed set of words (`journeyc explain E007` lists them by "
    "keyword); the suggestion is the closest. A misspelt word there is this error, not a syntax error. "
    "Tones and channels are not enumerations: a tone is any word (C003 checks it against the promise), "
    "a channel is built in or declared (X005).")
E008 = CompileError(
    "E008", "invalid-encoding", "The file is not valid UTF-8 or contains a NUL byte.",
    "Reported at line 1, column 1 of the file (a journey file or a copy file).")
E009 = CompileError(
    "E009", "duplicate-property", "A once-only property is given twice in one block.",
    "Reported at the later property's keyword.")
E010 = CompileError(
    "E010", "import-outside-root", "An import resolves outside the project root.",
    "The project root is the nearest folder, from the root file's folder upward, holding "
    "journeyc.toml, pyproject.toml or .git (else the root file's folder). Absolute import paths are "
    "always refused; --allow-imports-outside-root lifts the check. Copy files (`message from`) "
    "follow the same rules.")

COMPILE_ERRORS: tuple[CompileError, ...] = (E001, E002, E003, E004, E005, E006, E007, E008, E009, E010)

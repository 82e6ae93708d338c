"""Parsing: text -> syntax (journeyc.model.SourceFile) and its syntax
errors, with one entry point, `parse`.

    journey.lark   the grammar (package data; `grammar/journey.lark` at the
                   top of a checkout links here)
    grammar        where the grammar file is, and its text
    callbacks      the rule callbacks: tokens and children -> syntax nodes,
                   shared by both parsers
    tables         the fast driver's tables, derived from the grammar and
                   shipped (`python -m journeyc.parsing.tables`)
    driver         the fast driver: text that parses, no Lark
    larkparser     Lark: the one module that touches Lark's internals
    recovery       text with errors: Lark's parser with recovery
    wording        syntax errors (E001) in words

Text that parses is parsed once, by the driver; text that does not is
parsed by the driver up to its first error, then once by Lark with
recovery, which reports every error. Lark is imported only then.
"""
from __future__ import annotations

from . import driver


def parse(text: str, path: str, real_path: str | None = None, on_decl=None):
    """(SourceFile, diagnostics) of decoded text (byte order mark removed):
    the file's syntax, then its syntax errors (E001, every one) and the
    numbers too large to hold (E006).

    With `on_decl`, each top-level declaration of text that parses goes to
    `on_decl(decl)` as soon as it is parsed, and the SourceFile's blocks
    keep only those for which it returns true. Text with a syntax error is
    then parsed again whole (every declaration in its blocks), after
    `on_decl(None)`: the declarations it was given are void."""
    parsed = driver.parse_source(text, path, real_path, on_decl)
    if parsed is not None:
        return parsed
    if on_decl is not None:
        on_decl(None)
    from .recovery import parse_with_recovery

    return parse_with_recovery(text, path, real_path)

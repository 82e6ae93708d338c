"""The lint engine: runs every rule of the registry over the compilations of a
run, then applies suppression comments, S001, the configuration (select,
ignore, per-file-ignores, severities) and the dedupe rule.

Every rule runs, enabled or not: LANGUAGE.md defines when a rule *fires*
independently of configuration, and S001 needs to know whether a comment
suppressed a diagnostic that fired. Only what is enabled is reported.

A rule that raises does not crash journeyc: the engine raises `RuleCrash`,
which the CLI reports on one line naming the rule (exit 2)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..config import Config
from ..diagnostics import Diagnostic, merge
from ..model import Compilation
from ..suppress import Suppressions
from .context import CompilationContext, RunContext
from ..errors import RuleCrash
from ..gcpause import gc_paused
from .rule import COMPILATION, RUN, SUPPRESSION, Rule


def _run_rule(rule: Rule, *args) -> list[Diagnostic]:
    """One rule's check over a compilation's or the run's context."""
    try:
        return list(rule.check(rule, *args))
    except Exception as e:  # noqa: BLE001 - reported as RuleCrash, with the rule named
        raise RuleCrash(rule, e) from e


def run_rules(compilations: Sequence[Compilation], config: Config,
              rules: Iterable[Rule]) -> tuple[list[Diagnostic], RunContext]:
    """Every rule run over the compilations: every diagnostic that *fires*
    (LANGUAGE.md's word: before suppression and configuration), merged, and
    the run's context (which the suppression rule reads)."""
    contexts = [CompilationContext(c, config) for c in compilations]
    run = RunContext(contexts, config)
    fired: list[Diagnostic] = []
    for rule in rules:
        if rule.scope == COMPILATION:
            for ctx in contexts:
                fired.extend(_run_rule(rule, ctx))
        elif rule.scope == RUN:
            fired.extend(_run_rule(rule, run))
    return merge(fired), run


def _copy_lines(compilations: Sequence[Compilation]):
    """(copy file, journey file, line) of every `message from` of the run."""
    for c in compilations:
        if not c.copy_files:
            continue
        for j in c.journeys:
            for s in j.stages:
                for t in s.touchpoints:
                    for m in t.messages:
                        if m.source is not None:
                            yield m.copy_path, m.span.file, m.span.line
                            if m.source.span.line != m.span.line:
                                yield m.copy_path, m.span.file, m.source.span.line


def lint(compilations: Sequence[Compilation], config: Config | dict | None = None,
         rules: Sequence[Rule] | None = None) -> list[Diagnostic]:
    """The lint diagnostics of a run: deduplicated, sorted, suppressions,
    selection and severities applied."""
    if config is None:
        config = Config()
    elif isinstance(config, dict):  # the [tool.journeyc] table as Python data
        from ..config import from_table

        config = from_table(config)
    if rules is None:
        from . import rules as registry

        rules = registry.RULES
    with gc_paused(sum(len(m.file.text) for c in compilations for m in c.modules)):
        return _lint(compilations, config, rules)


def _lint(compilations: Sequence[Compilation], config: Config, rules: Sequence[Rule]) -> list[Diagnostic]:
    fired, run = run_rules(compilations, config, rules)
    suppressions = Suppressions((m.file for c in compilations for m in c.modules), _copy_lines(compilations))
    kept = [d for d in fired if not suppressions.suppress(d)]
    for rule in rules:
        if rule.scope == SUPPRESSION:
            found = _run_rule(rule, run, suppressions, config.enabled)
            # Only a comment that names the code silences S001 (never a bare ignore).
            kept.extend(d for d in found if not suppressions.suppress(d, explicit_only=True))
    out = []
    for d in kept:
        if not config.enabled(d.code, d.span.file):
            continue
        severity = config.severity_of(d.code, d.severity)
        out.append(d if severity == d.severity else d._replace(severity=severity))
    return merge(out)

"""Measurement rules (M): every stage measured, after the sale too, with
first-party data, targets, and the KPIs the business model needs."""
from __future__ import annotations

from ...diagnostics import INFO, WARNING
from ...language import BUSINESS_CATEGORIES
from ..context import CompilationContext, RunContext, stage_path, touchpoint_path
from ..rule import RUN, Rule, rule
from ...text import and_list
from ...wording import name_of

REVENUE_CATEGORIES = ("revenue", "conversion")


@rule("M001", "unmeasured-stage", WARNING, "Neither the stage nor any of its touchpoints measures a KPI.",
      bad='''
          kpi signups { target >= 100 source first_party }
          journey j {
            stage discover { measure signups -> onboarding }
            stage onboarding "Onboarding" { phase conversion -> discover }
          }
      ''',
      good='''
          kpi signups { target >= 100 source first_party }
          kpi activation { target >= 40% source first_party }
          journey j {
            stage discover { measure signups -> onboarding }
            stage onboarding "Onboarding" { phase conversion measure activation -> discover }
          }
      ''')
def unmeasured_stage(r: Rule, ctx: CompilationContext):
    """A stage where nothing is measured: neither the stage nor any of its
    touchpoints has a `measure`, and no KPI is declared inside it.

    What is not measured cannot be improved, and nobody notices when it gets
    worse. Every stage of the journey needs at least one KPI that tells the
    team whether customers get through it well.

    Not reported on a post-sale stage when M002 already says that nothing
    after the sale is measured."""
    for j in ctx.journeys:
        for s in j.stages:
            if ctx.stage_measures(s):
                continue
            if s.phase == "post_sale" and ctx.no_post_sale_kpi(j):
                continue
            yield r.at(s.span,
                       f"{name_of('stage', s)} measures nothing: add 'measure <kpi>' so the team can tell whether "
                       f"{s.id.text} works",
                       entity=stage_path(j, s))


@rule("M002", "no-post-sale-kpi", WARNING, "None of the journey's `post_sale` stages measures a KPI.",
      bad='''
          kpi orders { target >= 100 source first_party }
          journey shop {
            stage browse { measure orders -> buy }
            stage buy { phase conversion measure orders -> deliver }
            stage deliver { -> buy "reorder" }
          }
      ''',
      good='''
          kpi orders { target >= 100 source first_party }
          kpi repeat_rate { category retention target >= 30% source first_party }
          journey shop {
            stage browse { measure orders -> buy }
            stage buy { phase conversion measure orders -> deliver }
            stage deliver { measure repeat_rate -> buy "reorder" }
          }
      ''')
def no_post_sale_kpi(r: Rule, ctx: CompilationContext):
    """A journey whose post-sale stages measure nothing, neither in the
    stages nor in their touchpoints.

    Measuring stops at the sale, so the team sees how many customers it wins
    and never how many it keeps, how satisfied they are, or whether they buy
    again. Retention, repeat purchase and satisfaction are measured after the
    sale."""
    for j in ctx.journeys:
        if ctx.no_post_sale_kpi(j):
            names = [name_of("", s) for s in ctx.post_sale_stages(j)]
            yield r.at(j.span,
                       f"{name_of('journey', j)} measures nothing after the sale: none of its post-sale stages "
                       f"({', '.join(names)}) nor their touchpoints measures a KPI; measure retention, repeat "
                       "purchase or satisfaction there to see whether customers stay",
                       entity=j.id.text)


@rule("M003", "third-party-only-kpi", WARNING, "Every source of the KPI is third-party.", scope=RUN,
      bad='''
          kpi brand_lift "Brand lift" { source third_party "Survey panel" target >= 5% }
          journey j { stage a { measure brand_lift } }
      ''',
      good='''
          kpi brand_lift "Brand lift" {
            source third_party "Survey panel"
            source first_party "Post-purchase survey"
            target >= 5%
          }
          journey j { stage a { measure brand_lift } }
      ''')
def third_party_only_kpi(r: Rule, run: RunContext):
    """A KPI that has sources, all of them `third_party`.

    Third-party data (ad platforms, panels, data brokers) is sampled,
    modelled and can disappear when a vendor changes its terms. First-party
    data, collected from your own customers with their consent, is the
    dependable base; keep the third-party source beside it if it helps.

    Not reported on a KPI that nothing measures (M007 says that)."""
    for k in run.kpis.values():
        if k.sources and all(src.kind == "third_party" for src in k.sources) and not run.unused_kpi(k):
            yield r.at(k.span,
                       f"{name_of('KPI', k)} comes only from third-party sources: add a first-party source "
                       "(`source first_party \"...\"`), data you collect from your own customers, so the "
                       "measure does not depend on someone else's sample",
                       entity=f"kpi:{k.id.text}")


@rule("M004", "kpi-without-target", WARNING, "Neither the KPI nor any `measure` of it gives a target.", scope=RUN,
      bad='''
          kpi nps "Net promoter score" { source first_party }
          journey j { stage a { measure nps } }
      ''',
      good='''
          kpi nps "Net promoter score" { source first_party target >= 40 }
          journey j { stage a { measure nps } }
      ''')
def kpi_without_target(r: Rule, run: RunContext):
    """A KPI with no target: neither its declaration nor any `measure` of it,
    in any compilation of the run, says what value the team aims for.

    A number without a target is a number nobody acts on: the team cannot
    tell whether 30% is good news or an alarm. Give the KPI a target, or
    give each stage that measures it its own (`measure nps target >= 40`).

    Not reported on a KPI that nothing measures (M007 says that)."""
    for k in run.kpis.values():
        if k.target is None and k.span not in run.targeted and not run.unused_kpi(k):
            yield r.at(k.span,
                       f"{name_of('KPI', k)} has no target: add `target <comparator> <number>` to it, or to a "
                       f"`measure {k.id.text} target ...`, so the team knows what good looks like",
                       entity=f"kpi:{k.id.text}")


@rule("M005", "revenue-only-post-sale", WARNING,
      "A touchpoint of a `post_sale` stage measures only revenue or conversion KPIs.",
      bad='''
          kpi reorder_revenue { category revenue target >= 1000 source first_party }
          journey j {
            stage buy { phase conversion -> care }
            stage care {
              touchpoint promo "Reorder promo" { channel email measure reorder_revenue }
              -> buy
            }
          }
      ''',
      good='''
          kpi reorder_revenue { category revenue target >= 1000 source first_party }
          kpi repeat_rate { category retention target >= 30% source first_party }
          journey j {
            stage buy { phase conversion -> care }
            stage care {
              touchpoint promo "Reorder promo" { channel email measure reorder_revenue, repeat_rate }
              -> buy
            }
          }
      ''')
def revenue_only_post_sale(r: Rule, ctx: CompilationContext):
    """A touchpoint in a post-sale stage whose KPIs all have category
    `revenue` or `conversion`.

    After the sale, a touchpoint judged only by the money it brings in gets
    optimised into a sales push, and the customer feels it. Measure what the
    customer gets from it as well: retention, satisfaction, engagement,
    advocacy."""
    for j in ctx.journeys:
        for s in ctx.post_sale_stages(j):
            for t in s.touchpoints:
                if not t.measures:
                    continue
                kpis = [ctx.kpi(m) for m in t.measures]
                if all(k.category in REVENUE_CATEGORIES for k in kpis):
                    names = list(dict.fromkeys(name_of("", k) for k in kpis))
                    yield r.at(t.span,
                               f"{name_of('touchpoint', t)} in post-sale {name_of('stage', s)} measures only revenue "
                               f"or conversion KPIs ({', '.join(names)}): also measure what it does for the "
                               "customer (retention, satisfaction, engagement)",
                               entity=touchpoint_path(j, s, t))


@rule("M006", "business-model-kpis", WARNING,
      "The journey's KPIs miss a category that its business model needs.",
      bad='''
          kpi reach { category acquisition target >= 1000 source first_party }
          kpi churn { category retention target <= 3% source first_party }
          journey j {
            business subscription
            stage discover { measure reach -> subscribe }
            stage subscribe { phase conversion measure churn -> discover }
          }
      ''',
      good='''
          kpi reach { category acquisition target >= 1000 source first_party }
          kpi churn { category retention target <= 3% source first_party }
          kpi weekly_active { category engagement target >= 60% source first_party }
          kpi expansion_mrr { category expansion target >= 5000 source first_party }
          journey j {
            business subscription
            stage discover { measure reach -> subscribe }
            stage subscribe { phase conversion measure churn, weekly_active, expansion_mrr -> discover }
          }
      ''')
def business_model_kpis(r: Rule, ctx: CompilationContext):
    """A journey with a `business` model whose measured KPIs (in its stages
    and touchpoints) leave out a category that the model needs.

    The business model decides what success means. A subscription lives on
    acquisition, engagement, retention and expansion: customers who sign up,
    use the product, stay and grow. A transactional business lives on
    acquisition, return frequency and spend per visit. A journey that
    measures none of one of these is blind to half of how it makes money.
    One finding lists every missing category."""
    for j in ctx.journeys:
        if j.business is None or j.business_span is None:
            continue
        needed = BUSINESS_CATEGORIES[j.business]
        have = {k.category for k in ctx.measured_kpis(j)}
        missing = [c for c in needed if c not in have]
        if missing:
            yield r.at(j.business_span,
                       f"{name_of('journey', j)} is a {j.business} business but measures no KPI of categor"
                       f"{'ies' if len(missing) > 1 else 'y'} {and_list(missing)}: a {j.business} business needs "
                       f"{and_list(list(needed))}; measure a KPI with "
                       f"{and_list([f'`category {c}`' for c in missing])} in its stages",
                       entity=f"{j.id.text}#business")


@rule("M007", "unused-kpi", INFO, "A declared KPI is measured nowhere.", scope=RUN,
      bad='''
          kpi activation { target >= 40% source first_party }
          kpi old_metric "Legacy metric" { target >= 1 source first_party }
          journey j { stage a { measure activation } }
      ''',
      good='''
          kpi activation { target >= 40% source first_party }
          journey j { stage a { measure activation } }
      ''')
def unused_kpi(r: Rule, run: RunContext):
    """A KPI that no stage or touchpoint measures, in any compilation of the
    run (a KPI declared inside a stage is measured there).

    A KPI in the catalogue that nothing measures is either a gap (the stage
    that should track it forgot) or clutter that makes the catalogue harder
    to trust."""
    for k in run.kpis.values():
        if run.unused_kpi(k):
            yield r.at(k.span,
                       f"{name_of('KPI', k)} is measured nowhere: measure it where it matters "
                       f"(`measure {k.id.text}` in a stage or touchpoint) or remove it",
                       entity=f"kpi:{k.id.text}")


# A KPI's `unit` -> the kinds of unit (journeyc.units.kind) its targets may carry.
# A target without a unit always fits.
_TARGET_KINDS = {
    "percent": ("percent",),
    "days": ("duration",), "hours": ("duration",), "minutes": ("duration",),
    "currency": ("money",),
    "count": (), "ratio": (), "score": (),
}
_KIND_WORDS = {"percent": "a percentage (`%` or `percent`)", "duration": "a duration (`days`, `hours`, ...)",
               "money": "money (a currency such as `USD`)"}


@rule("M008", "target-unit-mismatch", WARNING, "A target's unit does not fit its KPI's `unit`.",
      bad='''
          kpi resolution "Resolution time" { unit hours target <= 24% }
          journey j {
            stage support { measure resolution target <= 2 USD }
          }
      ''',
      good='''
          kpi resolution "Resolution time" { unit hours target <= 24 hours }
          journey j {
            stage support { measure resolution target <= 2 days }
          }
      ''')
def target_unit_mismatch(r: Rule, ctx: CompilationContext):
    """A target (on the KPI, or in a `measure`) whose unit does not fit the
    KPI's `unit`: `percent` takes `%` or `percent`; `days`, `hours` and
    `minutes` take a duration (`2 weeks`, `48 hours`; working days too);
    `currency` takes money (`50 USD`, `50 dollars`); `count`, `ratio` and
    `score` take neither `%` nor a unit word.

    A target in the wrong unit cannot be checked against what the KPI
    measures, and usually hides a typo (`target <= 30%` on a time to
    resolve). A target without a unit, or a KPI without `unit`, always fits.
    Units are read as journeyc.units reads them everywhere."""
    from ...units import dimension, kind

    def check(k, number, entity):
        if k.unit is None or number.unit is None:
            return None
        allowed = _TARGET_KINDS.get(k.unit)
        if allowed is None:
            return None
        found = kind(dimension(number.unit))
        if found in allowed:
            return None
        written = f"{number.value}%" if number.unit == "%" else f"{number.value} {number.unit}"
        wants = _KIND_WORDS[allowed[0]] if allowed else "a plain number (no `%`, no unit word)"
        return r.at(number.span,
                    f"target {written} does not fit KPI '{k.id.text}', measured in {k.unit}: write the target "
                    f"as {wants}, or correct the KPI's `unit`",
                    entity=entity)

    for k in ctx.comp.kpis.values():
        if k.target is not None:
            found = check(k, k.target.number, f"kpi:{k.id.text}")
            if found:
                yield found
    for j, s in ctx.stages():
        measures = [(m, stage_path(j, s)) for m in s.measures]
        measures += [(m, touchpoint_path(j, s, t)) for t in s.touchpoints for m in t.measures]
        for m, path in measures:
            if m.target is not None and m.kpi.text in ctx.comp.kpis:
                found = check(ctx.kpi(m), m.target.number, f"{path}#measure:{m.kpi.text}")
                if found:
                    yield found

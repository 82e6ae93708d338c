"""Flow rules (F): how customers move through a journey. A journey should
not end at the sale; every stage should be reachable and lead somewhere."""
from __future__ import annotations

from ...diagnostics import WARNING
from ...language import CONVERSION, PRE_SALE
from ..context import CompilationContext, stage_path
from ..rule import Rule, rule


@rule("F001", "no-loop-back", WARNING, "A journey with `post_sale` stages never loops back: a funnel that ends.",
      bad='''
          journey shop "Online shop" {
            stage browse { -> buy }
            stage buy { phase conversion -> delivery }
            stage delivery "Delivery" { }
          }
      ''',
      good='''
          journey shop "Online shop" {
            stage browse { -> buy }
            stage buy { phase conversion -> delivery }
            stage delivery "Delivery" { -> buy "reorder" }
          }
      ''')
def no_loop_back(r: Rule, ctx: CompilationContext):
    """A journey that has post-sale stages but no transition from a post-sale
    stage back to a pre-sale or conversion stage (a *loop-back*).

    Such a journey is a funnel: every customer is a one-off sale, and what
    happens after the purchase feeds nothing. In a flywheel the end of the
    journey starts the next cycle: a reorder, a renewal, a referral that brings
    a new prospect in. Customers who are looked after after the sale come back
    and bring others; the journey should say how.

    Not reported on a journey declared `model funnel`, for journeys that
    really do end (a one-time event, a recall)."""
    for j in ctx.journeys:
        post = ctx.post_sale_stages(j)
        if j.model == "funnel" or not post or ctx.has_loop_back(j):
            continue
        target = next((s for s in j.stages if s.phase == CONVERSION), None) or \
            next((s for s in j.stages if s.phase == PRE_SALE), None)
        last = post[-1]
        suggestion = (f"add `-> {target.id.text} \"reorder\"` (or a referral, a renewal) to stage "
                      f"'{last.id.text}'" if target else None)
        yield r.at(j.span,
                   f"journey '{j.id.text}' never loops back: none of its post-sale stages leads to a pre-sale "
                   "or conversion stage, so every customer is a one-off sale; add a transition that starts "
                   "the next cycle (a reorder, renewal or referral), or declare `model funnel` if the journey "
                   "really ends",
                   suggestion=suggestion, entity=j.id.text)


@rule("F002", "unreachable-stage", WARNING, "No path of transitions leads to the stage from an entry stage.",
      bad='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion -> renew }
            stage renew { -> buy "renewal" }
            stage upsell "Upsell" { -> renew }
          }
      ''',
      good='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion -> renew }
            stage renew { -> buy "renewal" -> upsell }
            stage upsell "Upsell" { -> renew }
          }
      ''')
def unreachable_stage(r: Rule, ctx: CompilationContext):
    """A stage that no path of transitions reaches from an entry stage (the
    stages marked `entry`, or else the first stage).

    Customers cannot get there, so its touchpoints, owners and KPIs describe
    an experience nobody has. Usually a transition was forgotten or points at
    the wrong stage; sometimes the stage is a second way in and should be
    marked `entry`."""
    for j in ctx.journeys:
        for s in j.stages:
            if ctx.unreachable(j, s):
                entries = ", ".join(f"'{e}'" for e in j.entries)
                yield r.at(s.span,
                           f"stage '{s.id.text}' cannot be reached: no path of transitions leads to it from "
                           f"the entry stage{'s' if len(j.entries) != 1 else ''} {entries}; add a transition "
                           f"to it (`-> {s.id.text}`) from a stage customers pass through, or mark it `entry`",
                           entity=stage_path(j, s))


@rule("F003", "dead-end-stage", WARNING,
      "A stage of a looping journey has no outgoing transition: customers stop there.",
      bad='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion -> onboard -> support }
            stage onboard { -> buy "upgrade" }
            stage support "Support" { }
          }
      ''',
      good='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion -> onboard -> support }
            stage onboard { -> buy "upgrade" }
            stage support "Support" { -> onboard "back to using the product" }
          }
      ''')
def dead_end_stage(r: Rule, ctx: CompilationContext):
    """A stage with no outgoing transition in a journey that otherwise loops
    back.

    The journey is meant to be a cycle, yet customers who reach this stage
    leave it: after a support contact, a cancellation attempt or a delivery,
    nothing says what happens next. Add the transition that brings them back
    into the cycle. Not reported on a stage nobody can reach (F002 says that)."""
    for j in ctx.journeys:
        if not ctx.has_loop_back(j):
            continue
        back_to = next(tr.to.text for s in j.stages for tr in s.transitions if tr.loop_back)
        for s in j.stages:
            if not s.transitions and not ctx.unreachable(j, s):
                yield r.at(s.span,
                           f"stage '{s.id.text}' is a dead end: customers who reach it go nowhere, while "
                           f"journey '{j.id.text}' otherwise loops back; add a transition from it that brings "
                           "them back into the cycle",
                           suggestion=f"add `-> {back_to}` to stage '{s.id.text}'" if back_to != s.id.text else None,
                           entity=stage_path(j, s))


@rule("F004", "no-conversion-stage", WARNING, "No stage of the journey has `phase conversion`.",
      bad='''
          journey j {
            stage discover { -> buy }
            stage buy "Checkout" { -> discover }
          }
      ''',
      good='''
          journey j {
            stage discover { -> buy }
            stage buy "Checkout" { phase conversion -> discover }
          }
      ''')
def no_conversion_stage(r: Rule, ctx: CompilationContext):
    """A journey in which no stage is marked `phase conversion`.

    The conversion stage is where a prospect becomes a customer; stages
    before it are pre-sale, stages after it post-sale. Without it journeyc
    cannot tell which stages look after existing customers, so the rules
    about the experience after the sale (F001, M002, M005, X002) cannot
    help. Mark the stage where customers buy, sign or subscribe."""
    for j in ctx.journeys:
        if not ctx.has_conversion(j):
            yield r.at(j.span,
                       f"journey '{j.id.text}' has no conversion stage: mark the stage where customers buy, sign "
                       "or subscribe with `phase conversion`, so the stages before and after it are known to be "
                       "pre-sale and post-sale",
                       entity=j.id.text)

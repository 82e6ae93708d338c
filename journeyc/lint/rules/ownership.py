"""Ownership rules (O): every stage has a team that answers for it, and the
owner list stays true."""
from __future__ import annotations

from ...diagnostics import INFO, WARNING
from ..context import CompilationContext, RunContext, stage_path
from ..rule import RUN, Rule, rule
from ...wording import name_of


@rule("O001", "unowned-stage", WARNING, "The stage has no owner and its journey no default owner.",
      bad='''
          owner growth
          journey j {
            stage discover { owner growth -> onboard }
            stage onboard "Onboarding" { }
          }
      ''',
      good='''
          owner growth
          owner cs "Customer success"
          journey j {
            stage discover { owner growth -> onboard }
            stage onboard "Onboarding" { owner cs }
          }
      ''')
def unowned_stage(r: Rule, ctx: CompilationContext):
    """A stage with no `owner` in a journey with no default `owner`.

    A stage nobody owns is a stage nobody fixes: when customers struggle
    there, each team assumes another one will act. Name the team that
    answers for it, or give the journey a default owner that stages inherit."""
    for j in ctx.journeys:
        for s in j.stages:
            if s.owner is None:
                yield r.at(s.span,
                           f"{name_of('stage', s)} has no owner: give it one (`owner <team>`), or give "
                           f"{name_of('journey', j)} a default owner, so a team answers for it",
                           entity=stage_path(j, s))


@rule("O002", "unused-owner", INFO, "A declared owner is used nowhere.", scope=RUN,
      bad='''
          owner growth
          owner brand "Brand team"
          journey j { owner growth stage a { } }
      ''',
      good='''
          owner growth
          owner brand "Brand team"
          journey j {
            owner growth
            stage a { touchpoint ad { channel social owner brand } }
          }
      ''')
def unused_owner(r: Rule, run: RunContext):
    """An owner that no journey, stage or touchpoint names, in any
    compilation of the run.

    The owner list is the map of who answers for what. A team on it that
    owns nothing either lost its stages to a reorganisation or should own
    something it does not yet: assign it, or remove it."""
    for o in run.owners.values():
        if o.span not in run.used_owners:
            yield r.at(o.span,
                       f"{name_of('owner', o)} is used nowhere: assign it to a journey, stage or touchpoint "
                       f"(`owner {o.id.text}`) or remove it",
                       entity=f"owner:{o.id.text}")


@rule("O003", "unowned-opportunity", WARNING,
      "An opportunity has no owner and its journey no default owner.",
      bad='''
          journey j {
            stage checkout { touchpoint pay { channel web score 2 } }
            opportunity one_click "One-click checkout" { for pay impact high }
          }
      ''',
      good='''
          owner payments "Payments team"
          journey j {
            stage checkout { owner payments touchpoint pay { channel web score 2 } }
            opportunity one_click "One-click checkout" { for pay owner payments impact high status planned }
          }
      ''')
def unowned_opportunity(r: Rule, ctx: CompilationContext):
    """An `opportunity` with no `owner`, in a journey with no default
    `owner`.

    An improvement nobody owns stays an idea on a board: nobody schedules
    it, funds it or reports on it. Name the team that will carry it (it may
    differ from the team that owns the stage it improves), or give the
    journey a default owner."""
    for j in ctx.journeys:
        for o in j.opportunities:
            if o.owner is None:
                yield r.at(o.span,
                           f"opportunity '{o.id.text}' has no owner: give it one (`owner <team>`), or give "
                           f"journey '{j.id.text}' a default owner, so a team carries it",
                           entity=f"{j.id.text}/opportunity:{o.id.text}")

"""Experience rules (X): recovery when things go wrong, an experience that
continues after the sale, all seven areas of the complete product
experience, known channels."""
from __future__ import annotations

from ...diagnostics import INFO, WARNING
from ...language import AREAS, BUILTIN_CHANNELS, POST_SALE
from ..context import CompilationContext, touchpoint_path
from ..rule import Option, Rule, identifiers, rule
from ...text import Candidates, and_list, closest, did_you_mean_phrase
from ...wording import name_of


@rule("X001", "no-recovery-path", WARNING, "No touchpoint of the journey is marked `recovery`.",
      bad='''
          journey j {
            stage buy { touchpoint checkout { channel web } }
          }
      ''',
      good='''
          journey j {
            stage buy {
              touchpoint checkout { channel web }
              touchpoint refund "Refund and apology" { channel email recovery }
            }
          }
      ''')
def no_recovery_path(r: Rule, ctx: CompilationContext):
    """A journey in which no touchpoint is marked `recovery`.

    Experiences fail: a parcel arrives broken, a service goes down, a charge
    is wrong. What the brand does next decides whether the customer stays,
    and a failure handled well can leave more trust than no failure at all.
    Plan it: mark the touchpoints that handle complaints, apologise or make
    good with `recovery`, or add them."""
    for j in ctx.journeys:
        if ctx.no_recovery(j):
            yield r.at(j.span,
                       f"{name_of('journey', j)} has no recovery touchpoint: plan how the brand responds when the "
                       "experience fails (complaint handling, apology, make-good) and mark that touchpoint "
                       "`recovery`",
                       entity=j.id.text)


@rule("X002", "journey-ends-at-conversion", WARNING, "The journey has a conversion stage and no `post_sale` stage.",
      bad='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion }
          }
      ''',
      good='''
          journey j {
            stage discover { -> buy }
            stage buy { phase conversion -> onboard }
            stage onboard "Onboarding" { -> buy "renewal" }
          }
      ''')
def journey_ends_at_conversion(r: Rule, ctx: CompilationContext):
    """A journey that has a conversion stage and nothing after it.

    The customer's experience starts in earnest when they buy: delivery,
    onboarding, support, renewal. A journey that stops at the sale leaves all
    of that undesigned, unowned and unmeasured. Add the post-sale stages."""
    for j in ctx.journeys:
        if ctx.has_conversion(j) and not any(s.phase == POST_SALE for s in j.stages):
            yield r.at(j.span,
                       f"{name_of('journey', j)} ends at conversion: nothing follows the sale; add the post-sale "
                       "stages (delivery, onboarding, support, renewal) after the conversion stage",
                       entity=j.id.text)


@rule("X003", "pain-point-without-recovery", WARNING,
      "A pain point (score 1 or 2) in a stage with no `recovery` touchpoint, that no recovery `recovers`.",
      bad='''
          journey j {
            stage deliver {
              touchpoint shipping "Slow shipping" { channel store score 2 }
            }
            stage support { touchpoint desk { channel phone recovery } }
          }
      ''',
      good='''
          journey j {
            stage deliver {
              touchpoint shipping "Slow shipping" { channel store score 2 }
            }
            stage support {
              touchpoint desk { channel phone recovery }
              touchpoint delay_note "Delay apology with a voucher" { channel email recovers shipping }
            }
          }
      ''')
def pain_point_without_recovery(r: Rule, ctx: CompilationContext):
    """A touchpoint with score 1 or 2 (a known pain point) in a stage that
    has no touchpoint marked `recovery`, and that no recovery touchpoint of
    the journey names with `recovers`.

    The team knows customers suffer here and has planned nothing for when
    they do. Either fix the touchpoint, add in the same stage the recovery
    that catches the customers it fails, or say which recovery elsewhere
    answers it (`recovers shipping`).

    Not reported when the journey has no recovery touchpoint at all (X001
    says that)."""
    for j in ctx.journeys:
        if ctx.no_recovery(j):
            continue
        for s in j.stages:
            for t in s.touchpoints:
                if ctx.unrecovered_pain_point(j, s, t):
                    yield r.at(t.span,
                               f"{name_of('touchpoint', t)} is a pain point (score {t.score.value}) and "
                               f"{name_of('stage', s)} has no recovery touchpoint and no recovery `recovers` it: "
                               f"add one marked `recovery`, or `recovers {t.id.text}` on the recovery that answers "
                               "it, or fix the touchpoint",
                               entity=touchpoint_path(j, s, t))


@rule("X004", "missing-cpe-area", INFO,
      "Some of the seven areas of the complete product experience have no touchpoint.",
      bad='''
          journey j {
            stage a {
              touchpoint ad { channel social area marketing }
              touchpoint app { channel in_app area technology }
            }
          }
      ''',
      good='''
          journey j {
            stage a {
              touchpoint ad { channel social area marketing }
              touchpoint demo { channel sales_rep area sales }
              touchpoint app { channel in_app area technology }
              touchpoint billing { channel web area supporting_systems }
              touchpoint crm_sync { channel web area integrations }
              touchpoint help { channel chat area support }
              touchpoint terms { channel web area policies }
            }
          }
      ''')
def missing_cpe_area(r: Rule, ctx: CompilationContext):
    """A journey in which some of the seven areas of the complete product
    experience (marketing, sales, technology, supporting systems,
    integrations, support, policies) are named by no touchpoint's `area`.

    Customers do not see a company's org chart: billing, the refund policy
    and the integration with their other tools are part of the product as
    much as the app is. A journey that leaves an area out leaves that part of
    the experience to chance. One finding lists every missing area."""
    for j in ctx.journeys:
        covered = {t.area for s in j.stages for t in s.touchpoints}
        missing = [a for a in AREAS if a not in covered]
        if not any(s.touchpoints for s in j.stages):
            yield r.at(j.span,
                       f"{name_of('journey', j)} has no touchpoints, so none of the seven areas of the complete "
                       f"product experience ({and_list(list(AREAS))}) is covered: add the touchpoints where "
                       "customers meet the product, each with its `area`",
                       entity=j.id.text)
        elif len(missing) == len(AREAS):
            yield r.at(j.span,
                       f"{name_of('journey', j)} gives none of its touchpoints an `area`: the complete product "
                       f"experience spans seven areas ({and_list(list(AREAS))}); say which one each touchpoint "
                       "belongs to, and add touchpoints for the areas nothing covers",
                       entity=j.id.text)
        elif missing:
            yield r.at(j.span,
                       f"{name_of('journey', j)} has no touchpoint in area{'s' if len(missing) > 1 else ''} "
                       f"{and_list(missing)}: the complete product experience spans seven areas; add the touchpoints "
                       f"where customers meet {'them' if len(missing) > 1 else 'it'} "
                       f"({', '.join(f'`area {a}`' for a in missing)})",
                       entity=j.id.text)


@rule("X005", "unknown-channel", WARNING, "A touchpoint's channel is neither built in nor declared.",
      options=(Option("channels", (), "further channel ids to accept without a `channel` declaration "
                                      "(a list of identifiers)", identifiers),),
      bad='''
          journey j {
            stage a { touchpoint t { channel emial } }
          }
      ''',
      good='''
          channel kiosk "In-store kiosk"
          journey j {
            stage a {
              touchpoint t { channel email }
              touchpoint k { channel kiosk }
            }
          }
      ''')
def unknown_channel(r: Rule, ctx: CompilationContext):
    """A touchpoint whose `channel` is neither one of the built-in channels
    nor declared with `channel ID "Title"` (nor listed in the rule's
    `channels` option).

    Usually a typo, which would silently split one channel in two and hide
    the messages sent on it from C002 and C004. A channel of your own (a
    kiosk, a partner portal) is declared once, so everyone spells it the
    same way."""
    known = set(BUILTIN_CHANNELS) | set(ctx.comp.channels) | set(ctx.option(r, "channels"))
    choices = Candidates(known)
    for j, s, t in ctx.touchpoints():
        if t.channel is None or t.channel.text in known:
            continue
        name = t.channel.text
        best = closest(name, choices)
        yield r.at(t.channel.span,
                   f"unknown channel '{name}' in {name_of('touchpoint', t)}: it is neither built in nor declared; "
                   f"use a built-in channel (`journeyc explain X005` lists them) or declare it "
                   f"(`channel {name} \"...\"`)",
                   suggestion=did_you_mean_phrase(best),
                   entity=f"{touchpoint_path(j, s, t)}#channel:{name}")


@rule("X006", "unevidenced-pain-point", INFO, "A pain point (score 1 or 2) with no `evidence`, nor in its stage.",
      bad='''
          journey j {
            stage checkout {
              touchpoint pay "Payment" { channel web score 2 }
              touchpoint sorry { channel email recovers pay }
            }
          }
      ''',
      good='''
          journey j {
            stage checkout {
              touchpoint pay "Payment" {
                channel web
                score 2
                evidence "Checkout usability study, March: 4 of 6 failed the card form"
                confidence high
              }
              touchpoint sorry { channel email recovers pay }
            }
          }
      ''')
def unevidenced_pain_point(r: Rule, ctx: CompilationContext):
    """A touchpoint with score 1 or 2 (a pain point) that gives no
    `evidence`, in a stage that gives none either.

    A pain point on a journey map is a claim about customers; the map is
    trusted, and its pain points acted on, when each points at the research
    behind it: a usability study, a survey, ticket analysis, an interview.
    Name it with `evidence "..."` on the touchpoint (or on its stage, for
    research that covers the stage), and say with `confidence` how well it
    supports the score."""
    for j, s, t in ctx.touchpoints():
        if t.pain_point and not t.evidence and not s.evidence:
            yield r.at(t.span,
                       f"touchpoint '{t.id.text}' is a pain point (score {t.score.value}) with no evidence: "
                       "name the research behind the score (`evidence \"...\"` on the touchpoint or its stage)",
                       entity=touchpoint_path(j, s, t))

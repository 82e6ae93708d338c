"""Deterministic generators of realistic journey specs for the benchmarks.

The generated text has the density of the hand-written specs in `specs/`
(about 14 bytes per token: real titles, messages, descriptions, comments).

`generate(folder, touchpoints)` writes `catalog.journey` (owners, personas,
channels, shared KPIs) and `main.journey` (journeys of 20 stages with 50
touchpoints each, several messages with claims, comments, KPIs with targets,
loop-backs and a few deliberate findings). The same arguments always give the
same bytes.
"""
from __future__ import annotations

import argparse
from pathlib import Path

CATALOG = '''# Shared catalogue: teams, audiences, channels and KPIs.
owner growth "Growth marketing" { description "Acquisition and the website" contact "growth@example.com" }
owner lifecycle "Lifecycle marketing"
owner sales "Sales"
owner cs "Customer success"
owner support "Support"
persona prospect "Prospect" { kind prospect }
persona customer "Customer" { kind customer }
persona admin "Workspace admin" { kind customer description "Pays and configures" }
channel kiosk "In-store kiosk"
kpi csat "Support CSAT" { unit score target >= 4.5 source first_party "Helpdesk survey" cadence weekly category satisfaction }
kpi nps "Net promoter score" { unit score target >= 40 source first_party "Survey" cadence quarterly category advocacy }
'''

CHANNELS = ("email", "web", "in_app", "social", "sms", "chat", "kiosk", "push")
AREAS = ("marketing", "sales", "technology", "supporting_systems", "integrations", "support", "policies")
OWNERS = ("growth", "lifecycle", "sales", "cs", "support")
AUDIENCES = ("prospect", "customer", "admin", "prospect, admin")
TONES = ("empower", "educate", "reassure")
STAGES_PER_JOURNEY = 20
TOUCHPOINTS_PER_STAGE = 50


TITLES = ("Welcome email for new workspace admins", "Reminder before the trial ends",
          "Seasonal offer on the annual plan", "Check-in call after the first month",
          "In-app tour of the scheduling board", "Help centre article on shift swaps")
MESSAGES = ("Start your 14-day free trial, no card needed, and publish your first rota today",
            "Your trial ends in three days: here is what your team has scheduled so far",
            "Plans start at 29 USD per location per month, billed annually or monthly",
            "Managers who publish a rota in week one keep using Shiftwell a year later")
DESCRIPTIONS = ("Sent by the lifecycle team; copy reviewed every quarter against the brand promise.",
                "Owned by the venue success squad. Measured weekly in the retention review.",
                "Runs in every region; the local teams translate it but keep the claims unchanged.")


def _journey(j: int, stages: int, per_stage: int) -> list[str]:
    out = [f"# Journey {j}: a subscription journey, generated. Stages follow the flywheel:",
           "# triggers, conversion, onboarding, engagement, expansion, retention, referral.",
           f'journey j{j} "Self-serve subscription journey number {j}" {{',
           "  model flywheel",
           "  business subscription",
           f"  owner {OWNERS[j % len(OWNERS)]}",
           '  description "From the first ad a venue owner sees to the referral that brings the next venue in."',
           '  promise "Give every manager their Sunday evening back" { tone empower, educate, reassure }',
           f'  kpi reach_{j} "Qualified reach from search and social" {{ unit count target >= 50_000 '
           'source first_party "Web analytics" cadence weekly category acquisition }',
           f'  kpi active_{j} "Weekly active teams" {{ unit percent target >= 60% source first_party '
           '"Product analytics" category engagement }',
           f'  kpi retention_{j} "Logo retention after twelve months" {{ unit percent target >= 92% '
           'source first_party "Billing system" category retention }',
           f'  kpi expansion_{j} "Expansion MRR from added locations" {{ unit currency target >= 20000 '
           'source first_party "Billing system" category expansion }']
    conversion = stages // 3
    for s in range(stages):
        out.append(f'  stage s{s} "Stage {s}: {("Triggers", "Evaluation", "Onboarding", "Engagement")[s % 4]} '
                   f'for journey {j}" {{')
        if s == 0:
            out.append("    entry")
        if s == conversion:
            out.append("    phase conversion")
        out.append(f"    owner {OWNERS[(j + s) % len(OWNERS)]}")
        kpi = ("reach", "active", "retention", "expansion")[min(3, s * 4 // stages)]
        if s % 7 != 6:  # every seventh stage measures nothing: M001
            out.append(f"    measure {kpi}_{j}")
        for t in range(per_stage):
            n = s * per_stage + t
            channel = CHANNELS[n % len(CHANNELS)] if n % 97 else "emial"  # an unknown channel now and then: X005
            out.append(f'    touchpoint t{n} "{TITLES[n % len(TITLES)]} ({n})" {{')
            if n % 5 == 0:
                out.append("      # Reviewed with the brand team: keep the claims in line with the pricing page.")
            if n % 3 == 0:
                out.append(f'      description "{DESCRIPTIONS[n % len(DESCRIPTIONS)]}"')
            out.append(f"      channel {channel}")
            out.append(f"      area {AREAS[n % len(AREAS)]}")
            out.append(f"      audience {AUDIENCES[n % len(AUDIENCES)]}")
            out.append(f"      score {1 + n % 5}")
            if n % 11 == 0:
                out.append("      recovery")
            if n % 13 == 0:
                out.append("      measure csat")
            out.append(f'      message "{MESSAGES[n % len(MESSAGES)]} ({n})" {{ claim trial_days = 14 days '
                       f"tone {TONES[n % len(TONES)]} }}")
            out.append(f'      message "{MESSAGES[(n + 2) % len(MESSAGES)]} [{n}]" {{ claim price = 29 USD '
                       "claim card_required = false }")
            out.append("    }")
        out.append(f'    -> s{(s + 1) % stages} "customers move on"')
        out.append("  }")
    out.append("}")
    return out


def generate(folder: Path, touchpoints: int) -> Path:
    """Write a spec with about `touchpoints` touchpoints; returns main.journey."""
    return write_spec(folder, touchpoints, CATALOG, _journey, "# A generated journey spec for benchmarks.")


def write_spec(folder: Path, touchpoints: int, catalog: str, journey, comment: str) -> Path:
    """catalog.journey and main.journey (importing it) with about
    `touchpoints` touchpoints: journeys of STAGES_PER_JOURNEY stages of
    TOUCHPOINTS_PER_STAGE touchpoints, `journey(j, stages, per_stage)`
    writing each; the last journey holds the rest. Returns main.journey."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.journey").write_text(catalog, encoding="utf-8")
    per_journey = STAGES_PER_JOURNEY * TOUCHPOINTS_PER_STAGE
    lines = [comment, 'import "catalog.journey"', ""]
    journeys, rest = divmod(touchpoints, per_journey)
    for j in range(journeys):
        lines.extend(journey(j, STAGES_PER_JOURNEY, TOUCHPOINTS_PER_STAGE))
    if rest or not journeys:
        per_stage = max(1, min(TOUCHPOINTS_PER_STAGE, rest))
        lines.extend(journey(journeys, max(1, rest // per_stage), per_stage))
    main = folder / "main.journey"
    main.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return main


# -- specs for the figures benchmark (C005/C006, LANGUAGE.md 1.1) ---------------------

FACTS = '''fact trial_length = 14 days { phrase "free trial" }
fact shipping_min = 50 USD { phrase "free shipping" }
fact first_box_discount = 20% { phrase "first box" }
'''
# Messages stating figures, all agreeing with FACTS, and messages of about the
# same length without a digit (nor a duration word).
WITH_FIGURES = ("Start your 14-day free trial and publish your first rota today",
                "Free shipping on every order over $50, straight from the roastery",
                "Take 20% off your first box when you subscribe before Sunday")
WITHOUT_FIGURES = ("Start your free trial and publish your very first rota today",
                   "Free shipping on every order, straight from the roastery door",
                   "Take a discount on your first box when you subscribe by Sunday")


def figures(folder: Path, touchpoints: int, with_figures: bool) -> Path:
    """A spec of `touchpoints` touchpoints with one message each, journeys of
    20 stages of 50 touchpoints; with `with_figures`, every other message
    states figures that agree with the facts, else no message holds a digit."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# A generated spec for the figures benchmark.", CATALOG, FACTS]
    per_journey = STAGES_PER_JOURNEY * TOUCHPOINTS_PER_STAGE
    n = 0
    for j in range(max(1, -(-touchpoints // per_journey))):
        lines.append(f'journey j{j} "Journey {j}" {{\n  model flywheel\n  owner {OWNERS[j % len(OWNERS)]}')
        stages = max(1, min(STAGES_PER_JOURNEY, -(-(touchpoints - n) // TOUCHPOINTS_PER_STAGE)))
        for s in range(stages):
            if n >= touchpoints:
                break
            lines.append(f'  stage s{s} "Stage {s}" {{' + ("\n    entry" if s == 0 else "")
                         + ("\n    phase conversion" if s == 5 else ""))
            for _ in range(TOUCHPOINTS_PER_STAGE):
                if n >= touchpoints:
                    break
                texts = WITH_FIGURES if with_figures and n % 2 == 0 else WITHOUT_FIGURES
                lines.append(f'    touchpoint t{n} "{TITLES[n % len(TITLES)]}" {{ channel {CHANNELS[n % len(CHANNELS)]} '
                             f'audience {AUDIENCES[n % len(AUDIENCES)]} message "{texts[n % len(texts)]}" {{ '
                             f'tone {TONES[n % len(TONES)]} }} }}')
                n += 1
            lines.append(f'    -> s{(s + 1) % stages}\n  }}')
        lines.append("}")
    main = folder / "main.journey"
    main.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return main


SMALL = '''# A small journey, about fifty lines.
owner growth "Growth"
owner cs "Customer success"
persona prospect "Prospect" { kind prospect }
persona customer "Customer" { kind customer }
kpi reach "Reach" { unit count target >= 5000 source first_party category acquisition }
kpi active "Active" { unit percent target >= 60% source first_party category engagement }
kpi churn "Churn" { unit percent target <= 3% source first_party category retention }
kpi expansion "Expansion" { unit currency target >= 1000 source first_party category expansion }

journey small "Small SaaS" {
  model flywheel
  business subscription
  owner growth
  promise "Ship faster" { tone empower, educate }
  stage discover "Discover" {
    entry
    measure reach
    touchpoint ad "Ad" {
      channel social
      area marketing
      audience prospect
      message "Start a 14-day trial" { claim trial_days = 14 days tone empower }
    }
    -> buy
  }
  stage buy "Buy" {
    phase conversion
    measure active
    touchpoint checkout "Checkout" {
      channel web
      area sales
      audience prospect
      message "Your trial lasts 14 days" { claim trial_days = 14 days tone educate }
    }
    -> keep
  }
  stage keep "Keep" {
    owner cs
    measure churn, expansion
    touchpoint help "Help desk" { channel chat area support audience customer }
    touchpoint sorry "Make-good" { channel email area support audience customer recovery }
    -> discover "referrals"
  }
}
'''


def small(folder: Path, name: str = "small.journey") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(SMALL, encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", type=Path)
    ap.add_argument("touchpoints", type=int)
    args = ap.parse_args()
    print(generate(args.folder, args.touchpoints))


if __name__ == "__main__":
    main()

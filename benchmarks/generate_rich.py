"""A deterministic generator of lint-rich journey specs for the benchmarks.

`generate.py` writes specs with few findings. A real repository's first
check looks different: most messages carry claims and many break rules.
This generator writes such a spec (issue 18):

* `catalog.journey`: 40 owners, 8 personas and 200 KPIs (some without a
  target, some measured nowhere, some third-party only);
* `main.journey`: journeys of 20 stages with 50 touchpoints each; every
  touchpoint has a message with a claim, half the messages have a tone the
  brand promise does not allow (C003), some claims disagree with earlier ones
  to the same audience (C001), some teams repeat another team's message on
  the same channel (C002), some touchpoints are pain points in stages
  without recovery (X003), some channels are misspelt (X005), and the owners
  are spread over the 40 teams.

About 0.76 findings per touchpoint and 270 bytes per touchpoint (7,605
findings and 2.7 MB at 10,000 touchpoints; the issue's spec had 77,000
findings and 25.6 MB at 100,000). The same arguments always
give the same bytes.

    python benchmarks/generate_rich.py FOLDER TOUCHPOINTS
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import STAGES_PER_JOURNEY, TOUCHPOINTS_PER_STAGE, write_spec  # noqa: E402

OWNERS = 40
KPIS = 200
PERSONAS = ("prospect", "trialist", "customer", "admin", "buyer", "champion", "churned", "partner_rep")
KINDS = ("prospect", "prospect", "customer", "customer", "customer", "customer", "customer", "partner")
CATEGORIES = ("acquisition", "engagement", "retention", "expansion", "satisfaction", "support",
              "conversion", "advocacy")
UNITS = ("percent", "count", "score", "currency", "days")
CHANNELS = ("email", "web", "in_app", "social", "sms", "chat", "push", "phone")
AREAS = ("marketing", "sales", "technology", "supporting_systems", "integrations", "support", "policies")
# The promise allows empower and educate: half the tones are off it (C003).
OFF_TONES = ("urgent", "playful", "formal")
TITLES = ("Welcome email", "Trial reminder", "Annual plan offer", "Check-in call", "Board tour",
          "Help article", "Renewal notice", "Referral ask")
TEXTS = ("Start your trial today, no card needed, and invite the whole team",
         "Your trial ends on Friday: keep the rota you built",
         "Plans start at 29 USD a month for each location",
         "Managers who publish in week one stay with us for years",
         "Add a second location in two clicks from settings",
         "Refunds within 30 days and no questions asked",
         "Swap shifts from your phone without calling anyone",
         "Payroll exports line up with every major provider")
# Claims that agree everywhere (each claim id reaches its own audiences);
# every tenth touchpoint claims a discount that disagrees with the earlier
# discounts its audience was told (C001).
CLAIMS = ("trial_days = 14 days", "price = 29 USD", "refund_days = 30 days", "card_required = false")


def catalog() -> str:
    out = ["# Shared catalogue: 40 teams, 8 audiences, 200 KPIs."]
    for o in range(OWNERS):
        out.append(f'owner team{o} "Team {o}" {{ contact "team{o}@example.com" }}')
    for p, kind in zip(PERSONAS, KINDS):
        out.append(f'persona {p} "{p.replace("_", " ").title()}" {{ kind {kind} }}')
    for k in range(KPIS):
        source = "third_party" if k % 17 == 0 else "first_party"  # M003 now and then
        target = "" if k % 23 == 0 else f" target >= {10 + k % 80}"  # M004 now and then
        out.append(f'kpi k{k} "KPI {k}" {{ unit {UNITS[k % len(UNITS)]}{target} source {source} "Analytics" '
                   f"category {CATEGORIES[k % len(CATEGORIES)]} }}")
    return "\n".join(out) + "\n"


def _journey(j: int, stages: int, per_stage: int) -> list[str]:
    out = [f'journey j{j} "Lint-rich journey {j}" {{',
           "  model flywheel",
           "  business subscription",
           f"  owner team{j % OWNERS}",
           '  promise "Give every manager their Sunday back" { tone empower, educate }']
    conversion = stages // 3
    for s in range(stages):
        out.append(f'  stage s{s} "Stage {s}" {{')
        if s == 0:
            out.append("    entry")
        if s == conversion:
            out.append("    phase conversion")
        out.append(f"    owner team{(j * 7 + s) % OWNERS}")
        if s % 9 != 8:  # M001 now and then
            out.append(f"    measure k{(j * 31 + s * 7) % (KPIS - 20)}")
        recovery_stage = s % 5 != 4  # every fifth stage has no recovery touchpoint: X003 on its pain points
        for t in range(per_stage):
            n = s * per_stage + t
            channel = CHANNELS[n % len(CHANNELS)] if n % 89 else "emial"  # X005
            claim = f"discount = {5 + (n // 40) % 9}%" if n % 10 == 7 else CLAIMS[n % len(CLAIMS)]
            tone = OFF_TONES[n % len(OFF_TONES)] if n % 20 < 10 else ("empower", "educate")[n % 2]
            # one channel's messages in a stage differ, except that now and then a team sends the text
            # another team sent on the same channel (C002)
            same = n - len(CHANNELS) if t % 25 == 9 else n
            text = f"{TEXTS[(same // len(CHANNELS)) % len(TEXTS)]} ({j}.{same})"
            extra = " recovery" if recovery_stage and t == 0 else ""
            out.append(f'    touchpoint t{n} "{TITLES[n % len(TITLES)]} for touchpoint {n} of journey {j}" {{ channel {channel} '
                       f"area {AREAS[n % len(AREAS)]} owner team{(n * 3 + j) % OWNERS}")
            out.append(f"      audience {PERSONAS[n % len(PERSONAS)]} score {1 + n % 5}{extra}")
            out.append(f'      message "{text}" {{ claim {claim} tone {tone} }}')
            out.append("    }")
        out.append(f"    -> s{(s + 1) % stages}")
        out.append("  }")
    out.append("}")
    return out


def generate(folder: Path, touchpoints: int) -> Path:
    """Write a lint-rich spec with about `touchpoints` touchpoints; returns main.journey."""
    return write_spec(folder, touchpoints, catalog(), _journey, "# A generated lint-rich journey spec for benchmarks.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("touchpoints", type=int)
    args = ap.parse_args()
    print(generate(args.folder, args.touchpoints))


if __name__ == "__main__":
    main()

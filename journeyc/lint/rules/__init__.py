"""The registry: every lint rule, listed once, explicitly, in code order.

A rule is declared next to its check in its family's module (flow,
measurement, communication, ownership, experience, suppression) with the
`@rule` decorator; adding a rule means writing it there and listing it here.
"""
from __future__ import annotations

from ..rule import Rule
from . import communication, experience, flow, measurement, ownership, suppression

RULES: tuple[Rule, ...] = (
    flow.no_loop_back,                       # F001
    flow.unreachable_stage,                  # F002
    flow.dead_end_stage,                     # F003
    flow.no_conversion_stage,                # F004
    measurement.unmeasured_stage,            # M001
    measurement.no_post_sale_kpi,            # M002
    measurement.third_party_only_kpi,        # M003
    measurement.kpi_without_target,          # M004
    measurement.revenue_only_post_sale,      # M005
    measurement.business_model_kpis,         # M006
    measurement.unused_kpi,                  # M007
    measurement.target_unit_mismatch,        # M008
    communication.contradictory_claims,      # C001
    communication.repetitive_messaging,      # C002
    communication.off_promise_tone,          # C003
    communication.message_overload,          # C004
    communication.figure_contradicts_fact,   # C005
    communication.inconsistent_figures,      # C006
    ownership.unowned_stage,                 # O001
    ownership.unused_owner,                  # O002
    ownership.unowned_opportunity,           # O003
    experience.no_recovery_path,             # X001
    experience.journey_ends_at_conversion,   # X002
    experience.pain_point_without_recovery,  # X003
    experience.missing_cpe_area,             # X004
    experience.unknown_channel,              # X005
    experience.unevidenced_pain_point,       # X006
    suppression.unused_suppression,          # S001
)


def by_code(code: str) -> Rule | None:
    for r in RULES:
        if r.code == code:
            return r
    return None

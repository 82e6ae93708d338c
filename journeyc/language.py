"""The vocabulary of the journey language (LANGUAGE.md): enumerations,
built-in channels and the once-only properties of each block.

This is the one source of these words: the model builder checks values
against it (E007), `journeyc explain E007` and `journeyc explain X005` list
it, and tests/test_reference.py checks that docs/language.md lists exactly
these words."""
from __future__ import annotations

PHASES = ("pre_sale", "conversion", "post_sale")
MODELS = ("flywheel", "funnel")
BUSINESSES = ("subscription", "transactional")
AREAS = ("marketing", "sales", "technology", "supporting_systems", "integrations", "support", "policies")
PERSONA_KINDS = ("customer", "prospect", "partner", "employee")
UNITS = ("percent", "count", "currency", "ratio", "days", "hours", "minutes", "score")
CADENCES = ("realtime", "daily", "weekly", "monthly", "quarterly", "yearly")
CATEGORIES = ("acquisition", "activation", "engagement", "retention", "expansion", "frequency",
              "spend", "revenue", "conversion", "satisfaction", "advocacy", "support")
SOURCE_KINDS = ("first_party", "third_party")

# The built-in channels, in the order the documentation lists them; any
# other channel is declared with `channel ID "Title"` (else X005).
CHANNELS = ("email", "sms", "push", "in_app", "web", "social", "search", "display", "video", "chat",
            "phone", "store", "event", "direct_mail", "community", "partner", "sales_rep")
BUILTIN_CHANNELS = frozenset(CHANNELS)

# The enumerated properties: keyword -> (what the value is called, allowed words).
ENUMS = {
    "phase": ("phase", PHASES),
    "model": ("model", MODELS),
    "business": ("business model", BUSINESSES),
    "area": ("area", AREAS),
    "kind": ("persona kind", PERSONA_KINDS),
    "unit": ("unit", UNITS),
    "cadence": ("cadence", CADENCES),
    "category": ("category", CATEGORIES),
    "source": ("source kind", SOURCE_KINDS),
}

# Properties that may appear once per block (E009), by block kind.
ONCE_ONLY = {
    "owner": frozenset({"description", "contact"}),
    "persona": frozenset({"kind", "description"}),
    "kpi": frozenset({"unit", "target", "cadence", "category", "description"}),
    "journey": frozenset({"model", "business", "owner", "promise", "description"}),
    "promise": frozenset({"tone"}),
    "stage": frozenset({"entry", "phase", "owner", "description"}),
    "touchpoint": frozenset({"channel", "area", "owner", "audience", "score", "recovery", "description"}),
    "message": frozenset({"tone"}),
}

# Business model -> the KPI categories it needs (M006).
BUSINESS_CATEGORIES = {
    "subscription": ("acquisition", "engagement", "retention", "expansion"),
    "transactional": ("acquisition", "frequency", "spend"),
}

PRE_SALE, CONVERSION, POST_SALE = PHASES

"""How messages name journeyc's own things: entities by title with their id
(`stage "Free trial" [trial]`), and the declaration to add for a name that
is not declared. The wording that knows nothing of journeys (lists,
did-you-mean, quoting) is journeyc.text's.

Kept free of heavy imports: the check path loads it."""
from __future__ import annotations

from .text import quoted_title


def named(kind: str, ident: str, title: str | None = None) -> str:
    """An entity as messages name it: by its title with its id in brackets
    where it has a title (`stage "Free trial" [trial]`), else by its id
    (`stage 'trial'`). `kind` may be empty."""
    prefix = f"{kind} " if kind else ""
    if title:
        return f"{prefix}{quoted_title(title)} [{ident}]"
    return f"{prefix}'{ident}'"


def name_of(kind: str, entity) -> str:
    """`named` for a model record with `id` (a Name) and `title`."""
    return named(kind, entity.id.text, entity.title)


# The declaration to add for an undefined name, by the kind of declaration.
_DECLARATIONS = {
    "owner": 'owner {name} "..."',
    "persona": 'persona {name} "..." {{ kind customer }}',
    "kpi": 'kpi {name} "..." {{ ... }}',
    "channel": 'channel {name} "..."',
    "journey": 'journey {name} "..." {{ ... }}',
    "stage": 'stage {name} "..." {{ ... }}',
}


def declaration_hint(kind: str, name: str, where: str = "") -> str:
    """What to write to declare `name`: `declare it: kpi churn_rate "..." { ... }`."""
    return f"declare it{where}: {_DECLARATIONS[kind].format(name=name)}"

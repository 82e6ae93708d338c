"""How messages say things, in one place: lists ("a, b and c", "a, b or
c"), did-you-mean suggestions, entities named by title with their id, and
the declaration to add for a name that is not declared.

Kept free of heavy imports: the check path loads it."""
from __future__ import annotations

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def and_list(words) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return _join(list(words), "and")


def or_list(words) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return _join(list(words), "or")


def _join(words: list[str], last: str) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def did_you_mean_phrase(best: str | None, note: str = "") -> str | None:
    """The suggestion for a word whose closest known word is `best` (None: no
    suggestion); `note` says why, after the question."""
    if not best:
        return None
    return f"did you mean '{best}'?" + (f" ({note})" if note else "")


def did_you_mean(word: str, choices) -> str | None:
    """'did you mean ...?' with the closest of `choices` to `word`
    (journeyc.build.closest decides what is close), or None."""
    from .build import closest

    return did_you_mean_phrase(closest(word, choices))


def quoted_title(title: str) -> str:
    """A title in double quotes, escaped as the language writes strings, so
    quotes and line breaks in it cannot be mistaken for the message's own."""
    if title.isprintable() and '"' not in title and "\\" not in title:
        return f'"{title}"'
    return '"' + "".join(_ESCAPES.get(c) or (c if c.isprintable() else f"\\u{ord(c):04x}") for c in title) + '"'


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

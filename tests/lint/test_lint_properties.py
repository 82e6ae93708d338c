"""Property tests: on any journey that compiles, every rule runs without
raising, the findings are sorted, deduplicated and deterministic, every
finding names an entity, and a bare suppression comment on every line
silences every lint finding (leaving at most S001s)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeyc
from journeyc.language import AREAS, BUILTIN_CHANNELS, CATEGORIES

IDS = ["a", "b", "c", "d", "e"]
CHANNELS = sorted(BUILTIN_CHANNELS)[:5] + ["emial", "kiosk"]
TEXTS = ["Start your trial", "start your trial!", "Start your trial now", "Upgrade and save 20%", "Welcome",
         "Café", "Cafe\\u0301", "???", ""]
VALUES = ["14 days", "14.0 DAYS", "14", "30 days", "2 weeks", "1 month", "29 dollars", "5%", "5 percent", "\"Pro\"", "\" pro \"", "true", "false", "29 USD"]


@st.composite
def specs(draw) -> str:
    out = ["owner o1", "owner o2", "persona p1 { kind customer }", "persona p2 { kind prospect }",
           'channel kiosk "Kiosk"']
    kpis = []
    for i in range(draw(st.integers(0, 4))):
        parts = []
        if draw(st.booleans()):
            parts.append(f"category {draw(st.sampled_from(CATEGORIES))}")
        if draw(st.booleans()):
            parts.append("target >= 1")
        for _ in range(draw(st.integers(0, 2))):
            parts.append(f"source {draw(st.sampled_from(['first_party', 'third_party']))}")
        out.append(f"kpi k{i} {{ {' '.join(parts)} }}")
        kpis.append(f"k{i}")
    for j in range(draw(st.integers(1, 2))):
        body = []
        if draw(st.booleans()):
            body.append(f"model {draw(st.sampled_from(['flywheel', 'funnel']))}")
        if draw(st.booleans()):
            body.append(f"business {draw(st.sampled_from(['subscription', 'transactional']))}")
        if draw(st.booleans()):
            body.append("owner o1")
        if draw(st.booleans()):
            body.append('promise "p" { tone calm, clear }')
        stages = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=4, unique=True))
        for s in stages:
            items = []
            if draw(st.booleans()):
                items.append("entry")
            if draw(st.integers(0, 2)) == 0:
                items.append(f"phase {draw(st.sampled_from(['pre_sale', 'conversion', 'post_sale']))}")
            if draw(st.booleans()):
                items.append(f"owner {draw(st.sampled_from(['o1', 'o2']))}")
            if kpis and draw(st.booleans()):
                target = " target >= 2" if draw(st.booleans()) else ""
                items.append(f"measure {draw(st.sampled_from(kpis))}{target}")
            for t in range(draw(st.integers(0, 4))):
                tp = []
                if draw(st.integers(0, 4)):
                    tp.append(f"channel {draw(st.sampled_from(CHANNELS))}")
                if draw(st.booleans()):
                    tp.append(f"area {draw(st.sampled_from(AREAS))}")
                if draw(st.booleans()):
                    tp.append(f"owner {draw(st.sampled_from(['o1', 'o2']))}")
                audience = draw(st.lists(st.sampled_from(["p1", "p2"]), max_size=2))
                if audience:
                    tp.append("audience " + ", ".join(audience))
                if draw(st.booleans()):
                    tp.append(f"score {draw(st.sampled_from(['1', '2', '2.5', '3', '5']))}")
                if draw(st.integers(0, 3)) == 0:
                    tp.append("recovery")
                if kpis and draw(st.booleans()):
                    tp.append(f"measure {draw(st.sampled_from(kpis))}")
                for _ in range(draw(st.integers(0, 3))):
                    inner = []
                    for _ in range(draw(st.integers(0, 2))):
                        inner.append(f"claim {draw(st.sampled_from(['x', 'y']))} = {draw(st.sampled_from(VALUES))}")
                    if draw(st.booleans()):
                        inner.append(f"tone {draw(st.sampled_from(['calm', 'loud']))}")
                    tp.append(f'message "{draw(st.sampled_from(TEXTS))}" {{ {" ".join(inner)} }}')
                items.append(f"touchpoint {s}_{t} {{ {' '.join(tp)} }}")
            for _ in range(draw(st.integers(0, 2))):
                items.append(f"-> {draw(st.sampled_from(stages))}")
            body.append(f"stage {s} {{ {' '.join(items)} }}")
        out.append(f"journey j{j} {{\n  " + "\n  ".join(body) + "\n}")
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_rules_never_raise_and_findings_are_well_formed(tmp_path_factory, text):
    path = str(tmp_path_factory.mktemp("p") / "spec.journey")
    comp, found = journeyc.compile_source(text, filename=path)
    if comp is None:
        assert all(d.is_compile_error for d in found)
        return
    keys = [d.sort_key() for d in found]
    assert keys == sorted(keys)
    assert len({(d.code, d.span) for d in found}) == len(found)
    assert all(d.entity for d in found)
    again = journeyc.compile_source(text, filename=path)[1]
    assert again == found
    # A bare suppression on every line silences every lint finding.
    suppressed = "\n".join(line + "  # journeyc: ignore" for line in text.splitlines()) + "\n"
    rest = journeyc.compile_source(suppressed, filename=path)[1]
    assert {d.code for d in rest} <= {"S001"}
    assert len(rest) == len(text.splitlines()) - len({d.span.line for d in found})


# -- C002's text index finds exactly what comparing every pair finds -------------------------------

EDITS = st.lists(st.tuples(st.sampled_from("ids"), st.integers(0, 60), st.sampled_from("ab c")), max_size=5)


@st.composite
def text_streams(draw):
    """Texts of a small alphabet, many of them edits of earlier ones."""
    texts: list[str] = []
    for _ in range(draw(st.integers(1, 60))):
        if texts and draw(st.booleans()):
            chars = list(draw(st.sampled_from(texts)))
            for op, pos, ch in draw(EDITS):
                pos = min(pos, len(chars))
                if op == "i":
                    chars.insert(pos, ch)
                elif chars:
                    if op == "d":
                        chars.pop(min(pos, len(chars) - 1))
                    else:
                        chars[min(pos, len(chars) - 1)] = ch
            text = "".join(chars)
        else:
            text = draw(st.text(alphabet="ab c", min_size=1, max_size=40))
        if text:
            texts.append(text)
    return texts


def alike(a: str, b: str) -> float:
    """The larger of the two SequenceMatcher ratios (the ratio depends on
    the order of its arguments): what the index must agree with."""
    import difflib

    return max(difflib.SequenceMatcher(None, a, b).ratio(), difflib.SequenceMatcher(None, b, a).ratio())


@settings(max_examples=200, deadline=None)
@given(text_streams(), st.sampled_from([0.3, 0.6, 0.8, 0.9, 0.95, 1.0]), st.sampled_from([0, 40, 10**9]))
def test_text_index_is_exact(texts, threshold, scan_cost):
    from journeyc.lint.rules.communication import _TextIndex

    index = _TextIndex(threshold)
    index.scan_cost = scan_cost  # 0: always scan the length window; 10**9: always probe segments
    indexed: list[str] = []
    for text in texts:
        expected = {o for o in indexed if o != text and alike(text, o) >= threshold} if threshold < 1 else set()
        assert set(index.similar(text)) == expected
        if text not in indexed:
            indexed.append(text)
            index.add(text)


# -- C001/C006's claim index finds exactly what comparing every earlier claim finds --------------

KEYS = [("number", "minutes", 20160), ("number", "minutes", 43200), ("number", "months", 1),
        ("number", "money:USD", 29), ("string", "pro"), ("bool", True)]
AUDIENCES = [frozenset(), frozenset({"a"}), frozenset({"b"}), frozenset({"a", "b"})]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(AUDIENCES), st.sampled_from(KEYS)), max_size=40))
def test_claim_index_is_exact(claims):
    """Every claim is looked up, then added (as C001 does); the index keeps
    agreeing claims in a list until a second value comes, then groups them:
    either way the count and the related claims (the first ten earlier
    claims that disagree, in order) are those of a pairwise comparison."""
    from journeyc.figures import comparable
    from journeyc.lint.rules.communication import MAX_RELATED, _ClaimIndex, _overlap

    class Claim:  # what the index sorts related claims by: order, then the claim's span
        def __init__(self, order):
            self.span = type("S", (), {"line": order, "column": 1})()

    index = _ClaimIndex()
    earlier: list[tuple] = []
    for order, (audience, key) in enumerate(claims):
        against = [(Claim(o), k, o) for o, (aud, k) in enumerate(earlier)
                   if _overlap(aud, audience) and k != key and comparable(k, key)]
        total, found = index.disagreeing(audience, key)
        assert total == len(against)
        assert [(e[1], e[2]) for e in found] == [(e[1], e[2]) for e in against[:MAX_RELATED]]
        index.add(audience, key, (Claim(order), key, order))
        earlier.append((audience, key))

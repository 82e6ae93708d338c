"""The documentation that lives in the repository stays true to the code:
docs/language.md lists exactly the vocabulary of journeyc/language.py,
docs/rules.md is the output of `journeyc rules --output-format markdown`,
`journeyc explain` lists the enumerations (E007) and the built-in channels
(X005), and the README's language tour compiles as written."""
from __future__ import annotations

import re

import pytest

from conftest import REPO, run_journeyc, write

from journeyc import language
from journeyc.codes import COMPILE_ERRORS
from journeyc.lint.rules import RULES

LANGUAGE_MD = REPO / "docs" / "language.md"
RULES_MD = REPO / "docs" / "rules.md"
README = REPO / "README.md"
MARK = "(1.1)"


def section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of that level."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in `text`, as lists of cells."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|( *-+ *\|)+", line):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return [r for r in rows if r[0] not in ("keyword", "block")]


def words(cell: str) -> list[tuple[str, bool]]:
    """The `code` words of a cell, each with whether it is marked (1.1)."""
    return [(w, bool(m)) for w, m in re.findall(r"`(\w+)`( \(1\.1\))?", cell)]


# -- docs/language.md against journeyc/language.py ------------------------------

def enumeration_rows() -> dict[str, tuple[bool, list[str]]]:
    """keyword -> (marked 1.1, allowed words) from the Enumerations table."""
    rows = {}
    for keyword, _where, _value, allowed in table_rows(section(LANGUAGE_MD.read_text(encoding="utf-8"),
                                                               "Enumerations")):
        (name, marked), = words(keyword)
        rows[name] = (marked, [w for w, _ in words(allowed)])
    return rows


def test_language_md_lists_every_enumeration_word_of_the_code():
    rows = enumeration_rows()
    for keyword, (what, allowed) in language.ENUMS.items():
        assert keyword in rows, f"docs/language.md's Enumerations table has no row for `{keyword}` ({what})"
        assert rows[keyword][1] == list(allowed), f"docs/language.md lists other words for `{keyword}`"


def test_every_enumeration_of_language_md_is_in_the_code_or_marked_1_1():
    for keyword, (marked, allowed) in enumeration_rows().items():
        assert keyword in language.ENUMS or marked, \
            f"docs/language.md documents `{keyword}`, which journeyc/language.py does not know: mark it {MARK}"
        assert allowed, keyword
    v1 = {k for k, (marked, _) in enumeration_rows().items() if not marked}
    assert v1 == {"phase", "model", "business", "area", "kind", "unit", "cadence", "category", "source"}


def test_the_1_1_enumerations_are_documented():
    rows = enumeration_rows()
    assert rows["layer"][1] == ["frontstage", "backstage", "support"]
    assert rows["state"][1] == ["current", "future"]
    assert rows["status"][1] == ["idea", "planned", "in_progress", "done", "dropped"]
    assert rows["impact"][1] == rows["confidence"][1] == ["low", "medium", "high"]


def test_language_md_lists_exactly_the_builtin_channels():
    text = section(LANGUAGE_MD.read_text(encoding="utf-8"), "Channels")
    listed = text.split("\n\n")[1]
    assert [w for w, _ in words(listed)] == list(language.CHANNELS)
    assert set(language.CHANNELS) == language.BUILTIN_CHANNELS


def test_language_md_lists_the_once_only_properties_of_the_code():
    rows = table_rows(section(LANGUAGE_MD.read_text(encoding="utf-8"), "Once-only and repeatable properties"))
    documented = {}
    for block, props in rows:
        (name, marked), = words(block)
        documented[name] = (marked, words(props))
    for block, once in language.ONCE_ONLY.items():
        assert block in documented, f"docs/language.md does not say which properties of `{block}` are once-only"
        listed = documented[block][1]
        assert once <= {w for w, _ in listed}, f"`{block}`: {sorted(once - {w for w, _ in listed})} undocumented"
        assert {w for w, marked in listed if not marked} <= once, f"`{block}`: documented but not once-only"
    for block, (marked, _) in documented.items():
        assert block in language.ONCE_ONLY or marked, block


def test_language_md_says_what_tones_are():
    text = LANGUAGE_MD.read_text(encoding="utf-8")
    tones = section(text, "Messages").split("### Tones", 1)[1]
    assert "Tones are not an enumeration: any word is a tone" in tones
    assert "C003" in tones and "promise" in tones


def test_language_md_covers_every_keyword_of_the_grammar():
    grammar = (REPO / "grammar" / "journey.lark").read_text(encoding="utf-8")
    keywords = re.findall(r'^[A-Z_]+: "([a-z_]+)"$', grammar, re.M)
    assert len(keywords) >= 31
    text = LANGUAGE_MD.read_text(encoding="utf-8")
    for k in keywords:
        assert f"`{k}" in text or re.search(rf"\b{k}\b", section(text, "Text, names and values")), k


@pytest.mark.parametrize("n", range(len(re.findall(r"```journey\n", LANGUAGE_MD.read_text(encoding="utf-8")))))
def test_language_md_examples_compile(n, tmp_path):
    import journeyc

    block = re.findall(r"```journey\n(.*?)```", LANGUAGE_MD.read_text(encoding="utf-8"), re.S)[n]
    comp, diagnostics = journeyc.compile_source(block, filename=str(tmp_path / "example.journey"))
    assert comp is not None, [f"{d.code} {d.message}" for d in diagnostics]


# -- docs/rules.md ----------------------------------------------------------------

def test_rules_md_is_the_output_of_the_rules_command():
    proc = run_journeyc(["rules", "--output-format", "markdown"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == RULES_MD.read_bytes(), \
        "docs/rules.md is stale: regenerate it with `journeyc rules --output-format markdown > docs/rules.md`"


def test_rules_md_documents_every_rule_and_compile_error_with_examples():
    text = RULES_MD.read_text(encoding="utf-8")
    for r in RULES:
        part = text.split(f"\n### {r.code} {r.name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"\n{r.summary}\n" in part and f"Default severity: **{r.severity}**" in part
        assert r.doc in part
        assert f"Bad:\n\n```journey\n{r.bad}\n```" in part and f"Good:\n\n```journey\n{r.good}\n```" in part
        for o in r.options:
            assert f"- `{o.name}` (default `" in part
        assert f"[{r.code}](#{r.code.lower()}-{r.name})" in text
    for e in COMPILE_ERRORS:
        part = text.split(f"\n### {e.code} {e.name}\n", 1)[1].split("\n### ", 1)[0]
        assert f"\n{e.summary}\n" in part and e.doc in part and "cannot be selected, ignored or suppressed" in part
    e007 = text.split("\n### E007 unknown-keyword-value\n", 1)[1].split("\n### ", 1)[0]
    assert "| `phase` | phase | `pre_sale`, `conversion`, `post_sale` |" in e007
    x005 = text.split("\n### X005 unknown-channel\n", 1)[1].split("\n### ", 1)[0]
    assert ", ".join(f"`{c}`" for c in language.CHANNELS) in x005


def test_rules_markdown_escapes_nothing_it_should_not():
    """Table cells hold no raw `|` (which would split a cell)."""
    text = RULES_MD.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == len(RULES) + len(COMPILE_ERRORS)
    assert all(line.count("|") in (4, 5) for line in rows)


# -- journeyc explain --------------------------------------------------------------

EXPLAIN_E007 = """\
E007 unknown-keyword-value: A value outside an enumeration.
(compile error: always reported, cannot be disabled or suppressed)

An enumerated property takes one of a fixed set of words (`journeyc explain
E007` lists them by keyword); the suggestion is the closest. A misspelt word
there is this error, not a syntax error. Tones and channels are not
enumerations: a tone is any word (C003 checks it against the promise), a
channel is built in or declared (X005).

The allowed words, by keyword:

  phase     pre_sale, conversion, post_sale
  model     flywheel, funnel
  business  subscription, transactional
  area      marketing, sales, technology, supporting_systems, integrations,
            support, policies
  kind      customer, prospect, partner, employee
  unit      percent, count, currency, ratio, days, hours, minutes, score
  cadence   realtime, daily, weekly, monthly, quarterly, yearly
  category  acquisition, activation, engagement, retention, expansion,
            frequency, spend, revenue, conversion, satisfaction, advocacy,
            support
  source    first_party, third_party
"""

EXPLAIN_X005 = """\
X005 unknown-channel: A touchpoint's channel is neither built in nor declared.
(lint rule, default severity warning)

A touchpoint whose `channel` is neither one of the built-in channels
nor declared with `channel ID "Title"` (nor listed in the rule's
`channels` option).

Usually a typo, which would silently split one channel in two and hide
the messages sent on it from C002 and C004. A channel of your own (a
kiosk, a partner portal) is declared once, so everyone spells it the
same way.

Options ([tool.journeyc.rules.X005]):
  channels (default []): further channel ids to accept without a `channel` declaration (a list of identifiers)

The built-in channels (any other is declared with `channel ID "Title"`, or
listed in the `channels` option):

  email, sms, push, in_app, web, social, search, display, video, chat, phone,
  store, event, direct_mail, community, partner, sales_rep

Bad:

    journey j {
      stage a { touchpoint t { channel emial } }
    }

Good:

    channel kiosk "In-store kiosk"
    journey j {
      stage a {
        touchpoint t { channel email }
        touchpoint k { channel kiosk }
      }
    }
"""


def test_explain_e007_lists_the_words_of_every_enumeration(cli):
    r = cli(["explain", "E007"])
    assert r.exit_code == 0
    assert r.output == EXPLAIN_E007


def test_explain_x005_lists_the_builtin_channels(cli):
    r = cli(["explain", "x005"])
    assert r.exit_code == 0
    assert r.output == EXPLAIN_X005


def test_x005_message_points_to_explain(tmp_path):
    path = write(tmp_path, "j.journey", "journey j {\n  stage a { touchpoint t { channel emial } }\n}\n")
    proc = run_journeyc(["check", "--output-format", "concise", "--select", "X005", path])
    assert proc.returncode == 1
    assert proc.stdout.decode() == (
        f"{path}:2:36: warning X005 unknown channel 'emial' in touchpoint 't': it is neither built in nor "
        "declared; use a built-in channel (`journeyc explain X005` lists them) or declare it "
        "(`channel emial \"...\"`)\n")


def test_sarif_rule_help_is_the_explain_text(tmp_path):
    import json

    path = write(tmp_path, "j.journey", "journey j {\n  stage a { touchpoint t { channel emial } }\n}\n")
    proc = run_journeyc(["check", "--output-format", "sarif", path])
    rules = {d["id"]: d for d in json.loads(proc.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["E007"]["help"]["text"] == EXPLAIN_E007
    assert rules["X005"]["help"]["text"] == EXPLAIN_X005
    assert rules["X005"]["help"]["markdown"] in RULES_MD.read_text(encoding="utf-8")


# -- README -----------------------------------------------------------------------

def tour() -> str:
    text = section(README.read_text(encoding="utf-8"), "A short tour of the language")
    blocks = re.findall(r"```journey\n(.*?)```", text, re.S)
    assert len(blocks) == 1, "the tour is one ```journey block"
    return blocks[0]


def test_readme_tour_compiles_as_written_with_the_findings_it_states(tmp_path):
    source = tour()
    assert "import" not in re.sub(r"#.*", "", source), "the tour is self-contained"
    path = write(tmp_path, "tour.journey", source)
    proc = run_journeyc(["check", "--output-format", "concise", path], cwd=tmp_path)
    lines = proc.stdout.decode().splitlines()
    assert [line.split(" ")[:3] for line in lines] == [
        [f"{path}:12:1:", "info", "X004"],
        [f"{path}:14:3:", "warning", "M006"],
    ]
    assert proc.returncode == 1
    prose = section(README.read_text(encoding="utf-8"), "A short tour of the language")
    assert "reports two findings (exit status 1, as M006\nis a warning)" in prose
    assert "M006 (a subscription business" in prose and "X004 (info:" in prose


def test_readme_spells_phases_as_the_language_does():
    text = README.read_text(encoding="utf-8")
    # (rule names such as no-post-sale-kpi are names, not phases)
    assert not re.search(r"(?<![\w-])(pre|post)-sale(?![\w-])", text), \
        "write `pre_sale` and `post_sale`, as the language does"
    assert "`pre_sale`, `conversion`, `post_sale`" in text


def test_readme_links_to_the_documentation_in_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "](docs/language.md)" in text and "](docs/rules.md)" in text
    assert LANGUAGE_MD.exists() and RULES_MD.exists()
    assert "shared/spec" not in text, "a user of the package has no ../shared/spec: link to docs/"

"""`journeyc diff` (docs/diff.md): the semantic diff of two compilations,
its breaking changes one by one, the lint delta, and `--against REF` in a
scratch git repository."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import journeyc
from journeyc.diff import compare, describe, loosened

from conftest import SPECS

JOURNEYC = [sys.executable, "-m", "journeyc"]

BASE = '''
owner growth "Growth"
owner care "Care"
persona admin "Admin" { kind customer }
kpi activation "Activation" { unit percent target >= 40% }
kpi nps "NPS" {
  unit score
  target >= 30
}
journey saas "SaaS" {
  owner growth
  stage trial "Trial" {
    entry
    phase conversion
    measure activation target >= 50%
    touchpoint welcome "Welcome email" {
      channel email
      audience admin
      message "Your trial lasts 14 days" { claim trial_days = 14 days }
    }
    -> retention "converts"
  }
  stage retention "Retention" {
    measure nps
    touchpoint sorry "Sorry" { channel email recovery }
    -> trial "renews"
  }
}
'''


def doc(text: str, tmp_path: Path, name: str = "x.journey") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    comp, diagnostics = journeyc.compile_file(path)
    assert comp is not None, [d.message for d in diagnostics]
    return journeyc.to_json(comp)


def changes(tmp_path, old: str, new: str):
    return compare([doc(old, tmp_path, "old.journey")], [doc(new, tmp_path, "new.journey")])


def brief(cs) -> list[tuple]:
    return [(c.change, c.kind, c.path, c.field, c.breaking) for c in cs]


def test_no_change_and_layout_only_changes(tmp_path):
    assert changes(tmp_path, BASE, BASE) == []
    assert changes(tmp_path, BASE, BASE.replace("\n  ", "\n      ") + "# a comment\n") == []


def test_a_title_rename_is_a_change(tmp_path):
    cs = changes(tmp_path, BASE, BASE.replace('stage trial "Trial"', 'stage trial "Free trial"'))
    assert brief(cs) == [("changed", "stage", "saas/trial", "title", None)]
    assert (cs[0].old, cs[0].new) == ("Trial", "Free trial")
    assert describe(cs[0]) == 'stage saas/trial: title "Trial" -> "Free trial"'


def test_a_touchpoint_moved_between_stages_is_a_move(tmp_path):
    moved = BASE.replace('    touchpoint sorry "Sorry" { channel email recovery }\n', "").replace(
        "    -> retention", '    touchpoint sorry "Sorry" { channel email recovery }\n    -> retention')
    cs = changes(tmp_path, BASE, moved)
    assert brief(cs) == [("moved", "touchpoint", "saas/sorry", "stage", None)]
    assert (cs[0].old, cs[0].new) == ("retention", "trial")


def test_transitions_name_their_loop_backs(tmp_path):
    cs = changes(tmp_path, BASE, BASE.replace('    -> trial "renews"\n', ""))
    kinds = brief(cs)
    assert ("removed", "transition", "saas/retention -> trial", None, None) in kinds
    removed = next(c for c in cs if c.kind == "transition")
    assert describe(removed) == 'transition saas/retention -> trial: -> trial "renews" (loop-back)'


def test_messages_claims_kpis_owners_personas(tmp_path):
    new = (BASE.replace("Your trial lasts 14 days", "Your trial lasts 30 days")
           .replace("claim trial_days = 14 days", "claim trial_days = 30 days")
           .replace('persona admin "Admin"', 'persona admin "Workspace admin"')
           .replace('owner care "Care"', 'owner care "Care" { contact "care@x" }')
           .replace("target >= 40%", "target >= 45%"))
    cs = changes(tmp_path, BASE, new)
    got = {(c.kind, c.path, c.field): (c.old, c.new) for c in cs}
    assert got[("owner", "care", "contact")] == (None, "care@x")
    assert got[("persona", "admin", "title")] == ("Admin", "Workspace admin")
    assert got[("kpi", "activation", "target")] == ({"op": ">=", "number": 40, "unit": "%"},
                                                     {"op": ">=", "number": 45, "unit": "%"})
    assert got[("message", "saas/welcome/message 1", "text")] == ("Your trial lasts 14 days",
                                                                  "Your trial lasts 30 days")
    assert got[("claim", "saas/welcome/message 1/claim trial_days", "value")] == (
        {"number": 14, "unit": "days"}, {"number": 30, "unit": "days"})
    assert not any(c.breaking for c in cs)  # a raised target, titles, texts: nothing breaks


# ---------------------------------------------------------------------------
# breaking changes, one by one (docs/diff.md)

BREAKING = {
    "journey removed": (BASE + 'journey other "Other" { stage s "S" { entry } }\n', BASE,
                        ("removed", "journey", "other", "journey id removed")),
    "stage removed": (BASE, BASE.replace('    -> trial "renews"\n', "").replace('    -> retention "converts"\n', "")
                      .replace('  stage retention "Retention" {\n    measure nps\n'
                               '    touchpoint sorry "Sorry" { channel email recovery }\n  }\n', ""),
                      ("removed", "stage", "saas/retention", "stage id removed")),
    "touchpoint removed": (BASE, BASE.replace('    touchpoint sorry "Sorry" { channel email recovery }\n', ""),
                           ("removed", "touchpoint", "saas/sorry", "touchpoint id removed")),
    "touchpoint renamed": (BASE, BASE.replace("touchpoint sorry", "touchpoint apology"),
                           ("renamed", "touchpoint", "saas/sorry", "touchpoint id renamed")),
    "kpi renamed": (BASE, BASE.replace("nps", "net_promoter"), ("renamed", "kpi", "nps", "kpi id renamed")),
    "owner removed": (BASE, BASE.replace('owner care "Care"\n', ""), ("removed", "owner", "care", "owner id removed")),
    "persona renamed": (BASE, BASE.replace("admin", "workspace_admin"),
                        ("renamed", "persona", "admin", "persona id renamed")),
    "kpi unit changed": (BASE, BASE.replace("unit score", "unit count"),
                         ("changed", "kpi", "nps", "KPI unit changed")),
    "kpi target loosened": (BASE, BASE.replace("target >= 30", "target >= 25"),
                            ("changed", "kpi", "nps", "target loosened")),
    "measure target loosened": (BASE, BASE.replace("measure activation target >= 50%", "measure activation"),
                                ("changed", "measure", "saas/trial/measure activation", "target loosened")),
}


@pytest.mark.parametrize("name", list(BREAKING))
def test_each_breaking_change(name, tmp_path):
    old, new, (change, kind, path, reason) = BREAKING[name]
    cs = changes(tmp_path, old, new)
    hits = [c for c in cs if (c.change, c.kind, c.path) == (change, kind, path)]
    assert len(hits) == 1 and hits[0].breaking == reason, brief(cs)
    # the same change backwards (an addition, a tightening) is not breaking, except a rename or a unit change
    back = [c for c in changes(tmp_path, new, old) if c.breaking]
    if change == "removed" or "loosened" in reason:
        assert back == [], brief(back)


def test_a_removed_fact_breaks_before_facts_are_in_the_language():
    """v1.1 JSON: facts and other fields compared like any other."""
    fact = {"id": "trial_days", "value": {"number": 14, "unit": "days"}, "phrases": ["trial"], "audience": [],
            "description": None}
    old = {"facts": [fact], "journeys": []}
    assert brief(compare([old], [{"journeys": []}])) == [("removed", "fact", "trial_days", None, "fact id removed")]
    changed = dict(fact, value={"number": 30, "unit": "days"})
    assert brief(compare([old], [{"facts": [changed], "journeys": []}])) == [
        ("changed", "fact", "trial_days", "value", None)]


def test_v11_fields_absent_on_one_side_and_opportunities_and_figures():
    tp = {"id": "t", "title": None, "messages": [{"text": "$50 off", "figures": [{"kind": "money", "number": 50}]}]}
    j_old = {"id": "j", "title": "J", "stages": [{"id": "s", "touchpoints": [tp]}]}
    tp_new = dict(tp, layer="backstage", messages=[{"text": "$50 off", "figures": [{"kind": "money", "number": 35}]}])
    j_new = dict(j_old, state="future", opportunities=[{"id": "o", "title": "Faster"}],
                 stages=[{"id": "s", "touchpoints": [tp_new]}])
    cs = compare([{"journeys": [j_old]}], [{"journeys": [j_new]}])
    assert brief(cs) == [("changed", "journey", "j", "state", None), ("added", "opportunity", "j/o", None, None),
                         ("changed", "touchpoint", "j/t", "layer", None),
                         ("changed", "message", "j/t/message 1", "figures", None)]


@pytest.mark.parametrize("old,new,expected", [
    ({"op": ">=", "number": 40, "unit": "%"}, {"op": ">=", "number": 35, "unit": "%"}, True),
    ({"op": ">=", "number": 40, "unit": "%"}, {"op": ">=", "number": 45, "unit": "%"}, False),
    ({"op": ">", "number": 40, "unit": None}, {"op": ">=", "number": 40, "unit": None}, True),
    ({"op": ">=", "number": 40, "unit": None}, {"op": ">", "number": 40, "unit": None}, False),
    ({"op": "<=", "number": 24, "unit": "hours"}, {"op": "<=", "number": 48, "unit": "hours"}, True),
    ({"op": "<", "number": 24, "unit": "hours"}, {"op": "<=", "number": 24, "unit": "hours"}, True),
    ({"op": "=", "number": 3, "unit": None}, {"op": ">=", "number": 3, "unit": None}, True),
    ({"op": ">=", "number": 3, "unit": None}, {"op": "=", "number": 3, "unit": None}, False),
    ({"op": ">=", "number": 3, "unit": None}, {"op": "<=", "number": 3, "unit": None}, True),
    ({"op": "<=", "number": 24, "unit": "hours"}, {"op": "<=", "number": 2, "unit": "days"}, False),
    ({"op": ">=", "number": 3, "unit": None}, None, True),
    (None, {"op": ">=", "number": 3, "unit": None}, False),
])
def test_loosened(old, new, expected):
    assert loosened(old, new) is expected


# ---------------------------------------------------------------------------
# the command


def cli(*args, cwd=None):
    return subprocess.run(JOURNEYC + list(args), capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def two(tmp_path):
    (tmp_path / "journeyc.toml").write_text("")
    old, new = tmp_path / "old.journey", tmp_path / "new.journey"
    old.write_text(BASE)
    new.write_text(BASE.replace("target >= 30", "target >= 25").replace('"Trial"', '"Free trial"'))
    return old, new


def test_text_output_and_fail_on_breaking(two):
    old, new = two
    r = cli("diff", str(old), str(new))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("journeyc diff: 2 changed; 1 breaking\n\nDeclarations:\n"
                        "  ~ changed kpi nps: target >= 30 -> >= 25  [breaking: target loosened]\n\n"
                        "Journey saas:\n  ~ changed stage saas/trial: title \"Trial\" -> \"Free trial\"\n")
    assert cli("diff", "--fail-on-breaking", str(old), str(new)).returncode == 1
    assert cli("diff", "--fail-on-breaking", str(new), str(old)).returncode == 0  # tightened: fine
    assert cli("diff", "--fail-on-breaking", str(old), str(old)).stdout == "journeyc diff: no semantic change\n"


def test_markdown_and_json_output(two):
    old, new = two
    md = cli("diff", "--output-format", "markdown", str(old), str(new)).stdout
    assert md.splitlines()[0] == "⚠️ **journeyc diff**: 2 changed; 1 breaking"
    assert "### Journey `saas`" in md
    assert "| **changed** | stage `saas/trial` title | `\"Trial\"` | `\"Free trial\"` |" in md
    doc = json.loads(cli("diff", "--output-format", "json", str(old), str(new)).stdout)
    assert doc["summary"] == {"added": 0, "removed": 0, "changed": 2, "moved": 0, "renamed": 0, "breaking": 1}
    assert doc["changes"][0] == {"change": "changed", "kind": "kpi", "id": "nps", "journey": None, "field": "target",
                                 "old": {"op": ">=", "number": 30, "unit": None},
                                 "new": {"op": ">=", "number": 25, "unit": None}, "breaking": "target loosened"}


def test_hostile_titles_stay_in_their_cell(tmp_path):
    (tmp_path / "journeyc.toml").write_text("")
    old, new = tmp_path / "a.journey", tmp_path / "b.journey"
    old.write_text(BASE)
    new.write_text(BASE.replace('"Trial"', '"x | `y` \\n# z <b>"'))
    md = cli("diff", "--output-format", "markdown", str(old), str(new)).stdout
    row = [line for line in md.splitlines() if "saas/trial" in line]
    assert len(row) == 1 and len(re.findall(r"(?<!\\)\|", row[0])) == 5, row


def test_lint_delta_keyed_like_the_baseline(two, tmp_path):
    old, new = two
    new.write_text(BASE.replace("    measure nps\n", "").replace("target >= 40%", "target >= 41%")
                   .replace('owner care "Care"\n', 'owner care "Care"\nowner idle "Idle"\n'))
    r = cli("diff", "--lint", str(old), str(new))
    lines = r.stdout.splitlines()
    lint = lines[lines.index("Lint:") + 1:]
    assert any("introduced" in x and "[O002]" in x and "idle" in x for x in lint), r.stdout
    assert any("introduced" in x and "[M002]" in x for x in lint), r.stdout
    assert not any("fixed" in x for x in lint)
    assert not any("'care'" in x for x in lint)  # unused in both, on another line: neither introduced nor fixed
    doc = json.loads(cli("diff", "--lint", "--output-format", "json", str(new), str(old)).stdout)
    assert {d["code"] for d in doc["lint"]["fixed"]} == {"O002", "M002", "M007"} and doc["lint"]["introduced"] == []
    assert all(len(d["fingerprint"].split(":")[0]) == 32 for d in doc["lint"]["fixed"])


def test_bad_command_lines_exit_2(two, tmp_path):
    old, new = two
    assert cli("diff", str(old)).returncode == 2
    assert cli("diff", str(old), str(tmp_path / "missing.journey")).returncode == 2
    bad = tmp_path / "bad.journey"
    bad.write_text("journey {")
    r = cli("diff", str(old), str(bad))
    assert r.returncode == 1 and "E001" in r.stderr and "nothing to compare" in r.stderr


# ---------------------------------------------------------------------------
# --against REF in a scratch git repository


def git(repo: Path, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@x", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(SPECS, repo / "specs")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "specs")
    return repo


def test_against_a_revision_resolves_imports_at_that_revision(repo):
    assert cli("diff", "--against", "HEAD", "specs", cwd=repo).stdout == "journeyc diff: no semantic change\n"
    teams = repo / "specs" / "catalog" / "teams.journey"
    teams.write_text(teams.read_text().replace('"Customer care"', '"Care and support"'))
    saas = repo / "specs" / "saas.journey"
    saas.write_text(saas.read_text().replace("target >= 18%", "target >= 15%"))
    r = cli("diff", "--against", "HEAD", "--fail-on-breaking", "specs", cwd=repo)
    assert r.returncode == 1, r.stderr
    assert "changed owner care: title \"Customer care\" -> \"Care and support\"" in r.stdout
    assert "changed kpi trial_to_paid: target >= 18% -> >= 15%  [breaking: target loosened]" in r.stdout
    # nothing was checked out: the working tree keeps its edits
    assert "Care and support" in teams.read_text()
    assert git(repo, "status", "--porcelain").split() == ["M", "specs/catalog/teams.journey", "M",
                                                          "specs/saas.journey"]


def test_against_a_revision_where_an_import_did_not_exist_yet(repo):
    extra = repo / "specs" / "catalog" / "extra.journey"
    extra.write_text('owner extra_team "Extra"\n')
    dtc = repo / "specs" / "dtc.journey"
    dtc.write_text(dtc.read_text().replace('import "catalog/teams.journey"',
                                           'import "catalog/teams.journey"\nimport "catalog/extra.journey"', 1))
    r = cli("diff", "--against", "HEAD", "specs/dtc.journey", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert "+ added owner extra_team" in r.stdout
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "extra")
    extra.unlink()
    git(repo, "rm", "-q", "--cached", "specs/catalog/extra.journey")
    # at HEAD the import resolves (read from git), in the working tree it does not
    r = cli("diff", "--against", "HEAD", "specs/dtc.journey", cwd=repo)
    assert r.returncode == 1 and "E004" in r.stderr and "new side" in r.stderr


def test_against_a_removed_file_and_a_bad_revision(repo):
    (repo / "specs" / "b2b.journey").unlink()
    r = cli("diff", "--against", "HEAD", "--output-format", "json", "specs", cwd=repo)
    doc = json.loads(r.stdout)
    assert [c for c in doc["changes"] if c["kind"] == "journey"] == [
        {"change": "removed", "kind": "journey", "id": "b2b", "journey": "b2b", "field": None,
         "old": "Stackyard: from first conversation to reference customer", "new": None,
         "breaking": "journey id removed"}]
    r = cli("diff", "--against", "no-such-ref", "specs", cwd=repo)
    assert r.returncode == 2 and "no-such-ref" in r.stderr
    r = cli("diff", "--against", "HEAD", str(SPECS), cwd=repo.parent)
    assert r.returncode == 2 and "git" in r.stderr


def test_the_readme_example_is_what_the_command_prints():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "journeyc diff docs/examples/before.journey docs/examples/after.journey --output-format markdown"
    start = readme.index(f"```sh\n{command}\n```\n\n```markdown\n") + len(f"```sh\n{command}\n```\n\n```markdown\n")
    shown = readme[start:readme.index("```\n", start)]
    r = subprocess.run(JOURNEYC + command.split()[1:], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert r.stdout == shown


def test_a_kpi_declared_in_a_journey(tmp_path):
    """The journey's `kpis` is a list of ids, not of objects: compared as a field."""
    new = BASE.replace('  owner growth\n  stage trial', '  owner growth\n  kpi local "Local" { unit count target >= 1 }\n'
                       '  stage trial').replace("    measure nps\n", "    measure nps, local\n")
    cs = changes(tmp_path, BASE, new)
    assert ("added", "kpi", "local", None, None) in brief(cs)
    assert ("changed", "journey", "saas", "kpis", None) in brief(cs)
    assert not any(c.breaking for c in cs)
    assert any(c.breaking == "kpi id removed" for c in changes(tmp_path, new, BASE))


# ---------------------------------------------------------------------------
# properties


def _sources():
    from conftest import CASES

    return sorted(SPECS.glob("*.journey")) + sorted(CASES.glob("*.journey"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_a_compilation_against_itself_and_against_nothing(path):
    comp, diagnostics = journeyc.compile_file(path)
    if comp is None:  # compile errors: nothing to compare (the command says so, exit 1)
        assert any(d.is_compile_error for d in diagnostics)
        return
    doc = journeyc.to_json(comp)
    assert compare([doc], [doc]) == []
    gone = compare([doc], [{}])
    assert {c.change for c in gone} <= {"removed"}
    assert {c.kind for c in gone if c.journey is None} | {"journey"} >= {c.kind for c in gone}
    back = compare([{}], [doc])
    assert len(back) == len(gone) and {c.change for c in back} <= {"added"}


def test_two_roots_that_declare_one_kpi_are_compared_root_by_root(tmp_path):
    """A current and a future state declare the same ids; a change in one is
    found, whichever root a merged view would have kept."""
    kpi = 'kpi conv "Conversion" {{ unit percent target >= {}% }}\n'
    journey = 'journey j "J" {{ {} stage s {{ measure conv touchpoint t {{ channel web }} }} }}\n'
    for side, target in (("old", 18), ("new", 15)):
        (tmp_path / side / "future").mkdir(parents=True)
        (tmp_path / side / "future" / "j.journey").write_text(kpi.format(18) + journey.format("state future"))
        (tmp_path / side / "j.journey").write_text(kpi.format(target) + journey.format(""))
    r = cli("diff", str(tmp_path / "old"), str(tmp_path / "new"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("journeyc diff: 1 changed; 1 breaking\n\nDeclarations:\n"
                        "  ~ changed kpi conv: target >= 18% -> >= 15%  [breaking: target loosened]\n")


def test_against_a_revision_reads_copy_files_at_that_revision(repo):
    """The welcome email's copy file changed in the working tree: the old side
    reads it from git, so the text change shows."""
    copy = repo / "specs" / "copy" / "welcome.html"
    copy.write_text(copy.read_text().replace("Reply to this email", "Write to us"))
    r = cli("diff", "--against", "HEAD", "specs/saas.journey", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ('journeyc diff: 1 changed\n\nJourney saas:\n'
                        '  ~ changed message saas/welcome_email/message 1: text "...member a month Questions? Reply to '
                        'this email." -> "...member a month Questions? Write to us."\n')


def test_against_a_revision_where_an_import_or_copy_file_is_new(repo):
    """Files the working tree has and the revision lacks do not exist for the
    old side: nothing is read from the working tree for it."""
    (repo / "specs" / "copy" / "new.txt").write_text("Now 20% off.")
    (repo / "specs" / "catalog" / "extra.journey").write_text('owner extra_team "Extra"\n')
    for name, text in (("a.journey", 'import "catalog/extra.journey"\njourney a { stage s { } }\n'),
                       ("b.journey", 'journey b { stage s { touchpoint t { channel web message from "copy/new.txt" } } }\n')):
        (repo / "specs" / name).write_text(text)
        git(repo, "add", f"specs/{name}")
        git(repo, "commit", "-q", "-m", name)
    r = cli("diff", "--against", "HEAD", "specs/a.journey", cwd=repo)
    assert r.returncode == 1
    assert "cannot import 'catalog/extra.journey': specs/catalog/extra.journey does not exist at HEAD" in r.stderr
    r = cli("diff", "--against", "HEAD", "specs/b.journey", cwd=repo)
    assert r.returncode == 1
    assert "cannot read copy file 'copy/new.txt': specs/copy/new.txt does not exist at HEAD" in r.stderr


def test_a_long_text_change_is_shown_where_it_differs():
    from journeyc.diff import changed_texts

    old = "Welcome!\n\n  " + "Lots of words here. " * 10 + "Your trial lasts 14 days."
    new = old.replace("14 days", "30 days")
    a, b = changed_texts(old, new)
    assert "14 days" in a and "30 days" in b and a.startswith('"...') and len(a) <= 82
    assert changed_texts("a  b", "a c") == ('"a b"', '"a c"')

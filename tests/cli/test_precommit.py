"""The pre-commit hook of .pre-commit-hooks.yaml, installed by pre-commit
(PyPI) from a copy of this repository (its working tree, committed), in a
scratch git repository: a commit with a lint error is refused and accepted
once the spec is fixed."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
GOOD = """owner cx "CX team"
persona buyer "Buyer" { kind customer }
kpi signups "Sign-ups" { unit count target >= 100 source first_party "Product analytics" category acquisition }
kpi repeat "Repeat orders" { unit percent target >= 30% source first_party "Orders" category frequency }
kpi spend "Basket size" { unit currency target >= 40 USD source first_party "Orders" category spend }

journey shop "Shop" {
  model flywheel
  business transactional
  owner cx
  stage discover "Discover" {
    entry
    measure signups
    touchpoint ad "Ad" { channel social area marketing audience buyer score 4 }
    -> buy
  }
  stage buy "Buy" {
    phase conversion
    measure spend
    touchpoint checkout "Checkout" { channel web area technology audience buyer score 4 }
    -> after
  }
  stage after "After the sale" {
    measure repeat
    touchpoint help "Help" { channel chat area support audience buyer score 4 recovery }
    -> discover
  }
}
"""
BAD = GOOD.replace("    measure repeat\n", "")  # M002: nothing measured after the sale


def formatted(text: str) -> str:
    from journeyc.fmt import format_text

    return format_text(text, "j.journey")


def readme_config() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### pre-commit\n", 1)[1].split("\n### ", 1)[0]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)


def copy_of_this_repository(dest: Path) -> str:
    """The working tree's files (tracked and new, not ignored) committed in a
    new repository: pre-commit clones a repository at a revision."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = REPO / f
        if src.is_file() and not f.startswith(("tests/browser/node_modules", "editors/vscode/test/node_modules")):
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "journeyc")
    return git(dest, "rev-parse", "HEAD").stdout.strip()


def test_hook_refuses_a_commit_with_a_lint_error_then_accepts_the_fix(tmp_path):
    assert PRE_COMMIT.exists(), "pre-commit is in the test extras: pip install -e '.[test]'"
    hook_repo = tmp_path / "journeyc"
    hook_repo.mkdir()
    rev = copy_of_this_repository(hook_repo)
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    env.pop("VIRTUAL_ENV", None)
    git(work, "init", "-q", env=env)
    # the README's configuration, with this repository's copy and revision
    config = readme_config()
    config = re.sub(r"repo: \S+", f"repo: {hook_repo}", re.sub(r"rev: \S+", f"rev: {rev}", config))
    (work / ".pre-commit-config.yaml").write_text(config)
    subprocess.run([PRE_COMMIT, "install"], cwd=work, env=env, check=True, capture_output=True)
    assert "    measure repeat\n" in formatted(GOOD)
    (work / "j.journey").write_text(formatted(BAD))
    git(work, "add", "-A", env=env)
    refused = subprocess.run(["git", "commit", "-m", "journey"], cwd=work, env=env, capture_output=True, text=True)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "journeyc check" in out and "Failed" in out and "warning[M002]" in out and "[after]" in out
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True).returncode != 0  # no commit
    (work / "j.journey").write_text(formatted(GOOD))  # the fix: the stage measures a KPI
    git(work, "add", "-A", env=env)
    accepted = subprocess.run(["git", "commit", "-m", "journey"], cwd=work, env=env, capture_output=True, text=True)
    out = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, out
    assert "journeyc check" in out and "journeyc fmt" in out and out.count("Passed") == 2
    # a change laid out badly: journeyc fmt rewrites the file and the commit is refused
    changed = formatted(GOOD).replace('journey shop "Shop" {', 'journey   shop "Shop online"{')
    assert changed != formatted(GOOD)
    (work / "j.journey").write_text(changed)
    git(work, "add", "-A", env=env)
    refused = subprocess.run(["git", "commit", "-m", "title"], cwd=work, env=env, capture_output=True, text=True)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "journeyc fmt" in out and "files were modified by this hook" in out, out
    assert (work / "j.journey").read_text() == formatted(changed)
    assert 'journey shop "Shop online" {' in formatted(changed)
    git(work, "add", "-A", env=env)
    accepted = subprocess.run(["git", "commit", "-m", "title"], cwd=work, env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_hooks_file_names_the_command_and_journey_files():
    import yaml  # pre-commit depends on PyYAML

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["journeyc-check"]["entry"] == "journeyc check"
    assert hooks["journeyc-check"]["files"] == r"\.journey$"
    assert hooks["journeyc-fmt"]["entry"] == "journeyc fmt"
    assert hooks["journeyc-fmt"]["files"] == r"\.journey$"
    assert [h["id"] for h in yaml.safe_load(readme_config())["repos"][0]["hooks"]] == ["journeyc-fmt",
                                                                                      "journeyc-check"]

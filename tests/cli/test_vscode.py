"""The VS Code extension in editors/vscode/: its TextMate grammar, run by
vscode-textmate on vscode-oniguruma (what VS Code runs) through
editors/vscode/test/tokenize.js, against golden token scopes for specs/,
the conformance cases and the hostile input; its language configuration;
its manifest; and `vsce package`, offline (`npm ci` in .ci/run installs
both package.json files first)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import CASES, GOLDEN, REPO, SHARED, SPECS

VSCODE = REPO / "editors" / "vscode"
GRAMMAR = VSCODE / "syntaxes" / "journey.tmLanguage.json"
TEST_PACKAGE = VSCODE / "test"
NODE = shutil.which("node")
CASES_11 = SHARED / "conformance" / "cases-1.1"


def inputs() -> list[tuple[str, Path]]:
    found = [(f"specs-{p.relative_to(SPECS).as_posix().replace('/', '-')}", p) for p in sorted(SPECS.rglob("*.journey"))]
    found += [(f"cases-{p.name}", p) for p in sorted(CASES.glob("*.journey"))]
    found += [(f"cases-1.1-{p.name}", p) for p in sorted(CASES_11.glob("*.journey"))]
    found.append(("hostile.journey", GOLDEN / "inputs" / "hostile.journey"))
    return found


def needs_node_modules(folder: Path):
    if NODE is None or not (folder / "node_modules").is_dir():
        if os.environ.get("JOURNEYC_REQUIRE_TOOLS") == "1":
            pytest.fail(f"node or {folder}/node_modules missing: npm ci --prefix {folder}")
        pytest.skip(f"node or {folder}/node_modules missing (npm ci --prefix {folder})")


def tokenize(*paths: Path) -> dict:
    needs_node_modules(TEST_PACKAGE)
    proc = subprocess.run([NODE, TEST_PACKAGE / "tokenize.js", GRAMMAR, *paths], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout)


def render(lines) -> str:
    """One line per source line: each token that shows something, with its
    scopes (`.journey` dropped)."""
    out = []
    for number, tokens in lines:
        shown = [f"{text!r}={'+'.join(s.removesuffix('.journey') for s in scopes) or '-'}"
                 for text, *scopes in tokens if text.strip()]
        out.append(f"{number}: {' '.join(shown)}".rstrip())
    return "\n".join(out) + "\n"


def test_golden_token_scopes(golden):
    cases = inputs()
    assert len(cases) > 40
    result = tokenize(*(p for _, p in cases))
    for name, path in cases:
        golden(f"vscode/{name}.tokens", render(result[str(path)]))


def test_every_golden_token_file_has_its_input():
    names = {f"{n}.tokens" for n, _ in inputs()}
    assert {p.name for p in (GOLDEN / "vscode").glob("*.tokens")} == names


def scopes_of(text: str, tmp_path) -> list[list]:
    p = tmp_path / "t.journey"
    p.write_text(text, encoding="utf-8")
    return [tok for _, toks in tokenize(p)[str(p)] for tok in toks if tok[0].strip()]


def scope(tokens, text: str) -> list[str]:
    return next(t[1:] for t in tokens if t[0] == text)


def test_what_is_highlighted_distinctly(tmp_path):
    toks = scopes_of('kpi a "A" { target >= 40% }  # plain\n'
                     'stage owner { -> measure }  # journeyc: ignore[M001, O001] -- why\n'
                     'journey j { promise """two\nlines""" { tone calm } }\n'
                     'kpi b { target <= 14 days }\n', tmp_path)
    assert "constant.numeric.journey" in scope(toks, "40") and "keyword.other.unit.percent.journey" in scope(toks, "%")
    assert "keyword.other.unit.journey" in scope(toks, "days") and "constant.numeric.journey" in scope(toks, "14")
    plain = scope(toks, " plain")
    assert plain == ["comment.line.number-sign.journey"]
    # the suppression comment: its own scope, with the directive and codes apart from the reason
    assert scope(toks, "journeyc: ignore")[0] == "comment.line.number-sign.suppression.journey"
    assert "keyword.control.suppression.journey" in scope(toks, "journeyc: ignore")
    assert "constant.other.rule-code.journey" in scope(toks, "M001")
    assert "constant.other.rule-code.journey" in scope(toks, "O001")
    # keywords where an identifier stands read as identifiers
    assert scope(toks, "owner") == ["entity.name.type.journey"]
    assert scope(toks, "measure") == ["entity.name.tag.stage-reference.journey"]
    # a triple-quoted string runs over lines
    assert scope(toks, "two") == ["string.quoted.triple.journey"] and scope(toks, "lines") == ["string.quoted.triple.journey"]
    assert scope(toks, "calm") == ["support.constant.enum.journey"]


def test_language_configuration_and_manifest():
    config = json.loads((VSCODE / "language-configuration.json").read_text())
    assert config["comments"] == {"lineComment": "#"} and config["brackets"] == [["{", "}"]]
    increase = re.compile(config["indentationRules"]["increaseIndentPattern"])
    decrease = re.compile(config["indentationRules"]["decreaseIndentPattern"])
    assert increase.search('  stage trial "Free trial" {') and increase.search("journey j {  # comment")
    assert not increase.search('  touchpoint t { channel email }') and not increase.search('# { in a comment')
    assert decrease.search("  }") and not decrease.search("  stage s {")
    manifest = json.loads((VSCODE / "package.json").read_text())
    contributes = manifest["contributes"]
    (language,) = contributes["languages"]
    assert language["extensions"] == [".journey"]
    (grammar,) = contributes["grammars"]
    assert (VSCODE / grammar["path"]).resolve() == GRAMMAR and grammar["scopeName"] == "source.journey"
    assert json.loads(GRAMMAR.read_text())["scopeName"] == "source.journey"
    assert contributes["configuration"]["properties"]["journeyc.path"]["default"] == "journeyc"
    extension = (VSCODE / manifest["main"]).read_text()
    assert 'args: ["lsp"]' in extension and 'get("path")' in extension


def test_vsce_package_works_offline(tmp_path):
    needs_node_modules(VSCODE)
    out = tmp_path / "journeyc.vsix"
    env = dict(os.environ, npm_config_offline="true")
    proc = subprocess.run(["npx", "--offline", "vsce", "package", "--skip-license", "--allow-missing-repository",
                           "--out", str(out)], cwd=VSCODE, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = set(zipfile.ZipFile(out).namelist())
    for f in ("extension/package.json", "extension/extension.js", "extension/language-configuration.json",
              "extension/syntaxes/journey.tmLanguage.json",
              "extension/node_modules/vscode-languageclient/package.json"):
        assert f in names
    assert not any(n.startswith("extension/test/") for n in names)

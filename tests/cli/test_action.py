"""The GitHub Action (action.yml) and the README's CI examples.

* action.yml validates against SchemaStore's schema for actions, the
  README's workflow against the one for workflows, its GitLab job against
  the one for `.gitlab-ci.yml` (all three bundled with check-jsonschema);
* the action's shell steps run as a runner runs them: `${{ ... }}`
  expressions (only ever in `env:` and `working-directory`, never in a
  script) evaluated, GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_PATH,
  RUNNER_TEMP and GITHUB_ACTION_PATH set, bash with the runner's options;
* the GitLab job's script runs, and its report is Code Quality JSON."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, write
from test_precommit import BAD, GOOD

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
CLEAN = GOOD  # only an info finding (X004)
FINDINGS = BAD  # warnings (M002, M006) and infos


def expected_codes(path) -> set[str]:
    import journeyc

    return {d.code for d in journeyc.check(path)}


def readme_block(heading: str, lang: str = "yaml") -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.search(rf"```{lang}\n(.*?)```", section, re.S).group(1)


def validate(schema: str, path: Path) -> None:
    proc = subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", schema, path], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_yml_validates_against_the_published_schema():
    validate("vendor.github-actions", REPO / "action.yml")


def test_readme_workflow_validates_and_uses_the_action_as_declared(tmp_path):
    workflow = readme_block("GitHub Actions")
    path = write(tmp_path, "journeys.yml", workflow)
    validate("vendor.github-workflows", path)
    steps = yaml.safe_load(workflow)["jobs"]["journeyc"]["steps"]
    ours = next(s for s in steps if s.get("uses", "").split("@")[0].endswith("/journeyc"))
    assert set(ours.get("with", {})) <= set(ACTION["inputs"])
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    used = set(re.findall(r"steps\.journeyc\.outputs\.([\w-]+)", json.dumps(upload)))
    assert used and used <= set(ACTION["outputs"])


def test_no_expression_reaches_a_script():
    """Inputs go through `env:`: text in an input can never become shell code."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["name"]


class Runner:
    """Runs the action's steps the way a GitHub runner does."""

    def __init__(self, tmp: Path, inputs: dict):
        self.workspace = tmp / "workspace"
        self.workspace.mkdir(exist_ok=True)
        self.temp = tmp / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.output = tmp / "github-output"
        self.path_file = tmp / "github-path"
        self.output.write_text("")
        self.path_file.write_text("")
        self.inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
        self.inputs.update(inputs)
        self.context = {"github.action_path": str(REPO), "github.workspace": str(self.workspace),
                        "runner.temp": str(self.temp)}

    def expr(self, text: str) -> str:
        def one(m):
            name = m.group(1)
            if name.startswith("inputs."):
                return self.inputs[name[len("inputs."):]]
            return self.context[name]

        return EXPR.sub(one, str(text))

    def run_step(self, step_id: str) -> subprocess.CompletedProcess:
        step = next(s for s in ACTION["runs"]["steps"] if s["id"] == step_id)
        assert step["shell"] == "bash"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "VIRTUAL_ENV"))}
        env.update(GITHUB_ACTIONS="true", CI="true", RUNNER_OS="Linux", GITHUB_WORKSPACE=str(self.workspace),
                   GITHUB_OUTPUT=str(self.output), GITHUB_PATH=str(self.path_file), RUNNER_TEMP=str(self.temp),
                   GITHUB_ACTION_PATH=str(REPO))
        env.update({k: self.expr(v) for k, v in step.get("env", {}).items()})
        cwd = self.expr(step.get("working-directory", str(self.workspace)))
        # the runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
        script = self.temp / f"{step_id}.sh"
        script.write_text(step["run"])
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env,
                              capture_output=True, text=True)

    def outputs(self) -> dict:
        return dict(line.split("=", 1) for line in self.output.read_text().splitlines() if line)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The install step, once: a virtualenv in RUNNER_TEMP with journeyc from the action's checkout."""
    tmp = tmp_path_factory.mktemp("action")
    runner = Runner(tmp, {"python": sys.executable})
    proc = runner.run_step("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert runner.path_file.read_text().strip() == str(runner.temp / "journeyc-venv" / "bin")
    assert proc.stdout.strip().startswith("journeyc")
    return tmp


def checked(tmp: Path, spec: str | None, **inputs) -> tuple[Runner, subprocess.CompletedProcess]:
    runner = Runner(tmp, inputs)
    for old in runner.workspace.glob("*"):
        if old.is_file():
            old.unlink()
    subprocess.run(["git", "init", "-q"], cwd=runner.workspace, check=True)
    if spec is not None:
        write(runner.workspace / "specs", "shop.journey", spec)
    return runner, runner.run_step("check")


def test_findings_annotate_write_sarif_and_fail_the_step(installed):
    runner, proc = checked(installed, FINDINGS, paths="specs/")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::warning file=specs/shop.journey,line=7" in proc.stdout and "M002" in proc.stdout
    out = runner.outputs()
    assert out == {"sarif-file": "journeyc.sarif", "exit-code": "1"}
    sarif = json.loads((runner.workspace / "journeyc.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == expected_codes(runner.workspace / "specs")
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "specs/shop.journey"
    import jsonschema

    jsonschema.validate(sarif, json.loads((REPO / "tests" / "data" / "sarif-2.1.0.json").read_text()))


def test_clean_spec_passes_and_fail_on_is_passed_through(installed):
    runner, proc = checked(installed, CLEAN, paths="specs/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert runner.outputs()["exit-code"] == "0"
    runner, proc = checked(installed, FINDINGS, paths="specs/", **{"fail-on": "never"})
    assert proc.returncode == 0 and "::warning" in proc.stdout
    runner, proc = checked(installed, CLEAN, paths="specs/", **{"fail-on": "info", "sarif-file": "out/x.sarif"})
    assert proc.returncode == 1 and "::notice file=specs/shop.journey" in proc.stdout  # X004 is info
    assert runner.outputs() == {"sarif-file": "out/x.sarif", "exit-code": "1"}
    assert json.loads((runner.workspace / "out" / "x.sarif").read_text())["runs"][0]["results"]


def test_a_missing_path_is_an_error_annotation_and_exit_2(installed):
    runner, proc = checked(installed, None, paths="nowhere/")
    assert proc.returncode == 2
    assert "::error title=journeyc::" in proc.stdout and "nowhere/: no such file" in proc.stderr
    assert runner.outputs()["exit-code"] == "2"
    assert not (runner.workspace / "journeyc.sarif").exists()


def test_gitlab_job_validates_and_its_script_writes_a_code_quality_report(tmp_path):
    job = readme_block("GitLab CI")
    validate("vendor.gitlab-ci", write(tmp_path, ".gitlab-ci.yml", job))
    doc = yaml.safe_load(job)["journeyc"]
    report = doc["artifacts"]["reports"]["codequality"]
    assert doc["artifacts"]["when"] == "always"
    work = tmp_path / "project"
    write(work / "specs", "shop.journey", FINDINGS)
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    # the job's script, with journeyc already installed (the image's pip install is the first line)
    assert doc["script"][0].startswith("pip install")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **doc["variables"])
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(doc["script"][1:])], cwd=work, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr  # findings fail the job; the report is kept (when: always)
    issues = json.loads((work / report).read_text())
    assert {i["check_name"] for i in issues} == expected_codes(work / "specs")
    for i in issues:
        assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["location"]["path"] == "specs/shop.journey" and i["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)

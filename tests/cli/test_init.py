"""`journeyc init`: what it writes passes `check` and `fmt --check`, the
configuration spells out the defaults (and is valid), nothing is ever
overwritten, and the templates are the repository's specs."""
from __future__ import annotations

import subprocess
import sys
import tomllib

import os

import pytest

from journeyc.config import load_config
from journeyc.fmt import format_text
from journeyc.init import HERE, TEMPLATES, config_text, shipped_paths, template_paths
from journeyc.lint.rules import RULES

from conftest import SPECS

JOURNEYC = [sys.executable, "-m", "journeyc"]


def cli(*args, cwd=None):
    return subprocess.run(JOURNEYC + list(args), capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("template", TEMPLATES)
def test_init_writes_a_project_that_passes_check_and_fmt(template, tmp_path):
    folder = tmp_path / "project"
    r = cli("init", str(folder), "--template", template)
    assert r.returncode == 0, r.stderr
    spec = "main.journey" if template == "blank" else f"{template}.journey"
    expected = {spec, "journeyc.toml", "README.md"} | set(template_paths(template)[1:])
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == expected
    check = cli("check", str(folder))
    assert check.returncode == 0, check.stdout
    assert "error" not in check.stdout and "warning" not in check.stdout
    fmt = cli("fmt", "--check", str(folder))
    assert fmt.returncode == 0, fmt.stdout
    readme = (folder / "README.md").read_text()
    assert "journeyc check ." in readme and "journeyc fmt ." in readme and f"journeyc report {spec}" in readme


def test_init_in_the_current_folder_defaults_to_blank(tmp_path):
    r = cli("init", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "main.journey").exists() and (tmp_path / "journeyc.toml").exists()


def test_init_never_overwrites(tmp_path):
    (tmp_path / "README.md").write_text("mine\n")
    r = cli("init", str(tmp_path), "--template", "saas")
    assert r.returncode == 2
    assert r.stderr.strip() == (f"journeyc: {tmp_path / 'README.md'}: already exists; init writes only new files "
                                "and wrote nothing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]  # nothing else written
    assert (tmp_path / "README.md").read_text() == "mine\n"
    (tmp_path / "file").write_text("x")
    r = cli("init", str(tmp_path / "file"))
    assert r.returncode == 2 and "file" in r.stderr
    r = cli("init", str(tmp_path / "x"), "--template", "enterprise")
    assert r.returncode == 2


def test_the_configuration_spells_out_every_default():
    text = config_text()
    table = tomllib.loads(text)
    assert table["select"] == ["ALL"] and table["ignore"] == [] and table["fail-on"] == "warning"
    for r in RULES:
        for o in r.options:
            default = list(o.default) if isinstance(o.default, tuple) else o.default
            assert table["rules"][r.code][o.name] == default
    assert all(line.startswith("#") or not line or "=" in line or line.startswith("[") for line in text.splitlines())


def test_the_configuration_is_valid(tmp_path):
    path = tmp_path / "journeyc.toml"
    path.write_text(config_text())
    config = load_config(str(path))
    assert config.fail_on == "warning"


@pytest.mark.parametrize("rel", shipped_paths())
def test_the_templates_are_the_specs(rel):
    """`python -m journeyc.init` copies them again after the specs change."""
    template = (HERE + "/" + rel)
    with open(template, "rb") as f:
        shipped = f.read()
    if rel.endswith(".journey"):
        assert shipped.decode("utf-8") == format_text((SPECS / rel).read_text(encoding="utf-8"), rel)
    else:
        assert shipped == (SPECS / rel).read_bytes()


def test_every_file_a_template_reads_is_shipped(tmp_path):
    """What the specs import or read as copy files is among the template's files."""
    from journeyc.load import Session
    from journeyc.compiler import discover_roots, compile_root

    for template in TEMPLATES:
        if template == "blank":
            continue
        session = Session()
        for root in discover_roots(session, [str(SPECS / f"{template}.journey")]):
            compile_root(session, root)
        read = {os.path.relpath(p, SPECS).replace(os.sep, "/") for p in session.read_paths()}
        assert read <= set(template_paths(template)), (template, read - set(template_paths(template)))

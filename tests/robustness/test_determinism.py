"""Determinism: the bytes of every output (`compile` to JSON, DOT, Mermaid,
SVG; `check` in every format, SARIF and JSON among them; the HTML report)
are identical across PYTHONHASHSEED values, working folders (inside the
project), locales, output encodings, time zones and the order in which a
folder lists its files.

A driver runs every output in one process; it runs three times, each time
changing every factor at once, and the digests must agree."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SPECS

DRIVER = r'''
import hashlib, json, os, random, sys
from click.testing import CliRunner
from journeyc.cli import main
from journeyc.outputs import DIAGNOSTIC_FORMATS, VIEWS

project, reverse = sys.argv[1], sys.argv[2] == "reverse"
if reverse:  # the folder lists its files in another order
    real_scandir, real_listdir = os.scandir, os.listdir

    class Reversed:
        def __init__(self, it):
            self.entries = list(it)[::-1]
            self.it = it
        def __iter__(self):
            return self
        def __next__(self):
            if not self.entries:
                raise StopIteration
            return self.entries.pop(0)
        def __enter__(self):
            return self
        def __exit__(self, *a):
            self.it.close()
        def close(self):
            self.it.close()

    os.scandir = lambda path=".": Reversed(real_scandir(path))
    os.listdir = lambda path=".": real_listdir(path)[::-1]

specs = os.path.join(project, "specs")
saas = os.path.join(specs, "saas.journey")
runs = {}
for fmt in DIAGNOSTIC_FORMATS:
    runs[f"check-{fmt}"] = ["check", "--output-format", fmt, "--fail-on", "never", specs]
runs["check-broken"] = ["check", "--output-format", "json", os.path.join(project, "broken")]
for fmt in (f for f, output in VIEWS["flow"].items() if not output.binary):
    runs[f"compile-{fmt}"] = ["compile", "--format", fmt, saas]
for view, fmt in (("blueprint", "dot"), ("blueprint", "svg"), ("emotion", "svg")):
    runs[f"compile-{view}-{fmt}"] = ["compile", "--format", fmt, "--view", view, saas]
runs["report-compare"] = ["report", "--compare", saas, os.path.join(specs, "future", "saas.journey")]
runs["compile-json-locations"] = ["compile", "--with-locations", saas]
os.makedirs(os.path.join(project, "out-" + sys.argv[3]))
runs["compile-folder"] = ["compile", specs, "-o", os.path.join(project, "out-" + sys.argv[3])]
runs["report"] = ["report", specs]
digests = {}
for name, args in runs.items():
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    out = result.stdout_bytes
    if name == "compile-folder":
        folder = args[-1]
        out = b"".join(n.encode() + b"\0" + open(os.path.join(folder, n), "rb").read()
                       for n in sorted(os.listdir(folder)))
    digests[name] = [result.exit_code, hashlib.sha256(out).hexdigest(),
                     out[:3000].decode("utf-8", "replace") + result.stderr[-2000:]]
print(json.dumps(digests))
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The specs, plus a folder of files with syntax and import errors, in
    a project (and repository) of their own."""
    root = tmp_path_factory.mktemp("determinism") / "project"
    shutil.copytree(SPECS, root / "specs")
    (root / ".git").mkdir()
    (root / "journeyc.toml").write_text("", encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    for i in range(12):  # several roots, so listing order could matter
        (broken / f"f{i:02}.journey").write_text(
            f'import "f{(i + 1) % 12:02}.journey"\nimport "missing{i}.journey"\nowner o{i} @\n'
            f'journey j{i} {{ stgae s {{ }} }}\n', encoding="utf-8")
    return root


VARIANTS = [
    # hash seed, working folder (inside the project), locale, time zone, output encoding, listing order
    {"PYTHONHASHSEED": "0", "cwd": ".", "LC_ALL": "C", "TZ": "UTC", "PYTHONIOENCODING": "utf-8",
     "order": "normal"},
    {"PYTHONHASHSEED": "4242", "cwd": "specs/catalog", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Chatham",
     "PYTHONIOENCODING": "latin-1", "order": "reverse"},
    {"PYTHONHASHSEED": "random", "cwd": "broken", "LC_ALL": "POSIX", "LANG": "tr_TR.UTF-8",
     "TZ": "America/St_Johns", "PYTHONIOENCODING": "ascii", "order": "reverse"},
]


def run_driver(project: Path, variant: dict, index: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONHASHSEED", "TZ"))}
    env.update({k: v for k, v in variant.items() if k not in ("cwd", "order")})
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(project), variant["order"], str(index)],
                          cwd=project / variant["cwd"], env=env, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def outputs(project):
    return [run_driver(project, v, i) for i, v in enumerate(VARIANTS)]


def test_every_output_is_the_same_bytes_in_every_environment(outputs):
    first = outputs[0]
    assert len(first) >= 16
    for variant, other in zip(VARIANTS[1:], outputs[1:]):
        for name, (code, digest, head) in first.items():
            assert other[name][0] == code, (name, variant)
            assert other[name][1] == digest, (name, variant, head, other[name][2])


def test_the_outputs_are_real(outputs):
    first = outputs[0]
    assert all(code in (0, 1) for code, _, _ in first.values()), {k: v[0] for k, v in first.items()}
    assert first["compile-json"][0] == 0 and '"schema_version"' in first["compile-json"][2]
    assert first["check-broken"][0] == 1 and '"E001"' in first["check-broken"][2]
    assert first["compile-svg"][2].lstrip().startswith("<?xml") or "<svg" in first["compile-svg"][2]


def test_compiled_json_is_the_same_bytes_in_process_for_any_hash_seed(tmp_path):
    """No set or dict order leaks into the compiled JSON: the same file
    compiled in fresh interpreters with several seeds."""
    digests = set()
    code = ("import sys, hashlib; from journeyc.backends.json import dumps, to_json; "
            "from journeyc import compile_file; c, _ = compile_file(sys.argv[1]); "
            "print(hashlib.sha256(dumps(to_json(c, True)).encode()).hexdigest())")
    for seed in ("1", "2", "3", "99"):
        proc = subprocess.run([sys.executable, "-c", code, str(SPECS / "dtc.journey")], capture_output=True,
                              env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO)), cwd=REPO)
        assert proc.returncode == 0, proc.stderr
        digests.add(proc.stdout)
    assert len(digests) == 1

"""`journeyc init`: a starter project from a template.

The `saas`, `dtc` and `b2b` templates are the specs of the repository
(`specs/*.journey` and their catalogue, `specs/catalog/`), in the canonical
layout, shipped inside the package in `journeyc/templates/`;
`python -m journeyc.init` copies them again from `specs/` after the specs
change (tests/cli/test_init.py checks they are the same). `blank` is a small
journey of its own that passes `check`.

init writes the spec, a `journeyc.toml` with every default spelt out (from
the rule registry, so it stays true) and a README.md with the next commands.
It never overwrites: when any file it would write exists, it writes nothing
and says which (exit 2)."""
from __future__ import annotations

import os

TEMPLATES = ("saas", "dtc", "b2b", "blank")
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
CATALOG = ("catalog/teams.journey", "catalog/kpis.journey", "catalog/facts.journey")
# Copy files (message from "...") a template's spec reads, copied as they are.
COPY_FILES = {"saas": ("copy/welcome.html",)}


def template_paths(name: str) -> list[str]:
    """The relative paths of a template's files (spec first)."""
    return [f"{name}.journey"] + (list(CATALOG) if name != "blank" else []) + list(COPY_FILES.get(name, ()))


def shipped_paths() -> list[str]:
    """Every file the templates copy from the specs, once."""
    return list(dict.fromkeys(rel for t in TEMPLATES if t != "blank" for rel in template_paths(t)))


def template_files(name: str) -> dict[str, bytes]:
    """{relative path: content} of a template."""
    names = template_paths(name)
    out = {}
    for rel in names:
        with open(os.path.join(HERE, *rel.split("/")), "rb") as f:
            out[rel] = f.read()
    return out


def spec_name(template: str) -> str:
    """The name init gives the template's journey file."""
    return "main.journey" if template == "blank" else f"{template}.journey"


def config_text() -> str:
    """journeyc.toml with the defaults spelt out, each commented."""
    import json

    from .lint.rules import RULES

    def value(v) -> str:
        return json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)

    lines = [
        "# journeyc configuration (CLI.md, Configuration). Every value below is the default:",
        "# change what you need, delete the rest. An unknown key is an error, never ignored.",
        "",
        "# Lint rules to run: codes or prefixes (\"M\", \"C001\"); ALL is every rule.",
        'select = ["ALL"]',
        "# Rules to turn off, e.g. [\"X004\"].",
        "ignore = []",
        "# Exit 1 when a finding is at or above this level: error, warning, info or never.",
        "# (Compile errors E001-E010 always fail.)",
        'fail-on = "warning"',
        "",
        "# Severity of a rule, instead of its default (`journeyc rules` lists them):",
        "[severity]",
        '# M004 = "error"',
        "",
        "# Rules to turn off for some files (glob patterns relative to this folder):",
        "[per-file-ignores]",
        '# "legacy/**/*.journey" = ["F001"]',
    ]
    for r in RULES:
        if not r.options:
            continue
        lines += ["", f"# {r.code} {r.name}: {r.summary}", f"[rules.{r.code}]"]
        for o in r.options:
            lines.append(f"# {o.help}")
            lines.append(f"{o.name} = {value(o.default)}")
    return "\n".join(lines) + "\n"


def readme_text(spec: str) -> str:
    return f"""# Customer journeys

`{spec}` describes a customer journey as code: stages, touchpoints, the
teams that own them, the KPIs that measure them and the messages they send.
`journeyc.toml` holds the lint settings (every default, commented).

The next three commands:

```sh
journeyc check .                         # parse, resolve and lint every journey here
journeyc fmt .                           # rewrite the files in the canonical layout (CI: journeyc fmt --check .)
journeyc report {spec} -o report.html    # one HTML page: diagrams, stages, coverage, findings
```

In a pull request, `journeyc diff --against main --output-format markdown`
says what the change means for the journeys. `journeyc explain CODE`
explains a finding.
"""


def run(folder: str, template: str) -> int:
    """Write the starter project into `folder` (created if needed)."""
    import sys

    from .fsutil import write_atomic
    from .errors import JourneycError

    spec = spec_name(template)
    files = {(spec if rel == f"{template}.journey" else rel): data for rel, data in template_files(template).items()}
    files["journeyc.toml"] = config_text().encode("utf-8")
    files["README.md"] = readme_text(spec).encode("utf-8")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise JourneycError(f"{folder}: exists and is not a folder")
    for rel in files:
        path = os.path.join(folder, *rel.split("/"))
        if os.path.lexists(path):
            raise JourneycError(f"{path}: already exists; init writes only new files and wrote nothing")
    for rel, data in files.items():
        path = os.path.join(folder, *rel.split("/"))
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write_atomic(path, data)
    shown = folder if folder not in (".", "") else "the current folder"
    sys.stdout.write(f"journeyc: wrote {', '.join(files)} in {shown}\n"
                     f"next: journeyc check {folder}\n")
    return 0


def refresh(specs: str) -> list[str]:
    """Copy the saas, dtc and b2b specs, their catalogue and copy files from
    `specs` into the package's templates (specs in the canonical layout)."""
    from .fmt import format_text
    from .fsutil import write_atomic

    written = []
    for rel in shipped_paths():
        with open(os.path.join(specs, *rel.split("/")), "rb") as f:
            data = f.read()
        if rel.endswith(".journey"):
            data = format_text(data.decode("utf-8"), rel).encode("utf-8")
        target = os.path.join(HERE, *rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_atomic(target, data)
        written.append(target)
    return written


if __name__ == "__main__":  # python -m journeyc.init [SPECS]: copy the specs into the templates again
    import sys

    for path in refresh(sys.argv[1] if len(sys.argv) > 1 else "specs"):
        print(path)

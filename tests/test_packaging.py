"""The wheel carries the grammar and the JSON Schema (`pip install .`
must give a working journeyc, not only an editable install)."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_contains_grammar_and_schema(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("journeyc-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert "journeyc/parsing/journey.lark" in names
        assert "journeyc/schema/journey.schema.json" in names
        package = REPO / "journeyc" / "parsing"
        assert z.read("journeyc/parsing/parser-tables.marshal") == (package / "parser-tables.marshal").read_bytes()
        assert z.read("journeyc/parsing/journey.lark") == (package / "journey.lark").read_bytes()
        # the top-level grammar/journey.lark of a checkout is the package's, by a relative link
        assert (REPO / "grammar" / "journey.lark").is_symlink()
        assert (REPO / "grammar" / "journey.lark").read_bytes() == (package / "journey.lark").read_bytes()
        for name in ("saas", "dtc", "b2b", "blank", "catalog/teams", "catalog/kpis"):  # journeyc init's templates
            assert f"journeyc/templates/{name}.journey" in names
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "journeyc = journeyc.launch:main" in z.read(entry_points).decode()

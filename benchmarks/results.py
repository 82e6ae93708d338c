"""What every benchmark script shares: the machine it ran on, and writing
its results file (JSON, atomically: a run cut short leaves the old file)."""
from __future__ import annotations

import json
import os
import platform
from pathlib import Path


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}


def write_results(output: Path, doc: dict) -> None:
    tmp = output.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, output)
    print(f"wrote {output}")

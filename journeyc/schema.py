"""The JSON Schema of the compiled JSON, shipped inside the package."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "journey.schema.json"


def schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_text())


def validate(doc: dict) -> None:
    """Raise jsonschema.ValidationError when `doc` does not match."""
    import jsonschema

    jsonschema.Draft202012Validator(schema()).validate(doc)

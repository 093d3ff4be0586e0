"""JSON Schemas (draft 2020-12) of the output files, shipped with the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_schema(name: str) -> dict[str, Any]:
    """`article` or `index` → the parsed schema."""
    schema: dict[str, Any] = json.loads(
        resources.files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8"))
    return schema


def validate(doc: dict[str, Any], name: str) -> None:
    """Raise jsonschema.ValidationError when `doc` does not match schema `name`."""
    import jsonschema

    jsonschema.Draft202012Validator(load_schema(name)).validate(doc)

"""The findings JSON Schema with hover help: a description and an example on every property.

The words live in rules/schema_help.yaml keyed by ``ModelName.field``, so the model keeps its
shape and editors (VS Code's YAML extension and others reading ``$schema``) show the help.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Help(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=3)
    example: Any = None


class _HelpFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: dict[str, str] = Field(min_length=1)
    fields: dict[str, _Help]


def help_rules() -> dict[str, _Help]:
    from ..rules import load_rules

    return _HelpFile.model_validate(load_rules("schema_help")).fields


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(model name, object schema) for the document and each model under $defs."""
    return [(schema.get("title", "Document"), schema), *schema.get("$defs", {}).items()]


def findings_schema() -> dict[str, Any]:
    """``Document``'s JSON Schema with every known description and example filled in."""
    from .model import Document

    schema = Document.model_json_schema()
    help_ = help_rules()
    for name, obj in _objects(schema):
        for prop, spec in obj.get("properties", {}).items():
            entry = help_.get(f"{name}.{prop}")
            if entry is None:
                continue
            spec.setdefault("description", entry.description)  # the model's own words win
            if entry.example is not None:
                spec.setdefault("examples", [_jsonable(entry.example)])
    schema.setdefault("description", "A findings file for `explainer`: see `explainer new`.")
    return schema


def _jsonable(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def undescribed(schema: dict[str, Any]) -> list[str]:
    """``Model.field`` for every property that still has no description."""
    return [f"{name}.{prop}" for name, obj in _objects(schema)
            for prop, spec in obj.get("properties", {}).items() if not spec.get("description")]


def unknown_help_keys(schema: dict[str, Any]) -> list[str]:
    """Help entries that name no property (a renamed or removed field)."""
    known = {f"{name}.{prop}" for name, obj in _objects(schema)
             for prop in obj.get("properties", {})}
    return sorted(set(help_rules()) - known)

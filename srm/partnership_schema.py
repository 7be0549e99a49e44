"""The JSON Schema (draft 2020-12) of the partnership export, derived from the section list.

The schemas are committed as srm/schemas/partnership-v1.schema.json (internal view, the one
an import takes) and partnership-shared-v1.schema.json (a supplier's shared view);
``manage.py partnership_schema`` rewrites them and a test fails while they differ from what
this module derives, so the committed files always describe the export.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import models

from srm.partnership_export import FORMAT, FORMAT_VERSION, INTERNAL, SHARED
from srm.partnership_sections import PARTNER, SECTIONS, ModelSection

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
TEXT = {"type": "string"}


def schema_path(view: str) -> Path:
    name = "partnership" if view == INTERNAL else "partnership-shared"
    return SCHEMA_DIR / f"{name}-v{FORMAT_VERSION}.schema.json"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(field: models.Field[Any, Any]) -> dict[str, Any]:
    schema: dict[str, Any]
    if isinstance(field, models.JSONField):
        schema = {}
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DecimalField):
        schema = dict(DECIMAL)
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.TimeField):
        schema = {"type": "string", "format": "time"}
    else:
        schema = dict(TEXT)
        if field.choices:
            schema["enum"] = [value for value, _ in field.flatchoices]
            if field.blank:
                schema["enum"].append("")
    if field.help_text:
        schema["description"] = str(field.help_text)
    return _nullable(schema) if field.null and schema else schema


def row_schema(section: ModelSection, view: str, *, with_ref: bool = True) -> dict[str, Any]:
    properties: dict[str, Any] = {"ref": TEXT} if with_ref else {}
    for name in section.fields_for(view):
        field = section.model._meta.get_field(name)
        if name in section.many:
            properties[name] = {
                "type": "array",
                "items": TEXT,
                "description": f"References: {section.many[name]}.",
            }
        elif name in section.refs:
            ref = {"type": "string", "description": f"Reference: {section.refs[name]}."}
            properties[name] = _nullable(ref) if field.null else ref
        else:
            assert isinstance(field, models.Field)
            properties[name] = field_schema(field)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _objects(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": list(properties),
            "properties": properties,
        },
    }


KPI_PROPERTIES = {
    "code": TEXT,
    "name": TEXT,
    "unit": TEXT,
    "direction": TEXT,
    "target": DECIMAL,
    "threshold": DECIMAL,
    "weight": DECIMAL,
    "data_source": TEXT,
    "aggregation": TEXT,
    "position": {"type": "integer"},
}
TEMPLATE_PROPERTIES = {
    "key": {"type": "string", "description": "code@version, as scorecards refer to it."},
    "code": TEXT,
    "version": {"type": "integer"},
    "name": TEXT,
    "description": TEXT,
    "created_at": {"type": "string", "format": "date-time"},
    "perspectives": _objects(
        {
            "code": TEXT,
            "name": TEXT,
            "weight": DECIMAL,
            "position": {"type": "integer"},
            "kpis": _objects(KPI_PROPERTIES),
        }
    ),
}
USER_PROPERTIES = {
    "username": TEXT,
    "email": TEXT,
    "first_name": TEXT,
    "last_name": TEXT,
    "role": TEXT,
    "job_title": TEXT,
    "time_zone": TEXT,
}


def partnership_schema(view: str) -> dict[str, Any]:
    sections = [s for s in SECTIONS if view == INTERNAL or s.shared is not None]
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "view": {"const": view},
        "exported_at": {"type": "string", "format": "date-time"},
        "partner": row_schema(PARTNER, view, with_ref=False),
    }
    if view == INTERNAL:
        properties["users"] = _objects(USER_PROPERTIES)
    properties["categories"] = _objects({"code": TEXT, "name": TEXT})
    properties["scorecard_templates"] = _objects(TEMPLATE_PROPERTIES)
    for section in sections:
        properties[section.name] = {"type": "array", "items": row_schema(section, view)}
    title = "SRM partnership export" + (" (supplier's shared view)" if view == SHARED else "")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"srm:{schema_path(view).name}",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def schema_text(view: str) -> str:
    return json.dumps(partnership_schema(view), indent=2, ensure_ascii=False) + "\n"


def committed_schema(view: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path(view).read_text(encoding="utf-8"))
    return loaded

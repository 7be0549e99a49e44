"""What the OpenAPI schema says about the shapes suppliers get (a drf-spectacular hook).

Partners and agreements answer internal users with the internal shape and supplier users
with the public one (partners.api.serializers.PUBLIC_PARTNER_FIELDS, SUPPLIER_AGREEMENT_FIELDS).
The schema documents the internal shape; this hook marks its internal-only fields as not
required and says so, so a supplier's answer conforms to the schema too.
"""

from __future__ import annotations

from typing import Any

from partners.api.serializers import PUBLIC_PARTNER_FIELDS, SUPPLIER_AGREEMENT_FIELDS

SUPPLIER_SHAPES: dict[str, list[str]] = {
    "Partner": PUBLIC_PARTNER_FIELDS,
    "Agreement": SUPPLIER_AGREEMENT_FIELDS,
}


def supplier_shapes(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    for name, public_fields in SUPPLIER_SHAPES.items():
        component = schemas.get(name)
        if component is None:
            continue
        internal = [f for f in component.get("properties", {}) if f not in public_fields]
        component["required"] = [f for f in component.get("required", []) if f in public_fields]
        note = "Supplier users get this without: " + ", ".join(internal) + "."
        component["description"] = f"{component.get('description', '')}\n\n{note}".strip()
    return result

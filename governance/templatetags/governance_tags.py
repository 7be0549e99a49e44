"""Template helpers of the governance pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def kpi_result(results: dict[str, Any], code: str) -> Any:
    """The latest frozen result of the KPI with ``code`` (see partner_latest_kpi_results)."""
    return results.get(code) if results else None

"""Template helpers of the governance pages."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def kpi_result[V](results: Mapping[str, V] | None, code: str) -> V | None:
    """The latest frozen result of the KPI with ``code`` (see partner_latest_kpi_results)."""
    return results.get(code) if results else None

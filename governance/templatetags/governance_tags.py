"""Template helpers of the governance pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django import template
from django.utils.formats import date_format

from governance.texts import default_text

register = template.Library()


@register.filter
def kpi_result[V](results: Mapping[str, V] | None, code: str) -> V | None:
    """The latest frozen result of the KPI with ``code`` (see partner_latest_kpi_results)."""
    return results.get(code) if results else None


@register.filter(expects_localtime=True)
def when(value: datetime | None) -> str:
    """A meeting's moment in the reader's zone and language: weekday, short date, time and
    zone ("Fri 19 Mar 2027, 09:00 CET"; German "Fr 19.03.2027, 09:00 CET")."""
    if not value:
        return ""
    return (
        f"{date_format(value, 'D')} {date_format(value, 'SHORT_DATE_FORMAT')}, "
        f"{date_format(value, 'H:i T')}"
    )


@register.filter(name="default_text")
def default_text_filter(value: object) -> object:
    """A stored text in the reader's language when it is one of SRM's own defaults (a
    cadence kind's name, a default agenda line); whatever people typed stays as typed."""
    return default_text(value) if value is not None else value

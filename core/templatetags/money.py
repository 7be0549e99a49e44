"""Locale-aware money and numbers for every template (a builtin library, no ``{% load %}``).

``{{ amount|money:reporting_currency }}`` → "1,234 EUR" / "1.234 €";
``{{ value|number:2 }}`` → "1,234.50" / "1.234,50". For people only: an SVG attribute, a
``style``, a ``data-*`` attribute, an input's value, a URL, JSON or CSV uses ``|unlocalize``.
"""

from __future__ import annotations

from django import template

from core.formatting import format_money, format_number

register = template.Library()


@register.filter
def money(value: object, currency: str = "") -> str:
    return format_money(value, currency)


@register.filter
def number(value: object, decimal_places: int | str | None = None) -> str:
    places = int(decimal_places) if decimal_places not in (None, "") else None
    return format_number(value, places)

"""Money per language: "1,234 EUR" in English (as SRM always showed it), "1.234,56 €" in German.

Separators come from the active language's formats (Django's locale data), so the one rule of
the pages holds: only text meant for people is localised, never an id, URL, SVG, CSV or JSON.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats, numberformat
from django.utils.translation import get_language

# Symbols German writes after the amount; other currencies keep their ISO code.
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CNY": "¥"}
NBSP = "\u00a0"


def format_number(value: object, decimal_places: int | None = None) -> str:
    """``value`` with the active language's decimal mark and thousands grouping (a number, or
    text that holds one, such as a score frozen as "69.5")."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    language = get_language()
    # A change written "+1.5" keeps its sign: "+1,5".
    sign = "+" if isinstance(value, str) and value.strip().startswith("+") else ""
    return sign + numberformat.format(
        number,
        formats.get_format("DECIMAL_SEPARATOR", language),
        decimal_pos=decimal_places,
        grouping=formats.get_format("NUMBER_GROUPING", language),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", language),
        force_grouping=True,
    )


def format_money(value: object, currency: str = "") -> str:
    """An amount with its currency in the active language.

    Whole amounts show no cents ("1.234 €"), others two decimals ("1.234,56 €").
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    places = 0 if number == number.to_integral_value() else 2
    text = format_number(number.quantize(Decimal(1).scaleb(-places)), places)
    code = (currency or "").upper()
    if not code:
        return text
    if (get_language() or "").startswith("de"):
        return f"{text}{NBSP}{CURRENCY_SYMBOLS.get(code, code)}"
    return f"{text} {code}"


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None

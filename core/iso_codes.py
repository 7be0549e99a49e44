"""Country (ISO 3166-1 alpha-2) and currency (ISO 4217) choices for forms, from pycountry's
maintained lists. Names are in the active language where pycountry ships a translation
(its gettext catalogues, e.g. German), else in English."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def country_choices() -> list[tuple[str, str]]:
    """(code, "Name") for every country, ordered by the name as the user reads it."""
    names = _catalogue("iso3166-1", _language())
    rows = [(c.alpha_2, names.gettext(c.name)) for c in pycountry.countries]
    return sorted(rows, key=lambda row: row[1])


def currency_choices() -> list[tuple[str, str]]:
    """(code, "EUR — Euro") for every currency, ordered by code."""
    names = _catalogue("iso4217", _language())
    rows = [(c.alpha_3, f"{c.alpha_3} — {names.gettext(c.name)}") for c in pycountry.currencies]
    return sorted(rows)


def is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code.upper()) is not None


def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code.upper()) is not None

"""What a KPI value may be, and the one way to read one from text (SPEC 3.3). Pure: no ORM.

The database stores KPI numbers (targets, thresholds, values) with 20 digits, 6 of them after
the point, and weights with 6 digits, 2 after. A number that does not fit is refused, never
rounded, so a template's weights still sum to exactly 100 once saved and a value is stored as
it was given.

Every KPI value a person types or a spreadsheet holds is read by :func:`kpi_value_from_text`:
the buyer's data-entry grid, the supplier's self-report form and the measurement import
accept and refuse the same text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import DecimalSeparator, NumberFormatError, parse_decimal

NUMBER_DIGITS, NUMBER_PLACES = 20, 6
WEIGHT_DIGITS, WEIGHT_PLACES = 6, 2

# "1e30", "2.5E-3": what a spreadsheet writes for a very large or small number. It has one
# reading (no grouping, "." only), so it is read as written; core.numbers does not read it.
_SCIENTIFIC = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,9}")

NOT_A_NUMBER_MESSAGE = gettext_lazy("Enter a number.")


def number_error(
    value: Decimal, *, digits: int = NUMBER_DIGITS, places: int = NUMBER_PLACES
) -> str | None:
    """Why ``value`` cannot be stored as a number with ``digits`` digits, ``places`` of them
    after the point; None when it can. Works on the digits as given, without rounding."""
    if not value.is_finite():
        return str(NOT_A_NUMBER_MESSAGE)
    _sign, number_digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if not any(number_digits):
        return None
    kept = list(number_digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if -exponent > places:
        return _("Use at most %(count)s decimal places.") % {"count": places}
    if len(kept) + exponent > digits - places:
        return _("Use at most %(count)s digits before the decimal point.") % {
            "count": digits - places
        }
    return None


def kpi_value_from_text(text: str, *, ambiguous_as: DecimalSeparator | None = None) -> Decimal:
    """The KPI value written in ``text``, or NumberFormatError with a message for the person
    who wrote it.

    Numbers as people write them ("2.5", "1,5", "1.234,5") are read by
    :func:`core.numbers.parse_decimal`: a form passes the decimal mark of its user's language
    as ``ambiguous_as``; an import passes None, so "1,234" is refused rather than guessed.
    Text without a digit is simply not a number. The value must fit what the database stores.
    """
    stripped = text.strip()
    if not any(character.isdigit() for character in stripped):
        raise NumberFormatError(str(NOT_A_NUMBER_MESSAGE))
    if _SCIENTIFIC.fullmatch(stripped):
        try:
            value = Decimal(stripped)
        except InvalidOperation as error:
            raise NumberFormatError(str(NOT_A_NUMBER_MESSAGE)) from error
    else:
        value = parse_decimal(stripped, ambiguous_as=ambiguous_as)
    problem = number_error(value)
    if problem is not None:
        raise NumberFormatError(problem)
    return value

"""The one parser for numbers people type or import: "1234.56", "1.234,56", "1,5", "1 234,5".

A KPI value typed into the buyer's grid, the supplier's portal form or a spreadsheet cell goes
through :func:`parse_decimal`, so all three accept and refuse the same text. Pure but for
its messages, which speak the user's language (Django's gettext).

The decimal separator is either given (a file-level setting of an import, a user's language)
or worked out from the text. Worked out, a value is refused when it could be read two ways:
"1,234" is 1234 to an English reader and 1.234 to a German one, and guessing wrong stores a
number a thousand times off. Grouping separators (the other of "." and ",", spaces, the
apostrophe) must group by three.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext

DecimalSeparator = Literal[".", ","]

# Spaces people and spreadsheets put between thousands: plain, no-break, narrow no-break, thin.
_SPACES = (" ", "\u00a0", "\u202f", "\u2009")


class NumberFormatError(ValueError):
    """Text that is not one number; the message says why, for the person who typed it."""


def parse_decimal(
    text: object,
    *,
    decimal_separator: DecimalSeparator | None = None,
    ambiguous_as: DecimalSeparator | None = None,
) -> Decimal:
    """The number written in ``text``.

    ``decimal_separator`` "." or "," reads the text that way; None works it out. Text that
    the two conventions would read differently ("1,234") is read with ``ambiguous_as`` (the
    decimal mark of the user's language, for a form) or, when that is None (an import),
    refused. Ints and Decimals pass through.
    Raises NumberFormatError with a message fit to show next to the field.
    """
    if isinstance(text, int | Decimal) and not isinstance(text, bool):
        value = Decimal(text)
        if not value.is_finite():
            raise NumberFormatError(gettext("Enter a number."))
        return value
    if not isinstance(text, str):
        raise NumberFormatError(gettext("Enter a number."))
    raw = text.strip()
    for space in _SPACES:
        raw = raw.replace(space, "'")
    sign = ""
    if raw[:1] in ("+", "-"):
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    if not raw:
        raise NumberFormatError(gettext("Enter a number."))
    separator = decimal_separator or _decimal_separator_of(raw, text, ambiguous_as)
    head, _, tail = raw.partition(separator)
    if separator in tail:
        raise NumberFormatError(
            gettext("%(text)r has more than one decimal mark.") % {"text": text}
        )
    if tail and not tail.isdigit():
        raise NumberFormatError(gettext("%(text)r is not a number.") % {"text": text})
    grouping = "," if separator == "." else "."
    groups = head.replace(grouping, "'").split("'")
    if len(groups) > 1 and (
        not 0 < len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise NumberFormatError(
            gettext("%(text)r is not a number: group digits by three.") % {"text": text}
        )
    digits = "".join(groups)
    if (digits and not digits.isdigit()) or not (digits or tail):
        raise NumberFormatError(gettext("%(text)r is not a number.") % {"text": text})
    return Decimal(f"{sign}{digits or '0'}{'.' + tail if tail else ''}")


def _decimal_separator_of(
    raw: str, text: str, ambiguous_as: DecimalSeparator | None
) -> DecimalSeparator:
    """The decimal mark ``raw`` uses: the last of two different marks; a mark that appears
    twice only groups; a lone mark before exactly three digits is ambiguous."""
    marks = [c for c in raw if c in ".,"]
    if not marks:
        return "."
    if len(set(marks)) == 2:
        return "." if marks[-1] == "." else ","
    mark: DecimalSeparator = "." if marks[0] == "." else ","
    other: DecimalSeparator = "," if mark == "." else "."
    if len(marks) > 1:
        return other
    head, _, tail = raw.partition(mark)
    if len(tail) == 3 and tail.isdigit() and head.isdigit() and head != "0" and len(head) <= 3:
        if ambiguous_as is not None:
            return ambiguous_as
        raise NumberFormatError(
            gettext(
                "%(text)r is ambiguous: write %(whole)s for %(head)s thousand %(tail)s, "
                "or %(other)s with the other decimal mark "
                "(or choose the file's decimal separator)."
            )
            % {
                "text": text,
                "whole": f"{head}{tail}",
                "head": head,
                "tail": tail,
                "other": f"{head}{'.' if mark == ',' else ','}{tail}",
            }
        )
    return mark


def decimal_separator_for(language: str | None) -> DecimalSeparator:
    """The decimal mark of a UI language: "," for German, "." otherwise."""
    return "," if (language or "").lower().startswith("de") else "."

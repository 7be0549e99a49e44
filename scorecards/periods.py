"""Calendar periods of a scorecard (SPEC 3.2): pure date arithmetic, no ORM."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

MONTHLY = "monthly"
QUARTERLY = "quarterly"
YEARLY = "yearly"
MONTHS_PER_PERIOD = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}


@dataclass(frozen=True, slots=True)
class CalendarPeriod:
    label: str
    start: date
    end: date


def period_containing(day: date, frequency: str) -> CalendarPeriod:
    """The monthly, quarterly or yearly calendar period that contains ``day``."""
    months = MONTHS_PER_PERIOD[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if frequency == MONTHLY:
        label = f"{day.year}-{first_month:02d}"
    elif frequency == QUARTERLY:
        label = f"{day.year}-Q{(first_month - 1) // 3 + 1}"
    else:
        label = str(day.year)
    return CalendarPeriod(label=label, start=start, end=end)


def period_after(period_end: date, frequency: str) -> CalendarPeriod:
    """The period that follows the one ending on ``period_end``."""
    return period_containing(period_end + timedelta(days=1), frequency)


def period_from_label(label: str, frequency: str) -> CalendarPeriod | None:
    """Parse "2026-Q2", "2026-05" or "2026" for the given frequency; None if it does not fit."""
    label = label.strip()
    try:
        if frequency == QUARTERLY and "-Q" in label.upper():
            year, quarter = label.upper().split("-Q")
            if not 1 <= int(quarter) <= 4:
                return None
            return period_containing(date(int(year), (int(quarter) - 1) * 3 + 1, 1), frequency)
        if frequency == MONTHLY and len(label) == 7 and label[4] == "-":
            return period_containing(date(int(label[:4]), int(label[5:]), 1), frequency)
        if frequency == YEARLY and len(label) == 4:
            return period_containing(date(int(label), 1, 1), frequency)
    except ValueError:
        return None
    return None


def early_close_question(end: date) -> str:
    """What a user confirms to close a period whose last day ``end`` has not passed yet."""
    return _("This period ends on %(end)s. Close it early?") % {"end": end.isoformat()}

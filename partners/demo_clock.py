"""The demo's calendar: its dates are written as seen on ``REFERENCE_DAY`` and moved to the
same distance from the day the demo is loaded.

So a demo loaded on any day reads like three years of partnership up to that day: the first
partnerships began about three years before it, closed periods lie behind it, an action
"due in ten days" is due in ten days and one "a week overdue" is a week overdue, never years.
The same load day always gives the same dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# The day the demo's written dates are seen from (``DemoClock.day`` moves them).
REFERENCE_DAY = date(2026, 11, 25)

_YEAR = re.compile(r"\{(20\d\d)\}")


@dataclass(frozen=True)
class DemoClock:
    """Moves the demo's written dates to a load day (``today``)."""

    today: date

    @classmethod
    def for_day(cls, today: date | None = None) -> DemoClock:
        return cls(today or timezone.localdate())

    @property
    def shift(self) -> timedelta:
        return self.today - REFERENCE_DAY

    @property
    def now(self) -> datetime:
        """The moment of loading: now on the load day (the time of day of the real now)."""
        return timezone.now() + (self.today - timezone.localdate())

    def day(self, written: date) -> date:
        """A written date, the same number of days from the load day as from REFERENCE_DAY."""
        return written + self.shift

    def at(self, written: date, hour: int = 9, minute: int = 0) -> datetime:
        """The moved written date at a time of day (an aware datetime)."""
        return self.moment(self.day(written), hour, minute)

    @staticmethod
    def moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
        """A (moved) day at a time of day, aware in the current time zone."""
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def year(self, written: int) -> int:
        """A written year, as many years from the load day's year as from 2026."""
        return written + self.today.year - REFERENCE_DAY.year

    def text(self, written: str) -> str:
        """Text with its years written as ``{2027}``, each moved like ``year``."""
        return _YEAR.sub(lambda match: str(self.year(int(match.group(1)))), written)

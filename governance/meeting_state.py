"""What a meeting is, seen at a moment: its stored status read against the clock (pure).

Stored statuses are ``scheduled``, ``held`` and ``cancelled``; what people see follows time
as cadence compliance does (``governance.cadence.cadence_compliance`` counts a meeting that
has started and is not held as due but not held):

- a scheduled meeting that has not started is *Scheduled*;
- one that has started and not ended is *In progress* (minutes may be recorded);
- one that has ended without being marked held is *Missed*;
- held and cancelled meetings are what they say.

Minutes, and marking a meeting held, are possible only once it has started.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from governance.cadence import MeetingStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MeetingState(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    MISSED = "missed"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> StrOrPromise:
        return _STATE_LABELS[self]


_STATE_LABELS: dict[MeetingState, StrOrPromise] = {
    MeetingState.SCHEDULED: _("Scheduled"),
    MeetingState.IN_PROGRESS: _("In progress"),
    MeetingState.MISSED: _("Missed"),
    MeetingState.HELD: _("Held"),
    MeetingState.CANCELLED: _("Cancelled"),
}


def meeting_state(status: str, start: datetime, end: datetime, now: datetime) -> MeetingState:
    """The state a meeting of ``status`` from ``start`` to ``end`` shows at ``now``."""
    stored = MeetingStatus(status)
    if stored == MeetingStatus.HELD:
        return MeetingState.HELD
    if stored == MeetingStatus.CANCELLED:
        return MeetingState.CANCELLED
    if now < start:
        return MeetingState.SCHEDULED
    if now < end:
        return MeetingState.IN_PROGRESS
    return MeetingState.MISSED


def has_started(start: datetime, now: datetime) -> bool:
    """Whether minutes may be recorded (and the meeting marked held) at ``now``."""
    return start <= now

"""Governance cadences: recurring meeting series of a partnership (SPEC 2.2-2.4).

Pure domain rules, no Django: recurrence expansion in local wall time, the default
cadences per engagement model, cadence compliance and display time-zone conversion.

Recurrence rules
----------------
* A rule is frequency x interval from an anchor local date, at a local start time in an
  IANA time zone. Occurrences keep the local wall time (09:00 Europe/Berlin stays 09:00
  in summer and winter); the UTC instant moves by the DST offset.
* Month-based frequencies (monthly, quarterly, half-yearly, yearly) land on the anchor's
  day of month, clamped to the last day of shorter months. Each occurrence is computed
  from the anchor, never from the previous occurrence, so a 31st anchor gives Feb 28/29,
  Apr 30 and then the 31st again (no drift), and a Feb 29 anchor gives Feb 28 in common
  years and Feb 29 in leap years.
* Alternatively a month-based rule may use "nth weekday of the month" (1..4, or -1 for the
  last). The series then starts with the first matching day on or after the anchor date.
* Weekly rules repeat every ``7 * interval`` days from the anchor date.
* DST gap (the local time does not exist, e.g. 02:30 on 2026-03-29 in Berlin): the
  occurrence is shifted forward by the length of the gap (03:30 CEST). DST fold (the
  local time happens twice, e.g. 02:30 on 2026-10-25 in Berlin): the first instance
  (the earlier, summer-time one) is used. Both follow RFC 5545 section 3.3.5.
  Caveat: Python's ``==`` between different zones is always False for a time inside a
  fold (PEP 495); compare such instants after ``.astimezone(UTC)`` (ordering is fine).
* The end is ``start + duration`` in elapsed time, so a 60-minute meeting lasts 60 real
  minutes even when it spans a DST change.
* Every occurrence has a stable ``index``: the n-th occurrence since the anchor (0-based).
  It depends only on the rule, never on the query window, so ``(cadence, index)`` is a
  natural key for idempotent generation.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.cadences import CadenceKind, Frequency
from core.errors import FieldErrors as DomainFieldErrors
from core.timezones import get_zone as get_zone  # re-exported: the one definition is in core
from core.timezones import is_valid_tz_name as is_valid_tz_name
from core.timezones import require_aware as _require_aware
from core.timezones import to_user_local as to_user_local
from partners.kraljic import EngagementModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RecurrenceRuleError(DomainFieldErrors):
    """Invalid recurrence rule; ``errors`` maps field names to messages (form-friendly)."""


_MONTHS_PER_PERIOD: dict[Frequency, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class Weekday(StrEnum):
    """Day of the week for "nth weekday of the month" rules."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def label(self) -> StrOrPromise:
        return _WEEKDAY_LABELS[self]

    @property
    def python_weekday(self) -> int:
        """0 = Monday ... 6 = Sunday, as ``date.weekday()``."""
        return list(Weekday).index(self)

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


_WEEKDAY_LABELS: dict[Weekday, StrOrPromise] = {
    Weekday.MONDAY: gettext_lazy("Monday"),
    Weekday.TUESDAY: gettext_lazy("Tuesday"),
    Weekday.WEDNESDAY: gettext_lazy("Wednesday"),
    Weekday.THURSDAY: gettext_lazy("Thursday"),
    Weekday.FRIDAY: gettext_lazy("Friday"),
    Weekday.SATURDAY: gettext_lazy("Saturday"),
    Weekday.SUNDAY: gettext_lazy("Sunday"),
}


class MeetingStatus(StrEnum):
    """Lifecycle of one generated meeting; a past ``scheduled`` meeting counts as missed."""

    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> StrOrPromise:
        return _MEETING_STATUS_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


_MEETING_STATUS_LABELS: dict[MeetingStatus, StrOrPromise] = {
    MeetingStatus.SCHEDULED: gettext_lazy("Scheduled"),
    MeetingStatus.HELD: gettext_lazy("Held"),
    MeetingStatus.CANCELLED: gettext_lazy("Cancelled"),
}


# --------------------------------------------------------------------------- time zones


# get_zone, is_valid_tz_name and to_user_local live in core.timezones (imported above), so
# the base layer renders reminder times with the same tested conversion.


def localize(local: datetime, zone: ZoneInfo) -> datetime:
    """Attach ``zone`` to the naive local wall time ``local``, resolving DST edge cases.

    Gap (nonexistent time): shifted forward by the gap length. Fold (ambiguous time):
    the first instance. See the module docstring.
    """
    if local.tzinfo is not None:
        raise ValueError("localize() expects a naive local datetime.")
    # fold=0 is the first instance in a fold and, in a gap, applies the pre-transition
    # offset; the UTC round trip then turns the gap case into the shifted-forward wall time.
    aware = local.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone)


# --------------------------------------------------------------------------- recurrence


@dataclass(frozen=True)
class RecurrenceRule:
    """When a cadence's meetings happen; see the module docstring for the rules.

    ``weekday_ordinal`` (1..4 or -1 = last) and ``weekday`` together select the "nth
    weekday of the month" instead of the anchor's day of month; both or neither.
    """

    frequency: Frequency
    anchor_date: date
    start_time: time
    duration_minutes: int
    tz_name: str
    interval: int = 1
    weekday_ordinal: int | None = None
    weekday: Weekday | None = None

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            object.__setattr__(self, "frequency", Frequency(self.frequency))
        except ValueError:
            errors.setdefault("frequency", []).append(
                _("Unknown frequency “%(value)s”.") % {"value": self.frequency}
            )
        if self.weekday is not None:
            try:
                object.__setattr__(self, "weekday", Weekday(self.weekday))
            except ValueError:
                errors.setdefault("weekday", []).append(
                    _("Unknown weekday “%(value)s”.") % {"value": self.weekday}
                )
        if self.interval < 1:
            errors.setdefault("interval", []).append(_("The interval must be at least 1."))
        if self.duration_minutes <= 0:
            errors.setdefault("duration_minutes", []).append(
                _("The duration must be greater than 0 minutes.")
            )
        if self.start_time.tzinfo is not None:
            errors.setdefault("start_time", []).append(
                _("The start time is a local wall time; give the time zone separately.")
            )
        if not is_valid_tz_name(self.tz_name):
            errors.setdefault("tz_name", []).append(
                _("Unknown time zone “%(value)s”.") % {"value": self.tz_name}
            )
        if (self.weekday_ordinal is None) != (self.weekday is None):
            errors.setdefault("weekday_ordinal", []).append(
                _("Set both the week of the month and the weekday, or neither.")
            )
        elif self.weekday_ordinal is not None:
            if self.weekday_ordinal not in (1, 2, 3, 4, -1):
                errors.setdefault("weekday_ordinal", []).append(
                    _("The week of the month must be 1 to 4, or -1 for the last.")
                )
            if self.frequency == Frequency.WEEKLY:
                errors.setdefault("weekday_ordinal", []).append(
                    _("A weekly cadence cannot use an nth weekday of the month.")
                )
        if errors:
            raise RecurrenceRuleError(errors)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Occurrence:
    """One generated meeting slot; ``index`` is its 0-based position in the series."""

    index: int
    start: datetime
    end: datetime


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def _nth_weekday(year: int, month: int, ordinal: int, weekday: int) -> date:
    last_day = calendar.monthrange(year, month)[1]
    if ordinal == -1:
        last = date(year, month, last_day)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def _period_date(rule: RecurrenceRule, period: int) -> date:
    """Local date of the ``period``-th period after the anchor (may precede the anchor)."""
    if rule.frequency == Frequency.WEEKLY:
        return rule.anchor_date + timedelta(weeks=period * rule.interval)
    step = _MONTHS_PER_PERIOD[rule.frequency] * rule.interval
    year, month = _add_months(rule.anchor_date.year, rule.anchor_date.month, period * step)
    if rule.weekday is not None and rule.weekday_ordinal is not None:
        return _nth_weekday(year, month, rule.weekday_ordinal, rule.weekday.python_weekday)
    # Clamp from the anchor's day every time so a 31st anchor returns to the 31st.
    day = min(rule.anchor_date.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _first_period(rule: RecurrenceRule) -> int:
    # An nth-weekday day in the anchor's own month may fall before the anchor date; the
    # series then starts one period later so that no occurrence precedes the anchor.
    return 0 if _period_date(rule, 0) >= rule.anchor_date else 1


def occurrence_at(rule: RecurrenceRule, index: int) -> Occurrence:
    """The ``index``-th (0-based) occurrence of ``rule``."""
    if index < 0:
        raise ValueError("The occurrence index cannot be negative.")
    local_date = _period_date(rule, index + _first_period(rule))
    start = localize(datetime.combine(local_date, rule.start_time), rule.zone)
    # Elapsed-time arithmetic: same-zone aware arithmetic in Python is wall-clock based.
    end = (start.astimezone(UTC) + rule.duration).astimezone(rule.zone)
    return Occurrence(index=index, start=start, end=end)


def _first_candidate_index(rule: RecurrenceRule, start: datetime) -> int:
    """An index at or before the first occurrence at/after ``start`` (skips far pasts)."""
    local = start.astimezone(rule.zone).date()
    if rule.frequency == Frequency.WEEKLY:
        periods = (local - rule.anchor_date).days // (7 * rule.interval)
    else:
        step = _MONTHS_PER_PERIOD[rule.frequency] * rule.interval
        months = (local.year - rule.anchor_date.year) * 12 + local.month - rule.anchor_date.month
        periods = months // step
    # Two periods of margin cover clamping, nth-weekday shifts and zone offsets.
    return max(0, periods - 2)


def occurrences_between(rule: RecurrenceRule, start: datetime, end: datetime) -> list[Occurrence]:
    """Occurrences of ``rule`` whose start lies in the half-open window ``[start, end)``.

    ``start`` and ``end`` must be aware; they may be in any zone. Results are in the
    rule's zone, ordered by index; indexes do not depend on the window.
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    result: list[Occurrence] = []
    index = _first_candidate_index(rule, start)
    while True:
        occurrence = occurrence_at(rule, index)
        if occurrence.start >= end:
            return result
        if occurrence.start >= start:
            result.append(occurrence)
        index += 1


# --------------------------------------------------------------------------- defaults


@dataclass(frozen=True)
class CadenceDefault:
    """A cadence proposed when a partnership is created with a given engagement model."""

    kind: CadenceKind
    frequency: Frequency
    duration_minutes: int
    agenda: tuple[str, ...]
    interval: int = 1


# Stored in English when applied (records hold SRM's defaults in one language); pages show
# them in the reader's language (governance_tags.default_text).
DEFAULT_AGENDAS: dict[CadenceKind, tuple[str, ...]] = {
    CadenceKind.MONTHLY_OPERATIONAL: (
        gettext_noop("Operational KPIs and delivery performance"),
        gettext_noop("Open actions"),
        gettext_noop("Issues and escalations"),
        gettext_noop("Forecast and upcoming changes"),
        gettext_noop("Any other business"),
    ),
    CadenceKind.QUARTERLY_BUSINESS_REVIEW: (
        gettext_noop("Review of scorecard"),
        gettext_noop("Open actions"),
        gettext_noop("Escalations"),
        gettext_noop("Joint plan progress"),
        gettext_noop("Innovation pipeline"),
        gettext_noop("Next quarter priorities"),
    ),
    CadenceKind.STEERING_COMMITTEE: (
        gettext_noop("Partnership health and scorecard trends"),
        gettext_noop("Escalations requiring a decision"),
        gettext_noop("Joint plan milestones and risks"),
        gettext_noop("Decisions and approvals"),
        gettext_noop("Open actions"),
    ),
    CadenceKind.EXECUTIVE_SPONSOR: (
        gettext_noop("Strategic alignment"),
        gettext_noop("Relationship health"),
        gettext_noop("Executive escalations"),
        gettext_noop("Growth and investment opportunities"),
        gettext_noop("Sponsor commitments"),
    ),
    CadenceKind.ANNUAL_STRATEGIC_REVIEW: (
        gettext_noop("Year in review: performance against objectives"),
        gettext_noop("Scorecard and governance compliance summary"),
        gettext_noop("Market and strategy outlook"),
        gettext_noop("Engagement model review"),
        gettext_noop("Joint objectives and plan for next year"),
    ),
}

DEFAULT_DURATION_MINUTES: dict[CadenceKind, int] = {
    CadenceKind.MONTHLY_OPERATIONAL: 60,
    CadenceKind.QUARTERLY_BUSINESS_REVIEW: 120,
    CadenceKind.STEERING_COMMITTEE: 90,
    CadenceKind.EXECUTIVE_SPONSOR: 60,
    CadenceKind.ANNUAL_STRATEGIC_REVIEW: 240,
}


def _default(kind: CadenceKind, frequency: Frequency) -> CadenceDefault:
    return CadenceDefault(
        kind=kind,
        frequency=frequency,
        duration_minutes=DEFAULT_DURATION_MINUTES[kind],
        agenda=DEFAULT_AGENDAS[kind],
    )


_STRATEGIC_DEFAULTS: tuple[CadenceDefault, ...] = (
    _default(CadenceKind.MONTHLY_OPERATIONAL, Frequency.MONTHLY),
    _default(CadenceKind.QUARTERLY_BUSINESS_REVIEW, Frequency.QUARTERLY),
    _default(CadenceKind.STEERING_COMMITTEE, Frequency.QUARTERLY),
    _default(CadenceKind.EXECUTIVE_SPONSOR, Frequency.QUARTERLY),
    _default(CadenceKind.ANNUAL_STRATEGIC_REVIEW, Frequency.YEARLY),
)

_DEFAULTS_BY_MODEL: dict[EngagementModel, tuple[CadenceDefault, ...]] = {
    EngagementModel.TRANSACTIONAL: (
        _default(CadenceKind.ANNUAL_STRATEGIC_REVIEW, Frequency.YEARLY),
    ),
    EngagementModel.PREFERRED_SUPPLIER: (
        _default(CadenceKind.QUARTERLY_BUSINESS_REVIEW, Frequency.QUARTERLY),
        _default(CadenceKind.ANNUAL_STRATEGIC_REVIEW, Frequency.YEARLY),
    ),
    EngagementModel.STRATEGIC_PARTNERSHIP: _STRATEGIC_DEFAULTS,
    # A joint venture is run like a strategic partnership, but its steering committee
    # meets monthly because it governs a shared business, not just a supply relationship.
    EngagementModel.JOINT_VENTURE: tuple(
        _default(d.kind, Frequency.MONTHLY) if d.kind == CadenceKind.STEERING_COMMITTEE else d
        for d in _STRATEGIC_DEFAULTS
    ),
}


def default_cadences_for(engagement_model: str) -> tuple[CadenceDefault, ...]:
    """Default cadences for an engagement model; unknown models raise ``ValueError``.

    transactional: annual review only; preferred supplier: quarterly QBR and annual
    review; strategic partnership: monthly operational call, quarterly QBR, quarterly
    steering committee, quarterly executive-sponsor meeting, annual strategic review;
    joint venture: as strategic, with a monthly steering committee.
    """
    return _DEFAULTS_BY_MODEL[EngagementModel(engagement_model)]


def playbook_cadence_defaults(
    entries: Sequence[Mapping[str, str | int]], engagement_model: str
) -> tuple[CadenceDefault, ...]:
    """The cadences an engagement model's playbook prescribes (SPEC 1.3).

    The playbook says which meetings and how often (``{"kind", "frequency", "interval",
    "duration_minutes"}`` entries); the agenda template per kind comes from governance's
    defaults. A playbook with no cadences falls back to :func:`default_cadences_for`.
    """
    if not entries:
        return default_cadences_for(engagement_model)
    return tuple(
        CadenceDefault(
            kind=CadenceKind(str(entry["kind"])),
            frequency=Frequency(str(entry["frequency"])),
            duration_minutes=int(entry.get("duration_minutes", 60)),
            agenda=DEFAULT_AGENDAS[CadenceKind(str(entry["kind"]))],
            interval=int(entry.get("interval", 1)),
        )
        for entry in entries
    )


# --------------------------------------------------------------------------- compliance

# QBRs and executive-sponsor meetings are the partnership's key governance signals: a
# single missed one is an at-risk signal. Other cadences tolerate an occasional miss.
STRICT_COMPLIANCE_KINDS: frozenset[CadenceKind] = frozenset(
    {CadenceKind.QUARTERLY_BUSINESS_REVIEW, CadenceKind.EXECUTIVE_SPONSOR}
)
STRICT_THRESHOLD_PERCENT = Decimal(100)
DEFAULT_THRESHOLD_PERCENT = Decimal(75)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class MeetingRecord:
    """The compliance-relevant facts of one meeting of a cadence."""

    start: datetime
    status: MeetingStatus


@dataclass(frozen=True)
class CadenceCompliance:
    """Held versus due meetings of one cadence over a window.

    ``ratio`` is ``held / due * 100`` rounded half-up to 2 places, ``None`` when nothing
    is due. ``at_risk`` is computed on the exact (unrounded) ratio.
    """

    kind: CadenceKind
    held: int
    due: int
    ratio: Decimal | None
    at_risk: bool
    threshold: Decimal = field(default=DEFAULT_THRESHOLD_PERCENT)

    @property
    def missed(self) -> int:
        return self.due - self.held


def compliance_threshold(kind: CadenceKind) -> Decimal:
    """Percentage below which a cadence is at risk: 100 for QBR/executive sponsor, else 75."""
    return (
        STRICT_THRESHOLD_PERCENT if kind in STRICT_COMPLIANCE_KINDS else DEFAULT_THRESHOLD_PERCENT
    )


def cadence_compliance(
    kind: CadenceKind,
    meetings: Iterable[MeetingRecord],
    window_start: datetime,
    window_end: datetime,
    now: datetime,
) -> CadenceCompliance:
    """Compliance of one cadence over ``[window_start, window_end)`` as seen at ``now``.

    due: meetings not cancelled whose start is in the window and strictly before ``now``
    (an upcoming meeting cannot have been missed yet). held: due meetings marked held.
    at_risk: the held share is below the kind's threshold (any miss for QBRs and
    executive-sponsor meetings; below 75 % otherwise). Nothing due is never at risk.
    """
    for value, name in ((window_start, "window_start"), (window_end, "window_end"), (now, "now")):
        _require_aware(value, name)
    kind = CadenceKind(kind)
    due = held = 0
    for meeting in meetings:
        _require_aware(meeting.start, "meeting.start")
        status = MeetingStatus(meeting.status)
        if status == MeetingStatus.CANCELLED:
            continue
        if not (window_start <= meeting.start < window_end and meeting.start < now):
            continue
        due += 1
        if status == MeetingStatus.HELD:
            held += 1
    threshold = compliance_threshold(kind)
    if due == 0:
        return CadenceCompliance(
            kind, held=0, due=0, ratio=None, at_risk=False, threshold=threshold
        )
    ratio = (Decimal(held) * 100 / Decimal(due)).quantize(_CENT, rounding=ROUND_HALF_UP)
    at_risk = Decimal(held) * 100 < threshold * due
    return CadenceCompliance(
        kind, held=held, due=due, ratio=ratio, at_risk=at_risk, threshold=threshold
    )

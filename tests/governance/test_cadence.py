"""Recurrence, default cadences, compliance and display time zones (SPEC 2.2-2.4).

Expected dates and instants are hand-computed literals, never recomputed with the rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from governance.cadence import (
    CadenceCompliance,
    CadenceKind,
    EngagementModel,
    Frequency,
    MeetingRecord,
    MeetingStatus,
    RecurrenceRule,
    RecurrenceRuleError,
    Weekday,
    cadence_compliance,
    default_cadences_for,
    occurrence_at,
    occurrences_between,
    to_user_local,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def rule(
    frequency: Frequency,
    anchor: date,
    *,
    interval: int = 1,
    at: time = time(9, 0),
    minutes: int = 60,
    tz_name: str = "Europe/Berlin",
    weekday_ordinal: int | None = None,
    weekday: Weekday | None = None,
) -> RecurrenceRule:
    return RecurrenceRule(
        frequency=frequency,
        anchor_date=anchor,
        start_time=at,
        duration_minutes=minutes,
        tz_name=tz_name,
        interval=interval,
        weekday_ordinal=weekday_ordinal,
        weekday=weekday,
    )


def local_dates(r: RecurrenceRule, start: datetime, end: datetime) -> list[date]:
    return [o.start.date() for o in occurrences_between(r, start, end)]


# --------------------------------------------------------------------------- enums


def test_enum_values_are_lowercase_snake_case_with_labels() -> None:
    assert [k.value for k in CadenceKind] == [
        "monthly_operational",
        "quarterly_business_review",
        "steering_committee",
        "executive_sponsor",
        "annual_strategic_review",
    ]
    assert [f.value for f in Frequency] == [
        "weekly",
        "monthly",
        "quarterly",
        "half_yearly",
        "yearly",
    ]
    assert CadenceKind.QUARTERLY_BUSINESS_REVIEW.label == "Quarterly business review (QBR)"
    assert Frequency.HALF_YEARLY.label == "Half-yearly"
    assert EngagementModel("transactional").label == "Transactional"
    assert Weekday.TUESDAY.python_weekday == 1
    assert [s.value for s in MeetingStatus] == ["scheduled", "held", "cancelled"]


# --------------------------------------------------------------------------- frequencies


@pytest.mark.parametrize(
    ("frequency", "interval", "anchor", "window", "expected"),
    [
        pytest.param(
            Frequency.MONTHLY,
            1,
            date(2026, 1, 15),
            (berlin(2026, 1, 1), berlin(2026, 5, 1)),
            [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15)],
            id="monthly",
        ),
        pytest.param(
            Frequency.MONTHLY,
            2,
            date(2026, 1, 10),
            (berlin(2026, 1, 1), berlin(2026, 8, 1)),
            [date(2026, 1, 10), date(2026, 3, 10), date(2026, 5, 10), date(2026, 7, 10)],
            id="every-second-month",
        ),
        pytest.param(
            Frequency.QUARTERLY,
            1,
            date(2026, 2, 20),
            (berlin(2026, 1, 1), berlin(2027, 1, 1)),
            [date(2026, 2, 20), date(2026, 5, 20), date(2026, 8, 20), date(2026, 11, 20)],
            id="quarterly",
        ),
        pytest.param(
            Frequency.HALF_YEARLY,
            1,
            date(2026, 3, 5),
            (berlin(2026, 1, 1), berlin(2027, 12, 31)),
            [date(2026, 3, 5), date(2026, 9, 5), date(2027, 3, 5), date(2027, 9, 5)],
            id="half-yearly",
        ),
        pytest.param(
            Frequency.YEARLY,
            1,
            date(2026, 11, 12),
            (berlin(2026, 1, 1), berlin(2029, 12, 31)),
            [date(2026, 11, 12), date(2027, 11, 12), date(2028, 11, 12), date(2029, 11, 12)],
            id="yearly",
        ),
        pytest.param(
            Frequency.WEEKLY,
            1,
            date(2026, 3, 23),
            (berlin(2026, 3, 20), berlin(2026, 4, 7)),
            [date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 6)],
            id="weekly",
        ),
        pytest.param(
            Frequency.WEEKLY,
            2,
            date(2026, 1, 5),
            (berlin(2026, 1, 1), berlin(2026, 2, 20)),
            [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2), date(2026, 2, 16)],
            id="fortnightly",
        ),
    ],
)
def test_frequencies(
    frequency: Frequency,
    interval: int,
    anchor: date,
    window: tuple[datetime, datetime],
    expected: list[date],
) -> None:
    r = rule(frequency, anchor, interval=interval)
    occurrences = occurrences_between(r, *window)
    assert [o.start.date() for o in occurrences] == expected
    assert [o.index for o in occurrences] == list(range(len(expected)))
    assert all(o.start.time() == time(9, 0) for o in occurrences)
    assert all(o.start.tzinfo == BERLIN for o in occurrences)


def test_twelve_months_ahead_of_a_monthly_call() -> None:
    r = rule(Frequency.MONTHLY, date(2026, 1, 15))
    occurrences = occurrences_between(r, berlin(2026, 1, 1), berlin(2027, 1, 1))
    assert len(occurrences) == 12
    assert occurrences[-1].index == 11
    assert occurrences[-1].start == berlin(2026, 12, 15, 9, 0)


# --------------------------------------------------------------------------- month ends


def test_31st_anchor_clamps_to_month_end_and_returns_to_31st() -> None:
    r = rule(Frequency.MONTHLY, date(2026, 1, 31))
    assert local_dates(r, berlin(2026, 1, 1), berlin(2027, 1, 1)) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
    ]


@pytest.mark.parametrize(
    ("frequency", "anchor", "window", "expected"),
    [
        pytest.param(
            Frequency.MONTHLY,
            date(2028, 1, 31),
            (berlin(2028, 1, 1), berlin(2028, 4, 1)),
            [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)],
            id="monthly-31st-leap-february",
        ),
        pytest.param(
            Frequency.MONTHLY,
            date(2026, 1, 30),
            (berlin(2026, 1, 1), berlin(2026, 4, 1)),
            [date(2026, 1, 30), date(2026, 2, 28), date(2026, 3, 30)],
            id="monthly-30th",
        ),
        pytest.param(
            Frequency.QUARTERLY,
            date(2026, 1, 31),
            (berlin(2026, 1, 1), berlin(2027, 2, 1)),
            [
                date(2026, 1, 31),
                date(2026, 4, 30),
                date(2026, 7, 31),
                date(2026, 10, 31),
                date(2027, 1, 31),
            ],
            id="quarterly-31st",
        ),
        pytest.param(
            Frequency.QUARTERLY,
            date(2027, 11, 30),
            (berlin(2027, 11, 1), berlin(2028, 9, 1)),
            [date(2027, 11, 30), date(2028, 2, 29), date(2028, 5, 30), date(2028, 8, 30)],
            id="quarterly-30th-through-leap-february",
        ),
        pytest.param(
            Frequency.YEARLY,
            date(2024, 2, 29),
            (berlin(2024, 1, 1), berlin(2029, 1, 1)),
            [
                date(2024, 2, 29),
                date(2025, 2, 28),
                date(2026, 2, 28),
                date(2027, 2, 28),
                date(2028, 2, 29),
            ],
            id="yearly-feb-29",
        ),
        pytest.param(
            Frequency.HALF_YEARLY,
            date(2026, 8, 31),
            (berlin(2026, 8, 1), berlin(2028, 8, 1)),
            [date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31), date(2028, 2, 29)],
            id="half-yearly-31st",
        ),
    ],
)
def test_month_ends(
    frequency: Frequency,
    anchor: date,
    window: tuple[datetime, datetime],
    expected: list[date],
) -> None:
    assert local_dates(rule(frequency, anchor), *window) == expected


# --------------------------------------------------------------------------- nth weekday


@pytest.mark.parametrize(
    ("frequency", "anchor", "ordinal", "weekday", "window", "expected"),
    [
        pytest.param(
            Frequency.MONTHLY,
            date(2026, 1, 1),
            1,
            Weekday.TUESDAY,
            (berlin(2026, 1, 1), berlin(2026, 5, 1)),
            [date(2026, 1, 6), date(2026, 2, 3), date(2026, 3, 3), date(2026, 4, 7)],
            id="first-tuesday",
        ),
        pytest.param(
            Frequency.MONTHLY,
            date(2026, 1, 1),
            -1,
            Weekday.FRIDAY,
            (berlin(2026, 1, 1), berlin(2026, 5, 1)),
            [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24)],
            id="last-friday",
        ),
        pytest.param(
            Frequency.MONTHLY,
            date(2026, 1, 1),
            3,
            Weekday.WEDNESDAY,
            (berlin(2026, 1, 1), berlin(2026, 4, 1)),
            [date(2026, 1, 21), date(2026, 2, 18), date(2026, 3, 18)],
            id="third-wednesday",
        ),
        pytest.param(
            Frequency.QUARTERLY,
            date(2026, 1, 1),
            -1,
            Weekday.THURSDAY,
            (berlin(2026, 1, 1), berlin(2027, 1, 1)),
            [date(2026, 1, 29), date(2026, 4, 30), date(2026, 7, 30), date(2026, 10, 29)],
            id="quarterly-last-thursday",
        ),
        pytest.param(
            Frequency.MONTHLY,
            date(2026, 1, 10),
            1,
            Weekday.TUESDAY,
            (berlin(2026, 1, 1), berlin(2026, 4, 1)),
            [date(2026, 2, 3), date(2026, 3, 3)],
            id="anchor-after-first-tuesday-starts-next-month",
        ),
    ],
)
def test_nth_weekday(
    frequency: Frequency,
    anchor: date,
    ordinal: int,
    weekday: Weekday,
    window: tuple[datetime, datetime],
    expected: list[date],
) -> None:
    r = rule(frequency, anchor, weekday_ordinal=ordinal, weekday=weekday)
    occurrences = occurrences_between(r, *window)
    assert [o.start.date() for o in occurrences] == expected
    assert [o.index for o in occurrences] == list(range(len(expected)))


# --------------------------------------------------------------------------- DST


@pytest.mark.parametrize(
    ("local_date", "expected_utc"),
    [
        (date(2026, 3, 23), utc(2026, 3, 23, 8, 0)),  # CET, before 2026-03-29
        (date(2026, 3, 30), utc(2026, 3, 30, 7, 0)),  # CEST
        (date(2026, 10, 19), utc(2026, 10, 19, 7, 0)),  # CEST, before 2026-10-25
        (date(2026, 10, 26), utc(2026, 10, 26, 8, 0)),  # CET again
    ],
)
def test_berlin_wall_time_stays_0900_across_dst(local_date: date, expected_utc: datetime) -> None:
    r = rule(Frequency.WEEKLY, date(2026, 3, 23))
    occurrences = occurrences_between(r, berlin(2026, 3, 1), berlin(2026, 11, 30))
    by_date = {o.start.date(): o for o in occurrences}
    occurrence = by_date[local_date]
    assert occurrence.start.time() == time(9, 0)
    assert occurrence.start.tzinfo == BERLIN
    assert occurrence.start == expected_utc
    assert occurrence.start.astimezone(UTC).hour == expected_utc.hour


def test_dst_gap_shifts_forward() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29 (clocks jump 02:00 -> 03:00).
    r = rule(Frequency.WEEKLY, date(2026, 3, 22), at=time(2, 30))
    occurrences = occurrences_between(r, berlin(2026, 3, 22), berlin(2026, 4, 6))
    assert [(o.start.replace(tzinfo=None), o.start) for o in occurrences] == [
        (datetime(2026, 3, 22, 2, 30), utc(2026, 3, 22, 1, 30)),
        (datetime(2026, 3, 29, 3, 30), utc(2026, 3, 29, 1, 30)),
        (datetime(2026, 4, 5, 2, 30), utc(2026, 4, 5, 0, 30)),
    ]


def test_dst_fold_uses_first_instance() -> None:
    # 02:30 happens twice in Berlin on 2026-10-25 (clocks fall back 03:00 -> 02:00).
    r = rule(Frequency.WEEKLY, date(2026, 10, 18), at=time(2, 30))
    occurrences = occurrences_between(r, berlin(2026, 10, 18), berlin(2026, 11, 2))
    # Compared in UTC: Python's == between zones is always False for times in a fold (PEP 495).
    assert [o.start.astimezone(UTC) for o in occurrences] == [
        utc(2026, 10, 18, 0, 30),
        utc(2026, 10, 25, 0, 30),  # the earlier, summer-time 02:30
        utc(2026, 11, 1, 1, 30),
    ]
    assert occurrences[1].start.replace(tzinfo=None) == datetime(2026, 10, 25, 2, 30)
    assert occurrences[1].start.utcoffset() == timedelta(hours=2)


def test_duration_is_elapsed_time_across_dst() -> None:
    # 01:30 CET (00:30Z) + 120 minutes = 02:30Z = 04:30 CEST; wall-clock maths would say 03:30.
    r = rule(Frequency.YEARLY, date(2026, 3, 29), at=time(1, 30), minutes=120)
    (occurrence,) = occurrences_between(r, berlin(2026, 3, 1), berlin(2026, 4, 1))
    assert occurrence.start == utc(2026, 3, 29, 0, 30)
    assert occurrence.end == utc(2026, 3, 29, 2, 30)
    assert occurrence.end.replace(tzinfo=None) == datetime(2026, 3, 29, 4, 30)


def test_other_zone_keeps_its_own_wall_time() -> None:
    r = rule(Frequency.MONTHLY, date(2026, 2, 10), at=time(10, 0), tz_name="America/New_York")
    occurrences = occurrences_between(r, utc(2026, 2, 1), utc(2026, 4, 1))
    assert [o.start for o in occurrences] == [utc(2026, 2, 10, 15, 0), utc(2026, 3, 10, 14, 0)]
    assert all(o.start.tzinfo == NEW_YORK for o in occurrences)


# --------------------------------------------------------------------------- window


MONTHLY_15TH = rule(Frequency.MONTHLY, date(2026, 1, 15))


@pytest.mark.parametrize(
    ("start", "end", "expected_indexes"),
    [
        pytest.param(berlin(2026, 2, 15, 9, 0), berlin(2026, 4, 15, 9, 0), [1, 2], id="half-open"),
        pytest.param(utc(2026, 2, 15, 8, 0), utc(2026, 4, 15, 7, 0), [1, 2], id="half-open-utc"),
        pytest.param(utc(2026, 2, 15, 8, 0, 1), utc(2026, 4, 15, 7, 0, 1), [2, 3], id="1s-later"),
        pytest.param(berlin(2025, 1, 1), berlin(2026, 1, 15, 9, 0), [], id="before-anchor"),
        pytest.param(berlin(2025, 1, 1), berlin(2026, 2, 1), [0], id="spans-anchor"),
        pytest.param(berlin(2026, 3, 1), berlin(2026, 3, 1), [], id="empty-window"),
        pytest.param(berlin(2026, 5, 1), berlin(2026, 3, 1), [], id="reversed-window"),
    ],
)
def test_window_boundaries(start: datetime, end: datetime, expected_indexes: list[int]) -> None:
    assert [o.index for o in occurrences_between(MONTHLY_15TH, start, end)] == expected_indexes


def test_indexes_are_stable_when_the_window_moves() -> None:
    first = occurrences_between(MONTHLY_15TH, berlin(2026, 1, 1), berlin(2026, 7, 1))
    second = occurrences_between(MONTHLY_15TH, berlin(2026, 4, 1), berlin(2027, 1, 1))
    assert [o.index for o in first] == [0, 1, 2, 3, 4, 5]
    assert [o.index for o in second] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert {o.index: o for o in first}[4] == {o.index: o for o in second}[4]
    (far,) = occurrences_between(MONTHLY_15TH, berlin(2030, 1, 1), berlin(2030, 2, 1))
    assert (far.index, far.start) == (48, berlin(2030, 1, 15, 9, 0))
    assert occurrence_at(MONTHLY_15TH, 48) == far


def test_weekly_index_far_from_anchor() -> None:
    r = rule(Frequency.WEEKLY, date(2026, 1, 5))
    occurrences = occurrences_between(r, berlin(2027, 1, 1), berlin(2027, 1, 15))
    assert [(o.index, o.start.date()) for o in occurrences] == [
        (52, date(2027, 1, 4)),
        (53, date(2027, 1, 11)),
    ]


def test_naive_window_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        occurrences_between(MONTHLY_15TH, datetime(2026, 1, 1), berlin(2026, 2, 1))


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"interval": 0}, "interval"),
        ({"minutes": 0}, "duration_minutes"),
        ({"tz_name": "Mars/Olympus_Mons"}, "tz_name"),
        ({"tz_name": ""}, "tz_name"),
        ({"at": time(9, 0, tzinfo=UTC)}, "start_time"),
        ({"weekday_ordinal": 5, "weekday": Weekday.MONDAY}, "weekday_ordinal"),
        ({"weekday_ordinal": 0, "weekday": Weekday.MONDAY}, "weekday_ordinal"),
        ({"weekday_ordinal": 1}, "weekday_ordinal"),
        ({"weekday": Weekday.MONDAY}, "weekday_ordinal"),
    ],
)
def test_invalid_rules(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(RecurrenceRuleError) as excinfo:
        rule(Frequency.MONTHLY, date(2026, 1, 1), **overrides)  # type: ignore[arg-type]
    assert field in excinfo.value.errors
    assert isinstance(excinfo.value, ValueError)


def test_weekly_rule_cannot_use_nth_weekday() -> None:
    with pytest.raises(RecurrenceRuleError) as excinfo:
        rule(Frequency.WEEKLY, date(2026, 1, 1), weekday_ordinal=1, weekday=Weekday.MONDAY)
    assert excinfo.value.errors == {
        "weekday_ordinal": ["A weekly cadence cannot use an nth weekday of the month."]
    }


def test_plain_string_choices_are_coerced() -> None:
    r = RecurrenceRule(
        frequency="monthly",  # type: ignore[arg-type]
        anchor_date=date(2026, 1, 1),
        start_time=time(9, 0),
        duration_minutes=60,
        tz_name="Europe/Berlin",
        weekday_ordinal=1,
        weekday="tuesday",  # type: ignore[arg-type]
    )
    assert r.frequency is Frequency.MONTHLY
    assert r.weekday is Weekday.TUESDAY


# --------------------------------------------------------------------------- defaults

QBR = CadenceKind.QUARTERLY_BUSINESS_REVIEW
OPS = CadenceKind.MONTHLY_OPERATIONAL
SC = CadenceKind.STEERING_COMMITTEE
EXEC = CadenceKind.EXECUTIVE_SPONSOR
ANNUAL = CadenceKind.ANNUAL_STRATEGIC_REVIEW
M, Q, Y = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("transactional", [(ANNUAL, Y)]),
        ("preferred_supplier", [(QBR, Q), (ANNUAL, Y)]),
        ("strategic_partnership", [(OPS, M), (QBR, Q), (SC, Q), (EXEC, Q), (ANNUAL, Y)]),
        ("joint_venture", [(OPS, M), (QBR, Q), (SC, M), (EXEC, Q), (ANNUAL, Y)]),
        (EngagementModel.JOINT_VENTURE, [(OPS, M), (QBR, Q), (SC, M), (EXEC, Q), (ANNUAL, Y)]),
    ],
)
def test_default_cadences(model: str, expected: list[tuple[CadenceKind, Frequency]]) -> None:
    defaults = default_cadences_for(model)
    assert [(d.kind, d.frequency) for d in defaults] == expected
    assert all(d.duration_minutes > 0 and d.interval == 1 and d.agenda for d in defaults)


def test_qbr_default_agenda_and_duration() -> None:
    (qbr,) = [d for d in default_cadences_for("preferred_supplier") if d.kind == QBR]
    assert qbr.agenda == (
        "Review of scorecard",
        "Open actions",
        "Escalations",
        "Joint plan progress",
        "Innovation pipeline",
        "Next quarter priorities",
    )
    assert qbr.duration_minutes == 120


def test_executive_sponsor_meets_at_least_quarterly() -> None:
    for model in ("strategic_partnership", "joint_venture"):
        (sponsor,) = [d for d in default_cadences_for(model) if d.kind == EXEC]
        assert sponsor.frequency in (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY)


def test_unknown_engagement_model() -> None:
    with pytest.raises(ValueError):
        default_cadences_for("franchise")


# --------------------------------------------------------------------------- compliance

WINDOW = (utc(2026, 1, 1), utc(2027, 1, 1))
NOW = utc(2026, 7, 1, 12, 0)
HELD, SCHEDULED, CANCELLED = MeetingStatus.HELD, MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED

# Monthly calls in H1 2026 seen on 1 July: Jan, Feb, May, Jun held; Mar missed; Apr cancelled;
# Jul still upcoming; a December 2025 one lies before the window. due = 5, held = 4.
MONTHLY_H1 = [
    MeetingRecord(utc(2025, 12, 15, 8), HELD),
    MeetingRecord(utc(2026, 1, 15, 8), HELD),
    MeetingRecord(utc(2026, 2, 15, 8), HELD),
    MeetingRecord(utc(2026, 3, 15, 8), SCHEDULED),
    MeetingRecord(utc(2026, 4, 15, 7), CANCELLED),
    MeetingRecord(utc(2026, 5, 15, 7), HELD),
    MeetingRecord(utc(2026, 6, 15, 7), HELD),
    MeetingRecord(utc(2026, 7, 15, 7), SCHEDULED),
]


def _statuses(held: int, missed: int) -> list[MeetingRecord]:
    statuses = [HELD] * held + [SCHEDULED] * missed
    return [MeetingRecord(utc(2026, 1, 1 + i, 9), s) for i, s in enumerate(statuses)]


@pytest.mark.parametrize(
    ("kind", "meetings", "held", "due", "ratio", "at_risk"),
    [
        pytest.param(OPS, MONTHLY_H1, 4, 5, Decimal("80.00"), False, id="ops-4-of-5"),
        pytest.param(QBR, MONTHLY_H1, 4, 5, Decimal("80.00"), True, id="qbr-any-miss"),
        pytest.param(EXEC, _statuses(1, 1), 1, 2, Decimal("50.00"), True, id="exec-1-of-2"),
        pytest.param(QBR, _statuses(2, 0), 2, 2, Decimal("100.00"), False, id="qbr-all-held"),
        pytest.param(SC, _statuses(3, 1), 3, 4, Decimal("75.00"), False, id="sc-75-boundary"),
        pytest.param(SC, _statuses(2, 1), 2, 3, Decimal("66.67"), True, id="sc-2-of-3"),
        pytest.param(OPS, _statuses(1, 2), 1, 3, Decimal("33.33"), True, id="ops-1-of-3"),
        pytest.param(OPS, _statuses(1, 7), 1, 8, Decimal("12.50"), True, id="ops-1-of-8"),
        pytest.param(ANNUAL, _statuses(0, 1), 0, 1, Decimal("0.00"), True, id="annual-missed"),
        pytest.param(QBR, [], 0, 0, None, False, id="nothing-due"),
    ],
)
def test_compliance(
    kind: CadenceKind,
    meetings: list[MeetingRecord],
    held: int,
    due: int,
    ratio: Decimal | None,
    at_risk: bool,
) -> None:
    result = cadence_compliance(kind, meetings, *WINDOW, now=NOW)
    assert (result.held, result.due, result.ratio, result.at_risk) == (held, due, ratio, at_risk)
    assert result.missed == due - held


def test_compliance_boundaries() -> None:
    meetings = [
        MeetingRecord(utc(2026, 1, 1), HELD),  # == window start: counted
        MeetingRecord(utc(2026, 6, 1), SCHEDULED),  # == now: not yet due
        MeetingRecord(utc(2026, 6, 2), SCHEDULED),  # window end: excluded
        MeetingRecord(utc(2026, 5, 31, 23, 59), CANCELLED),  # cancelled: never due
    ]
    result = cadence_compliance(OPS, meetings, utc(2026, 1, 1), utc(2026, 6, 2), utc(2026, 6, 1))
    assert result == CadenceCompliance(
        OPS, held=1, due=1, ratio=Decimal("100.00"), at_risk=False, threshold=Decimal(75)
    )


def test_only_scheduled_future_meetings_are_not_due() -> None:
    future = [MeetingRecord(utc(2026, 9, 1), SCHEDULED), MeetingRecord(utc(2026, 10, 1), HELD)]
    result = cadence_compliance(QBR, future, *WINDOW, now=NOW)
    assert (result.due, result.ratio, result.at_risk) == (0, None, False)


def test_compliance_accepts_stored_string_values() -> None:
    meetings = [MeetingRecord(utc(2026, 2, 1), "held")]  # type: ignore[arg-type]
    result = cadence_compliance("executive_sponsor", meetings, *WINDOW, now=NOW)  # type: ignore[arg-type]
    assert (result.kind, result.held, result.threshold) == (EXEC, 1, Decimal(100))


# --------------------------------------------------------------------------- display


@pytest.mark.parametrize(
    ("meeting", "tz_name", "expected_wall"),
    [
        pytest.param(berlin(2026, 1, 15, 9), "America/New_York", datetime(2026, 1, 15, 3), id="w"),
        # US summer time from 2026-03-08, EU only from 2026-03-29.
        pytest.param(berlin(2026, 3, 10, 9), "America/New_York", datetime(2026, 3, 10, 4), id="m"),
        pytest.param(berlin(2026, 3, 30, 9), "America/New_York", datetime(2026, 3, 30, 3), id="s"),
        # EU back to winter time on 2026-10-25, US only on 2026-11-01.
        pytest.param(berlin(2026, 10, 27, 9), "America/New_York", datetime(2026, 10, 27, 4)),
        pytest.param(berlin(2026, 11, 2, 9), "America/New_York", datetime(2026, 11, 2, 3)),
        pytest.param(berlin(2026, 1, 15, 9), "Asia/Tokyo", datetime(2026, 1, 15, 17)),
        pytest.param(berlin(2026, 7, 15, 9), "Asia/Tokyo", datetime(2026, 7, 15, 16)),
        pytest.param(berlin(2026, 7, 15, 9), "Europe/Berlin", datetime(2026, 7, 15, 9)),
    ],
)
def test_to_user_local(meeting: datetime, tz_name: str, expected_wall: datetime) -> None:
    local = to_user_local(meeting, tz_name)
    assert local.replace(tzinfo=None) == expected_wall
    assert local == meeting
    assert local.tzinfo == ZoneInfo(tz_name)


def test_to_user_local_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="Unknown time zone"):
        to_user_local(berlin(2026, 1, 1, 9), "Europe/Atlantis")
    with pytest.raises(ValueError, match="timezone-aware"):
        to_user_local(datetime(2026, 1, 1, 9), "Europe/Berlin")

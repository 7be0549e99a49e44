"""Escalation ladders and action-item deadlines (SPEC 2.5).

Expected instants are hand-computed literals, never recomputed with the rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils.formats import date_format

from governance.escalation import (
    ActionStatus,
    EscalationAction,
    EscalationLadder,
    EscalationLadderError,
    EscalationLevel,
    EscalationStep,
    action_is_overdue,
    default_escalation_ladder,
    due_date_warning,
    escalation_due_at,
    escalation_next_step,
)

BERLIN = ZoneInfo("Europe/Berlin")

# 1 operational leads (48 h) -> 2 steering committee (120 h) -> 3 executive sponsors (240 h)
LADDER = default_escalation_ladder()
NO_CHANGE = EscalationStep(EscalationAction.NO_CHANGE)
OVERDUE = EscalationStep(EscalationAction.OVERDUE_AT_TOP)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, sec: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, sec, tzinfo=UTC)


def move_up(to_level: int) -> EscalationStep:
    return EscalationStep(EscalationAction.MOVE_UP, to_level=to_level)


# --------------------------------------------------------------------------- ladder


def test_default_ladder() -> None:
    assert [(lv.number, lv.name, lv.response_time_hours) for lv in LADDER.levels] == [
        (1, "Operational leads", 48),
        (2, "Steering committee", 120),
        (3, "Executive sponsors", 240),
    ]
    assert LADDER.top_level == 3
    assert LADDER.level(2).name == "Steering committee"


@pytest.mark.parametrize(
    ("levels", "errors"),
    [
        pytest.param(
            (), {"levels": ["An escalation ladder needs at least one level."]}, id="empty"
        ),
        pytest.param(
            (EscalationLevel(1, "Leads", 24), EscalationLevel(3, "Execs", 24)),
            {
                "levels": [
                    "Escalation levels must be numbered 1 to 2 in order without gaps (got [1, 3])."
                ]
            },
            id="gap",
        ),
        pytest.param(
            (EscalationLevel(0, "Leads", 24),),
            {
                "levels": [
                    "Escalation levels must be numbered 1 to 1 in order without gaps (got [0])."
                ]
            },
            id="starts-at-zero",
        ),
        pytest.param(
            (EscalationLevel(2, "SC", 24), EscalationLevel(1, "Leads", 24)),
            {
                "levels": [
                    "Escalation levels must be numbered 1 to 2 in order without gaps (got [2, 1])."
                ]
            },
            id="out-of-order",
        ),
        pytest.param(
            (EscalationLevel(1, "Leads", 24), EscalationLevel(2, "SC", 0)),
            {"response_time_hours": ["Level 2: the response time must be greater than 0 hours."]},
            id="zero-response-time",
        ),
        pytest.param(
            (EscalationLevel(1, "Leads", -1), EscalationLevel(1, "SC", 5)),
            {
                "levels": [
                    "Escalation levels must be numbered 1 to 2 in order without gaps (got [1, 1])."
                ],
                "response_time_hours": ["Level 1: the response time must be greater than 0 hours."],
            },
            id="all-errors-at-once",
        ),
    ],
)
def test_invalid_ladders(levels: tuple[EscalationLevel, ...], errors: dict[str, list[str]]) -> None:
    with pytest.raises(EscalationLadderError) as excinfo:
        EscalationLadder(levels=levels)
    assert excinfo.value.errors == errors
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize("level", [0, 4, -1])
def test_unknown_current_level(level: int) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        escalation_next_step(LADDER, level, utc(2026, 3, 2, 9), utc(2026, 3, 9, 9), False)


# --------------------------------------------------------------------------- due at


@pytest.mark.parametrize(
    ("level", "entered", "expected"),
    [
        (1, utc(2026, 3, 2, 9), utc(2026, 3, 4, 9)),
        (2, utc(2026, 3, 2, 9), utc(2026, 3, 7, 9)),
        (3, utc(2026, 3, 2, 9), utc(2026, 3, 12, 9)),
        # Entered 10:00 CET (09:00Z); 240 elapsed hours later is 09:00Z = 11:00 CEST, across
        # the 2026-03-29 change: the deadline is not 10:00 wall time.
        (3, datetime(2026, 3, 25, 10, tzinfo=BERLIN), utc(2026, 4, 4, 9)),
    ],
)
def test_escalation_due_at(level: int, entered: datetime, expected: datetime) -> None:
    assert escalation_due_at(LADDER, level, entered) == expected


# --------------------------------------------------------------------------- next step


@pytest.mark.parametrize(
    ("level", "now", "resolved", "expected"),
    [
        pytest.param(1, utc(2026, 3, 2, 9), False, NO_CHANGE, id="just-raised"),
        pytest.param(1, utc(2026, 3, 4, 9), False, NO_CHANGE, id="exactly-due"),
        pytest.param(1, utc(2026, 3, 4, 9, 0, 1), False, move_up(2), id="1s-late"),
        pytest.param(1, utc(2026, 4, 30, 9), False, move_up(2), id="weeks-late-one-step"),
        pytest.param(2, utc(2026, 3, 7, 9), False, NO_CHANGE, id="level-2-exactly-due"),
        pytest.param(2, utc(2026, 3, 7, 9, 1), False, move_up(3), id="level-2-late"),
        pytest.param(3, utc(2026, 3, 12, 9), False, NO_CHANGE, id="top-exactly-due"),
        pytest.param(3, utc(2026, 3, 12, 10), False, OVERDUE, id="top-late"),
        pytest.param(1, utc(2026, 4, 30, 9), True, NO_CHANGE, id="resolved"),
        pytest.param(3, utc(2026, 4, 30, 9), True, NO_CHANGE, id="resolved-at-top"),
    ],
)
def test_next_step(level: int, now: datetime, resolved: bool, expected: EscalationStep) -> None:
    entered = utc(2026, 3, 2, 9)
    assert escalation_next_step(LADDER, level, entered, now, resolved) == expected


def test_periodic_job_walks_the_ladder_one_level_at_a_time() -> None:
    """Simulates an hourly job that records every step with level_entered_at = now."""
    level, entered = 1, utc(2026, 3, 2, 9)
    history: list[tuple[datetime, EscalationAction, int]] = []
    now = entered
    while now < utc(2026, 3, 25, 9):
        now += timedelta(hours=1)
        step = escalation_next_step(LADDER, level, entered, now, resolved=False)
        if step.action is EscalationAction.MOVE_UP:
            assert step.to_level == level + 1
            level, entered = level + 1, now
            history.append((now, step.action, level))
        elif step.action is EscalationAction.OVERDUE_AT_TOP and (
            not history or history[-1][1] is not EscalationAction.OVERDUE_AT_TOP
        ):
            history.append((now, step.action, level))
    # Level 1: due 03-04 09:00, first late run 10:00. Level 2 then due 120 h after
    # 03-04 10:00 = 03-09 10:00, moved at 11:00. Level 3 due 240 h after that = 03-19 11:00,
    # flagged at 12:00 and it stays there.
    assert history == [
        (utc(2026, 3, 4, 10), EscalationAction.MOVE_UP, 2),
        (utc(2026, 3, 9, 11), EscalationAction.MOVE_UP, 3),
        (utc(2026, 3, 19, 12), EscalationAction.OVERDUE_AT_TOP, 3),
    ]
    assert escalation_next_step(LADDER, 3, entered, utc(2026, 6, 1), False) == OVERDUE


def test_single_level_ladder_goes_straight_to_overdue() -> None:
    ladder = EscalationLadder(levels=(EscalationLevel(1, "Account managers", 8),))
    entered = utc(2026, 5, 4, 8)
    assert escalation_next_step(ladder, 1, entered, utc(2026, 5, 4, 16), False) == NO_CHANGE
    assert escalation_next_step(ladder, 1, entered, utc(2026, 5, 4, 17), False) == OVERDUE


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        escalation_next_step(LADDER, 1, datetime(2026, 3, 2, 9), utc(2026, 3, 9), False)
    with pytest.raises(ValueError, match="timezone-aware"):
        escalation_next_step(LADDER, 1, utc(2026, 3, 2, 9), datetime(2026, 3, 9), False)


# --------------------------------------------------------------------------- actions

TODAY = date(2026, 3, 10)
PAST_WARNING = "The due date {} is in the past; the action will be overdue as soon as it is saved."


@pytest.mark.parametrize(
    ("due", "status", "expected"),
    [
        (date(2026, 3, 9), ActionStatus.OPEN, True),
        (date(2026, 3, 9), ActionStatus.IN_PROGRESS, True),
        (date(2025, 12, 31), "open", True),
        (date(2026, 3, 10), ActionStatus.OPEN, False),
        (date(2026, 3, 11), ActionStatus.OPEN, False),
        (date(2026, 3, 9), ActionStatus.DONE, False),
        (date(2026, 3, 9), ActionStatus.CANCELLED, False),
        (date(2025, 1, 1), "done", False),
        (None, ActionStatus.OPEN, False),
    ],
)
def test_action_is_overdue(due: date | None, status: str, expected: bool) -> None:
    assert action_is_overdue(due, status, TODAY) is expected


def test_action_status_values() -> None:
    assert [s.value for s in ActionStatus] == ["open", "in_progress", "done", "cancelled"]
    assert ActionStatus.IN_PROGRESS.label == "In progress"
    with pytest.raises(ValueError):
        action_is_overdue(date(2026, 3, 9), "blocked", TODAY)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2026, 3, 1), PAST_WARNING.format(date_format(date(2026, 3, 1), "SHORT_DATE_FORMAT"))),
        (date(2026, 3, 9), PAST_WARNING.format(date_format(date(2026, 3, 9), "SHORT_DATE_FORMAT"))),
        (date(2026, 3, 10), None),
        (date(2026, 4, 1), None),
        (None, None),
    ],
)
def test_due_date_warning(due: date | None, expected: str | None) -> None:
    assert due_date_warning(due, TODAY) == expected

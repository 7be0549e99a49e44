"""Calendar periods: monthly, quarterly and yearly labels, bounds and successors."""

from __future__ import annotations

from datetime import date

import pytest

from scorecards.periods import CalendarPeriod, period_after, period_containing, period_from_label


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (
            date(2026, 2, 14),
            "monthly",
            CalendarPeriod("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ),
        (
            date(2024, 2, 14),
            "monthly",
            CalendarPeriod("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ),
        (
            date(2026, 5, 10),
            "quarterly",
            CalendarPeriod("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ),
        (
            date(2026, 12, 31),
            "quarterly",
            CalendarPeriod("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ),
        (date(2026, 7, 1), "yearly", CalendarPeriod("2026", date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_period_containing(day, frequency, expected) -> None:
    assert period_containing(day, frequency) == expected


def test_the_period_after_the_last_quarter_is_next_years_first() -> None:
    assert period_after(date(2026, 12, 31), "quarterly").label == "2027-Q1"
    assert period_after(date(2026, 1, 31), "monthly").label == "2026-02"


@pytest.mark.parametrize(
    ("label", "frequency", "start"),
    [
        ("2026-Q3", "quarterly", date(2026, 7, 1)),
        ("2026-q1", "quarterly", date(2026, 1, 1)),
        ("2026-11", "monthly", date(2026, 11, 1)),
        ("2025", "yearly", date(2025, 1, 1)),
    ],
)
def test_labels_parse_back(label, frequency, start) -> None:
    period = period_from_label(label, frequency)
    assert period is not None and period.start == start


@pytest.mark.parametrize(
    ("label", "frequency"),
    [("2026-Q5", "quarterly"), ("2026-13", "monthly"), ("Q2", "quarterly"), ("2026-Q2", "monthly")],
)
def test_bad_labels_are_none(label, frequency) -> None:
    assert period_from_label(label, frequency) is None

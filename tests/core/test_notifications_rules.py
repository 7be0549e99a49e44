"""Notification kinds, preferences and lead times, and times written for their reader: pure
rules, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.notifications import (
    KIND_SPECS,
    NotificationKind,
    Preference,
    format_when,
    kinds_for,
    lead_error,
    reminder_due,
)

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
TODAY = date(2026, 5, 4)


def meeting_pref(hours: int) -> Preference:
    return Preference(NotificationKind.MEETING_REMINDER, True, True, hours)


@pytest.mark.parametrize(
    ("hours_ahead", "lead", "due"),
    [(47, 48, True), (48, 48, True), (49, 48, False), (23, 24, True), (25, 24, False),
     (200, 336, True), (-3, 1, True)],
)  # fmt: skip
def test_a_meeting_reminder_is_due_within_the_users_lead(hours_ahead, lead, due) -> None:
    start = NOW + timedelta(hours=hours_ahead)
    assert reminder_due(meeting_pref(lead), due=start, now=NOW, today=TODAY) is due


@pytest.mark.parametrize(("days_ahead", "lead", "due"), [(30, 30, True), (31, 30, False),
                                                         (5, 7, True), (0, 0, True)])  # fmt: skip
def test_a_dated_reminder_counts_days(days_ahead, lead, due) -> None:
    pref = Preference(NotificationKind.CHARTER_REVIEW, True, True, lead)
    assert reminder_due(pref, due=TODAY + timedelta(days_ahead), now=NOW, today=TODAY) is due


def test_notifications_about_events_are_always_due() -> None:
    pref = Preference.default(NotificationKind.DISPUTE_RAISED)
    assert reminder_due(pref, due=NOW + timedelta(days=400), now=NOW, today=TODAY)
    assert reminder_due(meeting_pref(48), due=None, now=NOW, today=TODAY)


def test_defaults_keep_the_lead_times_the_jobs_used_before() -> None:
    assert Preference.default(NotificationKind.MEETING_REMINDER).lead == 48
    assert Preference.default(NotificationKind.CHARTER_REVIEW).lead == 30
    assert Preference.default(NotificationKind.AGREEMENT_NOTICE).lead == 60
    assert Preference.default(NotificationKind.DISPUTE_RAISED).lead is None
    spec = NotificationKind.MEETING_REMINDER.spec
    assert spec.max_ahead == timedelta(days=14)


def test_lead_errors_name_the_allowed_range() -> None:
    assert lead_error(NotificationKind.MEETING_REMINDER, 48) is None
    assert lead_error(NotificationKind.MEETING_REMINDER, 400) == "Choose from 0 to 336 hours."
    assert "how many days" in (lead_error(NotificationKind.CHARTER_REVIEW, None) or "")
    assert "not a reminder" in (lead_error(NotificationKind.DISPUTE_RAISED, 3) or "")


def test_suppliers_are_offered_only_kinds_that_can_reach_them() -> None:
    supplier = set(kinds_for(is_supplier=True))
    internal = set(kinds_for(is_supplier=False))
    assert NotificationKind.DISPUTE_RESOLVED in supplier
    assert NotificationKind.DISPUTE_RAISED not in supplier
    assert NotificationKind.ESCALATION_RAISED not in supplier
    assert NotificationKind.AGREEMENT_NOTICE not in supplier
    assert NotificationKind.DISPUTE_RESOLVED not in internal
    assert set(KIND_SPECS) == set(NotificationKind)


@pytest.mark.parametrize(
    ("zone", "language", "expected"),
    [
        ("Europe/Berlin", "en", "Tuesday, 5 May 2026, 10:00 CEST"),
        ("Europe/Berlin", "de", "Dienstag, 5. Mai 2026, 10:00 CEST"),
        ("America/New_York", "en", "Tuesday, 5 May 2026, 04:00 EDT"),
        ("Asia/Tokyo", "en", "Tuesday, 5 May 2026, 17:00 JST"),
        ("Not/AZone", "en", "Tuesday, 5 May 2026, 08:00 UTC"),
        ("Europe/Berlin", "fr", "Tuesday, 5 May 2026, 10:00 CEST"),
    ],
)
def test_times_are_written_in_the_readers_zone_and_language(zone, language, expected) -> None:
    assert format_when(datetime(2026, 5, 5, 8, 0, tzinfo=UTC), zone, language) == expected


def test_winter_time_is_written_as_such() -> None:
    winter = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    assert format_when(winter, "Europe/Berlin", "de") == "Donnerstag, 15. Januar 2026, 09:00 CET"

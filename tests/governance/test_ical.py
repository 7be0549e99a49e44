"""iCalendar export (SPEC 2.6): output is parsed back with ``Calendar.from_ical``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from governance.ical import (
    EventStatus,
    MeetingEvent,
    event_to_ics,
    feed_to_ics,
    meeting_uid,
    validate_meeting_times,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TRICKY_TEXT = 'QBR: pricing, volumes; risks\nSecond line with \\ backslash and "quotes"'


def make_event(**changes: Any) -> MeetingEvent:
    event = MeetingEvent(
        uid="meeting-42@srm.example",
        sequence=3,
        start=datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN),
        end=datetime(2026, 3, 10, 11, 0, tzinfo=BERLIN),
        tz_name="Europe/Berlin",
        summary="Quarterly business review",
        last_modified=datetime(2026, 2, 1, 12, 0, tzinfo=UTC),
        description="Agenda:\n1. Review of scorecard\n2. Open actions",
        location="Room 4.01, HQ; Berlin",
        url="https://srm.example/meetings/42/",
        organizer_email="anna.keller@buyer.example",
        attendee_emails=("li.wei@supplier.example", "tom.berg@buyer.example"),
    )
    return replace(event, **changes)


def only_event(ics: bytes) -> tuple[Calendar, Component]:
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


# --------------------------------------------------------------------------- UID


@pytest.mark.parametrize(
    ("pk", "domain", "expected"),
    [
        (42, "srm.example", "meeting-42@srm.example"),
        (1, "SRM.Example ", "meeting-1@srm.example"),
        (987654, "governance.acme.example", "meeting-987654@governance.acme.example"),
    ],
)
def test_meeting_uid(pk: int, domain: str, expected: str) -> None:
    assert meeting_uid(pk, domain) == expected


@pytest.mark.parametrize(("pk", "domain"), [(0, "srm.example"), (-1, "srm.example"), (1, "")])
def test_meeting_uid_rejects_unsaved_meetings_and_bad_domains(pk: int, domain: str) -> None:
    with pytest.raises(ValueError):
        meeting_uid(pk, domain)


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (
            datetime(2026, 3, 10, 9, tzinfo=BERLIN),
            datetime(2026, 3, 10, 10, tzinfo=BERLIN),
            {},
        ),
        (
            datetime(2026, 3, 10, 9, tzinfo=BERLIN),
            datetime(2026, 3, 10, 9, tzinfo=BERLIN),
            {"end": ["The meeting must end after it starts."]},
        ),
        (
            datetime(2026, 3, 10, 9, tzinfo=BERLIN),
            datetime(2026, 3, 10, 8, 59, tzinfo=BERLIN),
            {"end": ["The meeting must end after it starts."]},
        ),
        # Same instant written in two zones: 09:00 CET == 03:00 EST on 2026-01-15.
        (
            datetime(2026, 1, 15, 9, tzinfo=BERLIN),
            datetime(2026, 1, 15, 3, tzinfo=NEW_YORK),
            {"end": ["The meeting must end after it starts."]},
        ),
        (
            datetime(2026, 1, 15, 9, tzinfo=BERLIN),
            datetime(2026, 1, 15, 3, 30, tzinfo=NEW_YORK),
            {},
        ),
    ],
)
def test_validate_meeting_times(
    start: datetime, end: datetime, errors: dict[str, list[str]]
) -> None:
    assert validate_meeting_times(start, end) == errors


def test_event_rejects_invalid_values() -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        make_event(end=datetime(2026, 3, 10, 9, 0, tzinfo=BERLIN))
    with pytest.raises(ValueError, match="timezone-aware"):
        make_event(start=datetime(2026, 3, 10, 9, 0))
    with pytest.raises(ValueError, match="Unknown time zone"):
        make_event(tz_name="Europe/Atlantis")
    with pytest.raises(ValueError, match="SEQUENCE"):
        make_event(sequence=-1)


# --------------------------------------------------------------------------- one event


def test_event_calendar_headers() -> None:
    calendar, _ = only_event(event_to_ics(make_event()))
    assert str(calendar["PRODID"]) == "-//SRM//Partnership governance//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_event_fields_round_trip() -> None:
    _, event = only_event(event_to_ics(make_event()))
    assert str(event["UID"]) == "meeting-42@srm.example"
    assert event.decoded("SEQUENCE") == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Quarterly business review"
    assert str(event["DESCRIPTION"]) == "Agenda:\n1. Review of scorecard\n2. Open actions"
    assert str(event["LOCATION"]) == "Room 4.01, HQ; Berlin"
    assert str(event["URL"]) == "https://srm.example/meetings/42/"
    assert str(event["ORGANIZER"]) == "mailto:anna.keller@buyer.example"
    attendees = event["ATTENDEE"]
    assert isinstance(attendees, list)
    assert [str(a) for a in attendees] == [
        "mailto:li.wei@supplier.example",
        "mailto:tom.berg@buyer.example",
    ]
    assert event.decoded("DTSTAMP") == datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 2, 1, 12, 0, tzinfo=UTC)


def test_dtstart_carries_tzid_and_wall_time_with_matching_vtimezone() -> None:
    ics = event_to_ics(make_event())
    calendar, event = only_event(ics)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo.key == "Europe/Berlin"
    assert (start.date().isoformat(), start.time()) == ("2026-03-10", time(9, 0))
    assert end.time() == time(11, 0)
    assert start == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    assert b"DTSTART;TZID=Europe/Berlin:20260310T090000" in ics
    assert b"DTEND;TZID=Europe/Berlin:20260310T110000" in ics
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_start_given_in_utc_is_written_in_the_meeting_zone() -> None:
    event = make_event(
        start=datetime(2026, 7, 1, 7, 0, tzinfo=UTC),
        end=datetime(2026, 7, 1, 8, 30, tzinfo=UTC),
    )
    ics = event_to_ics(event)
    assert b"DTSTART;TZID=Europe/Berlin:20260701T090000" in ics
    assert b"DTEND;TZID=Europe/Berlin:20260701T103000" in ics


@pytest.mark.parametrize(
    "text",
    [
        TRICKY_TEXT,
        "Steering committee, Q2; decisions",
        "Line one\nLine two\n\nLine four",
        "Ünïcødé: Besprechung über Preise (€); Kosten, Mengen",
        "x" * 200,  # forces line folding at 75 octets
    ],
)
def test_text_round_trips_without_manual_escaping(text: str) -> None:
    ics = event_to_ics(make_event(summary=text, description=text, location=text))
    _, event = only_event(ics)
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text
    assert str(event["LOCATION"]) == text
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))


def test_summary_is_escaped_by_the_library() -> None:
    ics = event_to_ics(make_event(summary="a, b; c\nd"))
    assert b"SUMMARY:a\\, b\\; c\\nd\r\n" in ics


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (EventStatus.CONFIRMED, "CONFIRMED"),
        (EventStatus.CANCELLED, "CANCELLED"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_status(status: EventStatus, expected: str) -> None:
    _, event = only_event(event_to_ics(make_event(status=status, sequence=4)))
    assert str(event["STATUS"]) == expected
    assert event.decoded("SEQUENCE") == 4


def test_optional_fields_are_omitted_when_empty() -> None:
    ics = event_to_ics(
        make_event(description="", location="", url="", organizer_email=None, attendee_emails=())
    )
    _, event = only_event(ics)
    for name in ("DESCRIPTION", "LOCATION", "URL", "ORGANIZER", "ATTENDEE"):
        assert name not in event


def test_attendees_can_be_left_out() -> None:
    _, event = only_event(event_to_ics(make_event(), include_attendees=False))
    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:anna.keller@buyer.example"


def test_output_is_deterministic_and_dtstamp_can_be_overridden() -> None:
    assert event_to_ics(make_event()) == event_to_ics(make_event())
    stamp = datetime(2026, 3, 1, 10, 0, tzinfo=BERLIN)
    _, event = only_event(event_to_ics(make_event(), dtstamp=stamp))
    assert event.decoded("DTSTAMP") == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- feed


def test_feed() -> None:
    events = [
        make_event(),
        make_event(
            uid="meeting-43@srm.example",
            sequence=0,
            summary="Executive sponsors, Acme; FY27",
            start=datetime(2026, 11, 3, 10, 0, tzinfo=NEW_YORK),
            end=datetime(2026, 11, 3, 11, 0, tzinfo=NEW_YORK),
            tz_name="America/New_York",
        ),
        make_event(uid="meeting-44@srm.example", sequence=2, status=EventStatus.CANCELLED),
    ]
    ics = feed_to_ics("Acme GmbH: governance", events)
    calendar = Calendar.from_ical(ics)
    assert str(calendar["X-WR-CALNAME"]) == "Acme GmbH: governance"
    assert str(calendar["METHOD"]) == "PUBLISH"
    parsed = calendar.walk("VEVENT")
    assert [
        (str(e["UID"]), e.decoded("SEQUENCE"), str(e["STATUS"]), str(e["SUMMARY"])) for e in parsed
    ] == [
        ("meeting-42@srm.example", 3, "CONFIRMED", "Quarterly business review"),
        ("meeting-43@srm.example", 0, "CONFIRMED", "Executive sponsors, Acme; FY27"),
        ("meeting-44@srm.example", 2, "CANCELLED", "Quarterly business review"),
    ]
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == [
        "America/New_York",
        "Europe/Berlin",
    ]
    ny_start = parsed[1].decoded("DTSTART")
    assert (ny_start.tzinfo.key, ny_start.hour) == ("America/New_York", 10)
    assert ny_start == datetime(2026, 11, 3, 15, 0, tzinfo=UTC)


def test_empty_feed_is_a_valid_calendar() -> None:
    calendar = Calendar.from_ical(feed_to_ics("Nothing scheduled", []))
    assert str(calendar["X-WR-CALNAME"]) == "Nothing scheduled"
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"

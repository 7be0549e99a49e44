"""iCalendar export of governance meetings (SPEC 2.6), built with the ``icalendar`` library.

Pure functions, no Django.

Rules
-----
* Each meeting has a stable UID (``meeting-<pk>@<domain>``) that never changes, so a
  calendar client updates the event it already has instead of adding a duplicate.
* SEQUENCE is supplied by the caller and increments whenever the meeting changes; a
  cancelled meeting is still exported, with ``STATUS:CANCELLED``, so clients remove it.
* DTSTART/DTEND are written in the meeting's own IANA zone (``TZID`` parameter) and the
  calendar carries a matching VTIMEZONE covering the calendar years of its events, so the
  wall time survives DST in every client.
* DTSTAMP defaults to the meeting's ``last_modified`` (UTC) rather than "now": the same
  meeting state always serialises to the same bytes, which keeps feeds cacheable.
* Text is never escaped by hand; the library escapes commas, semicolons and newlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//SRM//Partnership governance//EN"
ICAL_VERSION = "2.0"
METHOD = "PUBLISH"


class EventStatus(StrEnum):
    """Status of an exported event; the iCalendar value is the upper-cased value."""

    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def ical_value(self) -> str:
        return self.value.upper()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime.")


def validate_meeting_times(start: datetime, end: datetime) -> dict[str, list[str]]:
    """Field-keyed errors for a meeting's times: the end must be strictly after the start.

    Returns an empty dict when valid. Naive datetimes are a programming error and raise
    ``ValueError`` (forms always produce aware values with ``USE_TZ``).
    """
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end <= start:
        return {"end": [_("The meeting must end after it starts.")]}
    return {}


def meeting_uid(meeting_pk: int, domain: str) -> str:
    """Stable iCalendar UID of a meeting, e.g. ``meeting-42@srm.example``.

    Derived only from the primary key and the (lower-cased) site domain, so it never
    changes while the meeting is edited, rescheduled or cancelled.
    """
    if meeting_pk <= 0:
        raise ValueError("A meeting UID needs a saved meeting (positive primary key).")
    domain = domain.strip().lower()
    if not domain or "@" in domain or any(char.isspace() for char in domain):
        raise ValueError(f"Invalid UID domain: {domain!r}.")
    return f"meeting-{meeting_pk}@{domain}"


@dataclass(frozen=True)
class MeetingEvent:
    """Everything needed to export one meeting as a VEVENT."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    tz_name: str
    summary: str
    last_modified: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    status: EventStatus = EventStatus.CONFIRMED
    organizer_email: str | None = None
    attendee_emails: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", EventStatus(self.status))
        object.__setattr__(self, "attendee_emails", tuple(self.attendee_emails))
        _require_aware(self.last_modified, "last_modified")
        errors = validate_meeting_times(self.start, self.end)
        if errors:
            raise ValueError(errors["end"][0])
        if not self.uid:
            raise ValueError("An event needs a UID.")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative.")
        try:
            ZoneInfo(self.tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"Unknown time zone: {self.tz_name!r}.") from exc

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)


def _mailto(email: str) -> vCalAddress:
    return vCalAddress(f"mailto:{email}")


def _vevent(event: MeetingEvent, dtstamp: datetime | None, include_attendees: bool) -> Event:
    stamp = event.last_modified if dtstamp is None else dtstamp
    _require_aware(stamp, "dtstamp")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("last-modified", event.last_modified.astimezone(UTC))
    # Converting into the meeting's own zone makes the library write TZID=<tz_name>.
    vevent.add("dtstart", event.start.astimezone(event.zone))
    vevent.add("dtend", event.end.astimezone(event.zone))
    vevent.add("summary", event.summary)
    vevent.add("status", event.status.ical_value)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.organizer_email:
        vevent.add("organizer", _mailto(event.organizer_email))
    if include_attendees:
        for email in event.attendee_emails:
            vevent.add("attendee", _mailto(email))
    return vevent


def _calendar(
    events: Sequence[MeetingEvent],
    dtstamp: datetime | None,
    include_attendees: bool,
    name: str | None = None,
) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", ICAL_VERSION)
    cal.add("method", METHOD)
    if name is not None:
        # X-WR-CALNAME is what Apple, Google and Outlook read; NAME is the RFC 7986 form.
        cal.add("name", name)
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_vevent(event, dtstamp, include_attendees))
    if events:
        # Whole calendar years, so each VTIMEZONE has both its standard and daylight rules.
        first = min(event.start.astimezone(event.zone).year for event in events)
        last = max(event.end.astimezone(event.zone).year for event in events)
        cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))
    return cal


def event_to_ics(
    event: MeetingEvent, *, dtstamp: datetime | None = None, include_attendees: bool = True
) -> bytes:
    """One VCALENDAR (METHOD:PUBLISH) holding the meeting's VEVENT and its VTIMEZONE.

    ``dtstamp`` defaults to ``event.last_modified`` (see the module docstring).
    ``include_attendees=False`` leaves out ATTENDEE lines, e.g. for shared feed URLs.
    """
    ics: bytes = _calendar((event,), dtstamp, include_attendees).to_ical()
    return ics


def feed_to_ics(
    name: str,
    events: Iterable[MeetingEvent],
    *,
    dtstamp: datetime | None = None,
    include_attendees: bool = True,
) -> bytes:
    """A subscribable calendar feed named ``name`` with one VEVENT per meeting.

    Cancelled meetings belong in the feed (with STATUS:CANCELLED) so subscribers drop them.
    """
    ics: bytes = _calendar(tuple(events), dtstamp, include_attendees, name=name).to_ical()
    return ics

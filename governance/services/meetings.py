"""Meetings (SPEC 2.3): scheduling, changing, moving and cancelling one meeting, its
attendees, minutes, decisions and attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record, model_changes
from governance.access import require_own_attendees, require_own_contacts
from governance.cadence import MeetingStatus
from governance.ical import validate_meeting_times
from governance.models import Cadence, Decision, Meeting, MeetingAttachment, Visibility
from partners.models import Partner, SupplierContact

ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024

# A change of one of these is a new version of the exported event (its SEQUENCE grows).
_ICAL_FIELDS = {"start", "end", "location", "status", "title", "tz_name"}


class MeetingChanges(TypedDict, total=False):
    """What a meeting's editors may change; moving, cancelling and recording minutes have
    their own services (they need a reason or change the status)."""

    title: str
    start: datetime
    end: datetime
    tz_name: str
    location: str
    agenda: str
    minutes: str
    visibility: str
    attendees: Sequence[User]
    contacts: Sequence[SupplierContact]


def _check_times(start: datetime | None, end: datetime | None) -> None:
    if start is None or end is None:
        raise FieldErrors({"start" if start is None else "end": ["Give a date and time."]})
    errors = validate_meeting_times(start, end)
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    partner: Partner,
    title: str,
    start: datetime,
    end: datetime,
    tz_name: str = "Europe/Berlin",
    location: str = "",
    agenda: str = "",
    minutes: str = "",
    visibility: str = Visibility.SHARED,
    cadence: Cadence | None = None,
    attendees: Sequence[User] = (),
    contacts: Sequence[SupplierContact] = (),
) -> Meeting:
    """Schedule a meeting. Refuses an end before the start, and a cadence, attendees or
    contacts of another partner."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    _check_times(start, end)
    require_own_contacts(partner, contacts, "contacts")
    require_own_attendees(partner, attendees, "attendees")
    if cadence is not None and cadence.partner_id != partner.pk:
        raise FieldErrors({"cadence": ["Choose a cadence of this partner."]})
    meeting = Meeting(
        partner=partner,
        title=title,
        start=start,
        end=end,
        tz_name=tz_name,
        location=location,
        agenda=agenda,
        minutes=minutes,
        visibility=visibility,
        cadence=cadence,
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.contacts.set(contacts)
    audit_record(
        actor=actor, action="meeting.create", obj=meeting, changes={"start": start, "end": end}
    )
    risk_signals_refresh_after_commit([partner.pk])  # cadence compliance may change
    return meeting


@transaction.atomic
def meeting_update(*, actor: Actor, meeting: Meeting, changes: MeetingChanges) -> Meeting:
    """Change a meeting; a change of time, place or title raises its SEQUENCE.

    Refuses fields it does not know (status and the reason of a change go through
    :func:`meeting_move`, :func:`meeting_cancel` and :func:`meeting_record`).
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    unknown = set(changes) - MeetingChanges.__optional_keys__
    if unknown:
        raise FieldErrors({key: ["This field cannot be changed here."] for key in sorted(unknown)})
    return _meeting_change(actor=actor, meeting=meeting, changes=changes)


def _meeting_change(*, actor: Actor, meeting: Meeting, changes: Mapping[str, Any]) -> Meeting:
    fields = dict(changes)
    attendees: Sequence[User] | None = fields.pop("attendees", None)
    contacts: Sequence[SupplierContact] | None = fields.pop("contacts", None)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    audited = model_changes(meeting, fields)
    _check_times(meeting.start, meeting.end)
    if audited.keys() & _ICAL_FIELDS:
        meeting.sequence += 1
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    # Attendees are not written to the exported events (feeds are shareable URLs), so a
    # change of attendees does not raise the SEQUENCE; it is audited all the same.
    if attendees is not None:
        require_own_attendees(meeting.partner, attendees, "attendees")
        before = sorted(meeting.attendees.values_list("pk", flat=True))
        after = sorted({u.pk for u in attendees})
        if before != after:
            audited["attendees"] = [before, after]
            meeting.attendees.set(attendees)
    if contacts is not None:
        require_own_contacts(meeting.partner, contacts, "contacts")
        before = sorted(meeting.contacts.values_list("pk", flat=True))
        after = sorted({c.pk for c in contacts})
        if before != after:
            audited["contacts"] = [before, after]
            meeting.contacts.set(contacts)
    if audited:
        audit_record(actor=actor, action="meeting.update", obj=meeting, changes=audited)
        # Held, missed, cancelled or moved: cadence compliance may change.
        risk_signals_refresh_after_commit([meeting.partner_id])
    return meeting


@transaction.atomic
def meeting_move(
    *, actor: Actor, meeting: Meeting, start: datetime, end: datetime, reason: str
) -> Meeting:
    """Reschedule one meeting; refuses a move without a reason."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": ["Say why the meeting moves."]})
    return _meeting_change(
        actor=actor,
        meeting=meeting,
        changes={"start": start, "end": end, "change_reason": reason.strip()},
    )


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel one meeting, with a reason; calendars receive STATUS:CANCELLED. A meeting that
    was held cannot be cancelled (409)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": ["Say why the meeting is cancelled."]})
    if Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.HELD).exists():
        raise ConflictError("A meeting that was held cannot be cancelled.")
    return _meeting_change(
        actor=actor,
        meeting=meeting,
        changes={"status": MeetingStatus.CANCELLED, "change_reason": reason.strip()},
    )


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    meeting: Meeting,
    minutes: str,
    decisions: Sequence[str] = (),
    held: bool = True,
) -> Meeting:
    """Record minutes and decisions; a recorded meeting counts as held. A cancelled meeting
    cannot be marked held (409)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if meeting.status == MeetingStatus.CANCELLED and held:
        raise ConflictError("A cancelled meeting cannot be marked held.")
    fields: dict[str, str] = {"minutes": minutes}
    if held:
        fields["status"] = MeetingStatus.HELD
    meeting = _meeting_change(actor=actor, meeting=meeting, changes=fields)
    for text in decisions:
        if text.strip():
            Decision.objects.create(meeting=meeting, text=text.strip())
    return meeting


@transaction.atomic
def attachment_add(
    *, actor: Actor, meeting: Meeting, file: UploadedFile[bytes], name: str = ""
) -> MeetingAttachment:
    """Attach a file (up to 25 MB, not empty) to a meeting; whoever may see the meeting may
    download it."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    size = file.size
    if not size:
        raise FieldErrors({"file": ["The file is empty."]})
    if size > ATTACHMENT_MAX_BYTES:
        raise FieldErrors({"file": ["Files up to 25 MB can be attached."]})
    name = (name.strip() or str(file.name or "attachment"))[:200]
    attachment = MeetingAttachment.objects.create(
        meeting=meeting,
        file=file,
        name=name,
        uploaded_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor, action="meeting.attach", obj=meeting, changes={"file": attachment.name}
    )
    return attachment

"""Meetings (SPEC 2.3): scheduling, changing, moving and cancelling one meeting, its
attendees, minutes, decisions and attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.concurrency import version_check
from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record, model_changes
from governance.access import require_own_attendees, require_own_contacts
from governance.cadence import MeetingStatus
from governance.ical import validate_meeting_times
from governance.meeting_state import has_started
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


def _require_started(start: datetime, *, field: str = "minutes") -> None:
    """Minutes (and marking a meeting held) only for a meeting that has started."""
    if not has_started(start, timezone.now()):
        local = timezone.localtime(start)
        when = f"{date_format(local, 'SHORT_DATE_FORMAT')} {date_format(local, 'H:i T')}"
        raise FieldErrors(
            {
                field: [
                    _("This meeting starts on %(when)s; record minutes once it has started.")
                    % {"when": when}
                ]
            }
        )


def _check_times(start: datetime | None, end: datetime | None) -> None:
    if start is None or end is None:
        raise FieldErrors({"start" if start is None else "end": [_("Give a date and time.")]})
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
    if minutes.strip():
        _require_started(start)
    require_own_contacts(partner, contacts, "contacts")
    require_own_attendees(partner, attendees, "attendees")
    if cadence is not None and cadence.partner_id != partner.pk:
        raise FieldErrors({"cadence": [_("Choose a cadence of this partner.")]})
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
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    changes: MeetingChanges,
    expected_version: int | None = None,
) -> Meeting:
    """Change a meeting; a change of time, place or title raises its SEQUENCE. Every
    meeting service refuses (StaleEditError, 409) a change based on an older version.

    Refuses fields it does not know (status and the reason of a change go through
    :func:`meeting_move`, :func:`meeting_cancel` and :func:`meeting_record`).
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    unknown = set(changes) - MeetingChanges.__optional_keys__
    if unknown:
        raise FieldErrors(
            {key: [_("This field cannot be changed here.")] for key in sorted(unknown)}
        )
    return _meeting_change(
        actor=actor, meeting=meeting, changes=changes, expected_version=expected_version
    )


def _meeting_change(
    *,
    actor: Actor,
    meeting: Meeting,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
) -> Meeting:
    version_check(meeting, expected_version)
    fields = dict(changes)
    attendees: Sequence[User] | None = fields.pop("attendees", None)
    contacts: Sequence[SupplierContact] | None = fields.pop("contacts", None)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    audited = model_changes(meeting, fields)
    _check_times(meeting.start, meeting.end)
    if "minutes" in audited and meeting.minutes.strip():
        _require_started(meeting.start)
    if audited.keys() & _ICAL_FIELDS:
        meeting.sequence += 1
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    # Attendees are not written to the exported events (feeds are shareable URLs), so a
    # change of attendees does not raise the SEQUENCE; it is audited all the same.
    if attendees is not None:
        require_own_attendees(meeting.partner, attendees, "attendees")
        before = {u.pk: str(u) for u in meeting.attendees.all()}
        after = {u.pk: str(u) for u in attendees}
        if before.keys() != after.keys():
            # Names, so the history reads "Attendees: Priya → Priya, Marco".
            audited["attendees"] = [sorted(before.values()), sorted(after.values())]
            meeting.attendees.set(attendees)
    if contacts is not None:
        require_own_contacts(meeting.partner, contacts, "contacts")
        before_contacts = {c.pk: c.name for c in meeting.contacts.all()}
        after_contacts = {c.pk: c.name for c in contacts}
        if before_contacts.keys() != after_contacts.keys():
            audited["contacts"] = [
                sorted(before_contacts.values()),
                sorted(after_contacts.values()),
            ]
            meeting.contacts.set(contacts)
    if audited:
        audit_record(actor=actor, action="meeting.update", obj=meeting, changes=audited)
        # Held, missed, cancelled or moved: cadence compliance may change.
        risk_signals_refresh_after_commit([meeting.partner_id])
    return meeting


@transaction.atomic
def meeting_move(
    *,
    actor: Actor,
    meeting: Meeting,
    start: datetime,
    end: datetime,
    reason: str,
    expected_version: int | None = None,
) -> Meeting:
    """Reschedule one meeting; refuses a move without a reason."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": [_("Say why the meeting moves.")]})
    return _meeting_change(
        actor=actor,
        meeting=meeting,
        changes={"start": start, "end": end, "change_reason": reason.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def meeting_cancel(
    *, actor: Actor, meeting: Meeting, reason: str, expected_version: int | None = None
) -> Meeting:
    """Cancel one meeting, with a reason; calendars receive STATUS:CANCELLED. A meeting that
    was held cannot be cancelled (409)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": [_("Say why the meeting is cancelled.")]})
    if Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.HELD).exists():
        raise ConflictError("A meeting that was held cannot be cancelled.")
    return _meeting_change(
        actor=actor,
        meeting=meeting,
        changes={"status": MeetingStatus.CANCELLED, "change_reason": reason.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    meeting: Meeting,
    minutes: str,
    decisions: Sequence[str] = (),
    held: bool = True,
    expected_version: int | None = None,
) -> Meeting:
    """Record minutes and decisions; a recorded meeting counts as held. Refuses a meeting that
    has not started yet (a field error on ``minutes``); a cancelled meeting cannot be marked
    held (409)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    _require_started(meeting.start)
    if meeting.status == MeetingStatus.CANCELLED and held:
        raise ConflictError("A cancelled meeting cannot be marked held.")
    fields: dict[str, str] = {"minutes": minutes}
    if held:
        fields["status"] = MeetingStatus.HELD
    meeting = _meeting_change(
        actor=actor, meeting=meeting, changes=fields, expected_version=expected_version
    )
    for text in decisions:
        if text.strip():
            Decision.objects.create(meeting=meeting, text=text.strip())
    return meeting


@transaction.atomic
def meeting_unhold(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """Undo "held" (it was marked by mistake): the meeting is scheduled again, so it can be
    moved or cancelled, and a past one shows as missed. Minutes and decisions stay; the
    audit trail records who undid it and why. Only a held meeting (409 otherwise)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": [_("Say why the meeting was not held.")]})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise ConflictError(_("Only a meeting marked held can be set back to not held."))
    changes = model_changes(
        meeting, {"status": MeetingStatus.SCHEDULED, "change_reason": reason.strip()}
    )
    meeting.sequence += 1  # the status is part of the exported event
    meeting.save()
    audit_record(actor=actor, action="meeting.unhold", obj=meeting, changes=changes)
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
        raise FieldErrors({"file": [_("The file is empty.")]})
    if size > ATTACHMENT_MAX_BYTES:
        raise FieldErrors({"file": [_("Files up to 25 MB can be attached.")]})
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

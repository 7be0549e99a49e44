"""Cadences (SPEC 2.2): recurring meeting series of a partnership and their meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from core.cadences import CadenceKind, Frequency
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record
from governance.access import require_own_attendees, require_own_contacts
from governance.cadence import occurrences_between
from governance.models import Cadence, Meeting, Visibility
from governance.selectors import cadence_defaults_for_partner
from governance.texts import english

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from partners.models import Partner, SupplierContact

GENERATE_AHEAD = timedelta(days=365)


@transaction.atomic
def cadence_create(
    *,
    actor: Actor,
    partner: Partner,
    kind: str,
    frequency: str,
    anchor_date: date,
    start_time: time,
    name: StrOrPromise = "",
    interval: int = 1,
    duration_minutes: int = 60,
    tz_name: str = "Europe/Berlin",
    weekday_ordinal: int | None = None,
    weekday: str = "",
    location: str = "",
    agenda_template: str = "",
    visibility: str = Visibility.SHARED,
    active: bool = True,
    default_attendees: Sequence[User] | None = None,
    default_contacts: Sequence[SupplierContact] | None = None,
) -> Cadence:
    """Create a cadence, named after its kind unless named; a bad recurrence rule raises
    field errors, and so do attendees or contacts from another partner."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    cadence = Cadence(
        partner=partner,
        kind=kind,
        name=english(name or CadenceKind(kind).label),
        frequency=frequency,
        anchor_date=anchor_date,
        start_time=start_time,
        interval=interval,
        duration_minutes=duration_minutes,
        tz_name=tz_name,
        weekday_ordinal=weekday_ordinal,
        weekday=weekday,
        location=location,
        agenda_template=agenda_template,
        visibility=visibility,
        active=active,
    )
    cadence.rule()  # raises RecurrenceRuleError (field errors) on a bad rule
    cadence.full_clean()
    cadence.save()
    if default_attendees is not None:
        require_own_attendees(partner, default_attendees, "default_attendees")
        cadence.default_attendees.set(default_attendees)
    if default_contacts is not None:
        require_own_contacts(partner, default_contacts, "default_contacts")
        cadence.default_contacts.set(default_contacts)
    audit_record(
        actor=actor,
        action="cadence.create",
        obj=cadence,
        changes={
            "kind": kind,
            "name": cadence.name,
            "frequency": frequency,
            "interval": interval,
            "anchor_date": anchor_date,
            "start_time": start_time,
            "tz_name": tz_name,
        },
    )
    risk_signals_refresh_after_commit([partner.pk])  # a new cadence is judged for compliance
    return cadence


@transaction.atomic
def cadences_apply_defaults(
    *,
    actor: Actor,
    partner: Partner,
    anchor_date: date,
    start_time: time = time(9, 0),
    tz_name: str = "Europe/Berlin",
) -> list[Cadence]:
    """Create the playbook's default cadences the partner lacks (one per kind); returns those
    created."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    existing = set(partner.cadences.values_list("kind", flat=True))
    created = []
    for default in cadence_defaults_for_partner(partner):
        if default.kind in existing:
            continue
        created.append(
            cadence_create(
                actor=actor,
                partner=partner,
                kind=default.kind,
                name=english(default.kind.label),
                frequency=Frequency(default.frequency),
                interval=default.interval,
                anchor_date=anchor_date,
                start_time=start_time,
                duration_minutes=default.duration_minutes,
                tz_name=tz_name,
                agenda_template="\n".join(default.agenda),
            )
        )
    return created


@transaction.atomic
def meetings_generate(
    *, actor: Actor, cadence: Cadence, now: datetime, ahead: timedelta = GENERATE_AHEAD
) -> int:
    """Create the cadence's meetings for the coming year; returns how many were new.

    Idempotent by the natural key (cadence, occurrence index): moved or cancelled
    occurrences keep their row and are never recreated. An inactive cadence gets none.
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    cadence = Cadence.objects.select_for_update().get(pk=cadence.pk)
    if not cadence.active:
        return 0
    occurrences = occurrences_between(cadence.rule(), now, now + ahead)
    have = set(
        cadence.meetings.filter(occurrence_index__in=[o.index for o in occurrences]).values_list(
            "occurrence_index", flat=True
        )
    )
    attendee_ids = list(cadence.default_attendees.values_list("pk", flat=True))
    contact_ids = list(cadence.default_contacts.values_list("pk", flat=True))
    # One insert for the meetings and one per kind of attendee, not five queries a meeting:
    # a demo of three years or a portfolio's yearly run generates thousands at once.
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                partner_id=cadence.partner_id,
                cadence=cadence,
                occurrence_index=occurrence.index,
                title=cadence.name,
                start=occurrence.start,
                end=occurrence.end,
                tz_name=cadence.tz_name,
                location=cadence.location,
                agenda=cadence.agenda_template,
                visibility=cadence.visibility,
            )
            for occurrence in occurrences
            if occurrence.index not in have
        ]
    )
    attendees_through = Meeting.attendees.through
    contacts_through = Meeting.contacts.through
    attendees_through.objects.bulk_create(
        [
            attendees_through(meeting_id=meeting.pk, user_id=user_id)
            for meeting in meetings
            for user_id in attendee_ids
        ]
    )
    contacts_through.objects.bulk_create(
        [
            contacts_through(meeting_id=meeting.pk, suppliercontact_id=contact_id)
            for meeting in meetings
            for contact_id in contact_ids
        ]
    )
    return len(meetings)

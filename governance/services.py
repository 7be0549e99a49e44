"""Writes to governance records. Every service is atomic and writes the audit trail."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import User
from core.notifications import NotificationKind
from core.services import audit_record, model_changes, notification_send
from governance.cadence import (
    DEFAULT_AGENDAS,
    CadenceDefault,
    CadenceKind,
    Frequency,
    MeetingStatus,
    default_cadences_for,
    occurrences_between,
)
from governance.escalation import (
    CLOSED_ACTION_STATUSES,
    ActionStatus,
    EscalationAction,
    EscalationLadder,
    EscalationLevel,
    action_is_overdue,
    due_date_warning,
    escalation_next_step,
)
from governance.ical import validate_meeting_times
from governance.models import (
    ActionItem,
    Cadence,
    CalendarFeed,
    ChallengeProposal,
    Charter,
    Decision,
    Escalation,
    EscalationLadderLevel,
    EscalationMove,
    InitiativeStage,
    InnovationChallenge,
    InnovationInitiative,
    JointBusinessPlan,
    LessonLearned,
    Meeting,
    MeetingAttachment,
    PlanMilestone,
    PlanObjective,
    ProposalStatus,
    Visibility,
    ladder_of,
)
from partners.access import partner_id_of_supplier
from partners.models import Partner, SupplierContact
from partners.selectors import playbook_for
from scorecards.selectors import partner_kpi_choices

GENERATE_AHEAD = timedelta(days=365)
# Reminders look as far ahead as any user may ask; each recipient's lead time decides.
MEETING_REMINDER_AHEAD = NotificationKind.MEETING_REMINDER.spec.max_ahead
CHARTER_REVIEW_AHEAD = NotificationKind.CHARTER_REVIEW.spec.max_ahead

# --------------------------------------------------------------------------- charters


@transaction.atomic
def charter_create_version(
    *, actor: User | None, partner: Partner, effective_from: date, **fields: Any
) -> Charter:
    """Add the next version of a partnership's charter; due for review a year later."""
    Partner.objects.select_for_update().get(pk=partner.pk)
    latest = partner.charters.order_by("-version").values_list("version", flat=True).first()
    review_due = fields.pop("review_due", None) or effective_from + timedelta(days=365)
    if not effective_from < review_due <= effective_from + timedelta(days=366):
        raise FieldErrors({"review_due": ["Review the charter within a year of it taking effect."]})
    if not str(fields.get("scope", "")).strip():
        raise FieldErrors({"scope": ["Describe the scope of the partnership."]})
    charter = Charter(
        partner=partner,
        version=(latest or 0) + 1,
        effective_from=effective_from,
        review_due=review_due,
        created_by=actor,
        **fields,
    )
    charter.full_clean()
    charter.save()
    audit_record(
        actor=actor, action="charter.create", obj=charter, changes={"version": charter.version}
    )
    return charter


# --------------------------------------------------------------------------- cadences


def cadence_defaults_for_partner(partner: Partner) -> tuple[CadenceDefault, ...]:
    """The cadences a partnership gets by default: its engagement model's playbook (SPEC 1.3).

    The playbook says which meetings and how often; the agenda template per kind comes from
    governance's defaults. A playbook with no cadences falls back to those defaults.
    """
    entries = playbook_for(partner).cadences
    if not entries:
        return default_cadences_for(partner.engagement_model)
    return tuple(
        CadenceDefault(
            kind=CadenceKind(entry["kind"]),
            frequency=Frequency(entry["frequency"]),
            duration_minutes=int(entry.get("duration_minutes", 60)),
            agenda=DEFAULT_AGENDAS[CadenceKind(entry["kind"])],
            interval=int(entry.get("interval", 1)),
        )
        for entry in entries
    )


@transaction.atomic
def cadence_create(*, actor: User | None, partner: Partner, **fields: Any) -> Cadence:
    """Create a cadence; a bad recurrence rule raises field errors."""
    attendees = fields.pop("default_attendees", None)
    contacts = fields.pop("default_contacts", None)
    cadence = Cadence(partner=partner, **fields)
    if not cadence.name:
        cadence.name = CadenceKind(cadence.kind).label
    cadence.rule()  # raises RecurrenceRuleError (field errors) on a bad rule
    cadence.full_clean()
    cadence.save()
    if attendees is not None:
        _require_own_attendees(partner, attendees, "default_attendees")
        cadence.default_attendees.set(attendees)
    if contacts is not None:
        _require_own_contacts(partner, contacts, "default_contacts")
        cadence.default_contacts.set(contacts)
    audit_record(actor=actor, action="cadence.create", obj=cadence, changes=fields)
    return cadence


@transaction.atomic
def cadences_apply_defaults(
    *,
    actor: User | None,
    partner: Partner,
    anchor_date: date,
    start_time: time = time(9, 0),
    tz_name: str = "Europe/Berlin",
) -> list[Cadence]:
    """Create the default cadences the partner lacks (one per kind); returns those created."""
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
                name=default.kind.label,
                frequency=default.frequency,
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
def meetings_generate(*, cadence: Cadence, now: datetime, ahead: timedelta = GENERATE_AHEAD) -> int:
    """Create the cadence's meetings for the coming year; returns how many were new.

    Idempotent by the natural key (cadence, occurrence index): moved or cancelled
    occurrences keep their row and are never recreated.
    """
    cadence = Cadence.objects.select_for_update().get(pk=cadence.pk)
    if not cadence.active:
        return 0
    occurrences = occurrences_between(cadence.rule(), now, now + ahead)
    have = set(
        cadence.meetings.filter(occurrence_index__in=[o.index for o in occurrences]).values_list(
            "occurrence_index", flat=True
        )
    )
    attendees = list(cadence.default_attendees.all())
    contacts = list(cadence.default_contacts.all())
    created = 0
    for occurrence in occurrences:
        if occurrence.index in have:
            continue
        meeting = Meeting.objects.create(
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
        meeting.attendees.set(attendees)
        meeting.contacts.set(contacts)
        created += 1
    return created


# --------------------------------------------------------------------------- meetings

_ICAL_FIELDS = {"start", "end", "location", "status", "title", "tz_name"}


def _require_own_contacts(
    partner: Partner, contacts: Iterable[SupplierContact], field: str
) -> None:
    if any(contact.partner_id != partner.pk for contact in contacts):
        raise FieldErrors({field: ["Choose contacts of this partner."]})


def _require_own_attendees(partner: Partner, users: Iterable[User], field: str) -> None:
    """Internal users, or supplier users of this very partner: nobody else may attend."""
    if any(u.is_supplier and partner_id_of_supplier(u) != partner.pk for u in users):
        raise FieldErrors({field: ["Supplier users of another partner cannot attend."]})


def _check_times(start: datetime | None, end: datetime | None) -> None:
    if start is None or end is None:
        raise FieldErrors({"start" if start is None else "end": ["Give a date and time."]})
    errors = validate_meeting_times(start, end)
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    partner: Partner,
    title: str,
    start: datetime,
    end: datetime,
    attendees: Sequence[User] = (),
    contacts: Sequence[SupplierContact] = (),
    **fields: Any,
) -> Meeting:
    """Schedule a meeting; the end must be after the start."""
    _check_times(start, end)
    _require_own_contacts(partner, contacts, "contacts")
    _require_own_attendees(partner, attendees, "attendees")
    meeting = Meeting(partner=partner, title=title, start=start, end=end, **fields)
    if meeting.cadence_id and meeting.cadence and meeting.cadence.partner_id != partner.pk:
        raise FieldErrors({"cadence": ["Choose a cadence of this partner."]})
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    meeting.attendees.set(attendees)
    meeting.contacts.set(contacts)
    audit_record(
        actor=actor, action="meeting.create", obj=meeting, changes={"start": start, "end": end}
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    attendees: Sequence[User] | None = None,
    contacts: Sequence[SupplierContact] | None = None,
    **fields: Any,
) -> Meeting:
    """Change a meeting; a change of time, place, title or status raises its SEQUENCE."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changes = model_changes(meeting, fields)
    _check_times(meeting.start, meeting.end)
    if changes.keys() & _ICAL_FIELDS:
        meeting.sequence += 1
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    # Attendees are not written to the exported events (feeds are shareable URLs), so a
    # change of attendees does not raise the SEQUENCE; it is audited all the same.
    if attendees is not None:
        _require_own_attendees(meeting.partner, attendees, "attendees")
        before = sorted(meeting.attendees.values_list("pk", flat=True))
        after = sorted({u.pk for u in attendees})
        if before != after:
            changes["attendees"] = [before, after]
            meeting.attendees.set(attendees)
    if contacts is not None:
        _require_own_contacts(meeting.partner, contacts, "contacts")
        before = sorted(meeting.contacts.values_list("pk", flat=True))
        after = sorted({c.pk for c in contacts})
        if before != after:
            changes["contacts"] = [before, after]
            meeting.contacts.set(contacts)
    if changes:
        audit_record(actor=actor, action="meeting.update", obj=meeting, changes=changes)
    return meeting


def meeting_move(
    *, actor: User | None, meeting: Meeting, start: datetime, end: datetime, reason: str
) -> Meeting:
    """Reschedule one meeting, with a reason."""
    if not reason.strip():
        raise FieldErrors({"reason": ["Say why the meeting moves."]})
    return meeting_update(
        actor=actor, meeting=meeting, start=start, end=end, change_reason=reason.strip()
    )


def meeting_cancel(*, actor: User | None, meeting: Meeting, reason: str) -> Meeting:
    """Cancel one meeting, with a reason; calendars receive STATUS:CANCELLED."""
    if not reason.strip():
        raise FieldErrors({"reason": ["Say why the meeting is cancelled."]})
    if Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.HELD).exists():
        raise ConflictError("A meeting that was held cannot be cancelled.")
    return meeting_update(
        actor=actor, meeting=meeting, status=MeetingStatus.CANCELLED, change_reason=reason.strip()
    )


@transaction.atomic
def meeting_record(
    *,
    actor: User | None,
    meeting: Meeting,
    minutes: str,
    decisions: Sequence[str] = (),
    held: bool = True,
) -> Meeting:
    """Record minutes and decisions; a recorded meeting counts as held."""
    if meeting.status == MeetingStatus.CANCELLED and held:
        raise ConflictError("A cancelled meeting cannot be marked held.")
    fields: dict[str, Any] = {"minutes": minutes}
    if held:
        fields["status"] = MeetingStatus.HELD
    meeting = meeting_update(actor=actor, meeting=meeting, **fields)
    for text in decisions:
        if text.strip():
            Decision.objects.create(meeting=meeting, text=text.strip())
    return meeting


ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024


@transaction.atomic
def attachment_add(
    *, actor: User | None, meeting: Meeting, file: Any, name: str = ""
) -> MeetingAttachment:
    """Attach a file to a meeting; it is visible to whoever may see the meeting."""
    size = getattr(file, "size", None)
    if not size:
        raise FieldErrors({"file": ["The file is empty."]})
    if size > ATTACHMENT_MAX_BYTES:
        raise FieldErrors({"file": ["Files up to 25 MB can be attached."]})
    name = (name.strip() or str(getattr(file, "name", "") or "attachment"))[:200]
    attachment = MeetingAttachment.objects.create(
        meeting=meeting, file=file, name=name, uploaded_by=actor
    )
    audit_record(
        actor=actor, action="meeting.attach", obj=meeting, changes={"file": attachment.name}
    )
    return attachment


# --------------------------------------------------------------------------- calendar feeds


def calendar_feed_for(*, owner: User, partner: Partner | None = None) -> CalendarFeed:
    """The owner's feed (all their meetings, or one partnership's); created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(owner=owner, partner=partner)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    """Issue a new secret; the old URL stops working at once."""
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = secrets.token_urlsafe()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    audit_record(actor=actor, action="calendar_feed.revoke", obj=feed)
    return feed


# --------------------------------------------------------------------------- actions


def _check_action_owner(
    partner: Partner, owner_user: User | None, owner_contact: SupplierContact | None
) -> None:
    if owner_user is not None and owner_contact is not None:
        raise FieldErrors({"owner_contact": ["Give one owner: a user or a supplier contact."]})
    if owner_contact is not None and owner_contact.partner_id != partner.pk:
        raise FieldErrors({"owner_contact": ["Choose a contact of this partner."]})
    if (
        owner_user is not None
        and owner_user.is_supplier
        and partner_id_of_supplier(owner_user) != partner.pk
    ):
        raise FieldErrors({"owner_user": ["That supplier user belongs to another partner."]})


@dataclass(frozen=True)
class Created:
    """A created record and a warning for the user (saved anyway)."""

    action: ActionItem
    warning: str | None


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    partner: Partner,
    title: str,
    today: date | None = None,
    owner_user: User | None = None,
    owner_contact: SupplierContact | None = None,
    **fields: Any,
) -> Created:
    """Create an action item. A due date in the past earns a warning, not an error."""
    _check_action_owner(partner, owner_user, owner_contact)
    action = ActionItem(
        partner=partner, title=title, owner_user=owner_user, owner_contact=owner_contact, **fields
    )
    if action.meeting_id and action.meeting and action.meeting.partner_id != partner.pk:
        raise FieldErrors({"meeting": ["Choose a meeting of this partner."]})
    if action.owned_by_supplier:
        # Whatever a supplier owes, the supplier must be able to see.
        action.visibility = Visibility.SHARED
    action.full_clean()
    action.save()
    audit_record(actor=actor, action="action.create", obj=action, changes=fields)
    return Created(action, due_date_warning(action.due_date, today or timezone.localdate()))


def supplier_may_update_action(user: User, action: ActionItem) -> bool:
    """Suppliers update the shared actions their own side owes, nothing else."""
    return (
        partner_id_of_supplier(user) == action.partner_id
        and action.visibility == Visibility.SHARED
        and action.owned_by_supplier
    )


@transaction.atomic
def action_update(*, actor: User, action: ActionItem, **fields: Any) -> ActionItem:
    """Change an action; suppliers may change only status on actions their side owes."""
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("owner_user", "owner_contact")
        .get(pk=action.pk)
    )
    if actor.is_supplier:
        if not supplier_may_update_action(actor, action):
            raise PermissionDeniedError("You can only update actions assigned to your company.")
        if set(fields) - {"status"}:
            raise FieldErrors({"status": ["Suppliers may only change the status."]})
    if "status" in fields:
        try:
            status = ActionStatus(fields["status"])
        except ValueError as exc:
            raise FieldErrors({"status": [f"Unknown status {fields['status']!r}."]}) from exc
        fields["completed_at"] = timezone.now() if status == ActionStatus.DONE else None
    _check_action_owner(
        action.partner,
        fields.get("owner_user", action.owner_user),
        fields.get("owner_contact", action.owner_contact),
    )
    changes = model_changes(action, fields)
    if action.owned_by_supplier:
        action.visibility = Visibility.SHARED
    action.full_clean()
    action.save()
    if changes:
        changes.pop("completed_at", None)
        audit_record(actor=actor, action="action.update", obj=action, changes=changes)
    return action


# --------------------------------------------------------------------------- escalations


@transaction.atomic
def escalation_ladder_set(
    *, actor: User | None, partner: Partner, levels: Sequence[dict[str, Any]]
) -> list[EscalationLadderLevel]:
    """Replace the partnership's ladder: ``[{"name", "response_time_hours", "notify"}]``."""
    EscalationLadder(
        levels=tuple(
            EscalationLevel(
                n, str(level.get("name", "")), int(level.get("response_time_hours") or 0)
            )
            for n, level in enumerate(levels, start=1)
        )
    )  # raises EscalationLadderError (field errors)
    if any(not str(level.get("name", "")).strip() for level in levels):
        raise FieldErrors({"levels": ["Name every level."]})
    EscalationLadderLevel.objects.filter(partner=partner, number__gt=len(levels)).delete()
    saved = []
    for number, level in enumerate(levels, start=1):
        row, _ = EscalationLadderLevel.objects.update_or_create(
            partner=partner,
            number=number,
            defaults={
                "name": level["name"].strip(),
                "response_time_hours": int(level["response_time_hours"]),
            },
        )
        row.notify.set(level.get("notify", []))
        saved.append(row)
    audit_record(
        actor=actor,
        action="escalation_ladder.set",
        obj=partner,
        changes={"levels": [f"{lv.number} {lv.name} {lv.response_time_hours}h" for lv in saved]},
    )
    return saved


def _level_recipients(
    partner: Partner, level: EscalationLadderLevel | None, top: bool
) -> list[User]:
    people = list(level.notify.all()) if level is not None else []
    if not people:
        fallback = [partner.alliance_manager, partner.owner]
        if top:
            fallback.append(partner.executive_sponsor)
        people = [p for p in fallback if p is not None]
    unique = {p.pk: p for p in people if p.is_active}
    return list(unique.values())


def _notify_level(escalation: Escalation, level_number: int, *, overdue: bool = False) -> int:
    levels = {
        lv.number: lv for lv in escalation.partner.escalation_levels.prefetch_related("notify")
    }
    level = levels.get(level_number)
    name = level.name if level else f"level {level_number}"
    suffix = "overdue" if overdue else f"level:{level_number}"
    subject = (
        f"Escalation overdue at the top: {escalation.title}"
        if overdue
        else f"Escalated to you ({name}): {escalation.title}"
    )
    sent = 0
    for user in _level_recipients(escalation.partner, level, top=level_number == len(levels)):
        if notification_send(
            recipient=user,
            key=f"escalation:{escalation.pk}:{suffix}:user:{user.pk}",
            subject=subject,
            body=f"{escalation.partner}: {escalation.description}",
            url=f"/governance/partners/{escalation.partner_id}/escalations/",
            kind=NotificationKind.ESCALATION_MOVED
            if overdue or level_number > 1
            else NotificationKind.ESCALATION_RAISED,
            partner_id=escalation.partner_id,
            shared=escalation.visibility == Visibility.SHARED,
        ):
            sent += 1
    return sent


@transaction.atomic
def escalation_raise(
    *,
    actor: User | None,
    partner: Partner,
    title: str,
    description: str = "",
    visibility: str = Visibility.INTERNAL,
    now: datetime | None = None,
) -> Escalation:
    """Raise an escalation at level 1 of the partnership's ladder and notify that level."""
    if not partner.escalation_levels.exists():
        raise FieldErrors({"levels": ["Set up the escalation ladder for this partner first."]})
    if not title.strip():
        raise FieldErrors({"title": ["Say what is escalated."]})
    now = now or timezone.now()
    escalation = Escalation.objects.create(
        partner=partner,
        title=title.strip(),
        description=description,
        visibility=visibility,
        level=1,
        level_entered_at=now,
        raised_by=actor,
    )
    EscalationMove.objects.create(escalation=escalation, from_level=0, to_level=1, at=now)
    audit_record(actor=actor, action="escalation.raise", obj=escalation)
    _notify_level(escalation, 1)
    return escalation


@transaction.atomic
def escalation_resolve(
    *, actor: User | None, escalation: Escalation, resolution: str
) -> Escalation:
    if not resolution.strip():
        raise FieldErrors({"resolution": ["Say how it was resolved."]})
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.resolved_at is not None:
        raise ConflictError("This escalation is resolved already.")
    escalation.resolved_at = timezone.now()
    escalation.resolution = resolution.strip()
    escalation.save(update_fields=["resolved_at", "resolution", "updated_at"])
    audit_record(actor=actor, action="escalation.resolve", obj=escalation)
    return escalation


def escalations_advance(*, now: datetime) -> int:
    """Move every unresolved escalation past its response time up one level and notify it.

    Each escalation is handled in its own transaction under a row lock, so two runs at once
    move it once, and the notification keys make a repeated run notify nobody twice.
    Returns how many escalations moved.
    """
    moved = 0
    ids = list(Escalation.objects.filter(resolved_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("partner")
                .filter(pk=pk, resolved_at__isnull=True)
                .first()
            )
            if escalation is None:
                continue
            levels = list(escalation.partner.escalation_levels.all())
            if not levels:
                continue
            ladder = ladder_of(levels)
            current = min(escalation.level, ladder.top_level)
            step = escalation_next_step(
                ladder, current, escalation.level_entered_at, now, resolved=False
            )
            if step.action == EscalationAction.MOVE_UP and step.to_level is not None:
                EscalationMove.objects.create(
                    escalation=escalation, from_level=current, to_level=step.to_level, at=now
                )
                escalation.level = step.to_level
                escalation.level_entered_at = now
                escalation.save(update_fields=["level", "level_entered_at", "updated_at"])
                audit_record(
                    actor=None,
                    action="escalation.move_up",
                    obj=escalation,
                    changes={"level": [current, step.to_level]},
                )
                _notify_level(escalation, step.to_level)
                moved += 1
            elif step.action == EscalationAction.OVERDUE_AT_TOP and not escalation.overdue_at_top:
                escalation.overdue_at_top = True
                escalation.save(update_fields=["overdue_at_top", "updated_at"])
                _notify_level(escalation, current, overdue=True)
    return moved


# --------------------------------------------------------------------------- reminders


def reminders_send(*, now: datetime) -> int:
    """Remind owners of overdue actions, alliance managers of charter reviews due within 30
    days, and attendees of meetings in the next 48 hours.

    Keys make it idempotent: an overdue action is reminded once; a meeting once per
    version (SEQUENCE), so a moved meeting is announced again.
    """
    sent = 0
    today = timezone.localdate(now)
    overdue = (
        ActionItem.objects.exclude(status__in=list(CLOSED_ACTION_STATUSES))
        .filter(due_date__lt=today)
        .select_related("owner_user", "partner__alliance_manager", "partner__owner")
    )
    for action in overdue:
        if not action_is_overdue(action.due_date, action.status, today):
            continue
        recipient = action.owner_user or action.partner.alliance_manager or action.partner.owner
        if recipient is None:
            continue
        if notification_send(
            recipient=recipient,
            key=f"action:{action.pk}:overdue:user:{recipient.pk}",
            subject=f"Overdue action for {action.partner}: {action.title}",
            body=f"Was due {action.due_date:%d %b %Y}; owner: {action.owner_label}.",
            url="/governance/portal/actions/"
            if recipient.is_supplier
            else f"/governance/partners/{action.partner_id}/actions/",
            kind=NotificationKind.ACTION_OVERDUE,
            partner_id=action.partner_id,
            shared=recipient.is_supplier,
        ):
            sent += 1
    latest_charters = (
        Charter.objects.order_by("partner_id", "-version")
        .distinct("partner_id")
        .select_related("partner__alliance_manager", "partner__owner")
    )
    for charter in latest_charters:
        if charter.review_due > today + CHARTER_REVIEW_AHEAD:
            continue
        for user in {u for u in (charter.partner.alliance_manager, charter.partner.owner) if u}:
            if notification_send(
                recipient=user,
                key=f"charter:{charter.pk}:review:user:{user.pk}",
                subject=f"Charter review due for {charter.partner}: {charter.review_due:%d %b %Y}",
                url=f"/governance/partners/{charter.partner_id}/",
                kind=NotificationKind.CHARTER_REVIEW,
                partner_id=charter.partner_id,
                due=charter.review_due,
                now=now,
            ):
                sent += 1
    upcoming = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, start__gte=now, start__lt=now + MEETING_REMINDER_AHEAD
        )
        .select_related("partner")
        .prefetch_related("attendees__partner_link")
    )
    for meeting in upcoming:
        for user in meeting.attendees.all():
            if user.is_supplier and (
                meeting.visibility != Visibility.SHARED
                or partner_id_of_supplier(user) != meeting.partner_id
            ):
                continue
            if notification_send(
                recipient=user,
                key=f"meeting:{meeting.pk}:v{meeting.sequence}:reminder:user:{user.pk}",
                subject=f"{meeting.title} with {meeting.partner}",
                url=f"/governance/portal/meetings/{meeting.pk}/"
                if user.is_supplier
                else f"/governance/meetings/{meeting.pk}/",
                kind=NotificationKind.MEETING_REMINDER,
                partner_id=meeting.partner_id,
                shared=meeting.visibility == Visibility.SHARED,
                event_at=meeting.start,  # shown in the recipient's zone, not UTC
                now=now,
            ):
                sent += 1
    return sent


# --------------------------------------------------------------------------- plans


@transaction.atomic
def plan_create(
    *, actor: User | None, partner: Partner, year: int, title: str, **fields: Any
) -> JointBusinessPlan:
    if JointBusinessPlan.objects.filter(partner=partner, year=year).exists():
        raise FieldErrors({"year": [f"{partner} has a joint business plan for {year} already."]})
    plan = JointBusinessPlan(partner=partner, year=year, title=title, **fields)
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="plan.create", obj=plan)
    return plan


@transaction.atomic
def objective_add(
    *, actor: User | None, plan: JointBusinessPlan, title: str, target: str, **fields: Any
) -> PlanObjective:
    """Add an objective to a joint business plan, optionally tracked by a scorecard KPI (by
    code, which stays the same across template versions)."""
    if not target.strip():
        raise FieldErrors({"target": ["Give a measurable target."]})
    kpi_code = fields.get("kpi_reference", "")
    if kpi_code:
        known = dict(partner_kpi_choices(plan.partner))
        if kpi_code not in known:
            offered = ", ".join(known) or "none yet: apply a scorecard template first"
            raise FieldErrors(
                {
                    "kpi_reference": [
                        f"No scorecard of {plan.partner} has a KPI “{kpi_code}”. "
                        f"Its KPIs: {offered}."
                    ]
                }
            )
    objective = PlanObjective(plan=plan, title=title, target=target, **fields)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="plan.objective_add", obj=plan, changes={"objective": title})
    return objective


@transaction.atomic
def milestone_add(
    *,
    actor: User | None,
    plan: JointBusinessPlan,
    title: str,
    due_date: date,
    owner_user: User | None = None,
    owner_contact: SupplierContact | None = None,
    **fields: Any,
) -> PlanMilestone:
    _check_action_owner(plan.partner, owner_user, owner_contact)
    milestone = PlanMilestone(
        plan=plan,
        title=title,
        due_date=due_date,
        owner_user=owner_user,
        owner_contact=owner_contact,
        **fields,
    )
    if milestone.objective_id and milestone.objective and milestone.objective.plan_id != plan.pk:
        raise FieldErrors({"objective": ["Choose an objective of this plan."]})
    milestone.full_clean()
    milestone.save()
    audit_record(actor=actor, action="plan.milestone_add", obj=plan, changes={"milestone": title})
    return milestone


@transaction.atomic
def milestone_complete(
    *, actor: User | None, milestone: PlanMilestone, done_on: date | None = None
) -> PlanMilestone:
    """Mark a joint-plan milestone done (today unless a date is given)."""
    milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ConflictError("This milestone is done already.")
    milestone.done_at = done_on or timezone.localdate()
    milestone.save(update_fields=["done_at"])
    audit_record(
        actor=actor,
        action="plan.milestone_done",
        obj=milestone.plan,
        changes={"milestone": milestone.title, "done_at": milestone.done_at},
    )
    return milestone


# --------------------------------------------------------------------------- innovation

_STAGE_ORDER: list[str] = [
    InitiativeStage.IDEA,
    InitiativeStage.EVALUATING,
    InitiativeStage.PROTOTYPE,
    InitiativeStage.COMMERCIALIZED,
]


@transaction.atomic
def initiative_create(
    *, actor: User | None, partner: Partner, title: str, **fields: Any
) -> InnovationInitiative:
    initiative = InnovationInitiative(partner=partner, title=title, **fields)
    initiative.full_clean()
    initiative.save()
    audit_record(actor=actor, action="initiative.create", obj=initiative)
    return initiative


@transaction.atomic
def initiative_update(
    *, actor: User | None, initiative: InnovationInitiative, **fields: Any
) -> InnovationInitiative:
    """Change an initiative; the stage only moves forward (or to dropped)."""
    initiative = InnovationInitiative.objects.select_for_update().get(pk=initiative.pk)
    if "stage" in fields and fields["stage"] != initiative.stage:
        old, new = initiative.stage, fields["stage"]
        if old in (InitiativeStage.COMMERCIALIZED, InitiativeStage.DROPPED):
            raise FieldErrors({"stage": [f"A {old} initiative does not change stage."]})
        if new not in InitiativeStage.values:
            raise FieldErrors({"stage": [f"Unknown stage {new!r}."]})
        if new != InitiativeStage.DROPPED and (
            new not in _STAGE_ORDER or _STAGE_ORDER.index(new) < _STAGE_ORDER.index(old)
        ):
            raise FieldErrors({"stage": [f"An initiative moves forward from {old}, not to {new}."]})
    changes = model_changes(initiative, fields)
    initiative.full_clean()
    initiative.save()
    if changes:
        audit_record(actor=actor, action="initiative.update", obj=initiative, changes=changes)
    return initiative


@transaction.atomic
def challenge_publish(
    *,
    actor: User | None,
    title: str,
    problem_statement: str,
    partners: Sequence[Partner] | Any,
    closes_on: date | None = None,
) -> InnovationChallenge:
    """Publish an open innovation challenge to chosen partners."""
    partners = list(partners)
    if not partners:
        raise FieldErrors({"partners": ["Publish the challenge to at least one partner."]})
    challenge = InnovationChallenge(
        title=title, problem_statement=problem_statement, closes_on=closes_on, created_by=actor
    )
    challenge.full_clean()
    challenge.save()
    challenge.published_to.set(partners)
    audit_record(
        actor=actor,
        action="challenge.publish",
        obj=challenge,
        changes={"published_to": [str(p) for p in partners]},
    )
    return challenge


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    challenge: InnovationChallenge,
    partner: Partner,
    title: str,
    description: str,
    expected_value: Decimal = Decimal(0),
) -> ChallengeProposal:
    """A partner answers a challenge it was invited to."""
    if not challenge.published_to.filter(pk=partner.pk).exists():
        raise PermissionDeniedError("This challenge was not published to your company.")
    if challenge.status != "open" or (
        challenge.closes_on is not None and challenge.closes_on < timezone.localdate()
    ):
        raise ConflictError("The challenge is closed.")
    if not description.strip():
        raise FieldErrors({"description": ["Describe your proposal."]})
    proposal = ChallengeProposal(
        challenge=challenge,
        partner=partner,
        title=title,
        description=description,
        expected_value=expected_value,
        submitted_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(actor=actor, action="proposal.submit", obj=proposal)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    actor: User | None,
    proposal: ChallengeProposal,
    adopt: bool,
    feedback: str = "",
    owner: User | None = None,
) -> ChallengeProposal:
    """Adopt a proposal (it becomes an initiative) or decline it with feedback."""
    proposal = ChallengeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.ADOPTED, ProposalStatus.DECLINED):
        raise ConflictError("This proposal has been decided already.")
    if not adopt and not feedback.strip():
        raise FieldErrors({"feedback": ["Tell the partner why the proposal is declined."]})
    if adopt:
        proposal.initiative = initiative_create(
            actor=actor,
            partner=proposal.partner,
            title=proposal.title,
            description=proposal.description,
            stage=InitiativeStage.EVALUATING,
            owner=owner or actor,
            expected_value=proposal.expected_value,
        )
        proposal.status = ProposalStatus.ADOPTED
    else:
        proposal.status = ProposalStatus.DECLINED
    proposal.feedback = feedback.strip()
    proposal.save()
    audit_record(
        actor=actor, action="proposal.decide", obj=proposal, changes={"status": proposal.status}
    )
    return proposal


# --------------------------------------------------------------------------- lessons


@transaction.atomic
def lesson_record(
    *, actor: User | None, partner: Partner, title: str, body: str, tags: Sequence[str] = ()
) -> LessonLearned:
    if not body.strip():
        raise FieldErrors({"body": ["Write down the lesson."]})
    lesson = LessonLearned(
        partner=partner, title=title, body=body, tags=list(tags), recorded_by=actor
    )
    lesson.full_clean()
    lesson.save()
    audit_record(actor=actor, action="lesson.record", obj=lesson)
    return lesson

"""Reminders of governance: overdue actions, charter reviews coming due, meetings soon."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import Actor
from core.notifications import NotificationKind
from core.roles import Capability, require
from core.services import NotificationDraft, notifications_send_many
from governance.cadence import MeetingStatus
from governance.escalation import CLOSED_ACTION_STATUSES, action_is_overdue
from governance.models import ActionItem, Charter, Meeting, Visibility
from governance.texts import default_text, recipient_language
from partners.access import partner_id_of_supplier

# Reminders look as far ahead as any user may ask; each recipient's lead time decides.
MEETING_REMINDER_AHEAD = NotificationKind.MEETING_REMINDER.spec.max_ahead
CHARTER_REVIEW_AHEAD = NotificationKind.CHARTER_REVIEW.spec.max_ahead


def reminders_send(*, actor: Actor, now: datetime) -> int:
    """Remind owners of overdue actions, alliance managers of charter reviews due within 30
    days, and attendees of meetings in the next 48 hours; returns how many were sent.

    Keys make it idempotent: an overdue action is reminded once; a meeting once per
    version (SEQUENCE), so a moved meeting is announced again.
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    today = timezone.localdate(now)
    # One transaction, not one commit (and WAL flush) per notification: 10,000 reminders
    # were written at ~25 a second. The e-mails' outbox rows appear together at the commit.
    with transaction.atomic():
        return (
            _remind_overdue_actions(today)
            + _remind_charter_reviews(today)
            + _remind_upcoming_meetings(now)
        )


def _remind_overdue_actions(today: date) -> int:
    drafts: list[NotificationDraft] = []
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
        with translation.override(recipient_language(recipient)):
            subject = _("Overdue action for %(partner)s: %(title)s") % {
                "partner": action.partner,
                "title": action.title,
            }
            body = _("Was due %(day)s; owner: %(owner)s.") % {
                "day": date_format(action.due_date, "SHORT_DATE_FORMAT") if action.due_date else "",
                "owner": action.owner_label,
            }
        drafts.append(
            NotificationDraft(
                recipient=recipient,
                key=f"action:{action.pk}:overdue:user:{recipient.pk}",
                subject=subject,
                body=body,
                url="/governance/portal/actions/"
                if recipient.is_supplier
                else f"/governance/partners/{action.partner_id}/actions/",
                kind=NotificationKind.ACTION_OVERDUE,
                partner_id=action.partner_id,
                shared=recipient.is_supplier,
            )
        )
    return notifications_send_many(drafts)


def _remind_charter_reviews(today: date) -> int:
    drafts: list[NotificationDraft] = []
    latest_charters = (
        Charter.objects.order_by("partner_id", "-version")
        .distinct("partner_id")
        .select_related("partner__alliance_manager", "partner__owner")
    )
    for charter in latest_charters:
        if charter.review_due > today + CHARTER_REVIEW_AHEAD:
            continue
        for user in {u for u in (charter.partner.alliance_manager, charter.partner.owner) if u}:
            with translation.override(recipient_language(user)):
                subject = _("Charter review due for %(partner)s: %(day)s") % {
                    "partner": charter.partner,
                    "day": date_format(charter.review_due, "SHORT_DATE_FORMAT"),
                }
            drafts.append(
                NotificationDraft(
                    recipient=user,
                    key=f"charter:{charter.pk}:review:user:{user.pk}",
                    subject=subject,
                    url=f"/governance/partners/{charter.partner_id}/",
                    kind=NotificationKind.CHARTER_REVIEW,
                    partner_id=charter.partner_id,
                    due=charter.review_due,
                    today=today,
                )
            )
    return notifications_send_many(drafts)


def _remind_upcoming_meetings(now: datetime) -> int:
    drafts: list[NotificationDraft] = []
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
            with translation.override(recipient_language(user)):
                subject = _("%(meeting)s with %(partner)s") % {
                    "meeting": default_text(meeting.title),
                    "partner": meeting.partner,
                }
            drafts.append(
                NotificationDraft(
                    recipient=user,
                    key=f"meeting:{meeting.pk}:v{meeting.sequence}:reminder:user:{user.pk}",
                    subject=subject,
                    url=f"/governance/portal/meetings/{meeting.pk}/"
                    if user.is_supplier
                    else f"/governance/meetings/{meeting.pk}/",
                    kind=NotificationKind.MEETING_REMINDER,
                    partner_id=meeting.partner_id,
                    shared=meeting.visibility == Visibility.SHARED,
                    event_at=meeting.start,  # shown in the recipient's zone, not UTC
                    now=now,
                )
            )
    return notifications_send_many(drafts)

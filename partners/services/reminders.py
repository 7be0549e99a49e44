"""Agreement reminders (SPEC 1.6, 6): notice deadlines and expiries, sent by a daily job."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.models import Actor
from core.notifications import NotificationKind
from core.roles import Capability, require
from core.services import notification_send
from partners.selectors import agreement_reminders_due


def agreement_reminders_send(*, actor: Actor, today: date) -> int:
    """Notify each agreement's owner and alliance manager of notice deadlines and expiries
    within 60 days; returns how many notifications were sent.

    Idempotent through the notification key (one per agreement, kind, date and recipient),
    so running it twice sends nothing twice.
    """
    require(actor, Capability.EDIT_PARTNERS)
    sent = 0
    # As far ahead as any user may ask; each recipient's own lead time decides.
    for due in agreement_reminders_due(today, NotificationKind.AGREEMENT_NOTICE.spec.max_lead):
        agreement, reminder = due.agreement, due.reminder
        partner = agreement.partner
        recipients = {u.pk: u for u in (partner.owner, partner.alliance_manager) if u is not None}
        for user in recipients.values():
            # Each recipient reads the reminder (in-app and e-mail) in their own language.
            with translation.override(getattr(user, "language", None) or None):
                values = {
                    "kind": reminder.kind.label,
                    "title": agreement.title,
                    "partner": str(partner),
                    "date": date_format(reminder.date),
                    "days": reminder.days_left,
                    "agreement_kind": agreement.get_kind_display(),
                    "company": partner.legal_name,
                }
                subject = (
                    ngettext(
                        "%(kind)s of %(title)s (%(partner)s) on %(date)s, in %(days)d day",
                        "%(kind)s of %(title)s (%(partner)s) on %(date)s, in %(days)d days",
                        reminder.days_left,
                    )
                    % values
                )
                body = (
                    gettext("%(agreement_kind)s with %(company)s: %(kind)s on %(date)s.") % values
                )
            note = notification_send(
                recipient=user,
                key=f"agreement:{agreement.pk}:{reminder.kind.value}:{reminder.date}:{user.pk}",
                subject=subject,
                body=body,
                url=reverse("partner-page", args=[partner.pk]),
                kind=NotificationKind.AGREEMENT_NOTICE,
                partner_id=partner.pk,
                due=reminder.date,
                today=today,
            )
            sent += note is not None
    return sent

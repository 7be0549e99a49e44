"""Background jobs of partners: agreement notice-deadline and expiry reminders (SPEC 1.6, 6),
supplier invitation e-mails."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.roles import SystemActor
from partners.invitations import invitation_digest, invitation_email, invitation_status
from partners.models import PartnerInvitation
from partners.services.reminders import agreement_reminders_send

REMINDERS = SystemActor("agreement reminders")


@shared_task(time_limit=300, soft_time_limit=240)
def agreement_reminders() -> int:
    """Daily: remind owners of notice deadlines and expiries; safe to run twice."""
    return agreement_reminders_send(actor=REMINDERS, today=timezone.localdate())


@shared_task(time_limit=60, soft_time_limit=50)
def invitation_email_send(invitation_id: int, token: str) -> bool:
    """Send an invitation's e-mail (an outbox job; a mail-server error makes the outbox retry).
    Nothing is sent for an invitation no longer pending or a link that is not its own."""
    invitation = (
        PartnerInvitation.objects.select_related("partner", "contact", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.token_digest != invitation_digest(token):
        return False
    if invitation_status(invitation) != "pending":
        return False
    invitation_email(invitation, token).send()
    return True

"""Background jobs of partners: agreement notice-deadline and expiry reminders (SPEC 1.6, 6)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.roles import SystemActor
from partners.services.reminders import agreement_reminders_send

REMINDERS = SystemActor("agreement reminders")


@shared_task(time_limit=300, soft_time_limit=240)
def agreement_reminders() -> int:
    """Daily: remind owners of notice deadlines and expiries; safe to run twice."""
    return agreement_reminders_send(actor=REMINDERS, today=timezone.localdate())

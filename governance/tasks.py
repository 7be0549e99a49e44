"""Background jobs of governance: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from governance import services
from governance.models import Cadence


@shared_task(soft_time_limit=240, time_limit=300)
def escalations_advance() -> int:
    """Move escalations past their response time up a level (safe to run twice)."""
    return services.escalations_advance(now=timezone.now())


@shared_task(soft_time_limit=240, time_limit=300)
def governance_reminders() -> int:
    """Remind owners of overdue actions and attendees of meetings in the next 48 hours."""
    return services.reminders_send(now=timezone.now())


@shared_task(soft_time_limit=240, time_limit=300)
def meetings_generate_all() -> int:
    """Keep a year of meetings generated for every active cadence."""
    now = timezone.now()
    return sum(
        services.meetings_generate(cadence=cadence, now=now)
        for cadence in Cadence.objects.filter(active=True)
    )

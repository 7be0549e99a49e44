"""Background jobs of governance: thin, idempotent wrappers around services, each acting as
a named system actor (the audit trail records the job by name)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.risk_signals import RISK_SIGNALS_REFRESH_TASK
from core.roles import SystemActor
from governance.models import Cadence
from governance.services import cadences, escalations, improvement, reminders, risk_signals


@shared_task(soft_time_limit=240, time_limit=300)
def escalations_advance() -> int:
    """Move escalations past their response time up a level (safe to run twice)."""
    return escalations.escalations_advance(actor=SystemActor("escalations"), now=timezone.now())


@shared_task(soft_time_limit=240, time_limit=300)
def governance_reminders() -> int:
    """Remind owners of overdue actions and attendees of meetings in the next 48 hours."""
    return reminders.reminders_send(actor=SystemActor("governance reminders"), now=timezone.now())


@shared_task(soft_time_limit=240, time_limit=300)
def meetings_generate_all() -> int:
    """Keep a year of meetings generated for every active cadence."""
    actor = SystemActor("meeting generation")
    now = timezone.now()
    return sum(
        cadences.meetings_generate(actor=actor, cadence=cadence, now=now)
        for cadence in Cadence.objects.filter(active=True)
    )


@shared_task(soft_time_limit=240, time_limit=300)
def improvement_plans_suggest() -> int:
    """Hourly, after periods close (apart from the set-based close itself): suggest an
    improvement plan for each scorecard whose latest closed period calls for one. Safe twice:
    one suggestion per period."""
    return len(improvement.improvement_suggest_due(actor=SystemActor("improvement plans")))


@shared_task(name=RISK_SIGNALS_REFRESH_TASK, max_retries=3)  # retries: core.jobs.SrmTask
def risk_signals_refresh(partner_ids: list[int] | None = None) -> int:
    """Recompute the stored at-risk verdict of these partners (everyone when None): an outbox
    job deferred by the writes that change its inputs, and daily for what time changes."""
    return risk_signals.risk_signals_refresh(
        actor=SystemActor("at-risk signals"), partner_ids=partner_ids
    )

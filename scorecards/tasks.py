"""Background jobs of the scorecards app: close due periods and refresh the rollups. Thin:
each calls the services with its own named system actor."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.roles import SystemActor
from scorecards.services import incentives, periods, rollups, surveys

PERIOD_CLOSE = SystemActor("period close")
ROLLUPS = SystemActor("scorecard rollups")


@shared_task(max_retries=3)  # retries: core.jobs.SrmTask (database, broker, SMTP errors)
def scorecards_close_due_periods() -> int:
    """Close every due period of every scorecard, then rebuild the portfolio rollups.

    Idempotent: closed periods are skipped, rollups are rebuilt from scratch.
    """
    closed = periods.periods_close_due(actor=PERIOD_CLOSE)
    rollups.rollups_refresh(actor=ROLLUPS)
    return closed


@shared_task(name=rollups.ROLLUPS_REFRESH_TASK, max_retries=3)  # retries: core.jobs.SrmTask
def scorecards_refresh_rollups() -> int:
    """Rebuild the portfolio rollups after a period was closed, reopened or rescored by hand
    (an outbox job deferred by scorecards.services.rollups.rollups_refresh_after_commit)."""
    return rollups.rollups_refresh(actor=ROLLUPS)


HEALTH_SURVEYS = SystemActor("health surveys")


@shared_task(max_retries=3)  # retries: core.jobs.SrmTask (database, broker, SMTP errors)
def health_surveys_schedule() -> int:
    """Daily: open the survey rounds the playbooks' frequencies make due and remind who has
    not answered a round closing in three days. Idempotent: a partner with a current round
    gets no second one, and each reminder is sent once."""
    today = timezone.localdate()
    opened = surveys.health_surveys_schedule(actor=HEALTH_SURVEYS, today=today)
    surveys.health_survey_remind(actor=HEALTH_SURVEYS, today=today)
    return len(opened)


@shared_task(max_retries=3)  # retries: core.jobs.SrmTask (database, broker, SMTP errors)
def incentives_evaluate() -> int:
    """Hourly, after periods close (apart from the set-based close): list the incentives the
    latest closed periods earned, for approval. Safe twice: once per rule and period."""
    return len(incentives.incentives_evaluate(actor=SystemActor("incentives")))

"""Background jobs of the scorecards app: close due periods and refresh the rollups."""

from __future__ import annotations

from celery import shared_task

from scorecards import services


@shared_task(max_retries=3)  # retries: core.jobs.SrmTask (database, broker, SMTP errors)
def scorecards_close_due_periods() -> int:
    """Close every due period of every scorecard, then rebuild the portfolio rollups.

    Idempotent: closed periods are skipped, rollups are rebuilt from scratch.
    """
    closed = services.periods_close_due()
    services.rollups_refresh()
    return closed


@shared_task(max_retries=3)  # retries: core.jobs.SrmTask (database, broker, SMTP errors)
def scorecards_refresh_rollups() -> int:
    """Rebuild the portfolio rollups after a period was closed, reopened or rescored by hand."""
    return services.rollups_refresh()

"""Background jobs of the top layer: reminders that need several apps."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from srm.reminders import kpi_data_due_send


@shared_task(soft_time_limit=240, time_limit=300)
def kpi_data_due_reminders() -> int:
    """Daily: remind owners of scorecard periods ending with KPI values missing (safe twice)."""
    return kpi_data_due_send(now=timezone.now())

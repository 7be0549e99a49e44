"""Background jobs of the core: the outbox sweep that sends e-mails and runs deferred jobs."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core import importing, outbox, wakeup


@shared_task(soft_time_limit=240, time_limit=300)
def outbox_sweep() -> dict[str, Any]:
    """Send the due e-mails and run the due jobs of the outbox (core.outbox.sweep).

    Celery beat runs it every minute and a commit that wrote outbox rows queues it at once.
    Safe to run any number of times at once: rows are claimed with SKIP LOCKED and stamped
    under their claim, so no e-mail is sent twice. When it runs out of its time budget with
    rows still due, it queues its own successor.
    """
    result = outbox.sweep()
    if outbox.more_due():
        wakeup.wake_in_background()
    return result.as_dict()


@shared_task(soft_time_limit=240, time_limit=300)
def import_validate(job_id: int) -> str:
    """Check every row of an uploaded import (core.importing) and record the preview."""
    job = importing.import_job_run(job_id, write=False)
    return job.status if job else "missing"


@shared_task(soft_time_limit=240, time_limit=300)
def import_write(job_id: int) -> str:
    """Write a checked and confirmed import, all rows or none (core.importing)."""
    job = importing.import_job_run(job_id, write=True)
    return job.status if job else "missing"

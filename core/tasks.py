"""Background jobs of the core: the outbox sweep that sends e-mails and runs deferred jobs."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from core import outbox, wakeup


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

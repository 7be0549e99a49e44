"""Waking a worker for the outbox: queue a sweep soon after a commit that wrote outbox rows.

Only an optimisation — the sweep celery beat runs every minute sends everything anyway — so
it must never cost a request anything: the sweep is queued after the request or task has
finished, from a background thread, with the broker's short timeouts, and after a failure
this process leaves the broker alone for ``SRM_BROKER_QUIET_SECONDS``. Inside a request or a
task the wake-ups of all its commits become one: a job that notifies 2,000 people queues
one sweep, not 2,000. core.apps connects the receivers to Django's and Celery's signals.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, cast

from celery import Celery, current_app
from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

SWEEP_TASK = "core.tasks.outbox_sweep"


_local = threading.local()
# Until when (time.monotonic) this process leaves the broker alone after it failed.
_broker_quiet_until = 0.0


def wake_after_commit() -> None:
    """Ask for a sweep once the current transaction commits (at once outside one)."""
    transaction.on_commit(_on_commit)


def _on_commit() -> None:
    if getattr(_local, "deferring", False):
        _local.wanted = True
    else:
        wake_in_background()


def defer_wakes(**_: object) -> None:
    """Signal receiver: a request or task started; collect its wake-ups."""
    _local.deferring = True
    _local.wanted = False


def flush_wakes(**_: object) -> None:
    """Signal receiver: the request or task finished; queue one sweep if it wrote rows."""
    wanted = getattr(_local, "wanted", False)
    _local.deferring = False
    _local.wanted = False
    if wanted:
        wake_in_background()


_waking = threading.Lock()


def wake_in_background() -> None:
    """Queue a sweep from a background thread, so no request or task ever waits on the
    broker: a frozen Redis holds that thread for a timeout, not the user. While one wake-up
    is still in flight another is not needed (its sweep starts after it is queued, and so
    sees every row committed before)."""
    if not _waking.acquire(blocking=False):
        return
    # The thread gets the app explicitly: Celery's "current app" is per thread.
    app = cast(Any, current_app)._get_current_object()

    def run() -> None:
        try:
            enqueue_sweep(app)
        finally:
            _waking.release()

    threading.Thread(target=run, name="outbox-wake", daemon=True).start()


def sweep_on_worker_start(**_: object) -> None:
    """Signal receiver: a worker started; queue a sweep for whatever is due."""
    wake_in_background()


def enqueue_sweep(app: Celery | None = None) -> bool:
    """Queue a sweep on the broker; never raises. False when the broker did not take it.

    After a failure this process does not try again for ``SRM_BROKER_QUIET_SECONDS``, so a
    dead broker costs one short timeout, not one per request; the beat sweep covers it.
    """
    global _broker_quiet_until
    if time.monotonic() < _broker_quiet_until:
        return False
    try:
        (app or current_app).send_task(
            SWEEP_TASK, retry=False, expires=int(settings.SRM_OUTBOX_LEASE_SECONDS)
        )
    except Exception as exc:  # any broker trouble: the scheduled sweep will do the work
        _broker_quiet_until = time.monotonic() + int(settings.SRM_BROKER_QUIET_SECONDS)
        logger.warning(
            "Outbox: could not queue a sweep (%s: %s); it runs on schedule.",
            type(exc).__name__,
            exc,
        )
        return False
    return True

"""Every job of the beat schedule names a task the worker knows, and can be sent at once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from core.models import Notification
from srm.celery import app
from tests.worker import finished_count, wait_until, worker_log


def test_every_scheduled_job_is_a_registered_task() -> None:
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert names, "the beat schedule is not empty"
    assert names <= set(app.tasks), names - set(app.tasks)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_enqueue_scheduled_jobs_runs_them_in_the_worker(celery_worker_process) -> None:
    """Sending the schedule once moves the demo's overdue escalation and notifies its level."""
    from governance.models import Escalation
    from srm.demo import seed_demo

    seed_demo()
    escalation = Escalation.objects.get(partner__short_name="Sinter Magnetics")
    assert escalation.level == 2
    tasks = {str(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    before = {name: finished_count(name) for name in tasks}
    call_command("enqueue_scheduled_jobs")
    assert wait_until(lambda: Escalation.objects.get(pk=escalation.pk).level == 3, timeout=60)
    assert wait_until(
        lambda: Notification.objects.filter(key__startswith="escalation:").exists(), timeout=30
    )
    # Let every job finish before the next test empties the database under it.
    assert wait_until(
        lambda: all(finished_count(name) > before[name] for name in tasks), timeout=120
    )
    assert "raised" not in "".join(
        line for line in worker_log().splitlines() if any(name in line for name in tasks)
    )

"""Governance jobs: scheduled, idempotent, and run through a real Celery worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Notification
from core.roles import SYSTEM
from governance import tasks
from governance.models import Escalation
from governance.services import escalations
from tests.factories import PartnerFactory, UserFactory
from tests.governance.factories import CadenceFactory, standard_ladder
from tests.worker import wait_until


def test_governance_jobs_are_scheduled_by_beat() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "governance.tasks.escalations_advance",
        "governance.tasks.governance_reminders",
        "governance.tasks.meetings_generate_all",
    } <= scheduled


@pytest.mark.django_db
def test_calendar_generation_job_runs_twice_without_duplicates() -> None:
    CadenceFactory()
    assert tasks.meetings_generate_all() == 12
    assert tasks.meetings_generate_all() == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_moves_an_overdue_escalation_up_and_notifies_once(
    celery_worker_process,
) -> None:
    manager = UserFactory(username="worker-am", email="am@example.com")
    partner = PartnerFactory(alliance_manager=manager)
    standard_ladder(partner, 1, 24)
    escalation = escalations.escalation_raise(
        actor=SYSTEM,
        partner=partner,
        title="Line stop risk",
        now=timezone.now() - timedelta(hours=2),
    )
    tasks.escalations_advance.delay()
    tasks.escalations_advance.delay()
    assert wait_until(lambda: Escalation.objects.get(pk=escalation.pk).level == 2)
    key = f"escalation:{escalation.pk}:level:2:user:{manager.pk}"
    assert wait_until(
        lambda: Notification.objects.filter(key=key, emailed_at__isnull=False).exists()
    )
    # The second run found nothing left to do.
    assert (
        Notification.objects.filter(key__startswith=f"escalation:{escalation.pk}:level:2").count()
        == 1
    )
    assert Escalation.objects.get(pk=escalation.pk).moves.count() == 2

"""The agreement-reminder job runs in a real Celery worker and notifies once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Notification
from partners.tasks import agreement_reminders
from tests.factories import PartnerFactory, UserFactory
from tests.partners.factories import AgreementFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_agreement_reminders_once(celery_worker_process) -> None:
    owner = UserFactory(username="reminder-owner", email="owner@example.com")
    partner = PartnerFactory(owner=owner)
    AgreementFactory(
        partner=partner,
        end_date=timezone.localdate() + timedelta(days=20),
        notice_period_days=0,
    )
    agreement_reminders.delay()
    assert wait_until(lambda: Notification.objects.filter(recipient=owner).exists())
    agreement_reminders.delay()
    # The second run and the e-mail job have finished once the e-mail is marked sent.
    assert wait_until(
        lambda: Notification.objects.filter(recipient=owner, emailed_at__isnull=False).exists()
    )
    assert Notification.objects.filter(recipient=owner).count() == 1

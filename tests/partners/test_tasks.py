"""The daily agreement-reminder job is scheduled and idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import Notification
from partners.tasks import agreement_reminders
from tests.factories import PartnerFactory
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def test_agreement_reminders_is_scheduled_daily() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["partners-agreement-reminders"]
    assert entry["task"] == "partners.tasks.agreement_reminders"
    assert entry["schedule"] == 86400


def test_running_the_job_twice_notifies_once(procurement_manager) -> None:
    partner = PartnerFactory(owner=procurement_manager)
    today = timezone.localdate()
    AgreementFactory(partner=partner, end_date=today + timedelta(days=100), notice_period_days=70)
    assert agreement_reminders.apply().get() == 1
    assert agreement_reminders.apply().get() == 0
    note = Notification.objects.get()
    assert note.subject.startswith("Notice deadline of")
    assert note.recipient == procurement_manager


def test_auto_renewing_agreement_reminds_before_its_next_anniversary(procurement_manager) -> None:
    from partners.selectors import agreement_reminders_due

    partner = PartnerFactory(owner=procurement_manager)
    AgreementFactory(
        partner=partner,
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 10),
        auto_renewal=True,
        term_years=1,
        notice_period_days=30,
    )
    due = agreement_reminders_due(date(2026, 11, 25))
    # Next end 2027-01-10, notice by 2026-12-11 (16 days) and expiry (46 days).
    assert [(d.reminder.kind.value, d.reminder.days_left) for d in due] == [
        ("notice_deadline", 16),
        ("expiry", 46),
    ]

"""The KPI-data-due reminder: owners hear of a period about to end with values missing, once,
when their lead time is reached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.models import Notification, NotificationPreference
from core.notifications import NotificationKind
from srm.reminders import kpi_data_due_send
from tests.factories import PartnerFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db

FIVE_DAYS_BEFORE_Q2_ENDS = datetime(2026, 6, 25, 6, 0, tzinfo=UTC)
TWENTY_DAYS_BEFORE = datetime(2026, 6, 10, 6, 0, tzinfo=UTC)


def test_owners_are_reminded_once_within_their_lead_time(procurement_manager, alliance_manager):
    partner = PartnerFactory(owner=procurement_manager, alliance_manager=alliance_manager)
    scorecard = scorecard_for(partner)  # 2026-Q2 open, no values
    NotificationPreference.objects.create(
        user=alliance_manager, kind=NotificationKind.KPI_DATA_DUE, lead=30
    )
    assert kpi_data_due_send(now=TWENTY_DAYS_BEFORE) == 1  # only who asked for 30 days
    assert Notification.objects.get().recipient == alliance_manager
    assert kpi_data_due_send(now=FIVE_DAYS_BEFORE_Q2_ENDS) == 1  # the owner, at 7 days
    assert kpi_data_due_send(now=FIVE_DAYS_BEFORE_Q2_ENDS) == 0
    note = Notification.objects.get(recipient=procurement_manager)
    assert note.kind == NotificationKind.KPI_DATA_DUE
    assert note.url == f"/scorecards/{scorecard.pk}/" and note.partner_ref == partner.pk
    assert "KPIs have no value" in note.subject and "30 Jun 2026" in note.subject


def test_a_period_with_every_value_is_not_reminded(procurement_manager) -> None:
    partner = PartnerFactory(owner=procurement_manager)
    enter_values(scorecard_for(partner), HAND_VALUES)
    assert kpi_data_due_send(now=FIVE_DAYS_BEFORE_Q2_ENDS) == 0

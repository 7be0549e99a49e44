"""The procurement workspace lists what waits for the manager: acceptances and KPI data due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from scorecards.services.measurements import measurement_record
from tests.factories import PartnerFactory, supplier_user
from tests.scorecards.factories import kpis_by_code, open_period, scorecard_for

pytestmark = pytest.mark.django_db


def test_workspace_lists_self_reports_to_accept_and_periods_missing_data(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory(owner=procurement_manager, short_name="Voltaris")
    # The open period is 2026-Q2, which ended before today: its data is overdue.
    scorecard = scorecard_for(partner, today=date(2026, 5, 10))
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    measurement_record(
        actor=procurement_manager, period=period, kpi=kpis["ppv"], value=Decimal("2.5")
    )
    supplier = supplier_user(partner, "lena-ws")
    measurement_record(actor=supplier, period=period, kpi=kpis["savings-ideas"], value=Decimal(4))
    html = client_for(procurement_manager).get(reverse("workspace")).content.decode()

    waiting = html.split('id="awaiting-acceptance"', 1)[1].split("</section>", 1)[0]
    assert "Voltaris · Cost-reduction ideas implemented" in waiting and ": 4" in waiting

    due = html.split('id="kpi-data-due"', 1)[1].split("</section>", 1)[0]
    total = len(kpis)
    # Only the buyer's value counts as data; the self-report is not accepted yet.
    assert f"1 of {total} KPIs have data" in due
    assert "overdue" in due


def test_a_partner_of_someone_else_is_not_on_my_workspace(client_for, procurement_manager):
    other = PartnerFactory(short_name="Not mine")
    scorecard_for(other, today=date(2026, 5, 10))
    html = client_for(procurement_manager).get(reverse("workspace")).content.decode()
    due = html.split('id="kpi-data-due"', 1)[1].split("</section>", 1)[0]
    assert "Not mine" not in due

"""A supplier disputing a score picks the KPI from the period's KPIs, and every list of
disputes names the KPI."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import FieldErrors
from core.roles import SYSTEM
from scorecards.models import Dispute
from scorecards.services.disputes import dispute_raise
from scorecards.services.periods import period_close
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db


def _closed(partner):
    scorecard = scorecard_for(partner)
    return scorecard, period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))


def test_the_supplier_chooses_the_kpi_and_every_list_names_it(
    client_for, supplier_a, partner_a, procurement_manager
) -> None:
    partner_a.owner = procurement_manager
    partner_a.save()
    scorecard, period = _closed(partner_a)
    client = client_for(supplier_a)
    page = client.get(reverse("scorecards:portal-scorecard")).content.decode()
    assert '<select name="kpi_code"' in page
    assert '<option value="ppv">Purchase price variance</option>' in page
    response = client.post(
        reverse("scorecards:portal-dispute", args=[period.pk]),
        {"reason": "The PPV baseline is last year's", "kpi_code": "ppv"},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.kpi_code == "ppv" and dispute.kpi_name == "Purchase price variance"
    portal = client.get(reverse("scorecards:portal-scorecard")).content.decode()
    assert "KPI: Purchase price variance" in portal
    buyer = client_for(procurement_manager)
    detail = buyer.get(reverse("scorecards:detail", args=[scorecard.pk])).content.decode()
    assert "(KPI: Purchase price variance)" in detail
    workspace = buyer.get(reverse("workspace")).content.decode()
    assert "KPI: Purchase price variance" in workspace
    api = buyer.get(f"/api/v1/scorecard-disputes/{dispute.pk}/").json()
    assert api["kpi_name"] == "Purchase price variance"


def test_a_kpi_the_period_was_not_scored_on_is_refused(client_for, supplier_a, partner_a) -> None:
    _, period = _closed(partner_a)
    response = client_for(supplier_a).post(
        reverse("scorecards:portal-dispute", args=[period.pk]),
        {"reason": "Typed code", "kpi_code": "no-such-kpi"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(FieldErrors) as refused:
        dispute_raise(
            actor=supplier_a, period=period, reason="x", kpi_code="nope", today=period.end
        )
    assert list(refused.value.errors) == ["kpi_code"]
    assert not Dispute.objects.exists()

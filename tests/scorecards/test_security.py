"""Another partner's supplier user reaches none of a partner's scorecard data: every API
route and page answers 403/404 (or an empty list) and shows nothing of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from scorecards.models import Dispute, Measurement
from scorecards.services.disputes import dispute_raise
from scorecards.services.measurements import measurement_record
from scorecards.services.periods import period_close
from tests.scorecards.factories import (
    HAND_VALUES,
    enter_values,
    kpis_by_code,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(partner_a, supplier_a):
    """Partner A's scorecard with a closed period, an open one, a self-report and a dispute."""
    scorecard = scorecard_for(partner_a)
    closed = enter_values(scorecard, HAND_VALUES)
    period_close(actor=SYSTEM, period=closed)
    current = open_period(scorecard)
    report = measurement_record(
        actor=supplier_a,
        period=current,
        kpi=kpis_by_code(scorecard)["savings-ideas"],
        value=Decimal(3),
    )
    dispute = dispute_raise(actor=supplier_a, period=closed, reason="Secret reason A")
    return {
        "scorecard": scorecard,
        "closed": closed,
        "current": current,
        "report": report,
        "dispute": dispute,
    }


def test_api_lists_are_empty_for_another_partners_supplier(api_for, supplier_b, alpha) -> None:
    client = api_for(supplier_b)
    for url in (
        "/api/v1/scorecards/",
        "/api/v1/scorecard-periods/",
        "/api/v1/scorecard-measurements/",
        "/api/v1/scorecard-disputes/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == 0, url


def test_api_details_and_actions_are_404_for_another_partners_supplier(
    api_for, supplier_b, alpha
) -> None:
    client = api_for(supplier_b)
    s, c, r, d = alpha["scorecard"].pk, alpha["closed"].pk, alpha["report"].pk, alpha["dispute"].pk
    for url in (
        f"/api/v1/scorecards/{s}/",
        f"/api/v1/scorecard-periods/{c}/",
        f"/api/v1/scorecard-periods/{c}/scores/",
        f"/api/v1/scorecard-measurements/{r}/",
        f"/api/v1/scorecard-disputes/{d}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret reason A" not in response.content.decode()
    for url in (
        f"/api/v1/scorecard-periods/{c}/close/",
        f"/api/v1/scorecard-periods/{c}/reopen/",
        f"/api/v1/scorecard-measurements/{r}/accept/",
        f"/api/v1/scorecard-disputes/{d}/resolve/",
        f"/api/v1/scorecard-measurements/{r}/reject/",
        f"/api/v1/scorecards/{s}/upgrade/",
    ):
        assert client.post(url, {"reason": "x"}, format="json").status_code in (403, 404), url
    template = alpha["scorecard"].template_id
    assert client.get(f"/api/v1/scorecard-templates/{template}/").status_code == 403


def test_api_writes_into_another_partner_are_refused(api_for, supplier_b, alpha) -> None:
    client = api_for(supplier_b)
    kpi = kpis_by_code(alpha["scorecard"])["savings-ideas"]
    report = client.post(
        "/api/v1/scorecard-measurements/",
        {"period": alpha["current"].pk, "kpi": kpi.pk, "value": "9"},
        format="json",
    )
    assert report.status_code == 400 and "period" in report.json()
    bulk = client.post(
        "/api/v1/scorecard-measurements/bulk/",
        {"period": alpha["current"].pk, "measurements": [{"kpi": kpi.pk, "value": "9"}]},
        format="json",
    )
    assert bulk.status_code == 400
    dispute = client.post(
        "/api/v1/scorecard-disputes/", {"period": alpha["closed"].pk, "reason": "x"}, format="json"
    )
    assert dispute.status_code == 400
    assert Measurement.objects.filter(entered_by=supplier_b).count() == 0
    assert Dispute.objects.count() == 1


def test_suppliers_cannot_use_manager_endpoints(api_for, supplier_a, partner_a, alpha) -> None:
    client = api_for(supplier_a)
    assert client.get("/api/v1/scorecard-templates/").status_code == 403
    assert client.post("/api/v1/scorecards/preview/", {}, format="json").status_code == 403
    assert (
        client.post(
            "/api/v1/scorecards/",
            {"partner": partner_a.pk, "template_code": "strategic-balanced"},
            format="json",
        ).status_code
        == 403
    )
    # Their own self-report they cannot accept; buyers' values they cannot overwrite.
    r = alpha["report"].pk
    assert client.post(f"/api/v1/scorecard-measurements/{r}/accept/").status_code == 403
    ppv = kpis_by_code(alpha["scorecard"])["ppv"]
    response = client.post(
        "/api/v1/scorecard-measurements/",
        {"period": alpha["current"].pk, "kpi": ppv.pk, "value": "0"},
        format="json",
    )
    assert response.status_code == 400
    assert client.post(f"/api/v1/scorecard-periods/{alpha['current'].pk}/close/").status_code == 403


def test_the_own_supplier_sees_their_scorecard(api_for, supplier_a, alpha) -> None:
    client = api_for(supplier_a)
    assert client.get("/api/v1/scorecards/").json()["count"] == 1
    scores = client.get(f"/api/v1/scorecard-periods/{alpha['closed'].pk}/scores/")
    assert scores.json()["breakdown"]["overall"] == "69.5"


def test_pages_answer_404_or_403_to_another_partners_supplier(client_for, supplier_b, alpha):
    client = client_for(supplier_b)
    s, c, cur = alpha["scorecard"].pk, alpha["closed"].pk, alpha["current"].pk
    r, d = alpha["report"].pk, alpha["dispute"].pk
    gets = [
        reverse("scorecards:list"),
        reverse("scorecards:detail", args=[s]),
        reverse("scorecards:import", args=[s]),
        reverse("scorecards:preview"),
        reverse("scorecards:grid", args=[cur]),
        reverse("scorecards:evidence", args=[r]),
        reverse("scorecards:portal-scorecard-detail", args=[s]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "Secret reason A" not in response.content.decode()
    posts = [
        reverse("scorecards:period-close", args=[cur]),
        reverse("scorecards:period-reopen", args=[c]),
        reverse("scorecards:measurement-review", args=[r]),
        reverse("scorecards:dispute-resolve", args=[d]),
        reverse("scorecards:portal-self-report", args=[cur]),
        reverse("scorecards:portal-dispute", args=[c]),
    ]
    for url in posts:
        assert client.post(
            url, {"reason": "x", "value": "1", "decision": "accept"}
        ).status_code in (403, 404), url
    assert Dispute.objects.count() == 1
    assert Measurement.objects.filter(entered_by=supplier_b).count() == 0
    # Their own portal page shows nothing of partner A.
    own = client.get(reverse("scorecards:portal-scorecard")).content.decode()
    assert "Secret reason A" not in own and alpha["scorecard"].partner.short_name not in own


def test_a_supplier_cannot_use_the_buyer_pages_of_its_own_scorecard(client_for, supplier_a, alpha):
    client = client_for(supplier_a)
    assert client.get(reverse("scorecards:detail", args=[alpha["scorecard"].pk])).status_code == 403
    assert client.get(reverse("scorecards:grid", args=[alpha["current"].pk])).status_code == 403
    review = reverse("scorecards:measurement-review", args=[alpha["report"].pk])
    assert client.post(review, {"decision": "accept"}).status_code == 403
    assert Measurement.objects.get(pk=alpha["report"].pk).status == "submitted"


def test_internal_users_do_not_get_the_portal_pages(client_for, procurement_manager, alpha):
    response = client_for(procurement_manager).get(reverse("scorecards:portal-scorecard"))
    assert response.status_code == 403

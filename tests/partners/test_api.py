"""The partners API: create, filter, bad input as 400, and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from partners.models import Agreement, SegmentationAssessment
from tests.factories import CategoryFactory, PartnerFactory
from tests.partners.factories import all_criteria, all_ratings, furnish

pytestmark = pytest.mark.django_db


def test_create_and_filter_partners(api_for, procurement_manager) -> None:
    CategoryFactory(code="magnets")
    api = api_for(procurement_manager)
    response = api.post(
        "/api/v1/partners/",
        {
            "legal_name": "Neo Magnets Oy",
            "short_name": "Neo",
            "country": "FI",
            "engagement_model": "strategic_partnership",
            "categories": ["magnets"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["risk_flags"][0]["code"] == "no_exit_clause"
    assert body["exit_readiness"] == {
        "ready": False,
        "missing": ["exit_clause", "transition_period", "alternative_source"],
    }
    PartnerFactory(engagement_model="transactional")
    listed = api.get("/api/v1/partners/", {"flagged": "true", "category": "magnets"}).json()
    assert [p["short_name"] for p in listed["results"]] == ["Neo"]


def test_transition_and_engagement_model_actions(api_for, procurement_manager) -> None:
    partner = PartnerFactory(lifecycle_stage="identified", engagement_model="transactional")
    api = api_for(procurement_manager)
    bad = api.post(
        f"/api/v1/partners/{partner.pk}/transition/", {"to_stage": "exited", "reason": "x"}
    )
    assert bad.status_code == 400
    assert "lessons_learned" in bad.json()
    ok = api.post(
        f"/api/v1/partners/{partner.pk}/transition/", {"to_stage": "assessing", "reason": "Fit"}
    )
    assert ok.json()["lifecycle_stage"] == "assessing"
    playbook = api.post(
        f"/api/v1/partners/{partner.pk}/engagement-model/",
        {"engagement_model": "preferred_supplier"},
    ).json()
    assert playbook["scorecard_template_code"] == "preferred-supplier"
    assert [c["kind"] for c in playbook["cadences"]] == [
        "quarterly_business_review",
        "annual_strategic_review",
    ]


def test_segmentation_via_api_and_rating_out_of_range(api_for, procurement_manager) -> None:
    partner = PartnerFactory()
    api = api_for(procurement_manager)
    bad = api.post(
        "/api/v1/partner-segmentations/",
        {"partner": partner.pk, "ratings": {**all_ratings(3), "market_volatility": 0}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {"ratings.market_volatility": ["Rating must be between 1 and 5."]}
    ok = api.post(
        "/api/v1/partner-segmentations/",
        {"partner": partner.pk, "ratings": all_ratings(5)},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["quadrant"] == "strategic"
    assert ok.json()["recommended_engagement_models"] == [
        "strategic_partnership",
        "joint_venture",
    ]
    detail = api.get(f"/api/v1/partners/{partner.pk}/").json()
    assert detail["recommended_engagement_models"][0] == "strategic_partnership"
    assert SegmentationAssessment.objects.count() == 1


def test_readiness_via_api_with_two_assessors(
    api_for, procurement_manager, alliance_manager
) -> None:
    partner = PartnerFactory()
    created = api_for(procurement_manager).post(
        "/api/v1/partner-readiness/",
        {"partner": partner.pk, "assessed_on": "2026-11-01", "ratings": all_criteria(5)},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["readiness_score"] == "100.00"
    rated = api_for(alliance_manager).post(
        f"/api/v1/partner-readiness/{created.json()['id']}/rate/",
        {"ratings": all_criteria(1)},
        format="json",
    )
    # Mean of 5 and 1 is 3 everywhere: (3-1)/4 = 50.00, conditionally ready.
    assert rated.json()["readiness_score"] == "50.00"
    assert rated.json()["band"] == "conditionally_ready"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gain_share": "50:40"}, "gain_share"),
        ({"ip_share": "abc"}, "ip_share"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"notice_period_days": -5}, "notice_period_days"),
    ],
)
def test_agreement_bad_terms_answer_400(api_for, procurement_manager, overrides, field) -> None:
    partner = PartnerFactory()
    data = {
        "partner": partner.pk,
        "kind": "contract",
        "title": "Cells",
        "start_date": "2026-01-01",
        "end_date": "2027-01-01",
        **overrides,
    }
    response = api_for(procurement_manager).post("/api/v1/partner-agreements/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Agreement.objects.exists()


def test_agreement_round_trips_ratios(api_for, procurement_manager) -> None:
    partner = PartnerFactory()
    api = api_for(procurement_manager)
    created = api.post(
        "/api/v1/partner-agreements/",
        {
            "partner": partner.pk,
            "kind": "joint_venture",
            "title": "JV",
            "start_date": "2026-01-01",
            "end_date": "2036-01-01",
            "ip_share": "60:40",
            "has_exit_clause": True,
            "transition_period_months": 18,
        },
        format="json",
    ).json()
    assert created["ip_share"] == "60:40"
    updated = api.patch(
        f"/api/v1/partner-agreements/{created['id']}/", {"ip_share": ""}, format="json"
    ).json()
    assert updated["ip_share"] == ""


def test_benchmark_premium_and_flag(api_for, procurement_manager) -> None:
    partner = PartnerFactory(engagement_model="transactional")
    api = api_for(procurement_manager)
    response = api.post(
        "/api/v1/partner-benchmarks/",
        {
            "partner": partner.pk,
            "item": "Magnet N52",
            "partner_price": "109",
            "market_price": "100",
            "as_of": "2026-10-01",
        },
        format="json",
    )
    assert response.json()["premium_percent"] == "9.00"
    flags = api.get(f"/api/v1/partners/{partner.pk}/").json()["risk_flags"]
    assert [f["code"] for f in flags] == ["unjustified_premium"]
    zero = api.post(
        "/api/v1/partner-benchmarks/",
        {
            "partner": partner.pk,
            "item": "Free",
            "partner_price": "1",
            "market_price": "0",
            "as_of": "2026-10-01",
        },
        format="json",
    )
    assert zero.status_code == 400


def test_playbooks_are_edited_by_administrators_only(
    api_for, administrator, procurement_manager
) -> None:
    url = "/api/v1/partner-playbooks/transactional/"
    assert (
        api_for(procurement_manager).patch(url, {"survey_frequency_months": 6}).status_code == 403
    )
    response = api_for(administrator).patch(
        url,
        {"cadences": [{"kind": "nope", "frequency": "yearly", "duration_minutes": 60}]},
        format="json",
    )
    assert response.status_code == 400
    assert "cadences" in response.json()
    assert api_for(administrator).patch(url, {"survey_frequency_months": 6}).status_code == 200


def test_partner_list_api_keeps_a_constant_number_of_queries(
    api_for, procurement_manager, django_assert_max_num_queries
) -> None:
    for _ in range(20):
        furnish(PartnerFactory(), procurement_manager)
    with django_assert_max_num_queries(6):
        assert api_for(procurement_manager).get("/api/v1/partners/").status_code == 200


def test_openapi_schema_generates_without_warnings(tmp_path) -> None:
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))
    text = (tmp_path / "s.yml").read_text()
    for path in (
        "/api/v1/partner-agreements/",
        "/api/v1/partners/import/",
        "/api/v1/partner-readiness/{id}/rate/",
    ):
        assert path in text

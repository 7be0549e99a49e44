"""The scorecards REST API: preview, scoping, bulk submit, disputes, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.roles import SYSTEM
from scorecards.models import Measurement
from scorecards.services.periods import period_close
from tests.scorecards.factories import (
    DEFAULT_PERSPECTIVES,
    HAND_VALUES,
    default_template,
    enter_values,
    kpis_by_code,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v1/scorecards/preview/"


def _preview_body(values: dict[str, Decimal | None]) -> dict:
    return {
        "perspectives": [
            {
                "code": p["code"],
                "weight": p["weight"],
                "kpis": [
                    {
                        **{f: k[f] for f in ("code", "direction", "target", "threshold", "weight")},
                        "value": None if values.get(k["code"]) is None else str(values[k["code"]]),
                    }
                    for k in p["kpis"]
                ],
            }
            for p in DEFAULT_PERSPECTIVES
        ]
    }


def test_preview_from_the_issue(api_for, procurement_manager) -> None:
    body = {
        "perspectives": [
            {
                "code": "cost",
                "weight": 30,
                "kpis": [
                    {
                        "code": "ppv",
                        "direction": "lower_is_better",
                        "target": 0,
                        "threshold": 5,
                        "weight": 1,
                        "value": 2.5,
                    }
                ],
            },
            {
                "code": "quality",
                "weight": 70,
                "kpis": [
                    {
                        "code": "ppm",
                        "direction": "lower_is_better",
                        "target": 50,
                        "threshold": 500,
                        "weight": 1,
                        "value": None,
                    }
                ],
            },
        ]
    }
    response = api_for(procurement_manager).post(PREVIEW, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "overall": "50.0",
        "rating": "needs_improvement",
        "coverage": "30.0",
        "provisional": True,
        "perspectives": [
            {"code": "cost", "score": "50.0", "kpis": [{"code": "ppv", "score": "50.0"}]},
            {"code": "quality", "score": None, "kpis": [{"code": "ppm", "score": None}]},
        ],
    }


def test_preview_matches_a_closed_period_for_the_same_inputs(
    api_for, procurement_manager, partner_a
) -> None:
    values = {**HAND_VALUES, "co2": Decimal("13.37")}
    period = enter_values(scorecard_for(partner_a), values)
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    preview = api_for(procurement_manager).post(PREVIEW, _preview_body(values), format="json")
    frozen = period.breakdown
    assert preview.json()["overall"] == frozen["overall"] == "66.8"
    assert preview.json()["rating"] == frozen["rating"]
    assert preview.json()["coverage"] == frozen["coverage"]
    assert preview.json()["perspectives"] == [
        {
            "code": p["code"],
            "score": p["score"],
            "kpis": [{"code": k["code"], "score": k["score"]} for k in p["kpis"]],
        }
        for p in frozen["perspectives"]
    ]
    scores = api_for(procurement_manager).get(f"/api/v1/scorecard-periods/{period.pk}/scores/")
    assert scores.json()["period"]["overall"] == "66.8"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight": 31}, "perspectives"),
        (
            {"kpis": [{"code": "x", "direction": "up", "target": 1, "threshold": 0, "weight": 1}]},
            "perspectives[0].kpis[0].direction",
        ),
        (
            {
                "kpis": [
                    {
                        "code": "x",
                        "direction": "higher_is_better",
                        "target": 1,
                        "threshold": 1,
                        "weight": 1,
                    }
                ]
            },
            "perspectives[0].kpis[0].threshold",
        ),
        (
            {
                "kpis": [
                    {
                        "code": "x",
                        "direction": "higher_is_better",
                        "target": 1,
                        "threshold": 0,
                        "weight": 1,
                        "value": "lots",
                    }
                ]
            },
            "perspectives[0].kpis[0].value",
        ),
    ],
)
def test_preview_bad_input_is_a_400_with_field_errors(
    api_for, procurement_manager, change, field
) -> None:
    body = _preview_body({})
    body["perspectives"][0] = {**body["perspectives"][0], **change}
    response = api_for(procurement_manager).post(PREVIEW, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_preview_without_perspectives_is_a_400(api_for, procurement_manager) -> None:
    response = api_for(procurement_manager).post(PREVIEW, {"x": 1}, format="json")
    assert response.status_code == 400
    assert "perspectives" in response.json()


def test_apply_a_template_by_code_over_the_api(api_for, procurement_manager, partner_a) -> None:
    default_template()
    response = api_for(procurement_manager).post(
        "/api/v1/scorecards/",
        {"partner": partner_a.pk, "template_code": "strategic-balanced"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["partner"] == partner_a.pk


def test_create_a_template_version_over_the_api(api_for, procurement_manager) -> None:
    default_template()
    response = api_for(procurement_manager).post(
        "/api/v1/scorecard-templates/",
        {
            "code": "strategic-balanced",
            "name": "Strategic balanced",
            "perspectives": [
                {
                    **p,
                    "kpis": [
                        {"data_source": "buyer", "aggregation": "mean", "unit": "", **k}
                        for k in p["kpis"]
                    ],
                }
                for p in DEFAULT_PERSPECTIVES
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 2


def test_bulk_submit_is_all_or_nothing(api_for, procurement_manager, partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    client = api_for(procurement_manager)
    bad = client.post(
        "/api/v1/scorecard-measurements/bulk/",
        {
            "period": period.pk,
            "measurements": [
                {"kpi": kpis["ppv"].pk, "value": "1.5"},
                {"kpi": kpis["ppm"].pk, "value": "120", "measured_on": "2020-01-01"},
            ],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "measurements[1].measured_on" in bad.json()
    assert not Measurement.objects.exists()
    good = client.post(
        "/api/v1/scorecard-measurements/bulk/",
        {
            "period": period.pk,
            "measurements": [
                {"kpi": kpis["ppv"].pk, "value": "1.5"},
                {"kpi": kpis["ppm"].pk, "value": "120"},
            ],
        },
        format="json",
    )
    assert good.status_code == 201
    assert Measurement.objects.count() == 2


def test_close_and_reopen_over_the_api(api_for, procurement_manager, partner_a) -> None:
    period = enter_values(scorecard_for(partner_a), HAND_VALUES)
    client = api_for(procurement_manager)
    closed = client.post(f"/api/v1/scorecard-periods/{period.pk}/close/")
    assert closed.json()["overall"] == "69.5"
    assert client.post(f"/api/v1/scorecard-periods/{period.pk}/close/").status_code == 409
    assert client.post(f"/api/v1/scorecard-periods/{period.pk}/reopen/", {}).status_code == 400
    reopened = client.post(f"/api/v1/scorecard-periods/{period.pk}/reopen/", {"reason": "Fix"})
    assert reopened.json()["reopen_count"] == 1


def test_supplier_self_report_then_buyer_accepts(
    api_for, procurement_manager, partner_a, supplier_a
) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    supplier = api_for(supplier_a)
    created = supplier.post(
        "/api/v1/scorecard-measurements/",
        {"period": period.pk, "kpi": kpis["savings-ideas"].pk, "value": "4"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "submitted"
    pk = created.json()["id"]
    assert supplier.post(f"/api/v1/scorecard-measurements/{pk}/accept/").status_code == 403
    accepted = api_for(procurement_manager).post(f"/api/v1/scorecard-measurements/{pk}/accept/")
    assert accepted.json()["status"] == "accepted"


def test_supplier_disputes_and_buyer_corrects(
    api_for, procurement_manager, partner_a, supplier_a
) -> None:
    period = enter_values(scorecard_for(partner_a), HAND_VALUES)
    period_close(actor=SYSTEM, period=period)
    raised = api_for(supplier_a).post(
        "/api/v1/scorecard-disputes/", {"period": period.pk, "reason": "4 patents"}, format="json"
    )
    assert raised.status_code == 201, raised.json()
    resolved = api_for(procurement_manager).post(
        f"/api/v1/scorecard-disputes/{raised.json()['id']}/resolve/",
        {"outcome": "corrected", "explanation": "Confirmed", "corrections": {"patents": "4"}},
        format="json",
    )
    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["overall_after"] == "77.0"


def test_the_schema_generates(api_for, procurement_manager) -> None:
    response = api_for(procurement_manager).get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/scorecards/preview/" in text and "/api/v1/scorecard-periods/" in text

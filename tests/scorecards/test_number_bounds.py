"""Numbers that do not fit what the database stores are refused with a field error (found by
fuzzing the API with schemathesis: they were 500s), never rounded silently."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import FieldErrors
from scorecards.models import Measurement, ScorecardTemplate
from scorecards.services.templates import scorecard_template_create
from tests.scorecards.factories import (
    DEFAULT_PERSPECTIVES,
    kpis_by_code,
    open_period,
    scorecard_for,
)


def _preview(**kpi: object) -> dict[str, object]:
    base = {"code": "k", "direction": "higher_is_better", "target": 1, "threshold": 0}
    return {"perspectives": [{"code": "c", "weight": 100, "kpis": [base | {"weight": 1} | kpi]}]}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (_preview(target="9e999999", value="9e999999"), "target", "digits before the decimal"),
        (_preview(target="1e999999", threshold="-1e999999"), "target", "digits before"),
        (_preview(value="100000000000000"), "value", "Use at most 14 digits"),
        (_preview(value="0.0000001"), "value", "Use at most 6 decimal places."),
        (_preview(weight="1e-999999"), "weight", "Use at most 2 decimal places."),
        (_preview(value="1_000"), "value", "Enter a number."),
        (_preview(target=True), "target", "Enter a number."),
    ],
)
def test_preview_refuses_numbers_it_could_not_store(
    api_for, procurement_manager, body, field, message
):
    response = api_for(procurement_manager).post(reverse("scorecard-preview"), body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[f"perspectives[0].kpis[0].{field}"])


def test_weights_that_sum_to_100_only_after_rounding_are_refused(api_for, procurement_manager):
    body = {
        "perspectives": [
            {"code": "c", "weight": "100.0000000000000000000000000000001", "kpis": []},
        ]
    }
    response = api_for(procurement_manager).post(reverse("scorecard-preview"), body, format="json")
    assert response.status_code == 400
    assert "perspectives[0].weight" in response.json()


@pytest.mark.django_db
def test_a_template_whose_weights_would_be_rounded_on_save_is_refused(procurement_manager):
    # 33.333 + 33.333 + 33.334 = 100, but stored with two places it would sum to 99.99.
    perspectives = [
        {**p, "weight": w}
        for p, w in zip(DEFAULT_PERSPECTIVES[:3], ("33.333", "33.333", "33.334"), strict=True)
    ]
    with pytest.raises(FieldErrors) as raised:
        scorecard_template_create(
            actor=procurement_manager, code="thirds", name="Thirds", perspectives=perspectives
        )
    assert raised.value.errors["perspectives[0].weight"] == ["Use at most 2 decimal places."]
    assert not ScorecardTemplate.objects.filter(code="thirds").exists()


def test_preview_kpis_must_be_a_list(api_for, procurement_manager):
    body = {"perspectives": [{"code": "c", "weight": 100, "kpis": "abc"}]}
    response = api_for(procurement_manager).post(reverse("scorecard-preview"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"perspectives[0].kpis": ["Give a list of KPIs."]}


@pytest.mark.django_db
def test_grid_refuses_a_value_too_large_to_store(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpi = kpis_by_code(scorecard)["ppm"]
    response = client_for(procurement_manager).post(
        reverse("scorecards:grid", args=[period.pk]), {f"kpi-{kpi.pk}": "1e30", "save": "1"}
    )
    assert response.status_code == 200
    assert "Use at most 14 digits before the decimal point." in response.content.decode()
    assert not Measurement.objects.filter(period=period).exists()


@pytest.mark.django_db
def test_import_refuses_a_value_too_large_to_store(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    csv = b"period,kpi,value\n2026-Q2,ppm,140\n2026-Q2,co2,1e30\n"
    response = client_for(procurement_manager).post(
        reverse("scorecards:import", args=[scorecard.pk]),
        {"file": SimpleUploadedFile("m.csv", csv)},
    )
    assert response.status_code == 200
    assert "Use at most 14 digits before the decimal point." in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_the_preview_api_writes_nothing(api_for, procurement_manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(procurement_manager)
    body = _preview(value="0.5")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("scorecard-preview"), body, format="json")
    assert response.status_code == 200 and response.json()["overall"] == "50.0"
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


@pytest.mark.django_db
def test_bulk_errors_use_one_path_format(api_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    body = {
        "period": period.pk,
        "measurements": [
            {"kpi": kpis["ppm"].pk, "value": "140"},
            {"kpi": kpis["co2"].pk, "value": "1e30"},
        ],
    }
    client = api_for(procurement_manager)
    response = client.post(reverse("scorecard-measurement-bulk"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["measurements[1].value"]
    bad_list = client.post(
        reverse("scorecard-measurement-bulk"),
        {"period": period.pk, "measurements": "x"},
        format="json",
    )
    assert bad_list.status_code == 400 and list(bad_list.json()) == ["measurements"]
    assert not Measurement.objects.exists()

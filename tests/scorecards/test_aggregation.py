"""Sub-period values end to end: dated values entered through the service, the API and an
import are aggregated at close by each KPI's aggregation, and the breakdown says how."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import SYSTEM
from scorecards.importing import read_rows
from scorecards.services.imports import measurements_import
from scorecards.services.measurements import measurement_record, measurement_review
from scorecards.services.periods import period_close, periods_close
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.scorecards.factories import manager, open_period

pytestmark = pytest.mark.django_db

# One perspective (weight 100); every KPI scores its value (target 100, threshold 0).
AGGREGATIONS = ("sum", "last", "min", "max", "mean")
PERSPECTIVES = [
    {
        "code": "ops",
        "name": "Operations",
        "weight": 100,
        "kpis": [
            {
                "code": f"k-{how}",
                "name": f"KPI {how}",
                "direction": "higher_is_better",
                "target": 100,
                "threshold": 0,
                "weight": 1,
                "aggregation": how,
                "data_source": "supplier" if how == "sum" else "buyer",
            }
            for how in AGGREGATIONS
        ],
    }
]
# Entered out of date order on purpose: "last" means the latest date, not the latest entry.
DATED = ((date(2026, 6, 30), "20"), (date(2026, 4, 30), "10"), (date(2026, 5, 31), "30"))


def test_close_aggregates_dated_values_per_kpi(
    procurement_manager, partner_a, supplier_a, api_for, client_for
):
    template = scorecard_template_create(
        actor=SYSTEM, code="agg", name="Aggregation", perspectives=PERSPECTIVES
    )
    scorecard = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template=template, today=date(2026, 5, 10)
    )
    period = open_period(scorecard)
    kpis = {k.code: k for k in template.perspectives.get().kpis.all()}
    buyer = manager()
    # last and min through the service
    for day, value in DATED:
        for code in ("k-last", "k-min"):
            measurement_record(
                actor=buyer, period=period, kpi=kpis[code], value=Decimal(value), measured_on=day
            )
    # max through the API's bulk submit
    response = api_for(procurement_manager).post(
        reverse("scorecard-measurement-bulk"),
        {
            "period": period.pk,
            "measurements": [
                {"kpi": kpis["k-max"].pk, "value": value, "measured_on": day.isoformat()}
                for day, value in DATED
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    # mean through an import
    csv = "period,kpi,value,measured_on\n" + "".join(
        f"2026-Q2,k-mean,{value},{day.isoformat()}\n" for day, value in DATED
    )
    rows = read_rows(SimpleUploadedFile("m.csv", csv.encode()), "m.csv")
    assert measurements_import(actor=buyer, scorecard=scorecard, rows=rows) == 3
    # sum from supplier self-reports: three accepted, one still awaiting acceptance
    for day, value in (*DATED, (date(2026, 6, 1), "1000")):
        report = measurement_record(
            actor=supplier_a,
            period=period,
            kpi=kpis["k-sum"],
            value=Decimal(value),
            measured_on=day,
        )
        if value != "1000":
            measurement_review(actor=buyer, measurement=report, accept=True)

    closed = period_close(actor=SYSTEM, period=period)

    got = {
        k["code"]: (k["value"], k["values_count"], k["score"])
        for k in closed.breakdown["perspectives"][0]["kpis"]
    }
    # 10, 30, 20 by date: sum 60, last 20, min 10, max 30, mean 20 (the pending 1000 not counted)
    assert got == {
        "k-sum": ("60", 3, "60.0"),
        "k-last": ("20", 3, "20.0"),
        "k-min": ("10", 3, "10.0"),
        "k-max": ("30", 3, "30.0"),
        "k-mean": ("20", 3, "20.0"),
    }
    # (60 + 20 + 10 + 30 + 20) / 5 = 28
    assert closed.breakdown["overall"] == "28.0"
    page = (
        client_for(procurement_manager)
        .get(reverse("scorecards:detail", args=[scorecard.pk]))
        .content.decode()
    )
    for how in ("sum", "last", "min", "max", "mean"):
        assert f"{how} of 3 values" in page


def test_the_grid_says_which_other_values_the_close_combines(
    client_for, procurement_manager, partner_a
):
    template = scorecard_template_create(
        actor=SYSTEM, code="agg", name="Aggregation", perspectives=PERSPECTIVES
    )
    scorecard = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template=template, today=date(2026, 5, 10)
    )
    period = open_period(scorecard)
    kpi = template.perspectives.get().kpis.get(code="k-last")
    for day, value in DATED[1:]:
        measurement_record(
            actor=manager(), period=period, kpi=kpi, value=Decimal(value), measured_on=day
        )
    page = client_for(procurement_manager).get(reverse("scorecards:grid", args=[period.pk]))
    text = page.content.decode()
    assert 'data-testid="others-k-last">2 more values' in text and "<strong>last</strong>" in text
    assert 'data-testid="others-k-min"' not in text


def _wide_template(kpis_per_perspective: int):
    perspectives = [
        {
            "code": code,
            "name": code.title(),
            "weight": weight,
            "kpis": [
                {
                    "code": f"{code}-{i}",
                    "name": f"{code} {i}",
                    "direction": "higher_is_better",
                    "target": 100,
                    "threshold": 0,
                    "weight": 1,
                    "aggregation": "mean",
                }
                for i in range(kpis_per_perspective)
            ],
        }
        for code, weight in (
            ("cost", 30),
            ("innovation", 30),
            ("quality", 20),
            ("sustainability", 20),
        )
    ]
    return scorecard_template_create(
        actor=SYSTEM, code=f"wide-{kpis_per_perspective}", name="Wide", perspectives=perspectives
    )


@pytest.mark.parametrize("kpis_per_perspective", [1, 12])
def test_closing_costs_the_same_queries_for_4_or_48_kpis_with_dated_values(
    kpis_per_perspective, partner_a, django_assert_max_num_queries
):
    template = _wide_template(kpis_per_perspective)
    scorecard = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template=template, today=date(2026, 5, 10)
    )
    period = open_period(scorecard)
    buyer = manager()
    for perspective in template.perspectives.all():
        for kpi in perspective.kpis.all():
            for day, value in DATED:
                measurement_record(
                    actor=buyer, period=period, kpi=kpi, value=Decimal(value), measured_on=day
                )
    # 10: the close plus its outbox job refreshing the at-risk verdicts (one row).
    with django_assert_max_num_queries(10):
        closed = periods_close(actor=SYSTEM, period_ids=[period.pk])
    # Every KPI's mean is (10 + 30 + 20) / 3 = 20, so every score and the overall are 20.
    assert closed[0].breakdown["overall"] == "20.0"
    assert closed[0].breakdown["coverage"] == "100.0"

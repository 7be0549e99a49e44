"""Scorecard export (SPEC 7): the explained breakdown as CSV/XLSX from the page and the API,
safe against spreadsheet formula injection, scoped like the scorecard itself."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import SYSTEM
from scorecards.services.periods import period_close
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.scorecards.factories import DEFAULT_PERSPECTIVES, HAND_VALUES, enter_values

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


def _closed_scorecard(partner):
    perspectives = [
        {
            **p,
            "kpis": [{**k, "name": EVIL} if k["code"] == "ppm" else k for k in p["kpis"]],
        }
        for p in DEFAULT_PERSPECTIVES
    ]
    template = scorecard_template_create(
        actor=SYSTEM, code="export", name="Export", perspectives=perspectives
    )
    scorecard = scorecard_apply_template(
        actor=SYSTEM, partner=partner, template=template, today=date(2026, 5, 10)
    )
    period = period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    return scorecard, period


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_has_every_kpi_with_the_frozen_numbers(
    client_for, procurement_manager, partner_a
):
    scorecard, period = _closed_scorecard(partner_a)
    response = client_for(procurement_manager).get(
        reverse("scorecards:export", args=[scorecard.pk, "csv"]), {"period": period.pk}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="scorecard-')
    rows = _csv(response)
    assert len(rows) == 5  # one per KPI
    ppv = next(r for r in rows if r["kpi_code"] == "ppv")
    assert (ppv["overall"], ppv["rating"], ppv["template_version"]) == (
        "69.5",
        "needs_improvement",
        "1",
    )
    assert (ppv["value"], ppv["target"], ppv["threshold"], ppv["kpi_score"]) == (
        "2.5",
        "0",
        "5",
        "50.0",
    )
    assert (ppv["perspective"], ppv["perspective_weight"], ppv["perspective_score"]) == (
        "Cost",
        "30",
        "50.0",
    )
    ppm = next(r for r in rows if r["kpi_code"] == "ppm")
    assert ppm["kpi"] == "'" + EVIL  # quoted: a spreadsheet shows it as text


def test_xlsx_export_keeps_numbers_as_numbers_and_quotes_formulas(
    client_for, procurement_manager, partner_a
):
    scorecard, _ = _closed_scorecard(partner_a)
    response = client_for(procurement_manager).get(
        reverse("scorecards:export", args=[scorecard.pk, "xlsx"])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_code = {r[header.index("kpi_code")]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_code["ppv"]["overall"] == 69.5 and by_code["ppv"]["value"] == 2.5
    assert by_code["ppm"]["kpi"] == "'" + EVIL
    assert Decimal(str(by_code["co2"]["kpi_score"])) == Decimal(80)


def test_api_export_for_the_partner_and_not_for_another(
    api_for, supplier_a, supplier_b, partner_a, procurement_manager
):
    scorecard, _ = _closed_scorecard(partner_a)
    url = reverse("scorecard-export", args=[scorecard.pk])
    own = api_for(supplier_a).get(url, {"file_format": "csv"})
    assert own.status_code == 200 and len(_csv(own)) == 5
    assert api_for(supplier_b).get(url, {"file_format": "csv"}).status_code == 404
    bad = api_for(procurement_manager).get(url, {"file_format": "pdf"})
    assert bad.status_code == 400 and "file_format" in bad.json()


def test_page_export_is_scoped_to_the_users_partner(client_for, supplier_a, supplier_b, partner_a):
    scorecard, _ = _closed_scorecard(partner_a)
    url = reverse("scorecards:export", args=[scorecard.pk, "csv"])
    assert client_for(supplier_a).get(url).status_code == 200
    assert client_for(supplier_b).get(url).status_code == 404
    page = client_for(supplier_a).get(reverse("scorecards:portal-scorecard")).content.decode()
    assert url in page


def test_the_scorecard_list_exports_with_latest_scores(
    client_for, procurement_manager, supplier_a, partner_a, django_assert_max_num_queries
):
    partner_a.short_name = "=SUM(A1)"
    partner_a.save()
    _closed_scorecard(partner_a)
    client = client_for(procurement_manager)
    assert (
        reverse("scorecards:list-export", args=["csv"])
        in client.get(reverse("scorecards:list")).content.decode()
    )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("scorecards:list-export", args=["csv"]))
    [row] = _csv(response)
    assert row["partner"] == "'=SUM(A1)"
    assert (row["latest_period"], row["score"], row["rating"], row["provisional"]) == (
        "2026-Q2",
        "69.5",
        "needs_improvement",
        "no",
    )
    xlsx = client.get(reverse("scorecards:list-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][6] == 69.5
    assert (
        client_for(supplier_a).get(reverse("scorecards:list-export", args=["csv"])).status_code
        == 403
    )

"""Scorecard pages: explained scores, data-entry grid, import, preview, portal, panels."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core import outbox
from core.roles import SYSTEM
from scorecards.models import Dispute, Measurement, Period
from scorecards.services.disputes import dispute_raise
from scorecards.services.measurements import measurement_record
from scorecards.services.periods import period_close
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.factories import PartnerFactory
from tests.scorecards.factories import (
    HAND_VALUES,
    enter_values,
    kpis_by_code,
    manager,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db


def _closed_quarters(partner, n: int):
    scorecard = scorecard_for(partner)
    for _ in range(n):
        period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    return scorecard


def test_the_scorecard_page_explains_every_number(client_for, procurement_manager, partner_a):
    scorecard = _closed_quarters(partner_a, 1)
    text = (
        client_for(procurement_manager)
        .get(reverse("scorecards:detail", args=[scorecard.pk]))
        .content.decode()
    )
    assert "69.5" in text and "Needs improvement" in text
    assert "Purchase price variance" in text and "2.5 %" in text  # value and unit
    assert "<strong>v1</strong>" in text  # template version
    assert "Buyer" in text  # data source


def test_list_and_detail_pages_keep_their_query_count(
    client_for, procurement_manager, django_assert_max_num_queries
):
    client = client_for(procurement_manager)
    cards = [_closed_quarters(PartnerFactory(), 1) for _ in range(2)]
    with django_assert_max_num_queries(20) as few_list:
        assert client.get(reverse("scorecards:list")).status_code == 200
    with django_assert_max_num_queries(20) as few_detail:
        assert client.get(reverse("scorecards:detail", args=[cards[0].pk])).status_code == 200
    for _ in range(8):
        _closed_quarters(PartnerFactory(), 1)
    for _ in range(4):
        period_close(confirm_early=True, actor=SYSTEM, period=enter_values(cards[0], HAND_VALUES))
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        client.get(reverse("scorecards:list"))
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        client.get(reverse("scorecards:detail", args=[cards[0].pk]))


def test_the_partner_page_panel_shows_score_trend_and_perspectives(
    client_for, procurement_manager, partner_a, django_assert_max_num_queries
):
    client = client_for(procurement_manager)
    scorecard = _closed_quarters(partner_a, 1)
    url = reverse("partner-page", args=[partner_a.pk]) + "?tab=scorecards"
    with django_assert_max_num_queries(30) as few:
        text = client.get(url).content.decode()
    assert "69.5" in text and "Sustainability" in text and f"scorecard-trend-{scorecard.pk}" in text
    for _ in range(5):
        period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_executive_dashboard_shows_the_rollups(client_for, executive):
    _closed_quarters(PartnerFactory(engagement_model="joint_venture"), 1)
    outbox.sweep()  # the worker refreshes the partner's stored verdict, which the charts group
    text = client_for(executive).get(reverse("executive-dashboard")).content.decode()
    assert "Portfolio health" in text and "Joint venture" in text and "69.5" in text
    assert "By category" in text and "By executive sponsor" in text


def test_the_grid_validates_inline_and_saves(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    client = client_for(procurement_manager)
    url = reverse("scorecards:grid", args=[period.pk])
    bad = client.post(url, {f"kpi-{kpis['ppv'].pk}": "two"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200
    assert "Enter a number." in bad.content.decode() and "<html" not in bad.content.decode()
    good = client.post(url, {f"kpi-{kpis['ppv'].pk}": "2.5"}, headers={"HX-Request": "true"})
    assert "would score" in good.content.decode()
    assert not Measurement.objects.exists()  # validation only
    saved = client.post(url, {f"kpi-{kpis['ppv'].pk}": "2.5", "save": "1"})
    assert saved.status_code == 302
    assert Measurement.objects.get().value == Decimal("2.5")


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("m.csv", text.encode(), content_type="text/csv")


def test_an_import_with_one_bad_row_writes_nothing(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    client = client_for(procurement_manager)
    url = reverse("scorecards:import", args=[scorecard.pk])
    body = (
        "period,kpi,value,comment\n2026-q2,ppv,2.5,ok\n2026-Q2,nope,3,\n2026-Q2,ppm,lots,\n"
        "2026-Q9,ppm,1,\n2025-Q1,ppm,1,\n"
    )
    response = client.post(url, {"file": _csv(body)})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in text
    assert "<td>3</td><td>kpi</td>" in text and "<td>4</td><td>value</td>" in text
    assert "<td>5</td><td>period</td><td>Use a period like" in text
    assert "<td>6</td><td>period</td><td>This scorecard has no 2025-Q1." in text
    assert not Measurement.objects.exists()
    assert (
        client.post(
            url, {"file": _csv("period,kpi,value\n2026-Q2,ppv,2.5\n2026-Q2,ppm,140\n")}
        ).status_code
        == 302
    )
    assert Measurement.objects.count() == 2


def test_an_xlsx_import_and_a_file_without_columns(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Period", "KPI", "Value", "Measured_on"])
    sheet.append(["2026-Q2", "patents", 3, "2026-05-31"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(procurement_manager)
    url = reverse("scorecards:import", args=[scorecard.pk])
    upload = SimpleUploadedFile("m.xlsx", buffer.getvalue())
    assert client.post(url, {"file": upload}).status_code == 302
    assert Measurement.objects.get().value == Decimal(3)
    missing = client.post(url, {"file": _csv("kpi,value\nppv,1\n")})
    assert "Missing column(s): period." in missing.content.decode()


def test_the_preview_page_scores_as_you_type(client_for, procurement_manager, partner_a):
    scorecard_for(partner_a)
    client = client_for(procurement_manager)
    page = client.get(reverse("scorecards:preview")).content.decode()
    assert "p0-k0-value" in page
    data = {
        "p0-code": "cost",
        "p0-weight": "100",
        "p0-k0-code": "ppv",
        "p0-k0-direction": "lower_is_better",
        "p0-k0-target": "0",
        "p0-k0-threshold": "5",
        "p0-k0-weight": "1",
        "p0-k0-value": "1",
    }
    result = client.post(reverse("scorecards:preview"), data, headers={"HX-Request": "true"})
    assert 'data-testid="preview-overall">80.0<' in result.content.decode()
    bad = client.post(
        reverse("scorecards:preview"), {**data, "p0-weight": "90"}, headers={"HX-Request": "true"}
    )
    assert "sum to 100 (they sum to 90)" in bad.content.decode()


def test_buyer_actions_close_review_resolve_reopen(
    client_for, procurement_manager, partner_a, supplier_a
):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    report = measurement_record(
        actor=supplier_a,
        period=period,
        kpi=kpis_by_code(scorecard)["savings-ideas"],
        value=Decimal(5),
    )
    client = client_for(procurement_manager)
    client.post(reverse("scorecards:measurement-review", args=[report.pk]), {"decision": "accept"})
    assert Measurement.objects.get(pk=report.pk).status == "accepted"
    client.post(reverse("scorecards:period-close", args=[period.pk]))
    assert Period.objects.get(pk=period.pk).status == "closed"
    dispute = dispute_raise(actor=supplier_a, period=period, reason="Ideas were 10")
    client.post(
        reverse("scorecards:dispute-resolve", args=[dispute.pk]),
        {"outcome": "corrected", "explanation": "Confirmed", "correct-savings-ideas": "10"},
    )
    assert Dispute.objects.get().status == "corrected"
    client.post(reverse("scorecards:period-reopen", args=[period.pk]), {"reason": "Audit"})
    assert Period.objects.get(pk=period.pk).reopen_count == 1


def test_the_supplier_sees_their_scorecard_reports_and_disputes(client_for, supplier_a, partner_a):
    scorecard = _closed_quarters(partner_a, 1)
    client = client_for(supplier_a)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Your scorecard" in home and "69.5" in home
    page = client.get(reverse("scorecards:portal-scorecard")).content.decode()
    assert "Purchase price variance" in page and "Dispute the 2026-Q2 score" in page
    current = open_period(scorecard)
    ideas = kpis_by_code(scorecard)["savings-ideas"]
    evidence = SimpleUploadedFile("log.pdf", b"%PDF-1.4 ideas", content_type="application/pdf")
    response = client.post(
        reverse("scorecards:portal-self-report", args=[current.pk]),
        {"kpi": ideas.pk, "value": "7", "comment": "Q3 ideas", "evidence": evidence},
    )
    assert response.status_code == 302
    report = Measurement.objects.get(source="supplier")
    assert report.status == "submitted" and report.evidence
    download = client.get(reverse("scorecards:evidence", args=[report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 ideas"
    closed = scorecard.periods.get(status="closed")
    client.post(reverse("scorecards:portal-dispute", args=[closed.pk]), {"reason": "Wrong PPV"})
    assert Dispute.objects.get().raised_by == supplier_a
    assert "Wrong PPV" in client.get(reverse("scorecards:portal-scorecard")).content.decode()


def test_a_bad_self_report_rerenders_with_errors(client_for, supplier_a, partner_a):
    scorecard = scorecard_for(partner_a)
    client = client_for(supplier_a)
    response = client.post(
        reverse("scorecards:portal-self-report", args=[open_period(scorecard).pk]),
        {"kpi": kpis_by_code(scorecard)["savings-ideas"].pk, "value": "x"},
    )
    assert response.status_code == 200 and "Enter a number." in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_breakdown_shows_change_and_rolling_average_per_kpi(
    client_for, procurement_manager, partner_a
):
    scorecard = scorecard_for(partner_a)
    period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    period_close(
        confirm_early=True,
        actor=SYSTEM,
        period=enter_values(scorecard, {**HAND_VALUES, "patents": Decimal(4)}),
    )
    text = client_for(procurement_manager).get(reverse("scorecards:detail", args=[scorecard.pk]))
    html = text.content.decode()
    # patents 75 → 100: change 25.0, average 87.5; overall 69.5 → 77.0: change 7.5, average 73.3
    assert "<td>25.0</td><td>87.5</td>" in html
    assert "Change 7.5 · 4-period average 73.3" in html


def test_the_portal_page_keeps_its_query_count(
    client_for, supplier_a, partner_a, django_assert_max_num_queries
):
    scorecard = _closed_quarters(partner_a, 1)
    client = client_for(supplier_a)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse("scorecards:portal-scorecard")).status_code == 200
    for _ in range(4):
        period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("scorecards:portal-scorecard"))


def test_pages_show_the_score_rounded_once_from_the_exact_value(
    client_for, procurement_manager, api_for, partner_a
):
    template = scorecard_template_create(
        actor=SYSTEM,
        code="edge",
        name="Edge",
        perspectives=[
            {"code": "quality", "weight": 100, "kpis": [
                {"code": "fpy", "direction": "higher_is_better", "target": 100,
                 "threshold": 0, "weight": 1},
            ]},
        ],
    )  # fmt: skip
    scorecard = scorecard_apply_template(actor=SYSTEM, partner=partner_a, template=template)
    period = open_period(scorecard)
    kpi = kpis_by_code(scorecard)["fpy"]
    measurement_record(actor=manager(), period=period, kpi=kpi, value=Decimal("84.94996"))
    period_close(confirm_early=True, actor=SYSTEM, period=period)
    # Stored to four places this is 84.9500; shown it must stay 84.9 (good), not 85.0.
    listing = client_for(procurement_manager).get(reverse("scorecards:list")).content.decode()
    assert "84.9" in listing and "85.0" not in listing and "Good" in listing
    api = api_for(procurement_manager).get(f"/api/v1/scorecard-periods/{period.pk}/")
    assert api.json()["overall"] == "84.9" and api.json()["rating"] == "good"


def test_the_templates_page_lists_versions_in_constant_queries(
    client_for, procurement_manager, supplier_a, django_assert_max_num_queries
):
    from tests.scorecards.factories import DEFAULT_PERSPECTIVES, default_template

    default_template()
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(12) as few:
        text = client.get(reverse("scorecards:templates")).content.decode()
    assert "strategic-balanced" in text and "Purchase price variance" in text
    for code in ("a", "b", "c"):
        scorecard_template_create(
            actor=SYSTEM, code=code, name=code, perspectives=DEFAULT_PERSPECTIVES
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("scorecards:templates"))
    assert client_for(supplier_a).get(reverse("scorecards:templates")).status_code == 403

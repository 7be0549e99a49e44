"""Issue 12: pages whose cost does not grow with the portfolio, set-based writes, and writes
that refresh only what they change. Real PostgreSQL throughout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core import bulk, pagination
from core.models import AuditEvent
from core.roles import SYSTEM
from partners.matrix import kraljic_bubbles
from partners.models import Partner
from partners.services import records, segmentation
from tests.factories import AnnualSpendFactory, CategoryFactory, PartnerFactory
from tests.partners.factories import all_ratings
from tests.scorecards.factories import scorecard_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [3, bulk.COPY_FROM + 5])
def test_bulk_update_values_writes_what_bulk_update_would(n: int) -> None:
    """Both paths (VALUES for a few rows, COPY into a temporary table for many) write every
    field of every row, JSON, integers and NULLs alike, and leave other rows alone."""
    partners = [PartnerFactory() for _ in range(n)]
    bystander = PartnerFactory()
    for i, partner in enumerate(partners):
        partner.risk_flags = [{"code": f"c{i}", "severity": "high", "message": f"m {i}"}]
        partner.flag_count = i
        partner.annual_revenue = None if i % 2 else Decimal(i)
    assert bulk.bulk_update_values(partners, ["risk_flags", "flag_count", "annual_revenue"]) == n
    stored = {p.pk: p for p in Partner.objects.filter(pk__in=[p.pk for p in partners])}
    for i, partner in enumerate(partners):
        row = stored[partner.pk]
        assert row.risk_flags == [{"code": f"c{i}", "severity": "high", "message": f"m {i}"}]
        assert row.flag_count == i
        assert row.annual_revenue == (None if i % 2 else Decimal(i))
    bystander.refresh_from_db()
    assert bystander.flag_count == 0


def test_bulk_insert_copy_inserts_with_defaults_and_skips_conflicts() -> None:
    events = [
        AuditEvent(actor_label="bench", action="x", object_type="t", object_id=str(i))
        for i in range(bulk.COPY_FROM + 1)
    ]
    assert bulk.bulk_insert_copy(events) == bulk.COPY_FROM + 1
    stored = AuditEvent.objects.filter(action="x")
    assert stored.count() == bulk.COPY_FROM + 1
    assert all(e.at is not None for e in stored)  # auto_now_add applied


def test_a_spend_edit_refreshes_the_flags_of_its_category_only() -> None:
    """Spend shares move within a category: partners of another category are not rewritten."""
    cells, glass = CategoryFactory(code="cells"), CategoryFactory(code="glass")
    a, b, other = PartnerFactory(), PartnerFactory(), PartnerFactory()
    AnnualSpendFactory(partner=a, category=cells, amount=Decimal(500))
    AnnualSpendFactory(partner=b, category=cells, amount=Decimal(500))
    AnnualSpendFactory(partner=other, category=glass, amount=Decimal(100))
    # A marker no refresh would write: it survives unless the partner is refreshed.
    Partner.objects.update(risk_flags=[{"code": "marker", "severity": "low", "message": "m"}])
    records.spend_record(actor=SYSTEM, partner=a, year=2026, category=cells, amount=Decimal(9500))
    flags = {p.pk: p.risk_flags for p in Partner.objects.all()}
    assert "spend_concentration" in [f["code"] for f in flags[a.pk]]
    assert "marker" not in [f["code"] for f in flags[b.pk]]  # b's share fell: refreshed
    assert [f["code"] for f in flags[other.pk]] == ["marker"]  # another category: untouched


def test_the_matrix_is_aggregated_per_cell_in_constant_queries(
    client_for, procurement_manager, django_assert_max_num_queries
) -> None:
    def segmented(count: int, rating: int) -> None:
        for _ in range(count):
            partner = PartnerFactory()
            segmentation.segmentation_assess(
                actor=procurement_manager, partner=partner, ratings=all_ratings(rating)
            )

    segmented(1, 2)
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("partners:matrix"))
    segmented(60, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("partners:matrix"))
    bubbles = kraljic_bubbles(procurement_manager)
    assert [b["count"] for b in bubbles] == [60, 1]
    assert bubbles[0]["label"] == "60 partners" and bubbles[0]["id"] is None
    assert bubbles[1]["id"] is not None  # a partner alone keeps its bubble and name
    body = response.content.decode()
    assert "Page 1 of 2 (61 partners)" in body


def test_the_scorecard_list_is_paged_in_the_same_queries(
    client_for, procurement_manager, django_assert_max_num_queries
) -> None:
    scorecard_for(PartnerFactory(short_name="Aaa first"))
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("scorecards:list"))
    for n in range(55):
        scorecard_for(PartnerFactory(short_name=f"Partner {n:02}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("scorecards:list")).content.decode()
    assert "Aaa first" in body and "Partner 48" in body and "Partner 49" not in body
    assert "Page 1 of 2 (56 scorecards)" in body


def test_api_counts_stop_at_the_cap_and_pages_go_on(
    api_for, procurement_manager, monkeypatch
) -> None:
    """Past the cap the API says so instead of counting every row, and still pages on."""
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    for n in range(55):
        PartnerFactory(short_name=f"P{n:02}")
    api = api_for(procurement_manager)
    first = api.get("/api/v1/partners/").json()
    assert first["count"] == 10 and first["count_capped"] is True
    assert len(first["results"]) == 50 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert api.get("/api/v1/partners/?page=3").status_code == 404
    monkeypatch.setattr(pagination, "COUNT_CAP", 10_000)
    exact = api.get("/api/v1/partners/").json()
    assert exact["count"] == 55 and "count_capped" not in exact

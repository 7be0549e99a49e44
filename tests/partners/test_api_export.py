"""GET /api/v1/partners/export/?format=csv|xlsx: the API list's filters, formula-safe."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import CategoryFactory, PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/partners/export/"


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_uses_the_list_filters_search_and_ordering(api_for, procurement_manager):
    magnets = CategoryFactory(code="magnets")
    a = PartnerFactory(short_name="Zeta", engagement_model="strategic_partnership")
    a.categories.add(magnets)
    b = PartnerFactory(short_name="Alpha", engagement_model="strategic_partnership")
    b.categories.add(magnets)
    PartnerFactory(short_name="Beta", engagement_model="transactional")
    api = api_for(procurement_manager)
    response = api.get(
        URL, {"format": "csv", "engagement_model": "strategic_partnership", "category": "magnets"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="partners.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][:3] == ["legal_name", "short_name", "country"]
    assert [r[1] for r in rows[1:]] == ["Alpha", "Zeta"]
    searched = _rows(api.get(URL, {"format": "csv", "search": "zet"}))
    assert [r[1] for r in searched[1:]] == ["Zeta"]
    ordered = _rows(api.get(URL, {"format": "csv", "ordering": "-short_name"}))
    assert [r[1] for r in ordered[1:]] == ["Zeta", "Beta", "Alpha"]


def test_export_cells_that_look_like_formulas_are_quoted(api_for, procurement_manager) -> None:
    PartnerFactory(short_name='=HYPERLINK("http://evil")', legal_name="@SUM(A1) Ltd", tags=["+1"])
    api = api_for(procurement_manager)
    [_, row] = _rows(api.get(URL, {"format": "csv"}))
    assert row[0] == "'@SUM(A1) Ltd"
    assert row[1].startswith("'=HYPERLINK")
    assert row[9] == "'+1"
    response = api.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'@SUM(A1) Ltd"
    assert sheet["A2"].data_type == "s"


def test_export_keeps_its_query_count_and_is_internal(
    api_for, procurement_manager, supplier_a, django_assert_max_num_queries
) -> None:
    api = api_for(procurement_manager)
    PartnerFactory.create_batch(2)
    with django_assert_max_num_queries(8) as few:
        api.get(URL, {"format": "csv"})
    PartnerFactory.create_batch(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_rows(api.get(URL, {"format": "csv"}))) > 15
    assert api_for(supplier_a).get(URL, {"format": "csv"}).status_code == 403
    assert api.get(URL, {"format": "pdf"}).status_code == 404


def test_export_is_in_the_openapi_schema(api_for, procurement_manager) -> None:
    schema = api_for(procurement_manager).get("/api/schema/", {"format": "json"}).json()
    content = schema["paths"]["/api/v1/partners/export/"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in content

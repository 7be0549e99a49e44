"""Import validates every row first and writes nothing if any row is wrong."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.urls import reverse

from core.errors import PermissionDeniedError
from core.locks import try_advisory_xact_lock
from partners.models import AnnualSpend, Partner
from partners.services.imports import BUSY_MESSAGE, partner_import
from tests.factories import CategoryFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "legal_name,short_name,country,engagement_model,owner,categories,"
    "spend_year,spend_category,spend_amount\n"
)


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("partners.csv", (HEADER + text).encode(), "text/csv")


@pytest.fixture
def categories(db) -> None:
    CategoryFactory(code="magnets")
    CategoryFactory(code="castings")


def test_a_good_csv_imports_partners_and_spend(procurement_manager, categories) -> None:
    upload = _csv(
        'Neo Magnets Oy,Neo,fi,preferred_supplier,pm,magnets,2025,magnets,"1,200,000"\n'
        "Neo Magnets Oy,,,,,,2026,magnets,1500000\n"
        "Cast Works AG,Cast,CH,transactional,,castings,2026,castings,800000\n"
    )
    result = partner_import(actor=procurement_manager, upload=upload)
    assert result.errors == []
    assert (result.created, result.spend) == (2, 3)
    neo = Partner.objects.get(short_name="Neo")
    assert neo.country == "FI" and neo.owner == procurement_manager
    assert sorted(neo.spend.values_list("year", "amount")) == [(2025, 1200000), (2026, 1500000)]


def test_a_bad_row_writes_nothing_and_names_row_and_column(procurement_manager, categories) -> None:
    existing = PartnerFactory(legal_name="Old Partner GmbH", short_name="Old")
    upload = _csv(
        "Neo Magnets Oy,Neo,FI,preferred_supplier,,magnets,2026,magnets,100\n"
        "Old Partner GmbH,Old Renamed,DE,,,,2026,magnets,100\n"
        "Bad Row Ltd,Bad,GBR,sideways,ghost,unknown,2026,magnets,-5\n"
    )
    result = partner_import(actor=procurement_manager, upload=upload)
    errors = {(e.row, e.column) for e in result.errors}
    assert {
        (4, "country"),
        (4, "engagement_model"),
        (4, "owner"),
        (4, "categories"),
        (4, "spend_amount"),
    } <= errors
    assert all(e.row == 4 for e in result.errors)
    assert not Partner.objects.filter(short_name="Neo").exists()
    existing.refresh_from_db()
    assert existing.short_name == "Old"
    assert not AnnualSpend.objects.exists()


def test_duplicate_spend_lines_and_partial_spend_columns_are_errors(
    procurement_manager, categories
) -> None:
    upload = _csv(
        "Neo Magnets Oy,Neo,FI,,,,2026,magnets,100\n"
        "Neo Magnets Oy,,,,,,2026,magnets,200\n"
        "Neo Magnets Oy,,,,,,2026,,200\n"
    )
    result = partner_import(actor=procurement_manager, upload=upload)
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "spend_amount"),
        (4, "spend_category"),
    }
    assert "row 2" in result.errors[0].message
    assert not Partner.objects.exists()


def test_an_xlsx_file_imports(procurement_manager, categories) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["legal_name", "short_name", "country", "spend_year", "spend_category", "spend_amount"]
    )
    sheet.append(["Neo Magnets Oy", "Neo", "FI", 2026, "magnets", 1234.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("p.xlsx", buffer.getvalue())
    result = partner_import(actor=procurement_manager, upload=upload)
    assert result.errors == []
    assert AnnualSpend.objects.get().amount == 1234.5


def test_a_decimal_comma_amount_is_read_as_a_decimal(procurement_manager, categories) -> None:
    upload = _csv(
        'Neo Magnets Oy,Neo,FI,,,,2025,magnets,"1234,56"\n'
        'Neo Magnets Oy,,,,,,2026,magnets,"1.234,56"\n'
    )
    result = partner_import(actor=procurement_manager, upload=upload)
    assert result.errors == []
    amounts = sorted(AnnualSpend.objects.values_list("year", "amount"))
    assert amounts == [(2025, Decimal("1234.56")), (2026, Decimal("1234.56"))]


def test_an_ambiguous_amount_is_a_row_error_not_a_guess(procurement_manager, categories) -> None:
    upload = _csv(
        'Neo Magnets Oy,Neo,FI,,,,2026,magnets,"1,234"\n'
        "Cast Works AG,Cast,CH,,,,2026,castings,800000\n"
    )
    result = partner_import(actor=procurement_manager, upload=upload)
    assert [(e.row, e.column) for e in result.errors] == [(2, "spend_amount")]
    assert "ambiguous" in result.errors[0].message
    assert not Partner.objects.exists()
    assert not AnnualSpend.objects.exists()


def test_importing_needs_the_edit_partners_capability(supplier_a, executive) -> None:
    for user in (supplier_a, executive):
        with pytest.raises(PermissionDeniedError):
            partner_import(actor=user, upload=_csv("X Ltd,X,DE,,,,,,\n"))
    assert not Partner.objects.filter(legal_name="X Ltd").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.txt", b"x", "Upload a .csv or .xlsx file."),
        ("p.xlsx", b"not a zip", "not a readable .xlsx"),
        ("p.csv", b"\xff\xfe\x00bad", "not UTF-8"),
        ("p.csv", b"name,country\nX,DE\n", "legal_name column"),
    ],
)
def test_unreadable_files_are_reported_not_raised(
    procurement_manager, name, content, message
) -> None:
    result = partner_import(actor=procurement_manager, upload=SimpleUploadedFile(name, content))
    assert message in str(result.errors[0])


def test_import_page_lists_row_errors(client_for, procurement_manager, categories) -> None:
    upload = _csv("Neo Magnets Oy,Neo,FI,,,,2026,magnets,abc\n")
    response = client_for(procurement_manager).post(reverse("partners:import"), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body
    assert "<td>2</td><td>spend_amount</td>" in body


def test_import_api_answers_400_with_rows(api_for, procurement_manager, categories) -> None:
    api = api_for(procurement_manager)
    bad = api.post(
        "/api/v1/partners/import/", {"file": _csv("X Ltd,X,XX1,,,,,,\n")}, format="multipart"
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "rows": [{"row": 2, "column": "country", "message": "Use a two-letter ISO code, e.g. DE."}]
    }
    good = api.post(
        "/api/v1/partners/import/", {"file": _csv("X Ltd,X,DE,,,,,,\n")}, format="multipart"
    )
    assert good.json() == {"created": 1, "updated": 0, "spend": 0}


@pytest.mark.django_db(transaction=True)
def test_a_second_import_while_one_runs_is_refused_clearly_and_writes_nothing(
    procurement_manager, categories
) -> None:
    """Issue 9: two imports of the same file at once used to end in a unique-name violation
    (a 500). While one import holds the import lock, another is refused by name; once the
    first has committed, the same file imports."""
    running, finish = threading.Event(), threading.Event()

    def an_import_in_progress() -> None:
        try:
            with transaction.atomic():
                assert try_advisory_xact_lock("partners.import")
                running.set()
                finish.wait(30)
        finally:
            connections.close_all()

    other = threading.Thread(target=an_import_in_progress)
    other.start()
    assert running.wait(30)
    row = "Neo Magnets Oy,Neo,fi,preferred_supplier,pm,magnets,2025,magnets,1200\n"
    try:
        refused = partner_import(actor=procurement_manager, upload=_csv(row))
    finally:
        finish.set()
        other.join()
    assert [e.message for e in refused.errors] == [BUSY_MESSAGE]
    assert refused.created == 0 and not Partner.objects.filter(short_name="Neo").exists()
    done = partner_import(actor=procurement_manager, upload=_csv(row))
    assert done.errors == [] and done.created == 1

"""The one importer (issue 12): checks in bulk (the same queries for 10 rows as for 1,000),
names every error by row and column, writes all rows or none, and reads files up to 100,000
rows as a stream."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.importing import MAX_ROWS, import_run, stream_rows, upload_opener
from core.models import AuditEvent, ImportJob, ImportStatus
from core.spreadsheets import SpreadsheetError
from partners.models import AnnualSpend, Partner, SupplierContact
from scorecards.models import Measurement
from tests.factories import CategoryFactory, PartnerFactory, UserFactory
from tests.scorecards.factories import scorecard_for

pytestmark = pytest.mark.django_db

HEADER = "legal_name,short_name,country,owner,categories,spend_year,spend_category,spend_amount\n"


@pytest.fixture
def categories(db) -> None:
    CategoryFactory(code="magnets")
    CategoryFactory(code="castings")


def _partners_csv(rows: int, *, last: str | None = None) -> bytes:
    lines = [
        f"Partner {n // 2:05d} GmbH,P{n // 2},DE,pm,magnets;castings,{2024 + n % 2},"
        f"{'magnets' if n % 4 < 2 else 'castings'},{1000 + n}\n"
        for n in range(rows)
    ]
    if last is not None:
        lines[-1] = last
    return (HEADER + "".join(lines)).encode()


def _run(actor, kind: str, content: bytes, *, write: bool, name: str = "f.csv", params=None):
    upload = SimpleUploadedFile(name, content)
    return import_run(
        actor=actor,
        kind=kind,
        params=params or {},
        name=name,
        open_file=upload_opener(upload),
        write=write,
    )


def test_checking_costs_the_same_queries_for_10_rows_as_for_1000(
    procurement_manager, categories
) -> None:
    PartnerFactory(legal_name="Partner 00001 GmbH", short_name="P1")
    counts = []
    for rows in (10, 1000):
        with CaptureQueriesContext(connection) as queries:
            outcome = _run(procurement_manager, "partners", _partners_csv(rows), write=False)
        assert outcome.errors == []
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not Partner.objects.filter(short_name="P0").exists()  # a check writes nothing


def test_writing_costs_the_same_queries_for_500_rows_as_for_2000(
    procurement_manager, categories
) -> None:
    # A later year on record: both files' spend moves the shares of their categories only.
    older = PartnerFactory(legal_name="Older GmbH", short_name="Older")
    AnnualSpend.objects.create(partner=older, year=2030, category=CategoryFactory(), amount=5)
    counts = []
    # (From a few hundred rows on the bulk helpers switch from one INSERT to COPY.)
    for rows, prefix in ((500, "A"), (2000, "B")):
        content = _partners_csv(rows).replace(b"Partner ", prefix.encode() + b" Partner ")
        with CaptureQueriesContext(connection) as queries:
            outcome = _run(procurement_manager, "partners", content, write=True)
        assert outcome.errors == [] and outcome.written
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Partner.objects.filter(legal_name__startswith="B Partner").count() == 1000
    assert AnnualSpend.objects.filter(partner__legal_name__startswith="B Partner").count() == 2000
    created = AuditEvent.objects.filter(action="partner.create", actor=procurement_manager)
    assert created.count() == 1250
    neo = Partner.objects.get(legal_name="B Partner 00000 GmbH")
    assert sorted(neo.categories.values_list("code", flat=True)) == ["castings", "magnets"]
    assert neo.owner == procurement_manager


def test_an_error_in_the_last_row_writes_nothing_and_names_row_and_column(
    procurement_manager, categories
) -> None:
    content = _partners_csv(1000, last="Last Ltd,Last,DE,pm,magnets,2025,magnets,lots\n")
    outcome = _run(procurement_manager, "partners", content, write=True)
    assert [(e.row, e.column) for e in outcome.errors] == [(1001, "spend_amount")]
    assert not outcome.written
    assert not Partner.objects.exists() and not AnnualSpend.objects.exists()
    assert not AuditEvent.objects.filter(action="partner.create").exists()


def test_every_error_is_named_by_row_and_column(procurement_manager, categories) -> None:
    content = (
        HEADER
        + "Good GmbH,Good,DE,pm,magnets,2025,magnets,10\n"
        + "Bad GmbH,,GERMANY,ghost,steel,1800,magnets,5\n"
        + "Good GmbH,,,,,2025,magnets,11\n"
    ).encode()
    outcome = _run(procurement_manager, "partners", content, write=False)
    assert {(e.row, e.column) for e in outcome.errors} == {
        (3, "short_name"),
        (3, "country"),
        (3, "owner"),
        (3, "categories"),
        (3, "spend_year"),
        (4, "spend_amount"),
    }
    assert "row 2" in next(e.message for e in outcome.errors if e.row == 4)


def test_contacts_are_created_or_updated_by_partner_and_name(procurement_manager) -> None:
    partner = PartnerFactory(legal_name="Alpha Cells AB", short_name="Alpha")
    SupplierContact.objects.create(partner=partner, name="Eva Berg", role="Sales")
    content = (
        b"legal_name,name,role,email,phone\n"
        b"Alpha Cells AB,Eva Berg,Key account,eva@alpha.example,\n"
        b"Alpha Cells AB,Jon Lund,Quality,jon@alpha.example,+46 1\n"
    )
    outcome = _run(procurement_manager, "contacts", content, write=True)
    assert outcome.errors == [] and outcome.counts == {"created": 1, "updated": 1}
    contacts = dict(partner.contacts.values_list("name", "role"))
    assert contacts == {"Eva Berg": "Key account", "Jon Lund": "Quality"}
    bad = _run(
        procurement_manager,
        "contacts",
        b"legal_name,name,email\nNobody AB,X,x@example.com\nAlpha Cells AB,Y,not-an-address\n",
        write=True,
    )
    assert {(e.row, e.column) for e in bad.errors} == {(2, "legal_name"), (3, "email")}
    assert partner.contacts.count() == 2


def test_measurements_import_in_bulk_and_the_last_repeat_counts(
    procurement_manager, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    content = (
        b"period,kpi,value,measured_on,comment\n"
        b"2026-Q2,ppv,2.5,2026-05-10,first\n"
        b"2026-Q2,ppv,3.5,2026-05-10,second\n"
        b"2026-Q2,ppm,140,,\n"
    )
    params = {"scorecard": scorecard.pk}
    outcome = _run(procurement_manager, "measurements", content, write=True, params=params)
    assert outcome.errors == [] and outcome.counts == {"measurements": 2}
    values = {(m.kpi.code, m.comment): m.value for m in Measurement.objects.select_related("kpi")}
    assert values == {("ppv", "second"): 3.5, ("ppm", ""): 140}
    again = _run(
        procurement_manager,
        "measurements",
        b"period,kpi,value,measured_on\n2026-Q2,ppv,4,2026-05-10\n",
        write=True,
        params=params,
    )
    assert again.counts == {"measurements": 1}
    assert Measurement.objects.get(kpi__code="ppv").value == 4  # replaced, not added


def test_a_file_over_100000_rows_is_refused_while_reading_it_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    row = "Partner GmbH with a long enough name to make the file big,P,DE,,,,2026,magnets,100\n"
    with path.open("w") as f:
        f.write(HEADER)
        for _ in range(MAX_ROWS + 1):
            f.write(row)
    assert path.stat().st_size > 8_000_000
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            _header, rows = stream_rows("big.csv", stream)
            read = 0
            with pytest.raises(SpreadsheetError) as refused:
                for _row in rows:
                    read += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == MAX_ROWS  # every allowed row was read; the one over the cap stops it
    assert refused.value.message == "Import at most 100,000 rows at a time."
    assert peak < 2_000_000  # a few buffers, never the 8 MB file


def test_a_file_of_100000_rows_is_accepted_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "cap.csv"
    path.write_text("name,email\n" + "x,x@example.com\n" * MAX_ROWS)
    with path.open("rb") as stream:
        _header, rows = stream_rows("cap.csv", stream)
        assert sum(1 for _ in rows) == MAX_ROWS


def test_the_job_page_polls_while_a_worker_runs_and_shows_the_errors_after(
    client_for, procurement_manager
) -> None:
    """Without a worker: a job row in each state, as the page shows it."""
    job = ImportJob.objects.create(
        kind="partners",
        filename="p.xlsx",
        created_by=procurement_manager,
        status=ImportStatus.CHECKING,
        rows_done=4000,
        rows_total=10000,
        message="checking",
    )
    client = client_for(procurement_manager)
    url = reverse("import-job", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress value="40" max="100"' in page and "4000 of 10000" in page
    job.status, job.error_count, job.rows = ImportStatus.INVALID, 1200, 10000
    job.errors = [[n + 2, "country", "Use a two-letter ISO code, e.g. DE."] for n in range(1000)]
    job.save()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in partial
    assert "Nothing was imported: 1200 errors." in partial
    assert "<td>2</td><td>country</td><td>Use a two-letter ISO code, e.g. DE.</td>" in partial
    assert "200 more errors are not shown." in partial
    errors_csv = client.get(reverse("import-job-errors", args=[job.pk]))
    assert errors_csv.content.decode("utf-8-sig").splitlines()[1].startswith("2,")
    other = UserFactory(username="other-pm", role=procurement_manager.role)
    assert client_for(other).get(url).status_code == 404  # only its uploader sees a job


def test_xlsx_files_are_read_as_a_stream_too(procurement_manager, categories) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["legal_name", "short_name", "country", "spend_year", "spend_category",
                  "spend_amount"])  # fmt: skip
    sheet.append(["Neo Magnets Oy", "Neo", "FI", 2026, "magnets", 1234.5])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = _run(procurement_manager, "partners", buffer.getvalue(), write=True, name="p.xlsx")
    assert outcome.errors == [] and outcome.counts == {"created": 1, "updated": 0, "spend": 1}


def test_the_import_job_api_takes_a_file_and_shows_its_own_jobs(
    api_for, procurement_manager, categories
) -> None:
    api = api_for(procurement_manager)
    upload = SimpleUploadedFile("p.csv", _partners_csv(4))
    created = api.post("/api/v1/import-jobs/", {"kind": "partners", "file": upload})
    assert created.status_code == 202
    job = created.json()
    assert (job["kind"], job["status"], job["filename"]) == ("partners", "queued", "p.csv")
    shown = api.get(f"/api/v1/import-jobs/{job['id']}/").json()
    assert shown["first_errors"] == [] and shown["rows_total"] == 0
    assert api.post(f"/api/v1/import-jobs/{job['id']}/confirm/").status_code == 400  # unchecked
    other = UserFactory(username="other-pm", role=procurement_manager.role)
    assert api_for(other).get(f"/api/v1/import-jobs/{job['id']}/").status_code == 404
    missing = api.post(
        "/api/v1/import-jobs/",
        {"kind": "measurements", "file": SimpleUploadedFile("m.csv", b"period,kpi,value\n")},
    )
    assert missing.status_code == 400 and "scorecard" in missing.json()
    assert not Partner.objects.exists()

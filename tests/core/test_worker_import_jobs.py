"""(Named test_worker_*: the session's real worker starts with the first test that uses it and
then sweeps every outbox row it is woken for, so worker tests run after the outbox tests of
tests/core that sweep by hand.)

A large import through the page and a real worker (issue 12): the upload answers at once,
the worker checks every row while the page polls, the preview shows the counts (or the
errors, and nothing is written), and only the confirmation writes, again through a worker."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob, ImportStatus
from partners.models import AnnualSpend, Partner
from scorecards.models import Measurement
from tests.factories import CategoryFactory
from tests.scorecards.factories import scorecard_for
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

HEADER = "legal_name,short_name,country,spend_year,spend_category,spend_amount\n"


@pytest.fixture
def every_file_is_a_job(settings) -> None:
    settings.SRM_IMPORT_INLINE_MAX_BYTES = 0


def _csv(rows: int, *, last: str | None = None) -> SimpleUploadedFile:
    lines = [f"Job Partner {n:04d} AG,J{n},CH,2026,magnets,{100 + n}\n" for n in range(rows)]
    if last is not None:
        lines[-1] = last
    return SimpleUploadedFile("partners.csv", (HEADER + "".join(lines)).encode(), "text/csv")


def _status(job: ImportJob) -> str:
    job.refresh_from_db()
    return job.status


def test_upload_progress_preview_confirm_through_a_worker(
    celery_worker_process, every_file_is_a_job, client_for, procurement_manager
) -> None:
    CategoryFactory(code="magnets")
    client = client_for(procurement_manager)
    response = client.post(reverse("partners:import"), {"file": _csv(3000)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("import-job", args=[job.pk])
    assert job.file and job.status in (ImportStatus.QUEUED, ImportStatus.CHECKING)
    page = client.get(response.url).content.decode()
    if job.is_running:
        assert 'hx-trigger="every 1s"' in page and "<progress" in page
    assert wait_until(lambda: _status(job) == ImportStatus.READY, timeout=60)
    preview = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in preview
    assert "3000 rows checked: no errors." in preview
    assert "3000 new partner(s), 0 updated, 3000 spend line(s)" in preview
    assert not Partner.objects.exists()  # nothing before the confirmation
    job.refresh_from_db()
    assert job.file.name.endswith(".checked.csv")  # the write reads the checked rows

    confirmed = client.post(reverse("import-job-confirm", args=[job.pk]))
    assert confirmed.status_code == 302
    assert wait_until(lambda: _status(job) == ImportStatus.DONE, timeout=60)
    assert Partner.objects.filter(legal_name__startswith="Job Partner").count() == 3000
    assert AnnualSpend.objects.count() == 3000
    done = client.get(response.url).content.decode()
    assert "Imported: 3000 new partner(s), 0 updated, 3000 spend line(s)." in done
    assert not job.file  # the stored upload is removed once the job is finished
    # A second confirmation writes nothing more.
    assert client.post(reverse("import-job-confirm", args=[job.pk])).status_code == 400
    assert Partner.objects.count() == 3000


def test_a_job_with_an_error_in_its_last_row_shows_it_and_writes_nothing(
    celery_worker_process, every_file_is_a_job, client_for, procurement_manager
) -> None:
    CategoryFactory(code="magnets")
    client = client_for(procurement_manager)
    upload = _csv(3000, last="Last AG,Last,CHE,2026,magnets,10\n")
    response = client.post(reverse("partners:import"), {"file": upload})
    job = ImportJob.objects.get()
    assert wait_until(lambda: _status(job) == ImportStatus.INVALID, timeout=60)
    page = client.get(response.url).content.decode()
    assert "Nothing was imported: 1 error." in page
    assert "<td>3001</td><td>country</td><td>Use a two-letter ISO code, e.g. DE.</td>" in page
    assert "Import now" not in page
    assert client.post(reverse("import-job-confirm", args=[job.pk])).status_code == 400
    assert not Partner.objects.exists()


def test_a_measurement_file_becomes_a_job_of_its_scorecard(
    celery_worker_process, every_file_is_a_job, client_for, procurement_manager, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    client = client_for(procurement_manager)
    body = b"period,kpi,value\n2026-Q2,ppv,2.5\n2026-Q2,ppm,140\n"
    response = client.post(
        reverse("scorecards:import", args=[scorecard.pk]),
        {"file": SimpleUploadedFile("m.csv", body)},
    )
    job = ImportJob.objects.get()
    assert job.params == {"scorecard": scorecard.pk}
    assert wait_until(lambda: _status(job) == ImportStatus.READY, timeout=60)
    assert "2 measurement(s)" in client.get(response.url).content.decode()
    client.post(reverse("import-job-confirm", args=[job.pk]))
    assert wait_until(lambda: _status(job) == ImportStatus.DONE, timeout=60)
    assert Measurement.objects.count() == 2
    page = client.get(response.url).content.decode()
    assert reverse("scorecards:detail", args=[scorecard.pk]) in page

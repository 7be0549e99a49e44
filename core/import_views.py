"""The pages of the one importer (core.importing): an app's upload page hands the file to
:func:`import_upload`; a large file becomes a job whose page polls its progress, shows the
preview (counts and the errors by row and column) and takes the confirmation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.htmx import render_page
from core.importing import (
    PHASES,
    ImportOutcome,
    import_job_confirm,
    import_job_start,
    import_run,
    spec_for,
    upload_opener,
)
from core.models import ImportJob, ImportStatus, User
from core.spreadsheets import write_csv

# Files up to this size are checked and written in the request (a few hundred rows, well
# under a second); larger ones become a background job with a progress bar and a preview.
INLINE_MAX_BYTES = 128 * 1024


def _inline_limit() -> int:
    return int(getattr(settings, "SRM_IMPORT_INLINE_MAX_BYTES", INLINE_MAX_BYTES))


def import_upload(
    request: HttpRequest, *, kind: str, params: Mapping[str, Any], upload: UploadedFile[bytes]
) -> ImportOutcome | HttpResponse:
    """Import a small ``upload`` at once (all rows or none: the outcome), or start a job for a
    large one and answer the redirect to its page."""
    user = request.user
    assert isinstance(user, User)
    if upload.size is not None and upload.size <= _inline_limit():
        return import_run(
            actor=user,
            kind=kind,
            params=params,
            name=upload.name or "",
            open_file=upload_opener(upload),
            write=True,
        )
    job = import_job_start(actor=user, kind=kind, params=params, upload=upload)
    target = reverse("import-job", args=[job.pk])
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404(_("No such import."))
    return job


def _context(job: ImportJob) -> dict[str, Any]:
    spec = spec_for(job.kind)
    percent = int(100 * job.rows_done / job.rows_total) if job.rows_total else None
    return {
        "job": job,
        "label": spec.label,
        "phase": PHASES.get(job.message, "") if job.is_running else "",
        "percent": percent,
        "counts": spec.describe(job.counts) if job.counts else "",
        "done_url": spec.done_url(job.params),
        "upload_url": spec.upload_url(job.params),
        "errors": [{"row": r, "column": c, "message": m} for r, c, m in job.errors],
        "more_errors": max(job.error_count - len(job.errors), 0),
        "statuses": ImportStatus,
    }


@login_required
@vary_on_headers("HX-Request")
def import_job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's progress (polled every second while a worker runs it), then its preview
    or outcome."""
    job = _job(request, job_id)
    return render_page(request, "imports/job.html", _context(job), partial="status")


@login_required
@require_POST
def import_job_confirm_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Write a checked job (by a worker): all its rows, or none."""
    job = _job(request, job_id)
    user = request.user
    assert isinstance(user, User)
    import_job_confirm(actor=user, job=job)
    target = reverse("import-job", args=[job.pk])
    if getattr(request, "htmx", False):
        return render_page(request, "imports/job.html", _context(job), partial="status")
    return redirect(target)


@login_required
def import_job_errors(request: HttpRequest, job_id: int) -> HttpResponse:
    """The errors the job kept, as CSV (row, column, message)."""
    job = _job(request, job_id)
    # Formula-safe: a column named "=cmd" in the upload stays text in a spreadsheet program.
    body = write_csv(["row", "column", "message"], job.errors)
    response = HttpResponse(body, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response

"""Scorecard export (SPEC 7): the explained breakdown as CSV or XLSX, written by the shared
spreadsheet writer that quotes text a spreadsheet would run as a formula."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify

from partners.spreadsheets import write_csv, write_xlsx
from scorecards import selectors
from scorecards.models import Scorecard


def scorecard_export_response(
    scorecard: Scorecard, fmt: str, period_id: str | None
) -> HttpResponse:
    """A scorecard's explained breakdown as .csv or .xlsx, safe against formula injection."""
    rows = selectors.scorecard_export_rows(scorecard, period_id)
    name = f"scorecard-{slugify(scorecard.partner.short_name)}-{scorecard.pk}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            write_xlsx("Scorecard", selectors.EXPORT_HEADER, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            write_csv(selectors.EXPORT_HEADER, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

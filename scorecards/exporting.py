"""Scorecard export (SPEC 7): the explained breakdown as CSV or XLSX, written by the shared
spreadsheet writer that quotes text a spreadsheet would run as a formula."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify

from core.spreadsheets import write_csv, write_xlsx
from scorecards import selectors
from scorecards.models import Scorecard


def _spreadsheet(
    fmt: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], name: str
) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(
            write_xlsx(title, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(write_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def scorecard_export_response(
    scorecard: Scorecard, fmt: str, period_id: str | None
) -> HttpResponse:
    """A scorecard's explained breakdown as .csv or .xlsx, safe against formula injection."""
    rows = selectors.scorecard_export_rows(scorecard, period_id)
    name = f"scorecard-{slugify(scorecard.partner.short_name)}-{scorecard.pk}"
    return _spreadsheet(fmt, "Scorecard", selectors.EXPORT_HEADER, rows, name)


LIST_HEADER = [
    "partner",
    "template",
    "template_version",
    "category",
    "frequency",
    "latest_period",
    "score",
    "rating",
    "provisional",
    "self_reports_waiting",
]


def scorecard_list_response(scorecards: Iterable[Any], fmt: str) -> HttpResponse:
    """The scorecard list as the list page shows it (latest closed score per scorecard)."""
    rows = [
        [
            s.partner.short_name,
            s.template.name,
            s.template.version,
            s.category.name if s.category_id else "",
            s.frequency,
            s.latest_label or "",
            Decimal(s.latest_overall) if s.latest_overall else None,
            s.latest_rating or "",
            "yes" if s.latest_provisional else ("no" if s.latest_label else ""),
            s.pending_reports,
        ]
        for s in scorecards
    ]
    return _spreadsheet(fmt, "Scorecards", LIST_HEADER, rows, "scorecards")

"""Scorecard exports (SPEC 7): the explained breakdown and the scorecard list as CSV or XLSX,
written by the shared spreadsheet writer that quotes text a spreadsheet would run as a
formula. Numbers are Decimals, so spreadsheets get numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify

from core.spreadsheets import write_csv, write_xlsx
from scorecards.models import Period, Scorecard


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


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None or text == "" else Decimal(text)


EXPORT_HEADER = [
    "partner",
    "template",
    "template_version",
    "period",
    "status",
    "overall",
    "rating",
    "coverage",
    "provisional",
    "perspective",
    "perspective_weight",
    "perspective_score",
    "kpi_code",
    "kpi",
    "unit",
    "direction",
    "target",
    "threshold",
    "kpi_weight",
    "data_source",
    "aggregation",
    "values_count",
    "value",
    "kpi_score",
]


def scorecard_export_rows(scorecard: Scorecard, periods: Iterable[Period]) -> list[list[Any]]:
    """The explained breakdown of the given scored periods, one row per KPI, as frozen at
    close: the same numbers and template version the scorecard page shows."""
    rows: list[list[Any]] = []
    for period in periods:
        b = period.score_breakdown
        if b is None:
            continue
        head = [
            scorecard.partner.short_name,
            b.template_name,
            b.template_version,
            period.label,
            period.status,
            _decimal(b.overall),
            b.rating or "",
            _decimal(b.coverage),
            "yes" if b.provisional else "no",
        ]
        for p in b.perspectives:
            for k in p.kpis:
                rows.append(
                    [
                        *head,
                        p.name,
                        _decimal(p.weight),
                        _decimal(p.score),
                        k.code,
                        k.name,
                        k.unit,
                        k.direction,
                        _decimal(k.target),
                        _decimal(k.threshold),
                        _decimal(k.weight),
                        k.source,
                        k.aggregation,
                        k.values_count,
                        _decimal(k.value),
                        _decimal(k.score),
                    ]
                )
    return rows


def scorecard_export_response(
    scorecard: Scorecard, fmt: str, period_id: str | None
) -> HttpResponse:
    """A scorecard's explained breakdown, every scored period or the one named, as .csv or
    .xlsx, safe against formula injection."""
    periods = scorecard.periods.exclude(breakdown={}).order_by("start")
    if period_id is not None:
        periods = periods.filter(pk=int(period_id) if period_id.isdigit() else 0)
    rows = scorecard_export_rows(scorecard, periods)
    name = f"scorecard-{slugify(scorecard.partner.short_name)}-{scorecard.pk}"
    return _spreadsheet(fmt, "Scorecard", EXPORT_HEADER, rows, name)


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


def scorecard_list_response(scorecards: Iterable[Scorecard], fmt: str) -> HttpResponse:
    """The scorecard list as the list page shows it: each scorecard's latest score
    (scorecards.latest_scores), from the ``latest_*`` annotations of selectors.scorecard_list."""
    rows = [
        [
            s.partner.short_name,
            s.template.name,
            s.template.version,
            s.category.name if s.category is not None else "",
            s.frequency,
            getattr(s, "latest_label", None) or "",
            _decimal(getattr(s, "latest_overall", None)),
            getattr(s, "latest_rating", None) or "",
            (
                "yes"
                if getattr(s, "latest_provisional", None)
                else ("no" if getattr(s, "latest_label", None) else "")
            ),
            getattr(s, "pending_reports", 0),
        ]
        for s in scorecards
    ]
    return _spreadsheet(fmt, "Scorecards", LIST_HEADER, rows, "scorecards")

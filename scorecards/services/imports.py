"""Importing buyer measurements from a spreadsheet (read by scorecards.importing): every row
is checked first, then all of them are written in one transaction, or none when any row has
an error."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import FieldErrors, PermissionDeniedError
from core.locks import try_advisory_xact_lock
from core.models import Actor
from core.numbers import NumberFormatError
from core.roles import Capability, require
from scorecards.importing import ImportIssue
from scorecards.kpi_values import kpi_value_from_text
from scorecards.models import KpiDefinition, Period, PeriodStatus, Scorecard
from scorecards.periods import period_containing, period_from_label
from scorecards.services.measurements import measurement_record


class MeasurementImportError(FieldErrors):
    """An import with errors; ``issues`` lists them by row and column. Nothing was written."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        self.issues = list(issues)
        super().__init__(
            {f"row {i.row}, {i.column}": [i.message] for i in self.issues} or {"file": ["?"]}
        )


type _Parsed = tuple[Period, KpiDefinition, Decimal, date | None, str]


def _row(
    number: int,
    row: Mapping[str, str],
    scorecard: Scorecard,
    periods: Mapping[date, Period],
    kpis: Mapping[str, KpiDefinition],
    issues: list[ImportIssue],
) -> _Parsed | None:
    """One row checked: its issues added to ``issues``, its values when it names a period and
    a KPI of the scorecard."""
    calendar_period = period_from_label(row.get("period", ""), scorecard.frequency)
    period = periods.get(calendar_period.start) if calendar_period else None
    if calendar_period is None:
        example = period_containing(timezone.localdate(), scorecard.frequency).label
        issues.append(ImportIssue(number, "period", f"Use a period like {example}."))
    elif period is None:
        issues.append(
            ImportIssue(number, "period", f"This scorecard has no {calendar_period.label}.")
        )
    elif period.status != PeriodStatus.OPEN:
        issues.append(ImportIssue(number, "period", f"Period {period.label} is closed."))
    kpi = kpis.get(row.get("kpi", ""))
    if kpi is None:
        issues.append(ImportIssue(number, "kpi", f'No KPI with code "{row.get("kpi")}".'))
    try:
        # No decimal mark is assumed: "1,234" could be read two ways and is refused.
        value = kpi_value_from_text(row.get("value", ""))
    except NumberFormatError as error:
        issues.append(ImportIssue(number, "value", str(error)))
        value = Decimal(0)
    measured_on: date | None = None
    if row.get("measured_on"):
        try:
            measured_on = date.fromisoformat(row["measured_on"])
        except ValueError:
            issues.append(ImportIssue(number, "measured_on", "Use a date like 2026-05-31."))
        else:
            if period is not None and not period.start <= measured_on <= period.end:
                issues.append(ImportIssue(number, "measured_on", f"Outside {period.label}."))
    if period is None or kpi is None:
        return None
    return period, kpi, value, measured_on, row.get("comment", "")


def measurements_import(
    *, actor: Actor, scorecard: Scorecard, rows: Sequence[tuple[int, Mapping[str, str]]]
) -> int:
    """Import buyer measurements for ``scorecard``: validate every row first, then write all
    of them in one transaction, or none when any row has an error. Returns how many."""
    require(actor, Capability.ENTER_MEASUREMENTS)
    if actor.is_supplier:
        raise PermissionDeniedError("Suppliers submit self-reports instead.")
    periods = {p.start: p for p in scorecard.periods.all()}
    kpis = {
        k.code: k
        for k in KpiDefinition.objects.filter(perspective__template_id=scorecard.template_id)
    }
    issues: list[ImportIssue] = []
    parsed = [
        checked
        for number, row in rows
        if (checked := _row(number, row, scorecard, periods, kpis, issues)) is not None
    ]
    if issues:
        raise MeasurementImportError(issues)
    with transaction.atomic():
        # Two imports into one scorecard at once would race on the same measurements.
        if not try_advisory_xact_lock(f"scorecards.import:{scorecard.pk}"):
            raise MeasurementImportError(
                [
                    ImportIssue(
                        0,
                        "",
                        "Another import into this scorecard is running; nothing was written. "
                        "Import this file again when it has finished.",
                    )
                ]
            )
        for period, kpi, value, measured_on, comment in parsed:
            measurement_record(
                actor=actor,
                period=period,
                kpi=kpi,
                value=value,
                measured_on=measured_on,
                comment=comment,
            )
    return len(parsed)

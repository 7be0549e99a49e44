"""The measurements kind of the one importer (core.importing), and the plain reader of
measurement files that ``scorecards.services.imports`` takes rows from.

Columns (header row, any order, case-insensitive): ``period`` (e.g. 2026-Q2), ``kpi`` (KPI
code), ``value``, and optionally ``measured_on`` (YYYY-MM-DD, default the period's last day)
and ``comment``. Rows become buyer values of the scorecard's open periods; a buyer value for
the same KPI and date is replaced (a repeat in the file: the last one counts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bulk import bulk_insert_copy
from core.errors import PermissionDeniedError
from core.importing import ImportSession, ImportSpec, register
from core.models import Actor, AuditEvent, User
from core.numbers import NumberFormatError
from core.roles import Capability, require
from core.spreadsheets import MAX_ROWS, SpreadsheetError, read_table
from scorecards.kpi_values import kpi_value_from_text
from scorecards.models import (
    DataSource,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
    Scorecard,
)
from scorecards.periods import CalendarPeriod, period_containing, period_from_label
from scorecards.selectors import scorecard_get

REQUIRED_COLUMNS = ("period", "kpi", "value")
OPTIONAL_COLUMNS = ("measured_on", "comment")
BATCH = 2000
__all__ = ["MAX_ROWS", "MEASUREMENTS", "ImportFileError", "ImportIssue", "read_rows"]


@dataclass(frozen=True, slots=True)
class ImportIssue:
    row: int  # spreadsheet row number, the header being row 1
    column: str
    message: str


# The file cannot be read at all (format, header, size): the one reader's error.
ImportFileError = SpreadsheetError


def read_rows(upload: IO[bytes], filename: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows as ``(row number, {column: text})``; raises ImportFileError when the
    file is not a readable CSV/XLSX or a required column is missing."""
    table = read_table(filename, upload, required=REQUIRED_COLUMNS)
    columns = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in table.header]
    rows = [(number, {c: cells[c] for c in columns}) for number, cells in table.rows]
    if not rows:
        raise ImportFileError("The file has no data rows.")
    return rows


type _Key = tuple[int, int, date]  # period id, KPI id, measured on


class MeasurementSession(ImportSession):
    def __init__(self, actor: Actor, params: Mapping[str, Any]) -> None:
        super().__init__(actor, params)
        self.values: dict[_Key, tuple[Decimal, str]] = {}
        self.labels: dict[str, CalendarPeriod | None] = {}

    def load(self) -> None:
        # The scorecard's periods and its template's KPIs: two queries for any file.
        self.scorecard = Scorecard.objects.get(pk=self.params["scorecard"])
        self.periods = {p.start: p for p in self.scorecard.periods.all()}
        self.kpis = {
            k.code: k
            for k in KpiDefinition.objects.filter(
                perspective__template_id=self.scorecard.template_id
            )
        }
        self.example = period_containing(timezone.localdate(), self.scorecard.frequency).label

    def _calendar_period(self, label: str) -> CalendarPeriod | None:
        if label not in self.labels:
            self.labels[label] = period_from_label(label, self.scorecard.frequency)
        return self.labels[label]

    def check(self, number: int, row: Mapping[str, str]) -> None:
        calendar_period = self._calendar_period(row.get("period", ""))
        period = self.periods.get(calendar_period.start) if calendar_period else None
        if calendar_period is None:
            self.error(
                number, "period", _("Use a period like %(example)s.") % {"example": self.example}
            )
        elif period is None:
            self.error(
                number,
                "period",
                _("This scorecard has no %(period)s.") % {"period": calendar_period.label},
            )
        elif period.status != PeriodStatus.OPEN:
            self.error(
                number, "period", _("Period %(period)s is closed.") % {"period": period.label}
            )
        kpi = self.kpis.get(row.get("kpi", ""))
        if kpi is None:
            self.error(number, "kpi", _('No KPI with code "%(code)s".') % {"code": row.get("kpi")})
        try:
            # No decimal mark is assumed: "1,234" could be read two ways and is refused.
            value = kpi_value_from_text(row.get("value", ""))
        except NumberFormatError as error:
            self.error(number, "value", str(error))
            value = Decimal(0)
        measured_on: date | None = None
        if row.get("measured_on"):
            try:
                measured_on = date.fromisoformat(row["measured_on"])
            except ValueError:
                self.error(number, "measured_on", _("Use a date like 2026-05-31."))
            else:
                if period is not None and not period.start <= measured_on <= period.end:
                    self.error(
                        number, "measured_on", _("Outside %(period)s.") % {"period": period.label}
                    )
        if period is None or kpi is None:
            return
        key = (period.pk, kpi.pk, measured_on or period.end)
        self.values[key] = (value, row.get("comment", ""))

    def planned(self) -> dict[str, int]:
        return {"measurements": len(self.values)}

    def write(self, report: Callable[[int, int], None]) -> dict[str, int]:
        actor = self.actor
        user = actor if isinstance(actor, User) else None
        period_ids = {key[0] for key in self.values}
        # Under a row lock, as measurement_record does: a close running at the same moment
        # must not freeze a period halfway through the import.
        open_ids = set(
            Period.objects.select_for_update()
            .filter(pk__in=period_ids, status=PeriodStatus.OPEN)
            .values_list("pk", flat=True)
        )
        closed = period_ids - open_ids
        if closed:
            labels = sorted(p.label for p in self.periods.values() if p.pk in closed)
            self.error(
                0, "period", _("Closed meanwhile: %(periods)s.") % {"periods": ", ".join(labels)}
            )
            return {}
        stored = {
            (m.period_id, m.kpi_id, m.measured_on): m
            for m in Measurement.objects.filter(
                period_id__in=period_ids,
                kpi_id__in={key[1] for key in self.values},
                measured_on__in={key[2] for key in self.values},
                source=DataSource.BUYER,
            )
        }
        kpis = {k.pk: k for k in self.kpis.values()}
        new: list[Measurement] = []
        changed: list[Measurement] = []
        for (period_id, kpi_id, measured_on), (value, comment) in self.values.items():
            measurement = stored.get((period_id, kpi_id, measured_on))
            if measurement is None:
                measurement = Measurement(
                    period_id=period_id, kpi=kpis[kpi_id], measured_on=measured_on,
                    source=DataSource.BUYER,
                )  # fmt: skip
                new.append(measurement)
            else:
                measurement.kpi = kpis[kpi_id]
                changed.append(measurement)
            measurement.value = value
            measurement.status = MeasurementStatus.ACCEPTED
            measurement.comment = comment
            measurement.entered_by = user
        Measurement.objects.bulk_create(new, batch_size=BATCH)
        report(1, 2)
        Measurement.objects.bulk_update(
            changed, ["value", "status", "comment", "entered_by"], batch_size=BATCH
        )
        new_ids = {id(m) for m in new}
        bulk_insert_copy(
            [
                AuditEvent(
                    actor=user,
                    action="measurement.create" if id(m) in new_ids else "measurement.update",
                    object_type=m._meta.label_lower,
                    object_id=str(m.pk),
                    object_repr=str(m)[:200],
                    changes={"value": str(m.value)},
                )
                for m in [*new, *changed]
            ]
        )
        report(2, 2)
        return {"measurements": len(new) + len(changed)}


class MeasurementsSpec(ImportSpec):
    kind = "measurements"
    label = gettext_lazy("KPI measurements")
    columns = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    required = REQUIRED_COLUMNS
    capability = Capability.ENTER_MEASUREMENTS
    session_class = MeasurementSession

    def authorize(self, actor: Actor, params: Mapping[str, Any]) -> None:
        require(actor, Capability.ENTER_MEASUREMENTS)
        if actor.is_supplier:
            raise PermissionDeniedError(_("Suppliers submit self-reports instead."))
        if isinstance(actor, User):
            # The scorecard must be one the user may see (404 otherwise).
            scorecard_get(actor, params["scorecard"])

    def lock_name(self, params: Mapping[str, Any]) -> str:
        return f"scorecards.import:{params['scorecard']}"

    def busy_message(self) -> str:
        return _(
            "Another import into this scorecard is running; nothing was written. "
            "Import this file again when it has finished."
        )

    def done_url(self, params: Mapping[str, Any]) -> str:
        return reverse("scorecards:detail", args=[params["scorecard"]])

    def upload_url(self, params: Mapping[str, Any]) -> str:
        return reverse("scorecards:import", args=[params["scorecard"]])

    def describe(self, counts: Mapping[str, int]) -> str:
        return _("%(count)s measurement(s)") % {"count": counts.get("measurements", 0)}


MEASUREMENTS = register(MeasurementsSpec())

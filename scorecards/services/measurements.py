"""Measurements (SPEC 3.3): a buyer's KPI value counts at once; a supplier's self-report
counts once a buyer accepts it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.concurrency import version_check
from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import Actor, User
from core.notifications import NotificationKind
from core.roles import Capability, require
from core.services import audit_record, notification_send
from partners.access import partner_id_of_supplier
from scorecards.models import (
    DataSource,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".csv", ".xlsx", ".docx", ".txt")

type Evidence = UploadedFile[bytes]


def _check_evidence(evidence: Evidence | None) -> None:
    if evidence is None:
        return
    name = (evidence.name or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        raise FieldErrors(
            {
                "evidence": [
                    _("Attach one of: %(extensions)s.")
                    % {"extensions": ", ".join(EVIDENCE_EXTENSIONS)}
                ]
            }
        )
    if (evidence.size or 0) > EVIDENCE_MAX_BYTES:
        raise FieldErrors({"evidence": [_("Evidence files may be at most 10 MB.")]})


def _kpi_of_period(period: Period, kpi: KpiDefinition) -> None:
    if kpi.perspective.template_id != period.scorecard.template_id:
        raise FieldErrors({"kpi": [_("This KPI is not part of the scorecard's template.")]})


def _check_writable(actor: Actor, period: Period) -> None:
    """The actor reports for their own company only, into a period that is open now."""
    if actor.is_supplier and partner_id_of_supplier(actor) != period.scorecard.partner_id:
        raise PermissionDeniedError(_("You may only report for your own company."))
    # Read the status under a row lock: the caller's copy may be stale, and a close running
    # at the same moment must not freeze the period halfway through this change.
    status = (
        Period.objects.select_for_update().filter(pk=period.pk).values_list("status", flat=True)
    ).first()
    if status != PeriodStatus.OPEN:
        raise ConflictError(_("The period is closed; reopen it to change its data."))


def _refuse_suppliers(actor: Actor) -> None:
    if actor.is_supplier:
        raise PermissionDeniedError(_("Suppliers submit self-reports instead."))


def measurement_record(
    *,
    actor: Actor,
    period: Period,
    kpi: KpiDefinition,
    value: Decimal,
    measured_on: date | None = None,
    comment: str = "",
    evidence: Evidence | None = None,
) -> Measurement:
    """Record a KPI value. A buyer's value counts at once (and replaces the buyer's value for
    the same KPI and date); a supplier's is a self-report that counts once a buyer accepts it.
    """
    require(actor, Capability.ENTER_MEASUREMENTS)
    with transaction.atomic():
        _check_writable(actor, period)
        _kpi_of_period(period, kpi)
        _check_evidence(evidence)
        measured_on = measured_on or period.end
        if not period.start <= measured_on <= period.end:
            raise FieldErrors(
                {
                    "measured_on": [
                        _("Pick a date from %(start)s to %(end)s.")
                        % {"start": period.start, "end": period.end}
                    ]
                }
            )
        if actor.is_supplier:
            return _self_report(actor, period, kpi, value, measured_on, comment, evidence)
        measurement, created = Measurement.objects.update_or_create(
            period=period,
            kpi=kpi,
            measured_on=measured_on,
            source=DataSource.BUYER,
            defaults={
                "value": value,
                "status": MeasurementStatus.ACCEPTED,
                "comment": comment,
                "entered_by": actor if isinstance(actor, User) else None,
                **({"evidence": evidence} if evidence is not None else {}),
            },
        )
        audit_record(
            actor=actor,
            action="measurement.create" if created else "measurement.update",
            obj=measurement,
            changes={"value": value},
        )
    return measurement


def _self_report(
    actor: Actor,
    period: Period,
    kpi: KpiDefinition,
    value: Decimal,
    measured_on: date,
    comment: str,
    evidence: Evidence | None,
) -> Measurement:
    if kpi.data_source != DataSource.SUPPLIER:
        raise FieldErrors({"kpi": [_("This KPI is measured by the buyer, not self-reported.")]})
    measurement = Measurement.objects.create(
        period=period,
        kpi=kpi,
        measured_on=measured_on,
        value=value,
        source=DataSource.SUPPLIER,
        status=MeasurementStatus.SUBMITTED,
        comment=comment,
        evidence=evidence or "",
        entered_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor, action="measurement.submit", obj=measurement, changes={"value": value}
    )
    partner = period.scorecard.partner
    if partner.owner is not None:
        with translation.override(partner.owner.language):
            subject = _("%(partner)s reported %(kpi)s for %(period)s: awaiting acceptance") % {
                "partner": partner,
                "kpi": kpi.name,
                "period": period.label,
            }
        notification_send(
            recipient=partner.owner,
            key=f"measurement:{measurement.pk}:submitted",
            subject=subject,
            body=comment,
            kind=NotificationKind.SELF_REPORT_SUBMITTED,
            partner_id=partner.pk,
            url=f"/scorecards/{period.scorecard_id}/",
        )
    return measurement


def measurements_record_grid(
    *,
    actor: Actor,
    period: Period,
    values: Mapping[int, Decimal | None],
    expected_version: int | None = None,
) -> int:
    """Save the data-entry grid: one buyer value per KPI (id → value) at the period's end;
    None removes the buyer's value. Returns how many values changed. A save that changes
    values advances the period's version and records each KPI's value before → after; a grid
    read at an older version is refused (StaleEditError, 409)."""
    require(actor, Capability.ENTER_MEASUREMENTS)
    _refuse_suppliers(actor)
    with transaction.atomic():
        version_check(period, expected_version)
        _check_writable(actor, period)
        kpis = {
            k.pk: k
            for k in KpiDefinition.objects.filter(
                perspective__template_id=period.scorecard.template_id, pk__in=list(values)
            )
        }
        unknown = [kpi_id for kpi_id in values if kpi_id not in kpis]
        if unknown:
            raise FieldErrors({"kpi": [_("Some KPIs are not part of this scorecard.")]})
        existing = {
            m.kpi_id: m
            for m in Measurement.objects.filter(
                period=period,
                source=DataSource.BUYER,
                measured_on=period.end,
                kpi_id__in=list(kpis),
            )
        }
        changed = 0
        grid: dict[str, list[Decimal | None]] = {}
        for kpi_id, value in values.items():
            current = existing.get(kpi_id)
            if value != (current.value if current else None):
                grid[kpis[kpi_id].code] = [current.value if current else None, value]
            if value is None:
                if current is not None:
                    current.delete()
                    audit_record(
                        actor=actor,
                        action="measurement.delete",
                        obj=period,
                        changes={"kpi": kpis[kpi_id].code},
                    )
                    changed += 1
                continue
            if current is not None and current.value == value:
                continue
            measurement_record(actor=actor, period=period, kpi=kpis[kpi_id], value=value)
            changed += 1
        if changed:
            period.save(update_fields=["version"])
            audit_record(actor=actor, action="period.grid_save", obj=period, changes=grid)
    return changed


def measurement_review(
    *, actor: Actor, measurement: Measurement, accept: bool, comment: str = ""
) -> Measurement:
    """A buyer accepts a supplier self-report (it then counts) or rejects it with a reason."""
    require(actor, Capability.MANAGE_SCORECARDS)
    with transaction.atomic():
        measurement = (
            Measurement.objects.select_for_update().select_related("period").get(pk=measurement.pk)
        )
        if measurement.status != MeasurementStatus.SUBMITTED:
            raise ConflictError(_("This self-report has been reviewed already."))
        if measurement.period.status != PeriodStatus.OPEN:
            raise ConflictError(_("The period is closed; reopen it to change its data."))
        if not accept and not comment.strip():
            raise FieldErrors({"comment": [_("Say why the self-report is rejected.")]})
        measurement.status = MeasurementStatus.ACCEPTED if accept else MeasurementStatus.REJECTED
        measurement.reviewed_by = actor if isinstance(actor, User) else None
        measurement.reviewed_at = timezone.now()
        measurement.review_comment = comment
        measurement.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        audit_record(
            actor=actor,
            action="measurement.accept" if accept else "measurement.reject",
            obj=measurement,
            changes={"comment": comment},
        )
    return measurement

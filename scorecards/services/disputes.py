"""Disputes (SPEC 3.5): a supplier disputes a closed period's score within the dispute
window; a buyer corrects the data and rescores, or rejects with an explanation. Both sides
see the history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import Actor, User
from core.notifications import NotificationKind
from core.roles import Capability, require
from core.services import audit_record, notification_send
from partners.access import partner_id_of_supplier
from scorecards.models import (
    DataSource,
    Dispute,
    DisputeStatus,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
)
from scorecards.selectors import dispute_deadline
from scorecards.services.periods import period_rescore


def _shown_overall(period: Period) -> str:
    breakdown = period.score_breakdown
    return (breakdown.overall if breakdown else None) or ""


def dispute_raise(
    *, actor: Actor, period: Period, reason: str, kpi_code: str = "", today: date | None = None
) -> Dispute:
    """A supplier disputes their own closed period's score within the dispute window."""
    require(actor, Capability.USE_PORTAL)
    if partner_id_of_supplier(actor) != period.scorecard.partner_id:
        raise PermissionDeniedError(_("Only the partner's own users may dispute its score."))
    with transaction.atomic():
        period = (
            Period.objects.select_for_update(of=("self",))
            .select_related("scorecard__partner__owner", "scorecard__partner__alliance_manager")
            .get(pk=period.pk)
        )
        if period.status != PeriodStatus.CLOSED:
            raise ConflictError(_("Only a closed period's score can be disputed."))
        deadline = dispute_deadline(period)
        if deadline is not None and (today or timezone.localdate()) > deadline:
            raise ConflictError(
                _("The dispute window closed on %(date)s.")
                % {"date": formats.date_format(deadline, "j M Y")}
            )
        if not reason.strip():
            raise FieldErrors({"reason": [_("Say what is wrong with the score.")]})
        breakdown = period.score_breakdown
        if kpi_code and kpi_code not in dict(breakdown.kpi_names() if breakdown else []):
            raise FieldErrors(
                {"kpi_code": [_("Choose one of the KPIs this period was scored on.")]}
            )
        if Dispute.objects.filter(period=period, status=DisputeStatus.OPEN).exists():
            raise ConflictError(_("This period has an open dispute already."))
        dispute = Dispute.objects.create(
            period=period,
            raised_by=actor if isinstance(actor, User) else None,
            reason=reason,
            kpi_code=kpi_code,
            overall_before=_shown_overall(period),
        )
        audit_record(actor=actor, action="dispute.raise", obj=dispute, changes={"reason": reason})
        partner = period.scorecard.partner
        for recipient in {partner.owner, partner.alliance_manager} - {None}:
            assert recipient is not None
            with translation.override(recipient.language):
                subject = _("%(partner)s disputes its %(period)s score") % {
                    "partner": partner,
                    "period": period.label,
                }
            notification_send(
                recipient=recipient,
                key=f"dispute:{dispute.pk}:raised:{recipient.pk}",
                subject=subject,
                body=reason,
                kind=NotificationKind.DISPUTE_RAISED,
                partner_id=partner.pk,
                url=f"/scorecards/{period.scorecard_id}/",
            )
    return dispute


def _correct(
    actor: Actor, dispute: Dispute, explanation: str, kpi: KpiDefinition, value: Decimal
) -> None:
    """Replace the KPI's accepted values in the disputed period by the corrected value."""
    period = dispute.period
    Measurement.objects.filter(
        period=period, kpi__code=kpi.code, status=MeasurementStatus.ACCEPTED
    ).update(
        status=MeasurementStatus.REJECTED,
        review_comment=_("Superseded by the correction of dispute #%(number)s.")
        % {"number": dispute.pk},
        reviewed_by=actor if isinstance(actor, User) else None,
        reviewed_at=timezone.now(),
    )
    Measurement.objects.filter(
        period=period, kpi__code=kpi.code, source=DataSource.BUYER, measured_on=period.end
    ).delete()
    Measurement.objects.create(
        period=period,
        kpi=kpi,
        measured_on=period.end,
        value=value,
        source=DataSource.BUYER,
        status=MeasurementStatus.ACCEPTED,
        comment=_("Correction for dispute #%(number)s: %(explanation)s")
        % {"number": dispute.pk, "explanation": explanation},
        entered_by=actor if isinstance(actor, User) else None,
    )


def dispute_resolve(
    *,
    actor: Actor,
    dispute: Dispute,
    outcome: str,
    explanation: str,
    corrections: Mapping[str, Decimal] | None = None,
) -> Dispute:
    """A buyer resolves a dispute: ``corrected`` replaces the named KPIs' values (KPI code →
    value) and rescores the period with the template version it was scored with; ``rejected``
    keeps the score and records the explanation. Both are visible to the supplier."""
    require(actor, Capability.MANAGE_SCORECARDS)
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.status != DisputeStatus.OPEN:
            raise ConflictError(_("This dispute is resolved already."))
        if not explanation.strip():
            raise FieldErrors({"explanation": [_("Explain the resolution to the partner.")]})
        if outcome not in (DisputeStatus.CORRECTED, DisputeStatus.REJECTED):
            raise FieldErrors({"outcome": [_("Choose corrected or rejected.")]})
        period = (
            Period.objects.select_for_update(of=("self",))
            .select_related("scorecard", "scored_template")
            .get(pk=dispute.period_id)
        )
        dispute.period = period
        if outcome == DisputeStatus.CORRECTED:
            if not corrections:
                raise FieldErrors({"corrections": [_("Give at least one corrected KPI value.")]})
            template = period.scored_template or period.scorecard.template
            kpis = {k.code: k for k in KpiDefinition.objects.filter(perspective__template=template)}
            unknown = sorted(code for code in corrections if code not in kpis)
            if unknown:
                raise FieldErrors(
                    {
                        "corrections": [
                            _("Unknown KPI code: %(codes)s.") % {"codes": ", ".join(unknown)}
                        ]
                    }
                )
            for code, value in corrections.items():
                _correct(actor, dispute, explanation, kpis[code], value)
            try:
                period_rescore(actor=actor, period=period, template=template)
            except FieldErrors as error:
                raise FieldErrors({"corrections": error.errors["template"]}) from error
        dispute.status = outcome
        dispute.resolution = explanation
        dispute.resolved_by = actor if isinstance(actor, User) else None
        dispute.resolved_at = timezone.now()
        dispute.overall_after = _shown_overall(period)
        dispute.save()
        audit_record(
            actor=actor,
            action=f"dispute.{outcome}",
            obj=dispute,
            changes={
                "explanation": explanation,
                "corrections": {k: str(v) for k, v in (corrections or {}).items()},
                "overall": [dispute.overall_before, dispute.overall_after],
            },
        )
        if dispute.raised_by is not None:
            with translation.override(dispute.raised_by.language):
                subject = (
                    _("Your dispute of %(period)s was corrected and rescored")
                    if outcome == DisputeStatus.CORRECTED
                    else _("Your dispute of %(period)s was rejected")
                ) % {"period": period.label}
            notification_send(
                recipient=dispute.raised_by,
                key=f"dispute:{dispute.pk}:resolved",
                subject=subject,
                body=explanation,
                kind=NotificationKind.DISPUTE_RESOLVED,
                partner_id=period.scorecard.partner_id,
                shared=True,
                url="/scorecards/portal/"
                if dispute.raised_by.is_supplier
                else f"/scorecards/{period.scorecard_id}/",
            )
    return dispute

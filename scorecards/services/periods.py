"""Periods (SPEC 3.2, 3.4): closing scores every KPI, perspective and scorecard with the pure
engine and freezes the explained result; reopening is recorded; a dispute's correction
rescores a closed period with the template version it was scored with.

Closing is set-based: a batch of periods costs a fixed handful of queries (load the periods,
the template structure, all accepted measurements; one ``UPDATE … FROM (VALUES …)``; the audit
entries and the next periods each copied in with ``COPY``), whatever the number of periods or KPIs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.bulk import bulk_insert_copy, bulk_update_values
from core.errors import ConflictError, FieldErrors
from core.models import Actor, AuditEvent, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, SystemActor, require
from core.services import audit_record
from scorecards.breakdown import KpiShape, KpiValues, PerspectiveShape, TemplateShape, explain
from scorecards.models import (
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
    Perspective,
    ScorecardTemplate,
)
from scorecards.periods import early_close_question, period_after
from scorecards.scoring import Aggregation, KpiDirection, ScoringInputError
from scorecards.selectors import due_period_ids
from scorecards.services.rollups import rollups_refresh_after_commit

logger = logging.getLogger(__name__)

SCORE_FIELDS = ["scored_template", "overall", "rating", "coverage", "provisional", "breakdown"]


def _template_shapes(templates: Iterable[ScorecardTemplate]) -> dict[int, TemplateShape]:
    """The perspectives and KPIs of the given template versions, as the close scores them,
    in two queries."""
    by_id = {t.pk: t for t in templates}
    perspectives: dict[int, list[PerspectiveShape]] = defaultdict(list)
    for perspective in Perspective.objects.filter(template_id__in=list(by_id)).prefetch_related(
        "kpis"
    ):
        perspectives[perspective.template_id].append(
            PerspectiveShape(
                code=perspective.code,
                name=perspective.name,
                weight=perspective.weight,
                kpis=tuple(
                    KpiShape(
                        code=kpi.code,
                        name=kpi.name,
                        unit=kpi.unit,
                        direction=KpiDirection(kpi.direction),
                        target=kpi.target,
                        threshold=kpi.threshold,
                        weight=kpi.weight,
                        source=kpi.data_source,
                        aggregation=Aggregation(kpi.aggregation),
                    )
                    for kpi in perspective.kpis.all()
                ),
            )
        )
    return {
        pk: TemplateShape(
            code=t.code,
            version=t.version,
            name=t.name,
            perspectives=tuple(perspectives.get(pk, ())),
        )
        for pk, t in by_id.items()
    }


def _accepted_values(period_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], KpiValues]]:
    """Per period, the accepted values per (perspective code, KPI code), oldest first, and
    where they came from (buyer, supplier), in one query."""
    values: dict[int, dict[tuple[str, str], list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    rows = (
        Measurement.objects.filter(
            period_id__in=list(period_ids), status=MeasurementStatus.ACCEPTED
        )
        .order_by("measured_on", "id")
        .values_list("period_id", "kpi__perspective__code", "kpi__code", "value", "source")
    )
    for period_id, perspective_code, kpi_code, value, source in rows:
        values[period_id][(perspective_code, kpi_code)].append(value)
        sources[(period_id, perspective_code, kpi_code)].add(source)
    return {
        period_id: {
            key: KpiValues(tuple(kpi_values), frozenset(sources[(period_id, *key)]))
            for key, kpi_values in by_kpi.items()
        }
        for period_id, by_kpi in values.items()
    }


def _freeze(
    periods: Sequence[Period], *, template_of: Mapping[int, ScorecardTemplate]
) -> list[Period]:
    """Score ``periods`` (each with the template given for it) and set their score fields.

    Returns the periods it scored. A period whose template no longer validates (e.g. weights
    edited in the admin) is left out and logged, so one broken template cannot stop the close
    of every other scorecard.
    """
    shapes = _template_shapes(template_of.values())
    values = _accepted_values(p.pk for p in periods)
    scored = []
    for period in periods:
        template = template_of[period.pk]
        try:
            result, breakdown = explain(shapes[template.pk], values.get(period.pk, {}))
        except ScoringInputError as error:
            logger.warning(
                "Period %s not scored: template %s is invalid: %s", period.pk, template, error
            )
            continue
        scored.append(period)
        period.scored_template = template
        period.overall = result.overall
        period.rating = result.rating.value if result.rating else ""
        period.coverage = result.coverage
        period.provisional = result.provisional
        period.breakdown = breakdown.to_json()
    return scored


def periods_close(
    *, actor: Actor, period_ids: Sequence[int], open_next: bool = True
) -> list[Period]:
    """Close a batch of open periods: score every KPI, perspective and scorecard with the
    scorecard's current template version, freeze the result, and open each next period.

    Periods already closed are skipped, so running it twice changes nothing the second time.
    The query count is fixed per batch, not per period or KPI.
    """
    require(actor, Capability.MANAGE_SCORECARDS)
    with transaction.atomic():
        periods = list(
            Period.objects.select_for_update(of=("self",))
            .select_related("scorecard__template")
            .filter(pk__in=list(period_ids), status=PeriodStatus.OPEN)
            .order_by("pk")
        )
        if not periods:
            return []
        periods = _freeze(periods, template_of={p.pk: p.scorecard.template for p in periods})
        if not periods:
            return []
        now = timezone.now()
        closer = actor if isinstance(actor, User) else None
        for period in periods:
            period.status = PeriodStatus.CLOSED
            period.closed_at = now
            period.closed_by = closer
        bulk_update_values(periods, [*SCORE_FIELDS, "status", "closed_at", "closed_by"])
        # A new latest score may put a partnership at risk (or take it off the list).
        risk_signals_refresh_after_commit(p.scorecard.partner_id for p in periods)
        bulk_insert_copy(
            [
                AuditEvent(
                    actor=closer,
                    actor_label=actor.name if isinstance(actor, SystemActor) else "",
                    action="period.close",
                    object_type="scorecards.period",
                    object_id=str(p.pk),
                    object_repr=f"{p.scorecard_id} {p.label}"[:200],
                    changes={
                        "overall": None if p.overall is None else str(p.overall),
                        "rating": p.rating,
                    },
                )
                for p in periods
            ]
        )
        if open_next:
            following = []
            for p in periods:
                nxt = period_after(p.end, p.scorecard.frequency)
                following.append(
                    Period(
                        scorecard_id=p.scorecard_id, start=nxt.start, end=nxt.end, label=nxt.label
                    )
                )
            bulk_insert_copy(following, ignore_conflicts=True)
    return periods


def period_close(
    *, actor: Actor, period: Period, confirm_early: bool = False, today: date | None = None
) -> Period:
    """Close one open period (see ``periods_close``); a closed period is a conflict. A period
    that has not ended yet (its last day is today or later) closes only with
    ``confirm_early=True``; without it a field error on ``confirm_early`` names the end date.
    The dashboards' rollups are rebuilt in the background once the close is committed."""
    require(actor, Capability.MANAGE_SCORECARDS)
    today = today or timezone.localdate()
    if not confirm_early and period.status == PeriodStatus.OPEN and period.end >= today:
        raise FieldErrors({"confirm_early": [early_close_question(period.end)]})
    with transaction.atomic():
        closed = periods_close(actor=actor, period_ids=[period.pk])
        if not closed:
            raise ConflictError(_("This period is closed already."))
        rollups_refresh_after_commit(actor=actor)
    return closed[0]


def period_reopen(*, actor: Actor, period: Period, reason: str) -> Period:
    """Reopen a closed period for corrections; the reopening is recorded with its reason."""
    require(actor, Capability.MANAGE_SCORECARDS)
    if not reason.strip():
        raise FieldErrors({"reason": [_("Say why the period is reopened.")]})
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.status != PeriodStatus.CLOSED:
            raise ConflictError(_("Only a closed period can be reopened."))
        period.status = PeriodStatus.OPEN
        period.reopen_count += 1
        period.save(update_fields=["status", "reopen_count"])
        audit_record(
            actor=actor,
            action="period.reopen",
            obj=period,
            changes={"status": [PeriodStatus.CLOSED, PeriodStatus.OPEN], "reason": reason},
        )
        rollups_refresh_after_commit(actor=actor)
        risk_signals_refresh_after_commit([period.scorecard.partner_id])
    return period


def period_rescore(*, actor: Actor, period: Period, template: ScorecardTemplate) -> Period:
    """Score ``period`` again from its accepted values with ``template`` (the version it was
    scored with) and save the new frozen result; its status stays as it is. Refused with a
    field error on ``template`` when that version no longer validates."""
    require(actor, Capability.MANAGE_SCORECARDS)
    with transaction.atomic():
        before = None if period.overall is None else str(period.overall)
        if not _freeze([period], template_of={period.pk: template}):
            raise FieldErrors(
                {
                    "template": [
                        _("Template %(template)s is invalid; fix it first.")
                        % {"template": template}
                    ]
                }
            )
        period.save(update_fields=SCORE_FIELDS)
        audit_record(
            actor=actor,
            action="period.rescore",
            obj=period,
            changes={"overall": [before, None if period.overall is None else str(period.overall)]},
        )
        rollups_refresh_after_commit(actor=actor)
        risk_signals_refresh_after_commit([period.scorecard.partner_id])
    return period


def periods_close_due(*, actor: Actor, today: date | None = None, batch_size: int = 500) -> int:
    """Close every due period of every scorecard in batches; return how many were closed.

    Each batch is its own transaction, so a killed job keeps the batches it finished and the
    next run picks up the rest.
    """
    require(actor, Capability.MANAGE_SCORECARDS)
    today = today or timezone.localdate()
    closed = 0
    attempted: set[int] = set()
    # Closing opens the next period, which may itself be due when a scorecard fell behind;
    # a period that cannot be scored is tried once per run, not forever.
    while ids := [pk for pk in due_period_ids(today=today) if pk not in attempted]:
        attempted.update(ids)
        for start in range(0, len(ids), batch_size):
            closed += len(periods_close(actor=actor, period_ids=ids[start : start + batch_size]))
    return closed

"""Writes of the scorecards app: templates, scorecards, periods, measurements, disputes and
rollups. Every service is atomic and writes the audit trail; the scoring itself is the pure
engine in scorecards.scoring.

Period close is set-based: a batch of periods costs a fixed handful of queries (load the
periods, the template structure, all accepted measurements; one bulk update; one bulk audit
insert; one bulk insert of the next periods), whatever the number of periods or KPIs.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.validators import slug_re
from django.db import transaction
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.utils import timezone

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.locks import advisory_xact_lock
from core.models import AuditEvent, User
from core.notifications import NotificationKind
from core.outbox import job_defer
from core.roles import Capability
from core.services import audit_record, notification_send
from partners.access import partner_id_of_supplier
from partners.kraljic import ENGAGEMENT_MODEL_LABELS, QUADRANT_LABELS, EngagementModel, Quadrant
from partners.models import Category, Partner
from scorecards import scoring
from scorecards.models import (
    DataSource,
    Dispute,
    DisputeStatus,
    Frequency,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
    Perspective,
    PortfolioRollup,
    RollupDimension,
    Scorecard,
    ScorecardTemplate,
)
from scorecards.periods import period_after, period_containing, period_from_label

logger = logging.getLogger(__name__)

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".csv", ".xlsx", ".docx", ".txt")


def _require(actor: User | None, capability: Capability) -> None:
    if actor is not None and not actor.can(capability):
        raise PermissionDeniedError("Your role does not allow this.")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _display(value: Decimal | None) -> str | None:
    return None if value is None else str(scoring.round_score(value))


# --- templates -------------------------------------------------------------------------------


# What the database stores: KPI numbers (target, threshold, values) and weights. Input that
# does not fit is refused, never rounded, so a template's weights still sum to exactly 100
# once saved and the preview scores exactly what a closed period would.
NUMBER_DIGITS, NUMBER_PLACES = 20, 6
WEIGHT_DIGITS, WEIGHT_PLACES = 6, 2


def number_error(
    value: Decimal, *, digits: int = NUMBER_DIGITS, places: int = NUMBER_PLACES
) -> str | None:
    """Why ``value`` cannot be stored as a number with ``digits`` digits, ``places`` of them
    after the point; None when it can. Works on the digits as given, without rounding."""
    if not value.is_finite():
        return "Enter a number."
    _, number_digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if not any(number_digits):
        return None
    kept = list(number_digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if -exponent > places:
        return f"Use at most {places} decimal places."
    if len(kept) + exponent > digits - places:
        return f"Use at most {digits - places} digits before the decimal point."
    return None


def _decimal(raw: Any, path: str, errors: dict[str, list[str]], *, weight: bool = False) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError):
        value = Decimal("NaN")
    if isinstance(raw, bool) or "_" in str(raw):
        value = Decimal("NaN")
    error = (
        number_error(value, digits=WEIGHT_DIGITS, places=WEIGHT_PLACES)
        if weight
        else number_error(value)
    )
    if error is not None:
        errors.setdefault(path, []).append(error)
        return Decimal(1)
    return value


def template_inputs_from_data(
    perspectives: Sequence[Mapping[str, Any]], *, with_values: bool = False
) -> tuple[scoring.PerspectiveInput, ...]:
    """Turn JSON-like perspective data into engine inputs; raise ScoringInputError (field
    paths like the engine's) on non-numeric numbers or unknown directions."""
    errors: dict[str, list[str]] = {}
    result = []
    if not isinstance(perspectives, Sequence) or isinstance(perspectives, str):
        raise scoring.ScoringInputError({"perspectives": ["Give a list of perspectives."]})
    for p_index, p in enumerate(perspectives):
        p_path = f"perspectives[{p_index}]"
        if not isinstance(p, Mapping):
            errors.setdefault(p_path, []).append("Give an object.")
            continue
        kpis = []
        raw_kpis = p.get("kpis") or []
        if not isinstance(raw_kpis, Sequence) or isinstance(raw_kpis, str):
            errors.setdefault(f"{p_path}.kpis", []).append("Give a list of KPIs.")
            raw_kpis = []
        for k_index, k in enumerate(raw_kpis):
            k_path = f"{p_path}.kpis[{k_index}]"
            if not isinstance(k, Mapping):
                errors.setdefault(k_path, []).append("Give an object.")
                continue
            try:
                direction = scoring.KpiDirection(str(k.get("direction")))
            except ValueError:
                errors.setdefault(f"{k_path}.direction", []).append(
                    "Use higher_is_better or lower_is_better."
                )
                direction = scoring.KpiDirection.HIGHER_IS_BETTER
            raw_value = k.get("value") if with_values else None
            value = (
                None
                if raw_value is None or raw_value == ""
                else _decimal(raw_value, f"{k_path}.value", errors)
            )
            kpis.append(
                scoring.KpiInput(
                    code=str(k.get("code") or ""),
                    direction=direction,
                    target=_decimal(k.get("target"), f"{k_path}.target", errors),
                    threshold=_decimal(k.get("threshold"), f"{k_path}.threshold", errors),
                    weight=_decimal(k.get("weight"), f"{k_path}.weight", errors, weight=True),
                    value=value,
                )
            )
        result.append(
            scoring.PerspectiveInput(
                code=str(p.get("code") or ""),
                weight=_decimal(p.get("weight"), f"{p_path}.weight", errors, weight=True),
                kpis=tuple(kpis),
            )
        )
    if errors:
        raise scoring.ScoringInputError(errors)
    scoring.validate_template(result)
    return tuple(result)


def scoring_preview(perspectives: Sequence[Mapping[str, Any]]) -> scoring.ScorecardDict:
    """What-if scoring: the same engine as period close, nothing written."""
    return scoring.result_as_dict(
        scoring.score_scorecard(template_inputs_from_data(perspectives, with_values=True))
    )


COMPUTED_NOT_AVAILABLE_MESSAGE = (
    "Computed KPIs are not available yet: nothing in SRM derives their values. "
    "Use buyer (entered by your team) or supplier (self-reported)."
)
_CODE_MAX = {"perspective": 40, "kpi": 40}


def _code_errors(code: Any, path: str, errors: dict[str, list[str]], max_length: int) -> None:
    text = str(code or "")
    if not text:
        errors.setdefault(path, []).append("Give a code.")
    elif not slug_re.fullmatch(text) or len(text) > max_length:
        errors.setdefault(path, []).append(
            f"Use at most {max_length} letters, digits, hyphens or underscores."
        )


def _length_error(text: Any, path: str, errors: dict[str, list[str]], max_length: int) -> None:
    if len(str(text or "")) > max_length:
        errors.setdefault(path, []).append(f"Use at most {max_length} characters.")


def scorecard_template_errors(perspectives: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Every field error of a template draft, keyed by the engine's paths
    (``perspectives[0].kpis[1].threshold``): the engine's rules (weights sum to 100, target
    differs from threshold, ...) plus codes, data sources and aggregations. Empty = valid."""
    errors: dict[str, list[str]] = {}
    try:
        template_inputs_from_data(perspectives)
    except scoring.ScoringInputError as error:
        errors.update({k: list(v) for k, v in error.errors.items()})
    if not isinstance(perspectives, Sequence) or isinstance(perspectives, str):
        return errors
    if not perspectives:
        errors.setdefault("perspectives", []).append("Add at least one perspective.")
    for p_index, p in enumerate(perspectives):
        if not isinstance(p, Mapping):
            continue
        _code_errors(
            p.get("code"), f"perspectives[{p_index}].code", errors, _CODE_MAX["perspective"]
        )
        _length_error(p.get("name"), f"perspectives[{p_index}].name", errors, 80)
        if not p.get("kpis"):
            errors.setdefault(f"perspectives[{p_index}].kpis", []).append(
                "Add at least one KPI: a perspective without KPIs never gets a score."
            )
        for k_index, k in enumerate(p.get("kpis") or []):
            if not isinstance(k, Mapping):
                continue
            path = f"perspectives[{p_index}].kpis[{k_index}]"
            _code_errors(k.get("code"), f"{path}.code", errors, _CODE_MAX["kpi"])
            _length_error(k.get("name"), f"{path}.name", errors, 120)
            _length_error(k.get("unit"), f"{path}.unit", errors, 20)
            source = k.get("data_source") or DataSource.BUYER
            if source == DataSource.COMPUTED:
                errors.setdefault(f"{path}.data_source", []).append(COMPUTED_NOT_AVAILABLE_MESSAGE)
            elif source not in DataSource.values:
                errors.setdefault(f"{path}.data_source", []).append("Use buyer or supplier.")
            if (k.get("aggregation") or "mean") not in scoring.Aggregation:
                errors.setdefault(f"{path}.aggregation", []).append(
                    "Use mean, sum, last, min or max."
                )
    return errors


@transaction.atomic
def scorecard_template_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    perspectives: Sequence[Mapping[str, Any]],
    description: str = "",
) -> ScorecardTemplate:
    """Create a template, or the next version of the template with this ``code``.

    ``perspectives``: ``[{code, name, weight, kpis: [{code, name, unit, direction, target,
    threshold, weight, data_source, aggregation}]}]``; weights must sum to exactly 100.
    Earlier versions stay as they are, so periods scored with them keep their numbers.
    Data source ``computed`` is refused until SRM can compute such a KPI.
    """
    _require(actor, Capability.MANAGE_SCORECARDS)
    errors = scorecard_template_errors(perspectives)
    if not str(name or "").strip():
        errors.setdefault("name", []).append("Give the template a name.")
    if not slug_re.fullmatch(str(code or "")) or len(str(code)) > 60:
        errors.setdefault("code", []).append(
            "Use at most 60 letters, digits, hyphens or underscores."
        )
    if errors:
        raise FieldErrors(errors)
    latest = (
        ScorecardTemplate.objects.select_for_update()
        .filter(code=code)
        .aggregate(v=Max("version"))["v"]
    )
    template = ScorecardTemplate.objects.create(
        code=code,
        version=(latest or 0) + 1,
        name=name,
        description=description,
        created_by=actor if actor is not None and actor.pk else None,
    )
    kpis = []
    for p_index, p in enumerate(perspectives):
        perspective = Perspective.objects.create(
            template=template,
            code=p["code"],
            name=p.get("name") or str(p["code"]).title(),
            weight=Decimal(str(p["weight"])),
            position=p_index,
        )
        for k_index, k in enumerate(p.get("kpis") or []):
            kpis.append(
                KpiDefinition(
                    perspective=perspective,
                    code=k["code"],
                    name=k.get("name") or k["code"],
                    unit=k.get("unit", ""),
                    direction=k["direction"],
                    target=Decimal(str(k["target"])),
                    threshold=Decimal(str(k["threshold"])),
                    weight=Decimal(str(k["weight"])),
                    data_source=k.get("data_source", DataSource.BUYER),
                    aggregation=k.get("aggregation", scoring.Aggregation.MEAN),
                    position=k_index,
                )
            )
    KpiDefinition.objects.bulk_create(kpis)
    audit_record(
        actor=actor,
        action="scorecard_template.create",
        obj=template,
        changes={"code": code, "version": template.version},
    )
    return template


def template_latest(code: str) -> ScorecardTemplate:
    template = ScorecardTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None:
        raise FieldErrors({"template_code": [f'No scorecard template "{code}".']})
    return template


# --- scorecards and periods ------------------------------------------------------------------


@transaction.atomic
def scorecard_apply_template(
    *,
    actor: User | None,
    partner: Partner,
    template_code: str | None = None,
    template: ScorecardTemplate | None = None,
    category: Category | None = None,
    frequency: str = Frequency.QUARTERLY,
    today: date | None = None,
) -> Scorecard:
    """Give ``partner`` a scorecard from a template (by object or by ``template_code``, then
    its latest version) and open its current period.

    Idempotent: a partner that already has a scorecard from this template (any version) for
    this category gets that scorecard back, so a playbook may apply it again safely.
    """
    # Applying an engagement-model playbook (partners) may apply its scorecard template too.
    if actor is not None and not (
        actor.can(Capability.MANAGE_SCORECARDS) or actor.can(Capability.EDIT_PARTNERS)
    ):
        raise PermissionDeniedError("Your role does not allow this.")
    if template is None:
        if not template_code:
            raise FieldErrors({"template_code": ["Name a template."]})
        template = template_latest(template_code)
    if frequency not in Frequency.values:
        raise FieldErrors({"frequency": ["Use monthly, quarterly or yearly."]})
    existing = (
        Scorecard.objects.select_for_update()
        .filter(partner=partner, template__code=template.code, category=category)
        .first()
    )
    if existing is not None:
        return existing
    scorecard = Scorecard.objects.create(
        partner=partner, template=template, category=category, frequency=frequency
    )
    period_open(scorecard=scorecard, on=today or timezone.localdate())
    audit_record(
        actor=actor,
        action="scorecard.create",
        obj=scorecard,
        changes={"template": str(template), "category": category, "frequency": frequency},
    )
    return scorecard


@transaction.atomic
def scorecard_upgrade_template(*, actor: User | None, scorecard: Scorecard) -> Scorecard:
    """Move a scorecard to the latest version of its template. Periods closed already keep
    the version they were scored with; the open and later periods use the new one."""
    _require(actor, Capability.MANAGE_SCORECARDS)
    latest = template_latest(scorecard.template.code)
    if latest.pk == scorecard.template_id:
        return scorecard
    before = str(scorecard.template)
    scorecard.template = latest
    scorecard.save(update_fields=["template"])
    audit_record(
        actor=actor,
        action="scorecard.upgrade",
        obj=scorecard,
        changes={"template": [before, str(latest)]},
    )
    return scorecard


def period_open(*, scorecard: Scorecard, on: date) -> Period:
    """The scorecard's period containing ``on``, created open if it does not exist yet."""
    calendar_period = period_containing(on, scorecard.frequency)
    period, _ = Period.objects.get_or_create(
        scorecard=scorecard,
        start=calendar_period.start,
        defaults={"end": calendar_period.end, "label": calendar_period.label},
    )
    return period


@dataclass(frozen=True, slots=True)
class _KpiShape:
    perspective_code: str
    code: str
    name: str
    unit: str
    direction: scoring.KpiDirection
    target: Decimal
    threshold: Decimal
    weight: Decimal
    source: str
    aggregation: scoring.Aggregation


@dataclass(frozen=True, slots=True)
class _PerspectiveShape:
    code: str
    name: str
    weight: Decimal
    kpis: tuple[_KpiShape, ...]


def _template_shapes(template_ids: Iterable[int]) -> dict[int, tuple[_PerspectiveShape, ...]]:
    """Perspectives and KPIs of the given templates in two queries."""
    shapes: dict[int, list[_PerspectiveShape]] = defaultdict(list)
    for perspective in Perspective.objects.filter(
        template_id__in=set(template_ids)
    ).prefetch_related("kpis"):
        shapes[perspective.template_id].append(
            _PerspectiveShape(
                code=perspective.code,
                name=perspective.name,
                weight=perspective.weight,
                kpis=tuple(
                    _KpiShape(
                        perspective_code=perspective.code,
                        code=kpi.code,
                        name=kpi.name,
                        unit=kpi.unit,
                        direction=scoring.KpiDirection(kpi.direction),
                        target=kpi.target,
                        threshold=kpi.threshold,
                        weight=kpi.weight,
                        source=kpi.data_source,
                        aggregation=scoring.Aggregation(kpi.aggregation),
                    )
                    for kpi in perspective.kpis.all()
                ),
            )
        )
    return {template_id: tuple(items) for template_id, items in shapes.items()}


_ValueKey = tuple[int, str, str]


def _accepted_values(
    period_ids: Iterable[int],
) -> tuple[dict[_ValueKey, list[Decimal]], dict[_ValueKey, set[str]]]:
    """Accepted values per (period, perspective code, KPI code), oldest first, and where they
    came from (buyer, supplier), in one query.

    KPIs are matched by code, not row, so a period scored with a newer template version
    still finds the values entered against the older one.
    """
    values: dict[_ValueKey, list[Decimal]] = defaultdict(list)
    sources: dict[_ValueKey, set[str]] = defaultdict(set)
    rows = (
        Measurement.objects.filter(
            period_id__in=list(period_ids), status=MeasurementStatus.ACCEPTED
        )
        .order_by("measured_on", "id")
        .values_list("period_id", "kpi__perspective__code", "kpi__code", "value", "source")
    )
    for period_id, perspective_code, kpi_code, value, source in rows:
        values[(period_id, perspective_code, kpi_code)].append(value)
        sources[(period_id, perspective_code, kpi_code)].add(source)
    return values, sources


def _score_period(
    period_id: int,
    template: ScorecardTemplate,
    shape: tuple[_PerspectiveShape, ...],
    values: Mapping[_ValueKey, list[Decimal]],
    sources: Mapping[_ValueKey, set[str]],
) -> tuple[scoring.ScorecardResult, dict[str, Any]]:
    """Score one period with the pure engine and build its frozen, explainable breakdown."""
    kpi_values: dict[tuple[str, str], tuple[Decimal | None, int]] = {}
    inputs = []
    for perspective in shape:
        kpis = []
        for kpi in perspective.kpis:
            raw = values.get((period_id, perspective.code, kpi.code), [])
            value = scoring.aggregate(raw, kpi.aggregation)
            kpi_values[(perspective.code, kpi.code)] = (value, len(raw))
            kpis.append(
                scoring.KpiInput(
                    code=kpi.code,
                    direction=kpi.direction,
                    target=kpi.target,
                    threshold=kpi.threshold,
                    weight=kpi.weight,
                    value=value,
                )
            )
        inputs.append(
            scoring.PerspectiveInput(
                code=perspective.code, weight=perspective.weight, kpis=tuple(kpis)
            )
        )
    result = scoring.score_scorecard(inputs)
    breakdown: dict[str, Any] = {
        "template_code": template.code,
        "template_version": template.version,
        "template_name": template.name,
        "overall": _display(result.overall),
        "overall_exact": _exact(result.overall),
        "rating": result.rating.value if result.rating else None,
        "coverage": _display(result.coverage),
        "provisional": result.provisional,
        "perspectives": [],
    }
    for perspective, p_result in zip(shape, result.perspectives, strict=True):
        p_entry: dict[str, Any] = {
            "code": perspective.code,
            "name": perspective.name,
            "weight": _number(perspective.weight),
            "score": _display(p_result.score),
            "score_exact": _exact(p_result.score),
            "kpis": [],
        }
        for kpi, k_result in zip(perspective.kpis, p_result.kpis, strict=True):
            value, count = kpi_values[(perspective.code, kpi.code)]
            p_entry["kpis"].append(
                {
                    "code": kpi.code,
                    "name": kpi.name,
                    "unit": kpi.unit,
                    "direction": kpi.direction.value,
                    "target": _number(kpi.target),
                    "threshold": _number(kpi.threshold),
                    "weight": _number(kpi.weight),
                    "source": kpi.source,
                    # Where the values that counted came from (a buyer may enter a
                    # supplier-sourced KPI, and accepted self-reports count alongside).
                    "value_sources": sorted(
                        sources.get((period_id, perspective.code, kpi.code), ())
                    ),
                    "aggregation": kpi.aggregation.value,
                    "value": None if value is None else _number(value),
                    "values_count": count,
                    "score": _display(k_result.score),
                    "score_exact": _exact(k_result.score),
                }
            )
        breakdown["perspectives"].append(p_entry)
    return result, breakdown


def _freeze(
    periods: Sequence[Period], *, template_of: Mapping[int, ScorecardTemplate]
) -> list[Period]:
    """Score ``periods`` (each with the template given for it) and set their score fields.

    Returns the periods it scored. A period whose template no longer validates (e.g. weights
    edited in the admin) is left out and logged, so one broken template cannot stop the close
    of every other scorecard.
    """
    shapes = _template_shapes(t.pk for t in template_of.values())
    values, sources = _accepted_values(p.pk for p in periods)
    scored = []
    for period in periods:
        template = template_of[period.pk]
        try:
            result, breakdown = _score_period(
                period.pk, template, shapes.get(template.pk, ()), values, sources
            )
        except scoring.ScoringInputError as error:
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
        period.breakdown = breakdown
    return scored


SCORE_FIELDS = ["scored_template", "overall", "rating", "coverage", "provisional", "breakdown"]


@transaction.atomic
def periods_close(
    *, actor: User | None, period_ids: Sequence[int], open_next: bool = True
) -> list[Period]:
    """Close a batch of open periods: score every KPI, perspective and scorecard with the
    scorecard's current template version, freeze the result, and open each next period.

    Periods already closed are skipped, so running it twice changes nothing the second time.
    The query count is fixed per batch, not per period or KPI.
    """
    _require(actor, Capability.MANAGE_SCORECARDS)
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
    closer = actor if actor is not None and actor.pk else None
    for period in periods:
        period.status = PeriodStatus.CLOSED
        period.closed_at = now
        period.closed_by = closer
    Period.objects.bulk_update(periods, [*SCORE_FIELDS, "status", "closed_at", "closed_by"])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=closer,
            action="period.close",
            object_type="scorecards.period",
            object_id=str(p.pk),
            object_repr=f"{p.scorecard_id} {p.label}"[:200],
            changes={"overall": _exact(p.overall), "rating": p.rating},
        )
        for p in periods
    )
    if open_next:
        following = []
        for p in periods:
            nxt = period_after(p.end, p.scorecard.frequency)
            following.append(
                Period(scorecard_id=p.scorecard_id, start=nxt.start, end=nxt.end, label=nxt.label)
            )
        Period.objects.bulk_create(following, ignore_conflicts=True)
    return periods


def _refresh_rollups_after_commit() -> None:
    # An outbox job, written with the change: it runs even when the broker is down.
    job_defer("scorecards.tasks.scorecards_refresh_rollups", dedupe_key="scorecards:rollups")


@transaction.atomic
def period_close(*, actor: User | None, period: Period) -> Period:
    """Close one open period (see ``periods_close``); a closed period is a conflict. The
    dashboards' rollups are rebuilt in the background once the close is committed."""
    closed = periods_close(actor=actor, period_ids=[period.pk])
    if not closed:
        raise ConflictError("This period is closed already.")
    _refresh_rollups_after_commit()
    return closed[0]


@transaction.atomic
def period_reopen(*, actor: User | None, period: Period, reason: str) -> Period:
    """Reopen a closed period for corrections; the reopening is recorded with its reason."""
    _require(actor, Capability.MANAGE_SCORECARDS)
    if not reason.strip():
        raise FieldErrors({"reason": ["Say why the period is reopened."]})
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.CLOSED:
        raise ConflictError("Only a closed period can be reopened.")
    period.status = PeriodStatus.OPEN
    period.reopen_count += 1
    period.save(update_fields=["status", "reopen_count"])
    audit_record(actor=actor, action="period.reopen", obj=period, changes={"reason": reason})
    _refresh_rollups_after_commit()
    return period


def due_period_ids(*, today: date) -> list[int]:
    """Open periods whose last day is before ``today``."""
    return list(
        Period.objects.filter(status=PeriodStatus.OPEN, end__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def periods_close_due(*, today: date | None = None, batch_size: int = 500) -> int:
    """Close every due period of every scorecard in batches; return how many were closed.

    Each batch is its own transaction, so a killed job keeps the batches it finished and the
    next run picks up the rest.
    """
    today = today or timezone.localdate()
    closed = 0
    attempted: set[int] = set()
    # Closing opens the next period, which may itself be due when a scorecard fell behind;
    # a period that cannot be scored is tried once per run, not forever.
    while ids := [pk for pk in due_period_ids(today=today) if pk not in attempted]:
        attempted.update(ids)
        for start in range(0, len(ids), batch_size):
            closed += len(periods_close(actor=None, period_ids=ids[start : start + batch_size]))
    return closed


# --- measurements ----------------------------------------------------------------------------


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    name = (evidence.name or "").lower()
    if not name.endswith(EVIDENCE_EXTENSIONS):
        raise FieldErrors({"evidence": [f"Attach one of: {', '.join(EVIDENCE_EXTENSIONS)}."]})
    if (evidence.size or 0) > EVIDENCE_MAX_BYTES:
        raise FieldErrors({"evidence": ["Evidence files may be at most 10 MB."]})


def _kpi_of_period(period: Period, kpi: KpiDefinition) -> None:
    if kpi.perspective.template_id != period.scorecard.template_id:
        raise FieldErrors({"kpi": ["This KPI is not part of the scorecard's template."]})


def _check_writable(actor: User, period: Period) -> None:
    if not actor.can(Capability.ENTER_MEASUREMENTS):
        raise PermissionDeniedError("Your role does not allow entering measurements.")
    if actor.is_supplier and partner_id_of_supplier(actor) != period.scorecard.partner_id:
        raise PermissionDeniedError("You may only report for your own company.")
    # Read the status under a row lock: the caller's copy may be stale, and a close running
    # at the same moment must not freeze the period halfway through this change.
    status = (
        Period.objects.select_for_update().filter(pk=period.pk).values_list("status", flat=True)
    ).first()
    if status != PeriodStatus.OPEN:
        raise ConflictError("The period is closed; reopen it to change its data.")


@transaction.atomic
def measurement_record(
    *,
    actor: User,
    period: Period,
    kpi: KpiDefinition,
    value: Decimal,
    measured_on: date | None = None,
    comment: str = "",
    evidence: UploadedFile | None = None,
) -> Measurement:
    """Record a KPI value. A buyer's value counts at once (and replaces the buyer's value for
    the same KPI and date); a supplier's is a self-report that counts once a buyer accepts it.
    """
    _check_writable(actor, period)
    _kpi_of_period(period, kpi)
    _check_evidence(evidence)
    measured_on = measured_on or period.end
    if not period.start <= measured_on <= period.end:
        raise FieldErrors({"measured_on": [f"Pick a date from {period.start} to {period.end}."]})
    if actor.is_supplier:
        if kpi.data_source != DataSource.SUPPLIER:
            raise FieldErrors({"kpi": ["This KPI is measured by the buyer, not self-reported."]})
        measurement = Measurement.objects.create(
            period=period,
            kpi=kpi,
            measured_on=measured_on,
            value=value,
            source=DataSource.SUPPLIER,
            status=MeasurementStatus.SUBMITTED,
            comment=comment,
            evidence=evidence or "",
            entered_by=actor,
        )
        audit_record(
            actor=actor, action="measurement.submit", obj=measurement, changes={"value": value}
        )
        partner = period.scorecard.partner
        if partner.owner is not None:
            notification_send(
                recipient=partner.owner,
                key=f"measurement:{measurement.pk}:submitted",
                subject=f"{partner} reported {kpi.name} for {period.label}: awaiting acceptance",
                body=comment,
                kind=NotificationKind.SELF_REPORT_SUBMITTED,
                partner_id=partner.pk,
                url=f"/scorecards/{period.scorecard_id}/",
            )
        return measurement
    measurement, created = Measurement.objects.update_or_create(
        period=period,
        kpi=kpi,
        measured_on=measured_on,
        source=DataSource.BUYER,
        defaults={
            "value": value,
            "status": MeasurementStatus.ACCEPTED,
            "comment": comment,
            "entered_by": actor,
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


@transaction.atomic
def measurements_record_grid(
    *, actor: User, period: Period, values: Mapping[int, Decimal | None]
) -> int:
    """Save the data-entry grid: one buyer value per KPI (id → value) at the period's end;
    None removes the buyer's value. Returns how many values changed."""
    if actor.is_supplier:
        raise PermissionDeniedError("Suppliers submit self-reports instead.")
    _check_writable(actor, period)
    kpis = {
        k.pk: k
        for k in KpiDefinition.objects.filter(
            perspective__template_id=period.scorecard.template_id, pk__in=list(values)
        )
    }
    unknown = [kpi_id for kpi_id in values if kpi_id not in kpis]
    if unknown:
        raise FieldErrors({"kpi": ["Some KPIs are not part of this scorecard."]})
    existing = {
        m.kpi_id: m
        for m in Measurement.objects.filter(
            period=period, source=DataSource.BUYER, measured_on=period.end, kpi_id__in=list(kpis)
        )
    }
    changed = 0
    for kpi_id, value in values.items():
        current = existing.get(kpi_id)
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
    return changed


@transaction.atomic
def measurement_review(
    *, actor: User, measurement: Measurement, accept: bool, comment: str = ""
) -> Measurement:
    """A buyer accepts a supplier self-report (it then counts) or rejects it with a reason."""
    if actor.is_supplier or not actor.can(Capability.MANAGE_SCORECARDS):
        raise PermissionDeniedError("Only a buyer who manages scorecards may review self-reports.")
    measurement = (
        Measurement.objects.select_for_update().select_related("period").get(pk=measurement.pk)
    )
    if measurement.status != MeasurementStatus.SUBMITTED:
        raise ConflictError("This self-report has been reviewed already.")
    if measurement.period.status != PeriodStatus.OPEN:
        raise ConflictError("The period is closed; reopen it to change its data.")
    if not accept and not comment.strip():
        raise FieldErrors({"comment": ["Say why the self-report is rejected."]})
    measurement.status = MeasurementStatus.ACCEPTED if accept else MeasurementStatus.REJECTED
    measurement.reviewed_by = actor
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


# --- disputes --------------------------------------------------------------------------------


def dispute_deadline(period: Period) -> date | None:
    if period.closed_at is None:
        return None
    return timezone.localdate(period.closed_at) + timedelta(
        days=period.scorecard.dispute_window_days
    )


@transaction.atomic
def dispute_raise(
    *, actor: User, period: Period, reason: str, kpi_code: str = "", today: date | None = None
) -> Dispute:
    """A supplier disputes their own closed period's score within the dispute window."""
    if not actor.is_supplier or partner_id_of_supplier(actor) != period.scorecard.partner_id:
        raise PermissionDeniedError("Only the partner's own users may dispute its score.")
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("scorecard__partner__owner", "scorecard__partner__alliance_manager")
        .get(pk=period.pk)
    )
    if period.status != PeriodStatus.CLOSED:
        raise ConflictError("Only a closed period's score can be disputed.")
    deadline = dispute_deadline(period)
    if deadline is not None and (today or timezone.localdate()) > deadline:
        raise ConflictError(f"The dispute window closed on {deadline:%d %b %Y}.")
    if not reason.strip():
        raise FieldErrors({"reason": ["Say what is wrong with the score."]})
    if Dispute.objects.filter(period=period, status=DisputeStatus.OPEN).exists():
        raise ConflictError("This period has an open dispute already.")
    dispute = Dispute.objects.create(
        period=period,
        raised_by=actor,
        reason=reason,
        kpi_code=kpi_code,
        overall_before=period.breakdown.get("overall") or "",
    )
    audit_record(actor=actor, action="dispute.raise", obj=dispute, changes={"reason": reason})
    partner = period.scorecard.partner
    for recipient in {partner.owner, partner.alliance_manager} - {None}:
        assert recipient is not None
        notification_send(
            recipient=recipient,
            key=f"dispute:{dispute.pk}:raised:{recipient.pk}",
            subject=f"{partner} disputes its {period.label} score",
            body=reason,
            kind=NotificationKind.DISPUTE_RAISED,
            partner_id=partner.pk,
            url=f"/scorecards/{period.scorecard_id}/",
        )
    return dispute


@transaction.atomic
def dispute_resolve(
    *,
    actor: User,
    dispute: Dispute,
    outcome: str,
    explanation: str,
    corrections: Mapping[str, Decimal] | None = None,
) -> Dispute:
    """A buyer resolves a dispute: ``corrected`` replaces the named KPIs' values (KPI code →
    value) and rescores the period with the template version it was scored with; ``rejected``
    keeps the score and records the explanation. Both are visible to the supplier."""
    if actor.is_supplier or not actor.can(Capability.MANAGE_SCORECARDS):
        raise PermissionDeniedError("Only a buyer who manages scorecards may resolve disputes.")
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status != DisputeStatus.OPEN:
        raise ConflictError("This dispute is resolved already.")
    if not explanation.strip():
        raise FieldErrors({"explanation": ["Explain the resolution to the partner."]})
    if outcome not in (DisputeStatus.CORRECTED, DisputeStatus.REJECTED):
        raise FieldErrors({"outcome": ["Choose corrected or rejected."]})
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("scorecard", "scored_template")
        .get(pk=dispute.period_id)
    )
    if outcome == DisputeStatus.CORRECTED:
        if not corrections:
            raise FieldErrors({"corrections": ["Give at least one corrected KPI value."]})
        template = period.scored_template or period.scorecard.template
        kpis = {k.code: k for k in KpiDefinition.objects.filter(perspective__template=template)}
        unknown = sorted(code for code in corrections if code not in kpis)
        if unknown:
            raise FieldErrors({"corrections": [f"Unknown KPI code: {', '.join(unknown)}."]})
        now = timezone.now()
        for code, value in corrections.items():
            Measurement.objects.filter(
                period=period, kpi__code=code, status=MeasurementStatus.ACCEPTED
            ).update(
                status=MeasurementStatus.REJECTED,
                review_comment=f"Superseded by the correction of dispute #{dispute.pk}.",
                reviewed_by=actor,
                reviewed_at=now,
            )
            Measurement.objects.filter(
                period=period, kpi__code=code, source=DataSource.BUYER, measured_on=period.end
            ).delete()
            Measurement.objects.create(
                period=period,
                kpi=kpis[code],
                measured_on=period.end,
                value=value,
                source=DataSource.BUYER,
                status=MeasurementStatus.ACCEPTED,
                comment=f"Correction for dispute #{dispute.pk}: {explanation}",
                entered_by=actor,
            )
        if not _freeze([period], template_of={period.pk: template}):
            raise FieldErrors({"corrections": [f"Template {template} is invalid; fix it first."]})
        period.save(update_fields=SCORE_FIELDS)
        _refresh_rollups_after_commit()
    dispute.status = outcome
    dispute.resolution = explanation
    dispute.resolved_by = actor
    dispute.resolved_at = timezone.now()
    dispute.overall_after = period.breakdown.get("overall") or ""
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
        notification_send(
            recipient=dispute.raised_by,
            key=f"dispute:{dispute.pk}:resolved",
            subject=f"Your dispute of {period.label} was {dispute.get_status_display().lower()}",
            body=explanation,
            kind=NotificationKind.DISPUTE_RESOLVED,
            partner_id=period.scorecard.partner_id,
            shared=True,
            url="/scorecards/portal/"
            if dispute.raised_by.is_supplier
            else f"/scorecards/{period.scorecard_id}/",
        )
    return dispute


# --- rollups ---------------------------------------------------------------------------------


def _rating_counts() -> dict[str, Any]:
    return {rating.value: Count("id", filter=Q(rating=rating.value)) for rating in scoring.Rating}


@transaction.atomic
def rollups_refresh() -> int:
    """Rebuild the portfolio rollups from the latest closed period of every scorecard: one
    aggregate query per dimension, then one delete and one bulk insert."""
    advisory_xact_lock("scorecards.rollups_refresh")  # two rebuilds at once: one waits
    latest = (
        Period.objects.filter(status=PeriodStatus.CLOSED, overall__isnull=False)
        .order_by("scorecard_id", "-start")
        .distinct("scorecard_id")
        .values("pk")
    )
    base = Period.objects.filter(pk__in=latest).order_by()
    aggregates = {"n": Count("id"), "avg": Avg("overall"), **_rating_counts()}
    rows: list[tuple[str, str, str, Any]] = []
    for row in base.values(key=F("scorecard__partner__engagement_model")).annotate(**aggregates):
        label = ENGAGEMENT_MODEL_LABELS.get(EngagementModel(row["key"]), row["key"])
        rows.append((RollupDimension.ENGAGEMENT_MODEL, row["key"], label, row))
    for row in base.values(key=F("scorecard__partner__quadrant")).annotate(**aggregates):
        key = row["key"] or "unsegmented"
        label = QUADRANT_LABELS[Quadrant(key)] if row["key"] else "Not segmented"
        rows.append((RollupDimension.QUADRANT, key, label, row))
    # A scorecard kept for one category counts there; one for the whole partner counts in
    # each of the partner's categories.
    by_category: dict[str, dict[str, Any]] = {}
    for lookup in ("scorecard__category", "scorecard__partner__categories"):
        filters = (
            {"scorecard__category__isnull": False}
            if lookup == "scorecard__category"
            else {"scorecard__category__isnull": True, f"{lookup}__isnull": False}
        )
        for row in (
            base.filter(**filters)
            .values(key=F(f"{lookup}__code"), group=F(f"{lookup}__name"))
            .annotate(total=Count("id"), avg_sum=Sum("overall"), **_rating_counts())
        ):
            merged = by_category.setdefault(
                row["key"],
                {"label": row["group"], "n": 0, "sum": Decimal(0)}
                | {r.value: 0 for r in scoring.Rating},
            )
            merged["n"] += row["total"]
            merged["sum"] += row["avg_sum"]
            counts: dict[str, Any] = dict(row)
            for rating in scoring.Rating:
                merged[rating.value] += counts[rating.value]
    for key, merged in by_category.items():
        merged["avg"] = merged["sum"] / merged["n"]
        rows.append((RollupDimension.CATEGORY, key, merged["label"], merged))
    for row in (
        base.filter(scorecard__partner__executive_sponsor__isnull=False)
        .values(
            key=F("scorecard__partner__executive_sponsor_id"),
            first=F("scorecard__partner__executive_sponsor__first_name"),
            last=F("scorecard__partner__executive_sponsor__last_name"),
            username=F("scorecard__partner__executive_sponsor__username"),
        )
        .annotate(**aggregates)
    ):
        label = f"{row['first']} {row['last']}".strip() or row["username"]
        rows.append((RollupDimension.SPONSOR, str(row["key"]), label, row))
    now = timezone.now()
    PortfolioRollup.objects.all().delete()
    PortfolioRollup.objects.bulk_create(
        PortfolioRollup(
            dimension=dimension,
            key=key,
            label=label,
            scorecards=row["n"],
            average=row["avg"],
            excellent=row["excellent"],
            good=row["good"],
            needs_improvement=row["needs_improvement"],
            critical=row["critical"],
            refreshed_at=now,
        )
        for dimension, key, label, row in rows
    )
    return len(rows)


# --- import ----------------------------------------------------------------------------------


class MeasurementImportError(FieldErrors):
    """An import with errors; ``issues`` lists them by row and column. Nothing was written."""

    def __init__(self, issues: Sequence[Any]) -> None:
        self.issues = list(issues)
        super().__init__(
            {f"row {i.row}, {i.column}": [i.message] for i in self.issues} or {"file": ["?"]}
        )


def measurements_import(
    *, actor: User, scorecard: Scorecard, rows: Sequence[tuple[int, Mapping[str, str]]]
) -> int:
    """Import buyer measurements for ``scorecard``: validate every row first, then write all
    of them in one transaction, or none when any row has an error."""
    from scorecards.importing import ImportIssue

    if actor.is_supplier:
        raise PermissionDeniedError("Suppliers submit self-reports instead.")
    _require(actor, Capability.ENTER_MEASUREMENTS)
    periods = {p.start: p for p in scorecard.periods.all()}
    example = period_containing(timezone.localdate(), scorecard.frequency).label
    kpis = {
        k.code: k
        for k in KpiDefinition.objects.filter(perspective__template_id=scorecard.template_id)
    }
    issues: list[ImportIssue] = []
    parsed: list[tuple[Period, KpiDefinition, Decimal, date | None, str]] = []
    for number, row in rows:
        calendar_period = period_from_label(row.get("period", ""), scorecard.frequency)
        period = periods.get(calendar_period.start) if calendar_period else None
        if calendar_period is None:
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
            value = Decimal(row.get("value", "").strip().replace(",", "."))
        except InvalidOperation:
            value = Decimal("NaN")
        value_error = number_error(value)
        if value_error is not None:
            issues.append(ImportIssue(number, "value", value_error))
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
        if period is not None and kpi is not None:
            parsed.append((period, kpi, value, measured_on, row.get("comment", "")))
    if issues:
        raise MeasurementImportError(issues)
    with transaction.atomic():
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

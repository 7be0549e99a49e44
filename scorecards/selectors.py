"""Reads of the scorecards app, scoped through partners.access, with their joins explicit."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.http import Http404

from partners.access import partners_visible_to
from partners.models import Partner
from scorecards import trend
from scorecards.models import (
    Dispute,
    DisputeStatus,
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
from scorecards.scoring import DEFAULT_PERSPECTIVE_WEIGHTS, round_score
from scorecards.services import dispute_deadline


def scorecards_visible_to(user: Any) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(partner__in=partners_visible_to(user))


def periods_visible_to(user: Any) -> QuerySet[Period]:
    return Period.objects.filter(scorecard__partner__in=partners_visible_to(user))


def measurements_visible_to(user: Any) -> QuerySet[Measurement]:
    return Measurement.objects.filter(period__scorecard__partner__in=partners_visible_to(user))


def disputes_visible_to(user: Any) -> QuerySet[Dispute]:
    return Dispute.objects.filter(period__scorecard__partner__in=partners_visible_to(user))


def _latest_closed(field: str) -> Subquery:
    return Subquery(
        Period.objects.filter(scorecard=OuterRef("pk"), status=PeriodStatus.CLOSED)
        .order_by("-start")
        .values(field)[:1]
    )


def _latest_closed_shown_score() -> Subquery:
    return Subquery(
        Period.objects.filter(scorecard=OuterRef("pk"), status=PeriodStatus.CLOSED)
        .order_by("-start")
        .annotate(shown=KT("breakdown__overall"))
        .values("shown")[:1]
    )


def scorecard_list(user: Any) -> QuerySet[Scorecard]:
    """Scorecards the user may see with their latest closed score and pending self-reports."""
    return _with_latest_score(scorecards_visible_to(user))


def partner_scorecards(partner: Partner) -> QuerySet[Scorecard]:
    """One partner's scorecards with their latest closed score (the caller checked access)."""
    return _with_latest_score(Scorecard.objects.filter(partner=partner))


def _with_latest_score(scorecards: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    return (
        scorecards.select_related("partner", "template", "category")
        .annotate(
            # The frozen display value, so no page rounds a rounded number again.
            latest_overall=_latest_closed_shown_score(),
            latest_rating=_latest_closed("rating"),
            latest_label=_latest_closed("label"),
            latest_provisional=_latest_closed("provisional"),
            pending_reports=Count(
                "periods__measurements",
                filter=Q(periods__measurements__status=MeasurementStatus.SUBMITTED),
            ),
        )
        .order_by("partner__short_name", "template__name", "id")
    )


def scorecard_get(user: Any, scorecard_id: int | str) -> Scorecard:
    try:
        return (
            scorecards_visible_to(user)
            .select_related("partner", "template", "category")
            .get(pk=int(scorecard_id))
        )
    except (Scorecard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such scorecard.") from exc


def period_get(user: Any, period_id: int | str) -> Period:
    try:
        return (
            periods_visible_to(user)
            .select_related("scorecard__partner", "scorecard__template", "scored_template")
            .get(pk=int(period_id))
        )
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such period.") from exc


def template_list() -> QuerySet[ScorecardTemplate]:
    """Every template version with its perspectives, KPIs and how many scorecards use it."""
    return (
        ScorecardTemplate.objects.annotate(in_use=Count("scorecards"))
        .prefetch_related(
            Prefetch(
                "perspectives",
                queryset=Perspective.objects.prefetch_related(
                    Prefetch("kpis", queryset=KpiDefinition.objects.order_by("position", "id"))
                ),
            )
        )
        .order_by("code", "-version")
    )


def template_newer_than(template: ScorecardTemplate) -> ScorecardTemplate | None:
    """The latest version of ``template``'s code when it is newer than ``template``."""
    return (
        ScorecardTemplate.objects.filter(code=template.code, version__gt=template.version)
        .order_by("-version")
        .first()
    )


def template_kpis(template: ScorecardTemplate) -> list[Perspective]:
    """The template's perspectives with their KPIs (two queries)."""
    return list(
        template.perspectives.prefetch_related(
            Prefetch("kpis", queryset=KpiDefinition.objects.order_by("position", "id"))
        )
    )


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def template_draft(template: ScorecardTemplate | None) -> dict[str, Any]:
    """A template as the editor's draft (plain strings): an existing version to start its next
    version from, or, without one, a blank template with the default 30/30/20/20
    perspectives."""
    if template is None:
        return {
            "code": "",
            "name": "",
            "description": "",
            "perspectives": [
                {"code": code, "name": code.title(), "weight": _plain(weight), "kpis": []}
                for code, weight in DEFAULT_PERSPECTIVE_WEIGHTS
            ],
        }
    return {
        "code": template.code,
        "name": template.name,
        "description": template.description,
        "perspectives": [
            {
                "code": p.code,
                "name": p.name,
                "weight": _plain(p.weight),
                "kpis": [
                    {
                        "code": k.code,
                        "name": k.name,
                        "unit": k.unit,
                        "direction": k.direction,
                        "target": _plain(k.target),
                        "threshold": _plain(k.threshold),
                        "weight": _plain(k.weight),
                        "data_source": k.data_source,
                        "aggregation": k.aggregation,
                    }
                    for k in p.kpis.all()
                ],
            }
            for p in template_kpis(template)
        ],
    }


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else str(round_score(value))


def _series_trend(labels: Sequence[str], series: Sequence[Decimal | None]) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "value": _fmt(point.value),
            "change": _fmt(point.change),
            "rolling_average": _fmt(point.rolling_average),
        }
        for label, point in zip(labels, trend.trend_points(series), strict=True)
    ]


def _decimal_or_none(raw: str | None) -> Decimal | None:
    return None if raw is None else Decimal(raw)


def scorecard_trend(periods: Sequence[Period]) -> dict[str, Any]:
    """Trend (change and rolling four-period average) of the overall score, each perspective
    and each KPI over the periods up to the last closed one; open periods count as gaps."""
    ordered = sorted(periods, key=lambda p: p.start)
    closed_index = [i for i, p in enumerate(ordered) if p.status == PeriodStatus.CLOSED]
    if not closed_index:
        return {"labels": [], "overall": [], "perspectives": [], "kpis": []}
    window = ordered[: closed_index[-1] + 1]
    labels = [p.label for p in window]
    frozen = [p.breakdown if p.status == PeriodStatus.CLOSED else {} for p in window]
    overall = [
        p.overall if p.status == PeriodStatus.CLOSED and p.overall is not None else None
        for p in window
    ]
    names: dict[str, str] = {}
    kpi_names: dict[tuple[str, str], str] = {}
    for b in frozen:
        for persp in b.get("perspectives", []):
            names.setdefault(persp["code"], persp["name"])
            for kpi in persp["kpis"]:
                kpi_names.setdefault((persp["code"], kpi["code"]), kpi["name"])

    def perspective_series(code: str) -> list[Decimal | None]:
        out: list[Decimal | None] = []
        for b in frozen:
            found = next((p for p in b.get("perspectives", []) if p["code"] == code), None)
            out.append(_decimal_or_none(found["score_exact"]) if found else None)
        return out

    def kpi_series(p_code: str, k_code: str) -> list[Decimal | None]:
        out: list[Decimal | None] = []
        for b in frozen:
            found = None
            for persp in b.get("perspectives", []):
                if persp["code"] == p_code:
                    found = next((k for k in persp["kpis"] if k["code"] == k_code), None)
            out.append(_decimal_or_none(found["score_exact"]) if found else None)
        return out

    return {
        "labels": labels,
        "overall": _series_trend(labels, overall),
        "perspectives": [
            {"code": code, "name": name, "points": _series_trend(labels, perspective_series(code))}
            for code, name in names.items()
        ],
        "kpis": [
            {
                "perspective": p_code,
                "code": k_code,
                "name": name,
                "points": _series_trend(labels, kpi_series(p_code, k_code)),
            }
            for (p_code, k_code), name in kpi_names.items()
        ],
    }


def trend_chart_data(trend_data: dict[str, Any]) -> dict[str, Any]:
    """What the Chart.js line chart needs: labels, overall, rolling average, perspectives."""
    return {
        "labels": trend_data["labels"],
        "overall": [p["value"] for p in trend_data["overall"]],
        "rolling": [p["rolling_average"] for p in trend_data["overall"]],
        "perspectives": [
            {"name": s["name"], "values": [p["value"] for p in s["points"]]}
            for s in trend_data["perspectives"]
        ],
    }


def breakdown_with_trend(
    breakdown: dict[str, Any], trend_data: dict[str, Any], label: str
) -> dict[str, Any]:
    """A copy of a frozen breakdown with each perspective's and KPI's change against the
    previous period and rolling four-period average at ``label``, for display."""
    if label not in trend_data["labels"]:
        return breakdown
    at = trend_data["labels"].index(label)
    perspectives = {s["code"]: s["points"][at] for s in trend_data["perspectives"]}
    kpis = {(s["perspective"], s["code"]): s["points"][at] for s in trend_data["kpis"]}
    empty = {"change": None, "rolling_average": None}
    return {
        **breakdown,
        "trend": trend_data["overall"][at],
        "perspectives": [
            {
                **p,
                "trend": perspectives.get(p["code"], empty),
                "kpis": [
                    {**k, "trend": kpis.get((p["code"], k["code"]), empty)} for k in p["kpis"]
                ],
            }
            for p in breakdown["perspectives"]
        ],
    }


def scorecard_detail(
    user: Any, scorecard: Scorecard, period_id: str | None = None
) -> dict[str, Any]:
    """Everything the scorecard page shows: periods, the chosen (default: latest closed)
    period's explained breakdown, the trend, disputes and self-reports awaiting review."""
    periods = list(scorecard.periods.select_related("scored_template", "closed_by"))
    closed = [p for p in periods if p.status == PeriodStatus.CLOSED]
    selected = None
    if period_id:
        selected = next((p for p in periods if str(p.pk) == period_id), None)
        if selected is None:
            raise Http404("No such period.")
    elif closed:
        selected = closed[-1]
    open_periods = [p for p in periods if p.status == PeriodStatus.OPEN]
    trend_data = scorecard_trend(periods)
    trend_by_code = {s["code"]: s["points"][-1] for s in trend_data["perspectives"]}
    disputes = list(
        Dispute.objects.filter(period__scorecard=scorecard)
        .select_related("period", "raised_by", "resolved_by")
        .order_by("-raised_at")
    )
    reports = list(
        Measurement.objects.filter(period__scorecard=scorecard, source="supplier")
        .select_related("kpi", "period", "entered_by", "reviewed_by")
        .order_by("-entered_at")
    )
    breakdown = None
    if selected is not None and selected.breakdown:
        breakdown = breakdown_with_trend(selected.breakdown, trend_data, selected.label)
    return {
        "scorecard": scorecard,
        "periods": periods,
        "selected": selected,
        "breakdown": breakdown,
        "open_period": open_periods[-1] if open_periods else None,
        "dispute_deadline": dispute_deadline(selected) if selected is not None else None,
        "trend": trend_data,
        "trend_latest": trend_data["overall"][-1] if trend_data["overall"] else None,
        "trend_by_perspective": trend_by_code,
        "chart": trend_chart_data(trend_data),
        "disputes": disputes,
        "open_dispute_periods": {d.period_id for d in disputes if d.status == "open"},
        "self_reports": reports,
        "pending_reports": [r for r in reports if r.status == MeasurementStatus.SUBMITTED],
    }


def partner_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's scorecard panel: each scorecard's latest score, trend chart data
    and per-perspective breakdown, in two queries whatever the number of periods."""
    scorecards = list(
        Scorecard.objects.filter(partner=partner, partner__in=partners_visible_to(user))
        .select_related("template", "category")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("start")))
    )
    cards = []
    for scorecard in scorecards:
        periods = list(scorecard.periods.all())
        closed = [p for p in periods if p.status == PeriodStatus.CLOSED]
        trend_data = scorecard_trend(periods)
        cards.append(
            {
                "scorecard": scorecard,
                "latest": closed[-1] if closed else None,
                "trend_latest": trend_data["overall"][-1] if trend_data["overall"] else None,
                "chart": trend_chart_data(trend_data),
                "chart_id": f"scorecard-trend-{scorecard.pk}",
            }
        )
    return {"cards": cards}


def pending_self_reports(user: Any) -> QuerySet[Measurement]:
    return (
        measurements_visible_to(user)
        .filter(status=MeasurementStatus.SUBMITTED)
        .select_related("kpi", "period__scorecard__partner", "entered_by")
        .order_by("entered_at")
    )


def rollup_distribution() -> dict[str, list[PortfolioRollup]]:
    """Portfolio rollups per dimension (one query), as dashboards show them."""
    grouped: dict[str, list[PortfolioRollup]] = {d.value: [] for d in RollupDimension}
    for row in PortfolioRollup.objects.order_by("dimension", "label"):
        grouped[row.dimension].append(row)
    return grouped


def partner_latest_kpi_results(partner: Partner) -> dict[str, dict[str, Any]]:
    """Per KPI code, what the partner's latest closed period of each scorecard froze: name,
    unit, value, score and period label. Joint-plan objectives link to KPIs by this code, which
    stays the same across template versions. One query."""
    latest_closed = (
        Period.objects.filter(scorecard__partner=partner, status=PeriodStatus.CLOSED)
        .order_by("scorecard_id", "-end")
        .distinct("scorecard_id")
    )
    results: dict[str, dict[str, Any]] = {}
    for period in latest_closed:
        for perspective in period.breakdown.get("perspectives", []):
            for kpi in perspective.get("kpis", []):
                results.setdefault(
                    kpi["code"],
                    {
                        "name": kpi["name"],
                        "unit": kpi.get("unit", ""),
                        "value": kpi.get("value"),
                        "score": kpi.get("score"),
                        "period": period.label,
                    },
                )
    return results


def partner_kpi_choices(partner: Partner) -> list[tuple[str, str]]:
    """(code, name) of every KPI in the templates of the partner's scorecards. One query."""
    rows = (
        KpiDefinition.objects.filter(perspective__template__scorecards__partner=partner)
        .order_by("code", "-perspective__template__version")
        .distinct("code")
        .values_list("code", "name")
    )
    return [(code, name) for code, name in rows]


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


def scorecard_export_rows(scorecard: Scorecard, period_id: str | None = None) -> list[list[Any]]:
    """The explained breakdown of every scored period (or the one named), one row per KPI, as
    frozen at close: the same numbers and template version the scorecard page shows. Numbers
    are Decimals so spreadsheets get numbers; the writer neutralises formula-like text."""
    periods = scorecard.periods.exclude(breakdown={}).order_by("start")
    if period_id is not None:
        periods = periods.filter(pk=int(period_id) if period_id.isdigit() else 0)
    rows: list[list[Any]] = []
    for period in periods:
        b = period.breakdown
        head = [
            scorecard.partner.short_name,
            b.get("template_name", ""),
            b.get("template_version"),
            period.label,
            period.status,
            _decimal_or_none(b.get("overall")),
            b.get("rating") or "",
            _decimal_or_none(b.get("coverage")),
            "yes" if b.get("provisional") else "no",
        ]
        for p in b.get("perspectives", []):
            for k in p["kpis"]:
                rows.append(
                    [
                        *head,
                        p["name"],
                        _decimal_or_none(p["weight"]),
                        _decimal_or_none(p["score"]),
                        k["code"],
                        k["name"],
                        k.get("unit", ""),
                        k["direction"],
                        _decimal_or_none(k["target"]),
                        _decimal_or_none(k["threshold"]),
                        _decimal_or_none(k["weight"]),
                        k["source"],
                        k.get("aggregation", ""),
                        k.get("values_count", 0),
                        _decimal_or_none(k["value"]),
                        _decimal_or_none(k["score"]),
                    ]
                )
    return rows


def disputes_to_resolve(user: Any, *, limit: int = 10) -> list[Dispute]:
    """Open disputes of the partnerships ``user`` owns or manages, oldest first: the
    workspace's "disputes to resolve" (they are the ones notified when a supplier disputes)."""
    return list(
        disputes_visible_to(user)
        .filter(status=DisputeStatus.OPEN)
        .filter(
            Q(period__scorecard__partner__owner=user)
            | Q(period__scorecard__partner__alliance_manager=user)
        )
        .select_related("period__scorecard__partner", "raised_by")
        .order_by("raised_at", "id")[:limit]
    )

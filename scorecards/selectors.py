"""Reads of the scorecards app, scoped through partners.access, with their joins explicit.

"The latest score" of a scorecard or a partner is defined once, in scorecards.latest_scores;
the lists and panels here read it from there.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from core.models import User
from core.roles import Capability
from partners.access import partners_visible_to, visible_partners_only
from partners.models import Partner
from scorecards.latest_scores import (
    headline_score,
    latest_scored_field,
    latest_scored_periods,
    scorecard_latest_scores,
    shown_overall,
)
from scorecards.models import (
    DataSource,
    Dispute,
    DisputeStatus,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
    PortfolioRollup,
    RollupDimension,
    Scorecard,
)
from scorecards.presentation import breakdown_with_trend, scorecard_trend, trend_chart_data

# Who is looking: the request's user, signed in or not. Which partners they may see is
# decided by partners.access.
type Viewer = AbstractBaseUser | AnonymousUser


def scorecards_visible_to(user: Viewer) -> QuerySet[Scorecard]:
    return visible_partners_only(Scorecard.objects.all(), user)


def periods_visible_to(user: Viewer) -> QuerySet[Period]:
    return visible_partners_only(Period.objects.all(), user, "scorecard__partner")


def measurements_visible_to(user: Viewer) -> QuerySet[Measurement]:
    return visible_partners_only(Measurement.objects.all(), user, "period__scorecard__partner")


def disputes_visible_to(user: Viewer) -> QuerySet[Dispute]:
    return visible_partners_only(Dispute.objects.all(), user, "period__scorecard__partner")


def kpis_visible_to(user: Viewer) -> QuerySet[KpiDefinition]:
    """KPI definitions the user may name: every template's for internal users (templates are
    shared), only those of their own company's scorecards for a supplier user."""
    if isinstance(user, User) and user.is_active and user.can(Capability.VIEW_PORTFOLIO):
        return KpiDefinition.objects.all()
    return KpiDefinition.objects.filter(
        perspective__template__in=scorecards_visible_to(user).values("template")
    )


def _with_latest_score(scorecards: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    return (
        scorecards.select_related("partner", "template", "category")
        .annotate(
            # The frozen display value, so no page rounds a rounded number again.
            latest_overall=latest_scored_field(shown_overall()),
            latest_rating=latest_scored_field("rating"),
            latest_label=latest_scored_field("label"),
            latest_provisional=latest_scored_field("provisional"),
            # A correlated count over the partial index of submitted measurements: only the
            # few waiting self-reports are read, never the scorecard's whole history.
            pending_reports=Coalesce(
                Subquery(
                    Measurement.objects.filter(
                        period__scorecard=OuterRef("pk"), status=MeasurementStatus.SUBMITTED
                    )
                    .order_by()
                    .values("period__scorecard")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("partner__short_name", "template__name", "id")
    )


def scorecard_list(user: Viewer) -> QuerySet[Scorecard]:
    """Scorecards the user may see with their latest score (``latest_overall`` as shown,
    ``latest_rating``, ``latest_label``, ``latest_provisional``) and pending self-reports."""
    return _with_latest_score(scorecards_visible_to(user))


def partner_scorecards(partner: Partner) -> QuerySet[Scorecard]:
    """One partner's scorecards with their latest score (the caller checked access)."""
    return _with_latest_score(Scorecard.objects.filter(partner=partner))


def scorecard_get(user: Viewer, scorecard_id: int | str) -> Scorecard:
    try:
        return (
            scorecards_visible_to(user)
            .select_related("partner", "template", "category")
            .get(pk=int(scorecard_id))
        )
    except (Scorecard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such scorecard.") from exc


def period_get(user: Viewer, period_id: int | str) -> Period:
    try:
        return (
            periods_visible_to(user)
            .select_related("scorecard__partner", "scorecard__template", "scored_template")
            .get(pk=int(period_id))
        )
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such period.") from exc


def measurement_get(user: Viewer, measurement_id: int | str) -> Measurement:
    try:
        return measurements_visible_to(user).select_related("period").get(pk=int(measurement_id))
    except (Measurement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such measurement.") from exc


def dispute_get(user: Viewer, dispute_id: int | str) -> Dispute:
    try:
        return disputes_visible_to(user).select_related("period").get(pk=int(dispute_id))
    except (Dispute.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such dispute.") from exc


# --- periods -----------------------------------------------------------------------------------


def due_period_ids(*, today: date) -> list[int]:
    """Open periods whose last day is before ``today``."""
    return list(
        Period.objects.filter(status=PeriodStatus.OPEN, end__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def dispute_deadline(period: Period) -> date | None:
    """The last day a supplier may dispute the closed ``period``'s score."""
    if period.closed_at is None:
        return None
    return timezone.localdate(period.closed_at) + timedelta(
        days=period.scorecard.dispute_window_days
    )


# --- pages -------------------------------------------------------------------------------------


def scorecard_detail(
    user: Viewer, scorecard: Scorecard, period_id: str | None = None
) -> dict[str, Any]:
    """Everything the scorecard page shows: periods, the chosen period's explained breakdown
    (by default the latest score, else the last closed period), the trend, disputes and
    self-reports awaiting review."""
    periods = list(scorecard.periods.select_related("scored_template", "closed_by"))
    selected = None
    if period_id:
        selected = next((p for p in periods if str(p.pk) == period_id), None)
        if selected is None:
            raise Http404("No such period.")
    else:
        latest = scorecard_latest_scores([scorecard.pk]).get(scorecard.pk)
        closed = [p for p in periods if p.is_closed]
        selected = next(
            (p for p in periods if latest is not None and p.pk == latest.period_id),
            closed[-1] if closed else None,
        )
    open_periods = [p for p in periods if p.status == PeriodStatus.OPEN]
    trend = scorecard_trend(periods)
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
    frozen = selected.score_breakdown if selected is not None else None
    return {
        "scorecard": scorecard,
        "periods": periods,
        "selected": selected,
        "breakdown": (
            breakdown_with_trend(frozen, trend, selected.label)
            if frozen is not None and selected is not None
            else None
        ),
        "open_period": open_periods[-1] if open_periods else None,
        "dispute_deadline": dispute_deadline(selected) if selected is not None else None,
        "trend": trend,
        "chart": trend_chart_data(trend),
        "disputes": disputes,
        "open_dispute_periods": {d.period_id for d in disputes if d.status == "open"},
        "self_reports": reports,
        "pending_reports": [r for r in reports if r.status == MeasurementStatus.SUBMITTED],
    }


def partner_panel(user: Viewer, partner: Partner) -> dict[str, Any]:
    """The partner page's scorecard panel (the QBR shows it too): the partner's headline
    score, and each scorecard's latest score, trend chart data and per-perspective
    breakdown, in three queries whatever the number of periods."""
    scorecards = list(
        Scorecard.objects.filter(partner=partner, partner__in=partners_visible_to(user))
        .select_related("template", "category")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("start")))
    )
    latest = scorecard_latest_scores(s.pk for s in scorecards) if scorecards else {}
    cards = []
    for scorecard in scorecards:
        periods = list(scorecard.periods.all())
        score = latest.get(scorecard.pk)
        trend = scorecard_trend(periods)
        cards.append(
            {
                "scorecard": scorecard,
                "score": score,
                "latest": next((p for p in periods if score and p.pk == score.period_id), None),
                "trend_latest": trend.at(score.label) if score else None,
                "chart": trend_chart_data(trend),
                "chart_id": f"scorecard-trend-{scorecard.pk}",
            }
        )
    headline = headline_score(latest.values())
    return {
        "cards": cards,
        "headline": headline,
        "headline_scorecard": next(
            (s for s in scorecards if headline and s.pk == headline.scorecard_id), None
        ),
    }


def grid_values(period: Period) -> tuple[dict[int, Decimal], dict[int, int]]:
    """For the data-entry grid: the buyer's value per KPI id at the period's end, and how many
    other values count per KPI id (dated sub-period values, accepted self-reports)."""
    current = {
        m.kpi_id: m.value
        for m in period.measurements.filter(source=DataSource.BUYER, measured_on=period.end)
    }
    others = dict(
        period.measurements.filter(status=MeasurementStatus.ACCEPTED)
        .exclude(source=DataSource.BUYER, measured_on=period.end)
        .order_by()
        .values("kpi_id")
        .annotate(n=Count("id"))
        .values_list("kpi_id", "n")
    )
    return current, others


def pending_self_reports(user: Viewer) -> QuerySet[Measurement]:
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
    """Per KPI code, what the latest score of each of the partner's scorecards froze: name,
    unit, value, score and period label. Joint-plan objectives link to KPIs by this code, which
    stays the same across template versions. One query."""
    results: dict[str, dict[str, Any]] = {}
    for period in latest_scored_periods().filter(scorecard__partner=partner):
        breakdown = period.score_breakdown
        for perspective in breakdown.perspectives if breakdown else ():
            for kpi in perspective.kpis:
                results.setdefault(
                    kpi.code,
                    {
                        "name": kpi.name,
                        "unit": kpi.unit,
                        "value": kpi.value,
                        "score": kpi.score,
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


def disputes_to_resolve(user: Viewer, *, limit: int = 10) -> list[Dispute]:
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

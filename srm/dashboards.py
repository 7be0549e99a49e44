"""Reads behind the workspace, the executive dashboard and the portal home."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.roles import Capability
from governance import selectors as governance_selectors
from governance.models import PartnerRiskSignals
from partners.kraljic import EngagementModel, Quadrant
from partners.matrix import kraljic_bubbles
from partners.models import AnnualSpend, Partner, PartnerNote
from partners.selectors import latest_spend_year, partner_list
from scorecards.latest_scores import partner_latest_scores
from scorecards.models import KpiDefinition, MeasurementStatus, Period, PeriodStatus
from scorecards.selectors import partner_scorecards, pending_self_reports, rollup_distribution


def workspace_partners(user: Any) -> QuerySet[Partner]:
    """The partners the user owns, manages or sponsors."""
    return partner_list(user).filter(
        Q(owner=user) | Q(alliance_manager=user) | Q(executive_sponsor=user)
    )


def portfolio_summary(user: Any) -> dict[str, Any]:
    """Partner counts and spend by engagement model and by Kraljic quadrant."""
    partners = partner_list(user)
    year = latest_spend_year() or 0
    by_model = dict(partners.order_by().values_list("engagement_model").annotate(n=Count("id")))
    by_quadrant = dict(partners.order_by().values_list("quadrant").annotate(n=Count("id")))
    spend_by_quadrant: dict[str, Decimal] = defaultdict(Decimal)
    for quadrant, total in (
        AnnualSpend.objects.filter(year=year, partner__in=partners.values("pk"))
        .order_by()
        .values_list("partner__quadrant")
        .annotate(total=Sum("amount"))
    ):
        spend_by_quadrant[quadrant] += total
    return {
        "year": year,
        "partner_count": sum(by_model.values()),
        "total_spend": sum(spend_by_quadrant.values(), Decimal(0)),
        "by_model": [(m.label, by_model.get(m.value, 0)) for m in EngagementModel],
        "by_quadrant": [
            (q.label, by_quadrant.get(q.value, 0), spend_by_quadrant.get(q.value, Decimal(0)))
            for q in Quadrant
        ],
        # Both are called by the template that shows them (the executive dashboard) and by
        # no other page, so the workspace does not pay for their queries.
        "kraljic": lambda: kraljic_bubbles(user),
        "scores": score_distribution,
    }


def score_distribution() -> dict[str, Any]:
    """Portfolio health: the scorecard rollups (latest closed period of every scorecard) by
    engagement model and by Kraljic quadrant, as the period-close job left them."""
    rollups = rollup_distribution()
    return {
        "by_model": rollups["engagement_model"],
        "by_quadrant": rollups["quadrant"],
        "by_category": rollups["category"],
        "by_sponsor": rollups["sponsor"],
        "refreshed_at": max(
            (r.refreshed_at for rows in rollups.values() for r in rows), default=None
        ),
    }


def portal_home_data(partner: Partner) -> dict[str, Any]:
    """What a supplier user sees first: their own company and what is shared with them."""
    return {
        "partner": partner,
        "latest_score": partner_latest_scores([partner.pk]).get(partner.pk),
        "scorecards": partner_scorecards(partner),
        "shared_notes": PartnerNote.objects.filter(partner=partner, visibility="shared"),
        "contacts": partner.contacts.all(),
        "governance": governance_selectors.portal_shared(partner),
    }


def partners_at_risk(user: Any) -> QuerySet[PartnerRiskSignals]:
    """The partnerships an executive should look at, with the reasons, as the refresh stored
    them (governance.services.risk_signals), by partner name. The caller pages it: a page
    reads its rows through the partial index of partners at risk, whatever the portfolio."""
    return (
        PartnerRiskSignals.objects.filter(at_risk=True, partner__in=partner_list(user).values("pk"))
        .select_related("partner")
        .only("partner__short_name", "reasons", "score_shown", "rating", "refreshed_at")
        .order_by("partner__short_name", "partner_id")
    )


def periods_missing_data(
    partner_ids: QuerySet[Any], *, until: date, from_day: date | None = None
) -> QuerySet[Period]:
    """Open periods of these partners ending by ``until`` (and not before ``from_day``) with
    KPI values missing, earliest first; annotated with ``kpis`` (the template's KPI count)
    and ``with_values`` (KPIs with a value that counts: buyers' and accepted self-reports)."""
    kpi_count = (
        KpiDefinition.objects.filter(perspective__template=OuterRef("scorecard__template"))
        .order_by()
        .values("perspective__template")
        .annotate(n=Count("id"))
        .values("n")
    )
    periods = Period.objects.filter(
        scorecard__partner__in=partner_ids, status=PeriodStatus.OPEN, end__lte=until
    )
    if from_day is not None:
        periods = periods.filter(end__gte=from_day)
    return (
        periods.annotate(
            kpis=Coalesce(Subquery(kpi_count), 0),
            with_values=Count(
                "measurements__kpi",
                filter=Q(measurements__status=MeasurementStatus.ACCEPTED),
                distinct=True,
            ),
        )
        .filter(with_values__lt=F("kpis"))
        .order_by("end")
    )


def workspace_scorecard_work(user: Any, partners: QuerySet[Partner]) -> dict[str, Any]:
    """Self-reports awaiting the user's acceptance and KPI data due in the next two weeks for
    the user's partners (open periods ending by then, with how many KPIs still lack a value)."""

    today = timezone.localdate()
    due = periods_missing_data(
        partners.values("pk"), until=today + timedelta(days=14)
    ).select_related("scorecard__partner", "scorecard__template")
    may_accept = user.can(Capability.MANAGE_SCORECARDS)
    return {
        "awaiting_acceptance": list(pending_self_reports(user)[:10]) if may_accept else [],
        "data_due": list(due[:10]),
        "today": today,
    }

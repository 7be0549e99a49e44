"""Reads behind the workspace, the executive dashboard and the portal home."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from governance import selectors as governance_selectors
from partners.kraljic import EngagementModel, Quadrant
from partners.models import AnnualSpend, Partner, PartnerNote
from partners.selectors import kraljic_matrix, latest_spend_year, partner_list
from scorecards.selectors import partner_scorecards, rollup_distribution


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
        "kraljic": lambda: kraljic_matrix(user),
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
        "scorecards": partner_scorecards(partner),
        "shared_notes": PartnerNote.objects.filter(partner=partner, visibility="shared"),
        "contacts": partner.contacts.all(),
        "governance": governance_selectors.portal_shared(partner),
    }

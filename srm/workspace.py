"""Reads behind the procurement workspace that it does not share with the dashboards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from partners.access import partners_visible_to, visible_partners_only
from partners.models import AnnualSpend, Partner
from partners.selectors import latest_spend_year, partner_list

# What the workspace's "My partners" table shows of each partner (with its spend).
MY_PARTNER_FIELDS = (
    "id",
    "short_name",
    "engagement_model",
    "quadrant",
    "lifecycle_stage",
    "risk_flags",
)


def workspace_partners(user: Any) -> QuerySet[Partner]:
    """The partners the user owns, manages or sponsors, with their spend in the latest year:
    the columns the table shows, without the people and categories the partner list joins."""
    return (
        partner_list(user)
        .filter(Q(owner=user) | Q(alliance_manager=user) | Q(executive_sponsor=user))
        .select_related(None)
        .prefetch_related(None)
        .only(*MY_PARTNER_FIELDS)
    )


def workspace_summary(user: Any) -> dict[str, Any]:
    """The workspace's header figures: partners in the portfolio and their spend in the
    latest spend year. Two aggregates (the dashboards' portfolio summary also groups by
    engagement model and quadrant, which the workspace does not show)."""
    year = latest_spend_year() or 0
    spend = visible_partners_only(AnnualSpend.objects.filter(year=year), user)
    total = spend.aggregate(total=Sum("amount"))["total"]
    return {
        "year": year,
        "partner_count": partners_visible_to(user).count(),
        "total_spend": total if total is not None else Decimal(0),
    }

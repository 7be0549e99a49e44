"""Reads behind the procurement workspace that it does not share with the dashboards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from partners.access import partners_visible_to, visible_partners_only
from partners.models import AnnualSpend
from partners.selectors import latest_spend_year


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

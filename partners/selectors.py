"""Reads of partner records, scoped by partners.access and with their joins made explicit."""

from __future__ import annotations

from typing import Any

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from partners.access import partners_visible_to
from partners.models import AnnualSpend, Partner


def latest_spend_year() -> int | None:
    return AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()


def partner_list(user: Any, *, year: int | None = None) -> QuerySet[Partner]:
    """Partners the user may see, with their people, categories and spend in ``year``."""
    year = year or latest_spend_year() or 0
    spend = (
        AnnualSpend.objects.filter(partner=OuterRef("pk"), year=year)
        .values("partner")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        partners_visible_to(user)
        .select_related("owner", "alliance_manager", "executive_sponsor")
        .prefetch_related("categories")
        .annotate(
            spend_total=Coalesce(
                Subquery(spend, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
            )
        )
    )


def partner_get(user: Any, partner_id: int) -> Partner:
    """One partner the user may see, with what its page shows; 404 otherwise."""
    from partners.access import access_partner

    partner = access_partner(user, partner_id)
    return (
        Partner.objects.select_related("owner", "alliance_manager", "executive_sponsor")
        .prefetch_related(
            "categories",
            "contacts",
            Prefetch("spend", queryset=AnnualSpend.objects.select_related("category")),
            "transitions__actor",
        )
        .get(pk=partner.pk)
    )

"""The Kraljic matrix of a portfolio, aggregated (issue 12): bubbles per cell, not per partner.

Each visible partner's latest segmentation (one ``DISTINCT ON`` over the assessments) is placed
in a cell of ``CELL`` by ``CELL`` points of supply risk and profit impact, per quadrant, and the
database sums each cell: the chart carries at most a few hundred bubbles whatever the number of
partners. A cell holding one partner is that partner's bubble, with its name and exact scores.
The table under the chart is paged (:func:`matrix_partners`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import ngettext

from partners.access import partners_visible_to, visible_partners_only
from partners.models import Partner, SegmentationAssessment
from partners.selectors import latest_spend_year

CELL = Decimal("0.25")  # points of the 1 to 5 scales per cell


def _latest_assessments_sql(
    user: Any, partners: QuerySet[Partner] | None
) -> tuple[str, tuple[Any, ...]]:
    """Each visible partner's latest assessment (partner_id, profit_impact, supply_risk)."""
    # Without a dashboard filter, a portfolio-wide user needs no join to all partners.
    assessments = (
        visible_partners_only(SegmentationAssessment.objects.all(), user)
        if partners is None
        else SegmentationAssessment.objects.filter(partner__in=partners.values("pk"))
    )
    latest = (
        assessments.order_by("partner_id", "-assessed_at", "-id")
        .distinct("partner_id")
        .values("partner_id", "profit_impact", "supply_risk")
    )
    return latest.query.sql_with_params()


def kraljic_bubbles(
    user: Any, *, partners: QuerySet[Partner] | None = None
) -> list[dict[str, Any]]:
    """Bubbles for the Kraljic chart: per cell and quadrant, the partners' count, their spend
    and their mean scores; a single partner's bubble keeps its id, name and exact scores.
    ``partners`` (already scoped to the user) narrows it, e.g. to a dashboard's filters."""
    inner, params = _latest_assessments_sql(user, partners)
    # Spend is the latest year's, as on the partner list.
    sql = f"""
        SELECT count(*), min(p.id), min(p.short_name), p.quadrant,
               avg(a.supply_risk), avg(a.profit_impact), sum(coalesce(s.total, 0))
        FROM ({inner}) AS a
        JOIN partners_partner p ON p.id = a.partner_id
        LEFT JOIN (
            SELECT partner_id, sum(amount) AS total FROM partners_annualspend
            WHERE year = %s GROUP BY partner_id
        ) AS s ON s.partner_id = a.partner_id
        GROUP BY p.quadrant, round(a.supply_risk / %s), round(a.profit_impact / %s)
        ORDER BY 1 DESC, 3
    """  # noqa: S608 - the inner query is Django's own, compiled with its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, latest_spend_year() or 0, CELL, CELL])
        rows = cursor.fetchall()
    currency = settings.SRM_REPORTING_CURRENCY
    bubbles = []
    for count, first_id, first_name, quadrant, risk, impact, spend in rows:
        bubbles.append(
            {
                "id": first_id if count == 1 else None,
                "label": first_name
                if count == 1
                else ngettext("%(count)d partner", "%(count)d partners", count) % {"count": count},
                "count": count,
                "quadrant": quadrant,
                "x": round(float(risk), 2),
                "y": round(float(impact), 2),
                "spend": float(spend or 0),
                "currency": currency,
            }
        )
    return bubbles


def matrix_partners(user: Any) -> QuerySet[Partner]:
    """The segmented partners the user may see, by name, with their latest ``impact`` and
    ``risk``: the matrix page's table, which the view pages."""
    latest = SegmentationAssessment.objects.filter(partner=OuterRef("pk")).order_by(
        "-assessed_at", "-id"
    )
    return (
        partners_visible_to(user)
        .filter(Exists(SegmentationAssessment.objects.filter(partner=OuterRef("pk"))))
        .annotate(
            impact=Subquery(latest.values("profit_impact")[:1]),
            risk=Subquery(latest.values("supply_risk")[:1]),
        )
        .order_by("short_name", "pk")
        .only("pk", "short_name", "quadrant")
    )

"""The accountability figures and at-risk reasons of the executive dashboard (SPEC 4, issue 11):
value created, portfolio ROI, partnerships not paid back after 18 months, open improvement
plans and survey gaps. Each is one set-based query over the partners given, whatever the
portfolio's size; the rules are the pure ones (scorecards.value, scorecards.surveys), mirrored
in SQL where a whole portfolio is judged at once (tests check the two agree)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from governance.improvement import PlanStatus
from governance.models import ImprovementPlan
from partners.access import partners_visible_to
from partners.models import Partner
from scorecards.surveys import GAP_ALERT_ABOVE
from scorecards.value import NOT_PAID_BACK_AFTER_MONTHS, month_index, roi_percent

_PAYBACK_SQL = """
WITH entries AS (
    SELECT v.partner_id, date_trunc('month', v.occurred_on)::date AS month,
           CASE WHEN v.kind = 'investment' THEN v.amount ELSE 0 END AS invested,
           CASE WHEN v.kind = 'value' THEN v.amount ELSE 0 END AS value
    FROM scorecards_valueentry v WHERE v.partner_id IN ({partners})
    UNION ALL
    SELECT i.partner_id, date_trunc('month', i.updated_at AT TIME ZONE %s)::date, 0,
           i.realized_value
    FROM governance_innovationinitiative i
    WHERE i.partner_id IN ({partners}) AND i.stage = 'commercialized' AND i.realized_value > 0
), monthly AS (
    SELECT partner_id, month, sum(invested) AS invested, sum(value) AS value
    FROM entries GROUP BY partner_id, month
), cumulative AS (
    SELECT partner_id, month, invested, value,
           sum(invested) OVER w AS cumulative_invested, sum(value) OVER w AS cumulative_value
    FROM monthly WINDOW w AS (PARTITION BY partner_id ORDER BY month)
)
SELECT partner_id, sum(invested), sum(value),
       min(month) FILTER (WHERE invested > 0),
       bool_or(cumulative_invested > 0 AND cumulative_value >= cumulative_invested)
FROM cumulative GROUP BY partner_id
"""

# Each side's score is rounded half up to one decimal as scorecards.surveys.side_score does
# (PostgreSQL's round(numeric) rounds halves away from zero; scores are never negative).
_GAP_SQL = """
SELECT partner_id, survey_id, buyer, supplier FROM (
    SELECT DISTINCT ON (s.partner_id) s.partner_id, s.id AS survey_id,
           round(((sum(r.trust + r.communication + r.joint_problem_solving
               + r.responsiveness + r.fairness) FILTER (WHERE r.side = 'buyer'))::numeric
               / nullif(5 * count(*) FILTER (WHERE r.side = 'buyer'), 0) - 1) / 4 * 100, 1)
           AS buyer,
           round(((sum(r.trust + r.communication + r.joint_problem_solving
               + r.responsiveness + r.fairness) FILTER (WHERE r.side = 'supplier'))::numeric
               / nullif(5 * count(*) FILTER (WHERE r.side = 'supplier'), 0) - 1) / 4 * 100, 1)
           AS supplier
    FROM scorecards_healthsurvey s JOIN scorecards_surveyresponse r ON r.survey_id = s.id
    WHERE s.partner_id IN ({partners})
    GROUP BY s.partner_id, s.id, s.opens_on
    HAVING count(*) FILTER (WHERE r.side = 'buyer') > 0
       AND count(*) FILTER (WHERE r.side = 'supplier') > 0
    ORDER BY s.partner_id, s.opens_on DESC, s.id DESC
) latest
"""


def _partner_sql(partners: QuerySet[Partner]) -> tuple[str, tuple[Any, ...]]:
    query = partners.order_by().values("pk").query
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def portfolio_value(partners: QuerySet[Partner], *, today: date | None = None) -> dict[str, Any]:
    """Per partner: invested, value and whether it is flagged (not paid back 18 months after
    its first investment's month); and the portfolio's totals, ROI and flagged count."""
    today = today or timezone.localdate()
    sql, params = _partner_sql(partners)
    with connection.cursor() as cursor:
        cursor.execute(
            _PAYBACK_SQL.format(partners=sql),
            (*params, timezone.get_current_timezone_name(), *params),
        )
        rows = cursor.fetchall()
    flagged = {
        partner_id
        for partner_id, _inv, _val, first, paid_back in rows
        if first is not None
        and not paid_back
        and month_index(today) - month_index(first) >= NOT_PAID_BACK_AFTER_MONTHS
    }
    invested = sum((Decimal(r[1]) for r in rows), Decimal("0.00"))
    value = sum((Decimal(r[2]) for r in rows), Decimal("0.00"))
    return {
        "invested": invested,
        "value": value,
        "net": value - invested,
        "roi_percent": roi_percent(invested, value),
        "not_paid_back": flagged,
    }


def survey_gaps(partners: QuerySet[Partner]) -> dict[int, Decimal]:
    """Partners whose latest round answered by both sides has a gap above 15.0: the gap."""
    sql, params = _partner_sql(partners)
    with connection.cursor() as cursor:
        cursor.execute(_GAP_SQL.format(partners=sql), params)
        rows = cursor.fetchall()
    gaps = {partner_id: abs(Decimal(b) - Decimal(s)) for partner_id, _id, b, s in rows}
    return {partner_id: gap for partner_id, gap in gaps.items() if gap > GAP_ALERT_ABOVE}


def open_improvement_plans(partners: QuerySet[Partner]) -> set[int]:
    return set(
        ImprovementPlan.objects.filter(partner__in=partners, status=PlanStatus.OPEN)
        .order_by()
        .values_list("partner_id", flat=True)
    )


def accountability_reasons(partners: QuerySet[Partner]) -> dict[int, list[str]]:
    """At-risk reasons per partner of ``partners``: an open improvement plan, a health-survey
    gap, an investment not paid back after 18 months. Three queries for any number of
    partners; stored with the other reasons by governance.services.risk_signals."""
    reasons: dict[int, list[str]] = {}
    for partner_id in open_improvement_plans(partners):
        reasons.setdefault(partner_id, []).append("open improvement plan")
    for partner_id, gap in survey_gaps(partners).items():
        reasons.setdefault(partner_id, []).append(f"health-survey gap of {gap} points")
    for partner_id in portfolio_value(partners)["not_paid_back"]:
        reasons.setdefault(partner_id, []).append("not paid back after 18 months")
    return reasons


def executive_figures(user: Any, *, partners: QuerySet[Partner] | None = None) -> dict[str, Any]:
    """The dashboard's accountability figures for the partners the user may see (or those of
    ``partners``, already scoped to them: the dashboard's filters)."""
    partners = partners_visible_to(user) if partners is None else partners
    value = portfolio_value(partners)
    return {
        "value": value,
        "not_paid_back_count": len(value["not_paid_back"]),
        "open_plans": ImprovementPlan.objects.filter(
            partner__in=partners, status=PlanStatus.OPEN
        ).count(),
        "survey_gaps": len(survey_gaps(partners)),
    }

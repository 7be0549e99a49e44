"""Scorecard test data, built through the services like real data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.models import User
from core.roles import SYSTEM, Role
from partners.models import Partner
from scorecards.models import KpiDefinition, Period, Scorecard, ScorecardTemplate
from scorecards.services.measurements import measurement_record
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.factories import UserFactory

# The default 30/30/20/20 template; KPI values in HAND_VALUES score to known numbers.
DEFAULT_PERSPECTIVES: list[dict[str, Any]] = [
    {
        "code": "cost",
        "name": "Cost",
        "weight": 30,
        "kpis": [
            {
                "code": "ppv",
                "name": "Purchase price variance",
                "unit": "%",
                "direction": "lower_is_better",
                "target": 0,
                "threshold": 5,
                "weight": 2,
            },
            {
                "code": "savings-ideas",
                "name": "Cost-reduction ideas implemented",
                "direction": "higher_is_better",
                "target": 10,
                "threshold": 0,
                "weight": 1,
                "data_source": "supplier",
                "aggregation": "sum",
            },
        ],
    },
    {
        "code": "innovation",
        "name": "Innovation",
        "weight": 30,
        "kpis": [
            {
                "code": "patents",
                "name": "Joint patents filed",
                "direction": "higher_is_better",
                "target": 4,
                "threshold": 0,
                "weight": 1,
            },
        ],
    },
    {
        "code": "quality",
        "name": "Quality",
        "weight": 20,
        "kpis": [
            {
                "code": "ppm",
                "name": "Defects",
                "unit": "ppm",
                "direction": "lower_is_better",
                "target": 50,
                "threshold": 500,
                "weight": 1,
            },
        ],
    },
    {
        "code": "sustainability",
        "name": "Sustainability",
        "weight": 20,
        "kpis": [
            {
                "code": "co2",
                "name": "CO2 per unit",
                "unit": "kg",
                "direction": "lower_is_better",
                "target": 10,
                "threshold": 20,
                "weight": 1,
            },
        ],
    },
]

# ppv 2.5 → 50; ideas 5 → 50; cost = (2*50 + 1*50)/3 = 50
# patents 3 → 75; ppm 140 → 80; co2 12 → 80
# overall = (30*50 + 30*75 + 20*80 + 20*80) / 100 = 69.5 → needs improvement
HAND_VALUES: dict[str, Decimal] = {
    "ppv": Decimal("2.5"),
    "savings-ideas": Decimal(5),
    "patents": Decimal(3),
    "ppm": Decimal(140),
    "co2": Decimal(12),
}


def manager() -> User:
    return UserFactory(username="sc-manager", role=Role.PROCUREMENT_MANAGER)


def default_template(code: str = "strategic-balanced") -> ScorecardTemplate:
    existing = ScorecardTemplate.objects.filter(code=code).order_by("-version").first()
    if existing is not None:
        return existing
    return scorecard_template_create(
        actor=SYSTEM, code=code, name="Strategic balanced", perspectives=DEFAULT_PERSPECTIVES
    )


def scorecard_for(partner: Partner, *, today: date = date(2026, 5, 10)) -> Scorecard:
    return scorecard_apply_template(
        actor=SYSTEM, partner=partner, template=default_template(), today=today
    )


def kpis_by_code(scorecard: Scorecard) -> dict[str, KpiDefinition]:
    return {
        k.code: k for k in KpiDefinition.objects.filter(perspective__template=scorecard.template)
    }


def open_period(scorecard: Scorecard) -> Period:
    return scorecard.periods.get(status="open")


def enter_values(
    scorecard: Scorecard, values: dict[str, Decimal], *, actor: User | None = None
) -> Period:
    """Enter buyer values for the open period; returns that period."""
    actor = actor or manager()
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    for code, value in values.items():
        measurement_record(actor=actor, period=period, kpi=kpis[code], value=value)
    return period

"""Demo data of issue 11 (SPEC 3.9-3.11): value and investments, a risk-reward ledger and
health-survey rounds, dated relative to today. Idempotent: a partner that has some already
is left alone."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import User
from core.roles import SystemActor
from governance.models import ActionItem, ImprovementPlan
from governance.services import improvement
from partners.models import Partner
from scorecards.models import HealthSurvey, IncentiveRule, RiskRewardEvent, ValueEntry
from scorecards.services import incentives, ledger, surveys, value

DEMO = SystemActor("demo data")


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 15)


# partner: [(months back, kind, category, amount, description)]
VALUE_ENTRIES: dict[str, list[tuple[int, str, str, str, str]]] = {
    "Voltaris": [
        (20, "investment", "dedicated_staff", "180000", "Two engineers seconded to the JV"),
        (19, "investment", "shared_technology", "95000", "Shared cell-test lab"),
        (15, "value", "cost_savings", "60000", "Cell price step-down"),
        (10, "value", "tco_reduction", "120000", "Longer pack warranty"),
        (6, "investment", "workshops", "12000", "Design-to-cost workshop"),
        (4, "value", "avoided_costs", "90000", "Avoided second-source qualification"),
        (1, "value", "cost_savings", "45000", "Yield improvement"),
    ],
    "GreenPack": [
        (22, "investment", "shared_technology", "80000", "Moulding tool co-funding"),
        (21, "investment", "travel", "6000", "Pilot plant visits"),
        (12, "value", "cost_savings", "15000", "Packaging weight -18 %"),
        (3, "investment", "meeting_time", "4000", "Steering committees"),
    ],
}


def seed_accountability(
    users: dict[str, User], partners: dict[str, Partner], today: date | None = None
) -> None:
    today = today or timezone.localdate()
    for short_name, rows in VALUE_ENTRIES.items():
        partner = partners.get(short_name)
        if partner is None or ValueEntry.objects.filter(partner=partner).exists():
            continue
        for months, kind, category, amount, description in rows:
            value.value_entry_add(
                actor=DEMO,
                partner=partner,
                kind=kind,
                category=category,
                amount=Decimal(amount),
                occurred_on=_months_back(today, months),
                description=description,
            )
    for short_name in ("Voltaris", "GreenPack"):
        partner = partners.get(short_name)
        if partner is None:
            continue
        agreement = partner.agreements.filter(cost_overrun_share_buyer__isnull=False).first()
        if (
            agreement is not None
            and not RiskRewardEvent.objects.filter(agreement=agreement).exists()
        ):
            ledger.risk_reward_event_record(
                actor=DEMO,
                agreement=agreement,
                kind="cost_overrun",
                amount=Decimal("25000.01"),
                occurred_on=_months_back(today, 5),
                description="Tooling rework after a specification change",
            )
            ledger.risk_reward_event_record(
                actor=DEMO,
                agreement=agreement,
                kind="joint_saving",
                amount=Decimal("41000.00"),
                occurred_on=_months_back(today, 2),
                description="Logistics consolidation",
            )
        if HealthSurvey.objects.filter(partner=partner).exists():
            continue
        past = HealthSurvey.objects.create(
            partner=partner,
            opens_on=today - timedelta(days=200),
            closes_on=today - timedelta(days=186),
        )
        current = surveys.health_survey_open(
            actor=DEMO,
            partner=partner,
            opens_on=today - timedelta(days=2),
            closes_on=today + timedelta(days=12),
            today=today,
        )
        answers = {"trust": 4, "communication": 4, "joint_problem_solving": 3}
        for survey, buyer in ((past, (4, 4)), (current, (5, 4))):
            surveys.survey_answer(
                actor=users["priya"],
                survey=survey,
                answers={**answers, "responsiveness": buyer[0], "fairness": buyer[1]},
                comment="Internal: strong engineering, slow on commercial topics.",
                today=survey.opens_on,
            )
        supplier = partner.users.select_related("user").first()
        if supplier is not None:
            surveys.survey_answer(
                actor=supplier.user,
                survey=past,
                answers={
                    "trust": 3,
                    "communication": 2,
                    "joint_problem_solving": 3,
                    "responsiveness": 2,
                    "fairness": 2,
                },
                comment="Forecasts change too often.",
                today=past.opens_on,
            )


def seed_improvement_plans(
    users: dict[str, User], partners: dict[str, Partner], today: date | None = None
) -> None:
    """Suggestions wherever the demo's closed periods call for one, and an open plan with
    actions on both sides for Voltaris."""
    improvement.improvement_suggest_due(actor=DEMO)
    voltaris = partners.get("Voltaris")
    if voltaris is None or ImprovementPlan.objects.filter(partner=voltaris).exists():
        return
    today = today or timezone.localdate()
    plan = improvement.improvement_plan_create(
        actor=users["priya"],
        partner=voltaris,
        root_cause="communication",
        root_cause_detail=(
            "Internal: forecast changes reach Voltaris late; our planners are short-staffed."
        ),
        review_date=today + timedelta(days=60),
    )
    improvement.improvement_action_add(
        actor=users["priya"],
        plan=plan,
        title="Weekly forecast call with Voltaris planning",
        milestone="First four calls held",
        owner_user=users["priya"],
        due_date=today + timedelta(days=30),
    )
    contact = voltaris.contacts.order_by("pk").first()
    improvement.improvement_action_add(
        actor=users["priya"],
        plan=plan,
        title="Share the cell-yield recovery plan",
        milestone="Yield back above 92 %",
        owner_contact=contact,
        due_date=today + timedelta(days=21),
    )
    # Decided on the load day (the same as now, unless the demo is loaded for another day).
    decided = timezone.now() + (today - timezone.localdate())
    ImprovementPlan.objects.filter(pk=plan.pk).update(
        created_at=decided, updated_at=decided, decided_at=decided
    )
    ActionItem.objects.filter(improvement_link__plan=plan).update(
        created_at=decided, updated_at=decided
    )


def seed_incentives() -> None:
    """Two incentive rules of SPEC 3.7's kind, and what the demo's closed periods earned."""
    if IncentiveRule.objects.exists():
        return
    incentives.incentive_rule_create(
        actor=DEMO,
        name="Innovation bonus",
        perspective="innovation",
        threshold=Decimal(90),
        periods=1,
        reward_kind="amount",
        reward_amount=Decimal(50000),
        reward_text="Bonus of EUR 50,000 for an innovation score of 90 or more in a period",
    )
    incentives.incentive_rule_create(
        actor=DEMO,
        name="Volume share for sustained excellence",
        threshold=Decimal(85),
        periods=2,
        reward_kind="volume_share",
        reward_percent=Decimal(5),
        reward_text="+5 % share of next year's volume for an overall 85+ two periods running",
    )
    incentives.incentives_evaluate(actor=DEMO)

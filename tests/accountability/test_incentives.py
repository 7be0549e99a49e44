"""Incentive rules (SPEC 3.7): a perspective or the overall score at or above a threshold for
consecutive closed periods earns a reward, listed for approval; approve/decline recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.models import AuditEvent
from core.roles import SYSTEM
from scorecards.incentives import earned_indexes, period_score
from scorecards.models import EarnedIncentive, IncentiveRule, Period
from scorecards.services import incentives
from tests.factories import PartnerFactory
from tests.scorecards.factories import scorecard_for

D = Decimal


def test_streaks_earn_once_each() -> None:
    scores = [D("85.0"), D("90.0"), D("84.9"), D("85.0"), D("86.0"), D("99.0"), D("85.0")]
    assert earned_indexes(scores, threshold=D(85), periods=2) == [1, 4, 6]
    assert earned_indexes(scores, threshold=D(85), periods=1) == [0, 1, 3, 4, 5, 6]
    assert earned_indexes([D(90), None, D(90)], threshold=D(85), periods=2) == []


def test_the_score_looked_at_is_the_one_shown() -> None:
    breakdown = {"perspectives": [{"code": "innovation", "score": "89.95"}]}
    # 89.95 shows as 90.0 (half up), so a threshold of 90 is met.
    assert period_score(D("84.9499"), breakdown, "innovation") == D("90.0")
    assert period_score(D("84.95"), breakdown, "") == D("85.0")
    assert period_score(D("84.9499"), breakdown, "cost") is None


def _closed(scorecard, quarter: int, overall: str, innovation: str) -> Period:
    return Period.objects.create(
        scorecard=scorecard,
        label=f"2025-Q{quarter}",
        start=date(2025, 3 * quarter - 2, 1),
        end=date(2025, 3 * quarter, 28),
        status="closed",
        overall=D(overall),
        rating="good",
        breakdown={"perspectives": [{"code": "innovation", "score": innovation}]},
    )


@pytest.mark.django_db
def test_earned_incentives_are_listed_and_decided(
    client_for, api_for, procurement_manager, executive, supplier_a, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    other = scorecard_for(PartnerFactory())
    _closed(scorecard, 1, "86.0", "70.0")
    _closed(scorecard, 2, "88.0", "91.0")
    _closed(other, 1, "90.0", "50.0")
    _closed(other, 2, "84.9", "50.0")
    api = api_for(procurement_manager)
    rule = api.post(
        "/api/v1/incentive-rules/",
        {
            "name": "Sustained excellence",
            "threshold": "85.0",
            "periods": 2,
            "reward_kind": "volume_share",
            "reward_percent": "5.00",
            "reward_text": "+5 % of next year's volume",
        },
        format="json",
    )
    assert rule.status_code == 201, rule.content
    bonus = api.post(
        "/api/v1/incentive-rules/",
        {
            "name": "Innovation bonus",
            "perspective": "innovation",
            "threshold": "90.0",
            "periods": 1,
            "reward_kind": "amount",
            "reward_amount": "50000.00",
            "reward_text": "EUR 50,000",
        },
        format="json",
    )
    assert bonus.status_code == 201
    earned = incentives.incentives_evaluate(actor=SYSTEM)
    assert {(e.rule.name, e.partner_id, e.score) for e in earned} == {
        ("Sustained excellence", partner_a.pk, D("88.0")),
        ("Innovation bonus", partner_a.pk, D("91.0")),
    }
    assert incentives.incentives_evaluate(actor=SYSTEM) == []  # once per rule and period
    page = client_for(executive).get("/scorecards/incentives/").content.decode()
    assert "Sustained excellence" in page and "Approve" in page
    first = EarnedIncentive.objects.get(rule__name="Sustained excellence")
    response = client_for(executive).post(
        f"/scorecards/incentives/{first.pk}/approve/", {"note": "Agreed at the QBR"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.decided_by, first.note) == (
        "approved",
        executive,
        "Agreed at the QBR",
    )
    second = EarnedIncentive.objects.get(rule__name="Innovation bonus")
    declined = api.post(f"/api/v1/earned-incentives/{second.pk}/decline/", {}, format="json")
    assert declined.json()["status"] == "declined"
    again = api.post(f"/api/v1/earned-incentives/{second.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    assert (
        AuditEvent.objects.filter(action__in=["incentive.approve", "incentive.decline"]).count()
        == 2
    )
    # Internal: a supplier sees neither rules nor earned incentives.
    supplier = api_for(supplier_a)
    assert supplier.get("/api/v1/incentive-rules/").status_code == 403
    assert supplier.get("/api/v1/earned-incentives/").status_code == 403
    assert client_for(supplier_a).get("/scorecards/incentives/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"threshold": "101"}, "threshold"),
        ({"periods": 0}, "periods"),
        ({"reward_kind": "amount", "reward_amount": "-5"}, "reward_amount"),
        ({"reward_percent": None}, "reward_percent"),
        ({"reward_text": ""}, "reward_text"),
    ],
)
def test_bad_rules_are_400(api_for, procurement_manager, change, field) -> None:
    data = {
        "name": "Rule",
        "threshold": "85.0",
        "periods": 2,
        "reward_kind": "volume_share",
        "reward_percent": "5.00",
        "reward_text": "+5 %",
        **change,
    }
    response = api_for(procurement_manager).post("/api/v1/incentive-rules/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_the_incentives_page_keeps_a_constant_query_count(
    client_for, procurement_manager, django_assert_max_num_queries
) -> None:
    """Rules and earned incentives, pending and decided, cost the same queries at 1 and 6."""

    def earn(n: int) -> None:
        for _ in range(n):
            partner = PartnerFactory()
            rule = IncentiveRule.objects.create(
                name=f"Excellence {partner.pk}",
                partner=partner,
                threshold=D("85.0"),
                reward_kind="amount",
                reward_amount=D("1000.00"),
                reward_text="Bonus",
            )
            period = _closed(scorecard_for(partner), 1, "90.0", "90.0")
            EarnedIncentive.objects.create(rule=rule, partner=partner, period=period, score=90)
            decided = _closed(scorecard_for(partner), 2, "91.0", "90.0")
            EarnedIncentive.objects.create(
                rule=rule,
                partner=partner,
                period=decided,
                score=91,
                status="approved",
                decided_by=procurement_manager,
            )

    client = client_for(procurement_manager)
    earn(1)
    with django_assert_max_num_queries(50) as few:
        first = client.get("/scorecards/incentives/")
    assert first.status_code == 200
    earn(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = client.get("/scorecards/incentives/")
    assert more.content.decode().count("Excellence") > first.content.decode().count("Excellence")

"""The one definition of "the latest score" (scorecards.latest_scores)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.roles import SYSTEM
from scorecards.latest_scores import (
    latest_scored_periods,
    partner_latest_scores,
    scorecard_latest_scores,
)
from scorecards.models import Period
from scorecards.services.periods import period_close
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.factories import PartnerFactory
from tests.scorecards.factories import (
    DEFAULT_PERSPECTIVES,
    HAND_VALUES,
    enter_values,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db


def _close(scorecard, values=None) -> Period:
    period = enter_values(scorecard, values) if values else open_period(scorecard)
    return period_close(confirm_early=True, actor=SYSTEM, period=period)


def test_a_period_closed_with_no_data_keeps_the_last_score(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    scored = _close(scorecard, HAND_VALUES)
    _close(scorecard)  # 2026-Q3, no data
    latest = scorecard_latest_scores([scorecard.pk])[scorecard.pk]
    assert (latest.period_id, latest.label, latest.shown) == (scored.pk, "2026-Q2", "69.5")
    assert list(latest_scored_periods().filter(scorecard=scorecard)) == [scored]
    assert partner_latest_scores([partner_a.pk])[partner_a.pk] == latest


def test_the_trend_compares_with_the_previous_scored_period(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    _close(scorecard, HAND_VALUES)  # 69.5
    _close(scorecard)  # no data
    _close(scorecard, {**HAND_VALUES, "patents": Decimal(4)})  # 77.0
    latest = partner_latest_scores([partner_a.pk])[partner_a.pk]
    assert (latest.label, latest.previous_label) == ("2026-Q4", "2026-Q2")
    assert latest.change == Decimal("7.5") and latest.change_shown == "7.5"


def test_a_partners_score_is_the_latest_end_then_the_lowest_scorecard(partner_a) -> None:
    first = scorecard_for(partner_a)
    other = scorecard_template_create(
        actor=SYSTEM, code="other", name="Other", perspectives=DEFAULT_PERSPECTIVES
    )
    second = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template=other, today=date(2026, 5, 10)
    )
    _close(second, {**HAND_VALUES, "patents": Decimal(4)})
    _close(first, HAND_VALUES)
    # Both ended on 30 June: the lower scorecard id wins, whichever closed last.
    assert partner_latest_scores([partner_a.pk])[partner_a.pk].scorecard_id == first.pk
    _close(second, HAND_VALUES)  # 2026-Q3 of the second ends later
    assert partner_latest_scores([partner_a.pk])[partner_a.pk].scorecard_id == second.pk


def test_partners_without_a_scored_period_have_no_score(partner_a, partner_b) -> None:
    _close(scorecard_for(partner_a))  # closed, but no data
    scorecard_for(partner_b)  # nothing closed
    assert partner_latest_scores([partner_a.pk, partner_b.pk]) == {}


@pytest.mark.parametrize("n", [2, 12])
def test_the_latest_scores_of_many_partners_cost_one_query(n, django_assert_num_queries) -> None:
    partners = [PartnerFactory() for _ in range(n)]
    for partner in partners:
        scorecard = scorecard_for(partner)
        _close(scorecard, HAND_VALUES)
        _close(scorecard)
    with django_assert_num_queries(1):
        scores = partner_latest_scores([p.pk for p in partners])
    assert {s.shown for s in scores.values()} == {"69.5"} and len(scores) == n

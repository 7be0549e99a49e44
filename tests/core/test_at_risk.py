"""The at-risk rule, with hand-made signals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from governance.at_risk import PartnerSignals, at_risk_reasons


@pytest.mark.parametrize(
    ("signals", "reasons"),
    [
        (PartnerSignals(), []),
        (PartnerSignals(latest_score=Decimal("91.0"), latest_rating="excellent"), []),
        (
            PartnerSignals(latest_score=Decimal("42.4"), latest_rating="critical"),
            ["critical score"],
        ),
        (
            PartnerSignals(latest_score=Decimal("61"), latest_rating="needs_improvement"),
            ["score needs improvement"],
        ),
        # A fall of exactly 5 points is declining; 4.9 is noise.
        (
            PartnerSignals(
                latest_score=Decimal("80"), previous_score=Decimal("85"), latest_rating="good"
            ),
            ["score fell 5.0 points"],
        ),
        (
            PartnerSignals(
                latest_score=Decimal("80.1"), previous_score=Decimal("85"), latest_rating="good"
            ),
            [],
        ),
        (PartnerSignals(previous_score=Decimal("85")), []),  # no latest score: nothing to compare
        (PartnerSignals(escalations_overdue=1), ["1 escalation past level 1"]),
        (PartnerSignals(escalations_overdue=2), ["2 escalations past level 1"]),
        (
            PartnerSignals(
                latest_score=Decimal("45"),
                previous_score=Decimal("58"),
                latest_rating="critical",
                missed_meetings=("Quarterly business review (QBR)",),
                high_flags=("Critical item is single-sourced.",),
            ),
            [
                "critical score",
                "score fell 13.0 points",
                "missed Quarterly business review (QBR)",
                "Critical item is single-sourced.",
            ],
        ),
    ],
)
def test_at_risk_reasons(signals: PartnerSignals, reasons: list[str]) -> None:
    assert at_risk_reasons(signals) == reasons

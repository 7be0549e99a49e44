"""Incentive rules (SPEC 3.7): pure rules, no Django.

A rule names a perspective (by code) or the overall score, a threshold, a number of
consecutive closed periods and a reward (an amount, or a percentage of next year's volume,
with text). A scorecard earns it at a closed period when that period and the ones before it,
``periods`` in all, each score at least the threshold (on the score as shown: one decimal,
half up), and no incentive of the rule was earned within that streak: a streak earns once, and
the next streak starts after it ("overall >= 85 for two periods" earns at the 2nd, 4th, ...
good period in a row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

QUANTUM = Decimal("0.1")
OVERALL = ""  # the rule's perspective when it is about the overall score


class RewardKind(StrEnum):
    AMOUNT = "amount"
    VOLUME_SHARE = "volume_share"


def shown(score: Decimal | None) -> Decimal | None:
    return None if score is None else score.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def period_score(
    overall: Decimal | None, breakdown: Mapping[str, Any], perspective: str
) -> Decimal | None:
    """The score a rule looks at: the overall score, or a perspective's from the frozen
    breakdown of the closed period (None when it had no data)."""
    if perspective == OVERALL:
        return shown(overall)
    for entry in breakdown.get("perspectives", []) or []:
        if entry.get("code") == perspective:
            try:
                return shown(Decimal(str(entry.get("score"))))
            except InvalidOperation:
                return None
    return None


def earned_indexes(
    scores: Sequence[Decimal | None], *, threshold: Decimal, periods: int
) -> list[int]:
    """The positions (oldest first) at which a run of ``periods`` qualifying scores completes;
    each run earns once, then counting starts again."""
    earned: list[int] = []
    run = 0
    for index, score in enumerate(scores):
        run = run + 1 if score is not None and score >= threshold else 0
        if run == periods:
            earned.append(index)
            run = 0
    return earned


def rule_errors(
    *,
    threshold: Decimal,
    periods: int,
    reward_kind: str,
    reward_amount: Decimal | None,
    reward_percent: Decimal | None,
    reward_text: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not Decimal(0) <= threshold <= Decimal(100):
        errors["threshold"] = [_("Choose a threshold from 0 to 100.")]
    if periods < 1:
        errors["periods"] = [_("At least one closed period.")]
    if reward_kind == RewardKind.AMOUNT:
        if reward_amount is None or reward_amount <= 0:
            errors["reward_amount"] = [_("Enter the bonus amount (greater than zero).")]
    elif reward_kind == RewardKind.VOLUME_SHARE:
        if reward_percent is None or not Decimal(0) < reward_percent <= Decimal(100):
            errors["reward_percent"] = [_("Enter the volume share, more than 0 and at most 100 %.")]
    else:
        errors["reward_kind"] = [_("Choose amount or volume_share.")]
    if not reward_text.strip():
        errors["reward_text"] = [_("Describe the reward.")]
    return errors

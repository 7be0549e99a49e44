"""Risk-reward sharing (SPEC 3.11): an event's amount split by the agreement's ratio.

The buyer's share = amount x buyer ratio / 100, rounded to cents half up; the supplier's share
= amount - the buyer's share, so the two always add up to the amount: no cent is lost or
invented. Pure: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")


class EventKind(StrEnum):
    COST_OVERRUN = "cost_overrun"
    JOINT_SAVING = "joint_saving"


# The agreement's ratio field each kind of event is split by.
RATIO_OF_KIND: dict[str, str] = {
    EventKind.COST_OVERRUN: "cost_overrun_share",
    EventKind.JOINT_SAVING: "gain_share",
}


@dataclass(frozen=True)
class Split:
    buyer: Decimal
    supplier: Decimal


def split(amount: Decimal, buyer_ratio: Decimal) -> Split:
    """Split ``amount`` with ``buyer_ratio`` per cent to the buyer, the rest to the supplier."""
    buyer = (amount * buyer_ratio / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return Split(buyer=buyer, supplier=amount - buyer)

"""Which partnerships an executive should look at (SPEC 4): pure rules over the signals the
apps produce. The refresh (governance.services.risk_signals) loads the signals and stores the
verdict; this module only judges them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

# A drop of this many points or more against the previous period counts as declining: smaller
# moves are within the noise of a quarter's data.
DECLINE_POINTS: Final = Decimal(5)
AT_RISK_RATINGS: Final = {
    "critical": "critical score",
    "needs_improvement": "score needs improvement",
}


@dataclass(frozen=True)
class PartnerSignals:
    """What the apps know about one partnership that may put it at risk."""

    latest_score: Decimal | None = None
    previous_score: Decimal | None = None
    latest_rating: str | None = None
    missed_meetings: tuple[str, ...] = ()  # labels of cadences (QBR, sponsor…) below target
    escalations_overdue: int = 0  # unresolved and beyond the first level, or overdue at the top
    high_flags: tuple[str, ...] = field(default_factory=tuple)  # messages of high-severity flags


def at_risk_reasons(signals: PartnerSignals) -> list[str]:
    """Why a partnership is at risk, most serious first; empty when it is not.

    Signals: a critical or needs-improvement latest score; a score that fell by at least
    DECLINE_POINTS against the previous period; missed QBRs or sponsor meetings (as governance
    judges compliance); escalations beyond their first level; high-severity risk flags.
    """
    reasons: list[str] = []
    if signals.latest_rating in AT_RISK_RATINGS:
        reasons.append(AT_RISK_RATINGS[signals.latest_rating])
    if signals.latest_score is not None and signals.previous_score is not None:
        drop = signals.previous_score - signals.latest_score
        if drop >= DECLINE_POINTS:
            reasons.append(f"score fell {drop.quantize(Decimal('0.1'))} points")
    if signals.escalations_overdue:
        plural = "s" if signals.escalations_overdue > 1 else ""
        reasons.append(f"{signals.escalations_overdue} escalation{plural} past level 1")
    reasons.extend(f"missed {label}" for label in signals.missed_meetings)
    reasons.extend(signals.high_flags)
    return reasons

"""Performance improvement plans (SPEC 3.8): when a closed period calls for one. Pure.

A plan is suggested when a scorecard's latest closed period is critical, or needs improvement
while the closed period before it needed improvement too. The manager opens the suggestion
(root cause, actions with owners on either side and milestones, review date) or dismisses it;
an open plan is closed with an outcome.
"""

from __future__ import annotations

from enum import StrEnum

CRITICAL = "critical"
NEEDS_IMPROVEMENT = "needs_improvement"


class PlanTrigger(StrEnum):
    CRITICAL = "critical"
    NEEDS_IMPROVEMENT_TWICE = "needs_improvement_twice"
    MANUAL = "manual"


TRIGGER_LABELS = {
    PlanTrigger.CRITICAL: "Critical score",
    PlanTrigger.NEEDS_IMPROVEMENT_TWICE: "Needs improvement two periods running",
    PlanTrigger.MANUAL: "Opened by hand",
}


class PlanStatus(StrEnum):
    SUGGESTED = "suggested"
    OPEN = "open"
    DISMISSED = "dismissed"
    CLOSED = "closed"


class RootCause(StrEnum):
    RESOURCES = "resources"
    INCENTIVES = "incentives"
    COMMUNICATION = "communication"
    OTHER = "other"


class PlanOutcome(StrEnum):
    IMPROVED = "improved"
    MOVED_TO_TRANSACTIONAL = "moved_to_transactional"
    PHASED_OUT = "phased_out"


def suggestion_trigger(rating: str, previous_rating: str | None) -> PlanTrigger | None:
    """Why a closed period calls for a plan, given its rating and the previous closed one's."""
    if rating == CRITICAL:
        return PlanTrigger.CRITICAL
    if rating == NEEDS_IMPROVEMENT and previous_rating == NEEDS_IMPROVEMENT:
        return PlanTrigger.NEEDS_IMPROVEMENT_TWICE
    return None

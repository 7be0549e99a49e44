"""Performance improvement plans (SPEC 3.8): when a closed period calls for one. Pure.

A plan is suggested when a scorecard's latest closed period is critical, or needs improvement
while the closed period before it needed improvement too. The manager opens the suggestion
(root cause, actions with owners on either side and milestones, review date) or dismisses it;
an open plan is closed with an outcome.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CRITICAL = "critical"
NEEDS_IMPROVEMENT = "needs_improvement"


class PlanTrigger(StrEnum):
    CRITICAL = "critical"
    NEEDS_IMPROVEMENT_TWICE = "needs_improvement_twice"
    MANUAL = "manual"


TRIGGER_LABELS: dict[PlanTrigger, StrOrPromise] = {
    PlanTrigger.CRITICAL: _("Critical score"),
    PlanTrigger.NEEDS_IMPROVEMENT_TWICE: _("Needs improvement two periods running"),
    PlanTrigger.MANUAL: _("Opened by hand"),
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


# What the pages show for the stored values (the models' choices).
CHOICE_LABELS: dict[str, StrOrPromise] = {
    PlanTrigger.CRITICAL: _("Critical"),
    PlanTrigger.NEEDS_IMPROVEMENT_TWICE: _("Needs improvement twice"),
    PlanTrigger.MANUAL: _("Manual"),
    PlanStatus.SUGGESTED: _("Suggested"),
    PlanStatus.OPEN: _("Open"),
    PlanStatus.DISMISSED: _("Dismissed"),
    PlanStatus.CLOSED: _("Closed"),
    RootCause.RESOURCES: _("Resources"),
    RootCause.INCENTIVES: _("Incentives"),
    RootCause.COMMUNICATION: _("Communication"),
    RootCause.OTHER: _("Other"),
    PlanOutcome.IMPROVED: _("Improved"),
    PlanOutcome.MOVED_TO_TRANSACTIONAL: _("Moved to transactional"),
    PlanOutcome.PHASED_OUT: _("Phased out"),
}


def choices_of(enum: type[StrEnum]) -> list[tuple[str, StrOrPromise]]:
    """``(value, label)`` of every member, as forms and model fields take them."""
    return [(member.value, CHOICE_LABELS[member]) for member in enum]


def suggestion_trigger(rating: str, previous_rating: str | None) -> PlanTrigger | None:
    """Why a closed period calls for a plan, given its rating and the previous closed one's."""
    if rating == CRITICAL:
        return PlanTrigger.CRITICAL
    if rating == NEEDS_IMPROVEMENT and previous_rating == NEEDS_IMPROVEMENT:
        return PlanTrigger.NEEDS_IMPROVEMENT_TWICE
    return None

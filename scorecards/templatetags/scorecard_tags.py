"""Template filters of the scorecard pages."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from scorecards.latest_scores import LatestScore

register = template.Library()

RATING_LABELS = {
    "excellent": "Excellent",
    "good": "Good",
    "needs_improvement": "Needs improvement",
    "critical": "Critical",
}


@register.filter
def rating_label(rating: str | None) -> str:
    """ "needs_improvement" → "Needs improvement"."""
    return RATING_LABELS.get(rating or "", "")


@register.filter
def latest_score_of(scores: Mapping[int, LatestScore], partner_id: int) -> LatestScore | None:
    """The partner's latest score from a ``partner_latest_scores`` result."""
    return scores.get(partner_id)

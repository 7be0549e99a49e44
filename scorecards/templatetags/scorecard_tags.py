"""Template filters of the scorecard pages."""

from __future__ import annotations

from django import template

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

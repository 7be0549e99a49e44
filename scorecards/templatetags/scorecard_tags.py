"""Template filters of the scorecard pages."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django import template

from scorecards import labels
from scorecards.latest_scores import LatestScore

register = template.Library()


@register.filter
def rating_label(rating: str | None) -> str:
    """ "needs_improvement" → "Needs improvement" (in the user's language)."""
    return labels.label(labels.RATING_LABELS, rating) if rating else ""


@register.filter
def direction_label(direction: str | None) -> str:
    """ "lower_is_better" → "Lower is better"."""
    return labels.label(labels.DIRECTION_LABELS, direction)


@register.filter
def aggregation_label(aggregation: str | None) -> str:
    """ "mean" → "Mean"."""
    return labels.label(labels.AGGREGATION_LABELS, aggregation)


@register.filter
def source_label(source: str | None) -> str:
    """ "supplier" → "Supplier self-report"."""
    return labels.label(labels.SOURCE_LABELS, source)


@register.filter
def num(value: object) -> object:
    """A number kept as text ("72.5", a frozen score, target or value) as a Decimal, so the
    page shows it in the user's language ("72,5" in German). Anything that is not a number
    (None, "", "—") passes through unchanged, so ``|num|default:"—"`` works.

    Only for text shown to people: attributes, inputs, URLs and JSON keep the plain text."""
    if value is None or isinstance(value, bool) or value == "":
        return value
    if isinstance(value, (Decimal, int, float)):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return value
    return number if number.is_finite() else value


@register.filter
def latest_score_of(scores: Mapping[int, LatestScore], partner_id: int) -> LatestScore | None:
    """The partner's latest score from a ``partner_latest_scores`` result."""
    return scores.get(partner_id)

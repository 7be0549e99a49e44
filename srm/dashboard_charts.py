"""The executive dashboard's figures as shapes and marks: pure, no ORM.

- :func:`distribution_groups` turns the grouped counts the database returns (group, rating,
  partners, sum of their scores) into one row per group with a count per rating band, the
  data behind the stacked-bar charts (drawn in the browser from ``json_script``) and the
  tables under them (which print and read without JavaScript).
- :func:`sparkline_svg` draws a score trend as a small inline SVG on the server, so the
  at-risk table shows it in print and without JavaScript. Coordinates are plain numbers
  (never localised); the title carries the scores as the reader's language writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Rating bands, best first, then partners whose latest score is not there yet.
BANDS: tuple[str, ...] = ("excellent", "good", "needs_improvement", "critical", "unscored")
UNSCORED = "unscored"


@dataclass(slots=True)
class DistributionGroup:
    """One bar: the partners of a group (an engagement model, a quadrant, a category or a
    sponsor) per rating band of their latest score, and the mean of the scores."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    score_sum: Decimal = Decimal(0)
    href: str = ""  # the dashboard filtered to this group, when a filter selects it
    spend: Decimal | None = None  # the group's spend in the latest year, where shown

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def scored(self) -> int:
        return self.total - self.counts[UNSCORED]

    @property
    def average(self) -> Decimal | None:
        """Mean of the scores shown, to one decimal (half up), or None with no score."""
        if not self.scored:
            return None
        return (self.score_sum / self.scored).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def band_counts(self) -> list[int]:
        return [self.counts[band] for band in BANDS]

    def as_json(self) -> dict[str, Any]:
        average = self.average
        return {
            "key": self.key,
            "label": self.label,
            "counts": self.band_counts,
            "total": self.total,
            "average": None if average is None else str(average),
            "href": self.href,
        }


def distribution_groups(
    rows: Iterable[tuple[str | None, str | None, int, Decimal | None]],
    *,
    order: Sequence[str] = (),
    label: Callable[[str], str] = str,
    keep_empty: bool = False,
) -> list[DistributionGroup]:
    """Rows of (group key, rating, partners, sum of their scores) → one group per key.

    A rating that is empty or unknown counts as *unscored* (a partner without a scored
    period yet); a key of None or "" is the group "" (e.g. not segmented). Groups come in
    ``order`` first (with ``keep_empty``, every key of ``order`` even without partners), then
    the others by label."""
    groups: dict[str, DistributionGroup] = {}
    if keep_empty:
        for key in order:
            groups[key] = DistributionGroup(key=key, label=label(key))
    for raw_key, rating, count, score_sum in rows:
        key = raw_key or ""
        group = groups.get(key)
        if group is None:
            group = groups[key] = DistributionGroup(key=key, label=label(key))
        band = rating if rating in BANDS and rating != UNSCORED else UNSCORED
        group.counts[band] += count
        if band != UNSCORED and score_sum is not None:
            group.score_sum += Decimal(score_sum)
    rank = {key: index for index, key in enumerate(order)}
    return sorted(
        groups.values(), key=lambda g: (rank.get(g.key, len(rank)), g.label.casefold(), g.key)
    )


def distribution_totals(groups: Sequence[DistributionGroup]) -> dict[str, int]:
    """Partners per band across the groups (each partner is in exactly one group)."""
    return {band: sum(g.counts[band] for g in groups) for band in BANDS}


def chart_data(groups: Sequence[DistributionGroup], *, bands: Mapping[str, str]) -> dict[str, Any]:
    """What the chart script reads: the bands' keys and labels, then the groups (a group's
    ``href`` is the dashboard filtered to it, empty when no filter selects it)."""
    return {
        "bands": [{"key": band, "label": str(bands[band])} for band in BANDS],
        "groups": [group.as_json() for group in groups],
    }


# --------------------------------------------------------------------------- sparklines

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 96, 24, 3


# The smallest span of scores a sparkline spreads over its height: a trend of 0.3 points
# stays a flat line instead of a cliff.
SPARK_MIN_SPAN = Decimal(10)


def _spark_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The scores at the bottom and at the top of the line: the partner's own range (each
    row shows its own trend), at least SPARK_MIN_SPAN wide, within 0 to 100."""
    clamped = [max(Decimal(0), min(Decimal(100), v)) for v in values]
    low, high = min(clamped), max(clamped)
    if high - low < SPARK_MIN_SPAN:
        middle = (low + high) / 2
        low = max(Decimal(0), min(middle - SPARK_MIN_SPAN / 2, Decimal(100) - SPARK_MIN_SPAN))
        high = low + SPARK_MIN_SPAN
    return low, high


def _spark_y(value: Decimal, low: Decimal, high: Decimal) -> float:
    clamped = max(low, min(high, value))
    plot = SPARK_HEIGHT - 2 * SPARK_PAD
    return round(SPARK_PAD + plot * float((high - clamped) / (high - low)), 1)


def sparkline_svg(values: Sequence[Decimal], *, title: str, colour: str = "#1d4ed8") -> SafeString:
    """A line through the scores (oldest first) with a dot on the latest, scaled to the
    scores' own range (see _spark_scale); a faint dashed line marks the first score, so the
    eye sees whether the partner rose or fell since. One value is a dot; none is ""."""
    if not values:
        return mark_safe("")
    count = len(values)
    plot = SPARK_WIDTH - 2 * SPARK_PAD
    step = plot / (count - 1) if count > 1 else 0.0

    def x(index: int) -> float:
        return round(float(SPARK_PAD + (step * index if count > 1 else plot)), 1)

    low, high = _spark_scale(values)
    points = " ".join(f"{x(i)},{_spark_y(v, low, high)}" for i, v in enumerate(values))
    first = _spark_y(values[0], low, high)
    body = [
        f'<line x1="{SPARK_PAD}" y1="{first}" x2="{SPARK_WIDTH - SPARK_PAD}" y2="{first}" '
        'stroke="#d0d5dd" stroke-width="1" stroke-dasharray="2 2"/>'
    ]
    if count > 1:
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    body.append(
        f'<circle cx="{x(count - 1)}" cy="{_spark_y(values[-1], low, high)}" r="2.5" '
        f'fill="{colour}"/>'
    )
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>',
        SPARK_WIDTH,
        SPARK_HEIGHT,
        SPARK_WIDTH,
        SPARK_HEIGHT,
        title,
        title,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - numbers and escaped text

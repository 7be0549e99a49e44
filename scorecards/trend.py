"""Period-over-period trend of a score series (SPEC 3.6).

Works for any per-period series: one KPI's scores, one perspective's, or the overall score.
The series is ordered oldest first and holds one entry per consecutive period, with None for
a period without a score. The caller must keep those None entries rather than drop the
period: "previous period" and the four-period window are counted in periods, not in values.

Results are unrounded ``Decimal``; round them for display with ``scoring.round_score``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ROLLING_WINDOW_PERIODS = 4


@dataclass(frozen=True, slots=True)
class TrendPoint:
    value: Decimal | None
    change: Decimal | None
    rolling_average: Decimal | None


def trend_points(series: Sequence[Decimal | None]) -> list[TrendPoint]:
    """One ``TrendPoint`` per period of ``series`` (oldest first), in the same order.

    ``change`` is this period's value minus the previous period's. It is None for the first
    period and whenever either value is None; it never reaches back past a gap to an older
    value, because that would label a change over several periods as a one-period change.

    ``rolling_average`` is the mean of the non-None values among this period and the three
    before it. Early periods average over the periods that exist (the first period's average
    is its own value). A period without a value still gets the average of the others in its
    window; it is None only when the whole window has no value.
    """
    points: list[TrendPoint] = []
    for index, value in enumerate(series):
        previous = series[index - 1] if index > 0 else None
        change = value - previous if value is not None and previous is not None else None
        window_start = max(0, index - ROLLING_WINDOW_PERIODS + 1)
        window_values = [v for v in series[window_start : index + 1] if v is not None]
        rolling_average = (
            sum(window_values, Decimal(0)) / len(window_values) if window_values else None
        )
        points.append(TrendPoint(value=value, change=change, rolling_average=rolling_average))
    return points


@dataclass(frozen=True, slots=True)
class ShownTrend:
    """A period's trend point as pages show it: each number rounded once to one decimal
    (``scoring.round_score``), None where there is none."""

    label: str
    value: str | None
    change: str | None
    rolling_average: str | None

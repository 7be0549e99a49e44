"""Presentation of frozen results: the trend of a scorecard's scores as pages and charts show
it (SPEC 3.6), and a breakdown with each perspective's and KPI's trend beside it. Pure: works
on periods already loaded, no queries."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from scorecards import trend
from scorecards.breakdown import Breakdown
from scorecards.scoring import round_score
from scorecards.trend import ShownTrend

if TYPE_CHECKING:  # annotations only: models import nothing from here
    from scorecards.models import Period


def _shown(value: Decimal | None) -> str | None:
    return None if value is None else str(round_score(value))


def _shown_series(
    labels: Sequence[str], series: Sequence[Decimal | None]
) -> tuple[ShownTrend, ...]:
    return tuple(
        ShownTrend(
            label=label,
            value=_shown(point.value),
            change=_shown(point.change),
            rolling_average=_shown(point.rolling_average),
        )
        for label, point in zip(labels, trend.trend_points(series), strict=True)
    )


@dataclass(frozen=True, slots=True)
class SeriesTrend:
    """The trend of one perspective's or one KPI's score, one point per period."""

    code: str
    name: str
    points: tuple[ShownTrend, ...]
    perspective: str = ""  # a KPI's perspective code; empty for a perspective


@dataclass(frozen=True, slots=True)
class ScoreTrend:
    """Change and rolling four-period average of the overall score, each perspective and each
    KPI, over a scorecard's periods up to its last closed one (open periods are gaps)."""

    labels: tuple[str, ...] = ()
    overall: tuple[ShownTrend, ...] = ()
    perspectives: tuple[SeriesTrend, ...] = ()
    kpis: tuple[SeriesTrend, ...] = ()

    def at(self, label: str) -> ShownTrend | None:
        """The overall score's trend point of the period labelled ``label``."""
        return self.overall[self.labels.index(label)] if label in self.labels else None


def scorecard_trend(periods: Sequence[Period]) -> ScoreTrend:
    """The trend of a scorecard's periods (any order); open periods count as gaps."""
    ordered = sorted(periods, key=lambda p: p.start)
    closed_index = [i for i, p in enumerate(ordered) if p.is_closed]
    if not closed_index:
        return ScoreTrend()
    window = ordered[: closed_index[-1] + 1]
    labels = [p.label for p in window]
    frozen = [p.score_breakdown if p.is_closed else None for p in window]
    overall = [p.overall if p.is_closed else None for p in window]
    names: dict[str, str] = {}
    kpi_names: dict[tuple[str, str], str] = {}
    for breakdown in frozen:
        for perspective in breakdown.perspectives if breakdown else ():
            names.setdefault(perspective.code, perspective.name)
            for kpi in perspective.kpis:
                kpi_names.setdefault((perspective.code, kpi.code), kpi.name)

    def perspective_series(code: str) -> list[Decimal | None]:
        found = [b.perspective(code) if b else None for b in frozen]
        return [p.score_exact if p else None for p in found]

    def kpi_series(p_code: str, k_code: str) -> list[Decimal | None]:
        found = [b.perspective(p_code) if b else None for b in frozen]
        kpis = [p.kpi(k_code) if p else None for p in found]
        return [k.score_exact if k else None for k in kpis]

    return ScoreTrend(
        labels=tuple(labels),
        overall=_shown_series(labels, overall),
        perspectives=tuple(
            SeriesTrend(
                code=code, name=name, points=_shown_series(labels, perspective_series(code))
            )
            for code, name in names.items()
        ),
        kpis=tuple(
            SeriesTrend(
                code=k_code,
                name=name,
                perspective=p_code,
                points=_shown_series(labels, kpi_series(p_code, k_code)),
            )
            for (p_code, k_code), name in kpi_names.items()
        ),
    )


def trend_chart_data(score_trend: ScoreTrend) -> dict[str, Any]:
    """What the Chart.js line chart reads (as JSON): labels, overall, rolling average and
    each perspective's scores, and the legend's words in the active language. Scores stay
    plain text ("72.5") whatever the language: the chart reads them as numbers."""
    return {
        "names": {"overall": _("Overall"), "rolling": _("Rolling 4-period average")},
        "labels": list(score_trend.labels),
        "overall": [p.value for p in score_trend.overall],
        "rolling": [p.rolling_average for p in score_trend.overall],
        "perspectives": [
            {"name": s.name, "values": [p.value for p in s.points]}
            for s in score_trend.perspectives
        ],
    }


def breakdown_with_trend(breakdown: Breakdown, score_trend: ScoreTrend, label: str) -> Breakdown:
    """The breakdown with each perspective's and KPI's change against the previous period
    and rolling four-period average at the period labelled ``label``, for display."""
    if label not in score_trend.labels:
        return breakdown
    at = score_trend.labels.index(label)
    perspectives = {s.code: s.points[at] for s in score_trend.perspectives}
    kpis = {(s.perspective, s.code): s.points[at] for s in score_trend.kpis}
    empty = ShownTrend(label=label, value=None, change=None, rolling_average=None)
    return dataclasses.replace(
        breakdown,
        trend=score_trend.overall[at],
        perspectives=tuple(
            dataclasses.replace(
                p,
                trend=perspectives.get(p.code, empty),
                kpis=tuple(
                    dataclasses.replace(k, trend=kpis.get((p.code, k.code), empty)) for k in p.kpis
                ),
            )
            for p in breakdown.perspectives
        ),
    )

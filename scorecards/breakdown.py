"""The frozen, explained score of a closed period (SPEC 3.4, 3.5), as typed values. Pure: no
ORM.

Closing a period (or rescoring it after a dispute) builds a :class:`Breakdown` with
:func:`explain` and stores :meth:`Breakdown.to_json` in ``Period.breakdown``; everything that
shows or exports a score reads it back through :meth:`Breakdown.from_json`
(``Period.score_breakdown``). The JSON shape is the one stored from the start, so existing
rows and the API's output stay as they are; a key an older row lacks reads as its default.

Scores are kept twice: as shown, rounded once to one decimal (``overall``, ``score``), and
exact (``*_exact``) for trends, so no page rounds a rounded number again. KPI numbers
(target, threshold, weight, value) are kept as the text frozen at close.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scorecards import scoring
from scorecards.trend import ShownTrend

type JsonObject = dict[str, Any]


def _plain(number: Decimal) -> str:
    """A number as frozen text, without exponent or trailing zeros: 2.50 → "2.5"."""
    return f"{number.normalize():f}"


def _shown(score: Decimal | None) -> str | None:
    return None if score is None else str(scoring.round_score(score))


def _exact(score: Decimal | None) -> str | None:
    return None if score is None else str(score)


def _decimal(text: object) -> Decimal | None:
    return None if text is None or text == "" else Decimal(str(text))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class KpiBreakdown:
    """One KPI as scored: its definition at close, the value that counted and its score."""

    code: str
    name: str
    unit: str
    direction: str
    target: str
    threshold: str
    weight: str
    source: str  # the KPI's data source in the template
    # Where the values that counted came from (a buyer may enter a supplier-sourced KPI, and
    # accepted self-reports count alongside).
    value_sources: tuple[str, ...]
    aggregation: str
    value: str | None
    values_count: int
    score: str | None
    score_exact: Decimal | None
    # For display only (never stored): the change and rolling average at this period.
    trend: ShownTrend | None = field(default=None, compare=False)

    def to_json(self) -> JsonObject:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "target": self.target,
            "threshold": self.threshold,
            "weight": self.weight,
            "source": self.source,
            "value_sources": list(self.value_sources),
            "aggregation": self.aggregation,
            "value": self.value,
            "values_count": self.values_count,
            "score": self.score,
            "score_exact": _exact(self.score_exact),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KpiBreakdown:
        return cls(
            code=str(data.get("code", "")),
            name=str(data.get("name", "")),
            unit=str(data.get("unit") or ""),
            direction=str(data.get("direction", "")),
            target=str(data.get("target", "")),
            threshold=str(data.get("threshold", "")),
            weight=str(data.get("weight", "")),
            source=str(data.get("source", "")),
            value_sources=tuple(data.get("value_sources") or ()),
            aggregation=str(data.get("aggregation") or ""),
            value=_text(data.get("value")),
            values_count=int(data.get("values_count") or 0),
            score=_text(data.get("score")),
            score_exact=_decimal(data.get("score_exact")),
        )


@dataclass(frozen=True, slots=True)
class PerspectiveBreakdown:
    code: str
    name: str
    weight: str
    score: str | None
    score_exact: Decimal | None
    kpis: tuple[KpiBreakdown, ...]
    trend: ShownTrend | None = field(default=None, compare=False)

    def to_json(self) -> JsonObject:
        return {
            "code": self.code,
            "name": self.name,
            "weight": self.weight,
            "score": self.score,
            "score_exact": _exact(self.score_exact),
            "kpis": [kpi.to_json() for kpi in self.kpis],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PerspectiveBreakdown:
        return cls(
            code=str(data.get("code", "")),
            name=str(data.get("name", "")),
            weight=str(data.get("weight", "")),
            score=_text(data.get("score")),
            score_exact=_decimal(data.get("score_exact")),
            kpis=tuple(KpiBreakdown.from_json(k) for k in data.get("kpis") or ()),
        )

    def kpi(self, code: str) -> KpiBreakdown | None:
        return next((k for k in self.kpis if k.code == code), None)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """How a closed period's score was made, with the template version it was scored with."""

    template_code: str
    template_version: int | None
    template_name: str
    overall: str | None  # as shown: one decimal
    overall_exact: Decimal | None
    rating: str | None
    coverage: str | None  # percent, as shown
    provisional: bool
    perspectives: tuple[PerspectiveBreakdown, ...]
    trend: ShownTrend | None = field(default=None, compare=False)

    def to_json(self) -> JsonObject:
        return {
            "template_code": self.template_code,
            "template_version": self.template_version,
            "template_name": self.template_name,
            "overall": self.overall,
            "overall_exact": _exact(self.overall_exact),
            "rating": self.rating,
            "coverage": self.coverage,
            "provisional": self.provisional,
            "perspectives": [p.to_json() for p in self.perspectives],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Breakdown:
        version = data.get("template_version")
        return cls(
            template_code=str(data.get("template_code") or ""),
            template_version=None if version is None else int(version),
            template_name=str(data.get("template_name") or ""),
            overall=_text(data.get("overall")),
            overall_exact=_decimal(data.get("overall_exact")),
            rating=data.get("rating") or None,
            coverage=_text(data.get("coverage")),
            provisional=bool(data.get("provisional")),
            perspectives=tuple(
                PerspectiveBreakdown.from_json(p) for p in data.get("perspectives") or ()
            ),
        )

    def perspective(self, code: str) -> PerspectiveBreakdown | None:
        return next((p for p in self.perspectives if p.code == code), None)

    def kpi_names(self) -> list[tuple[str, str]]:
        """(code, name) of every KPI, in template order."""
        return [(k.code, k.name) for p in self.perspectives for k in p.kpis]


# --- scoring a period ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KpiShape:
    """A KPI definition as the close scores it (loaded once per template)."""

    code: str
    name: str
    unit: str
    direction: scoring.KpiDirection
    target: Decimal
    threshold: Decimal
    weight: Decimal
    source: str
    aggregation: scoring.Aggregation


@dataclass(frozen=True, slots=True)
class PerspectiveShape:
    code: str
    name: str
    weight: Decimal
    kpis: tuple[KpiShape, ...]


@dataclass(frozen=True, slots=True)
class TemplateShape:
    """A template version's perspectives and KPIs, as the close scores them."""

    code: str
    version: int
    name: str
    perspectives: tuple[PerspectiveShape, ...]


@dataclass(frozen=True, slots=True)
class KpiValues:
    """The accepted values of one KPI in one period, oldest first, and where they came from."""

    values: tuple[Decimal, ...] = ()
    sources: frozenset[str] = frozenset()


def explain(
    template: TemplateShape, values: Mapping[tuple[str, str], KpiValues]
) -> tuple[scoring.ScorecardResult, Breakdown]:
    """Score a period with the pure engine and build its frozen, explainable breakdown.

    ``values`` holds the period's accepted values per (perspective code, KPI code): KPIs are
    matched by code, so a period scored with a newer template version still finds the values
    entered against the older one. Raises ScoringInputError when the template is invalid.
    """
    aggregated: dict[tuple[str, str], Decimal | None] = {}
    inputs = []
    for perspective in template.perspectives:
        kpis = []
        for kpi in perspective.kpis:
            raw = values.get((perspective.code, kpi.code), KpiValues())
            value = scoring.aggregate(list(raw.values), kpi.aggregation)
            aggregated[(perspective.code, kpi.code)] = value
            kpis.append(
                scoring.KpiInput(
                    code=kpi.code,
                    direction=kpi.direction,
                    target=kpi.target,
                    threshold=kpi.threshold,
                    weight=kpi.weight,
                    value=value,
                )
            )
        inputs.append(
            scoring.PerspectiveInput(
                code=perspective.code, weight=perspective.weight, kpis=tuple(kpis)
            )
        )
    result = scoring.score_scorecard(inputs)
    perspectives = []
    for perspective, p_result in zip(template.perspectives, result.perspectives, strict=True):
        kpi_rows = []
        for kpi, k_result in zip(perspective.kpis, p_result.kpis, strict=True):
            counted = values.get((perspective.code, kpi.code), KpiValues())
            value = aggregated[(perspective.code, kpi.code)]
            kpi_rows.append(
                KpiBreakdown(
                    code=kpi.code,
                    name=kpi.name,
                    unit=kpi.unit,
                    direction=kpi.direction.value,
                    target=_plain(kpi.target),
                    threshold=_plain(kpi.threshold),
                    weight=_plain(kpi.weight),
                    source=kpi.source,
                    value_sources=tuple(sorted(counted.sources)),
                    aggregation=kpi.aggregation.value,
                    value=None if value is None else _plain(value),
                    values_count=len(counted.values),
                    score=_shown(k_result.score),
                    score_exact=k_result.score,
                )
            )
        perspectives.append(
            PerspectiveBreakdown(
                code=perspective.code,
                name=perspective.name,
                weight=_plain(perspective.weight),
                score=_shown(p_result.score),
                score_exact=p_result.score,
                kpis=tuple(kpi_rows),
            )
        )
    breakdown = Breakdown(
        template_code=template.code,
        template_version=template.version,
        template_name=template.name,
        overall=_shown(result.overall),
        overall_exact=result.overall,
        rating=result.rating.value if result.rating else None,
        coverage=_shown(result.coverage),
        provisional=result.provisional,
        perspectives=tuple(perspectives),
    )
    return result, breakdown

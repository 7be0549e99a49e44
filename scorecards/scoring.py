"""Balanced-scorecard scoring rules (SPEC 3.1, 3.4, 3.6).

Pure functions over frozen dataclasses and ``Decimal``: no Django, no database, no I/O, so
the same rules serve the web pages, the REST API and background jobs.

Everything is computed in ``Decimal`` at the context's full precision. Only presentation
rounds, half-up to one decimal place (``round_score``); the rating band and the provisional
flag are decided on that rounded value so they always agree with the number the user sees.

The individual scoring functions expect a template that passes ``validate_template``;
``score_scorecard`` validates before it scores.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypedDict, assert_never

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import FieldErrors as DomainFieldErrors


class KpiDirection(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class Rating(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    NEEDS_IMPROVEMENT = "needs_improvement"
    CRITICAL = "critical"


class Aggregation(StrEnum):
    MEAN = "mean"
    SUM = "sum"
    LAST = "last"
    MIN = "min"
    MAX = "max"


MAX_SCORE = Decimal(100)
MIN_SCORE = Decimal(0)
REQUIRED_PERSPECTIVE_WEIGHT_TOTAL = Decimal(100)
PROVISIONAL_BELOW_COVERAGE = Decimal(80)
DISPLAY_QUANTUM = Decimal("0.1")

# Lowest rounded score of each band, best band first; anything below the last is critical.
RATING_BAND_FLOORS: tuple[tuple[Decimal, Rating], ...] = (
    (Decimal(85), Rating.EXCELLENT),
    (Decimal(70), Rating.GOOD),
    (Decimal(50), Rating.NEEDS_IMPROVEMENT),
)

DEFAULT_PERSPECTIVE_WEIGHTS: tuple[tuple[str, Decimal], ...] = (
    ("cost", Decimal(30)),
    ("innovation", Decimal(30)),
    ("quality", Decimal(20)),
    ("sustainability", Decimal(20)),
)


@dataclass(frozen=True, slots=True)
class KpiInput:
    """One KPI of a perspective; ``value`` is its (already aggregated) value for the period,
    None when there is no data."""

    code: str
    direction: KpiDirection
    target: Decimal
    threshold: Decimal
    weight: Decimal
    value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PerspectiveInput:
    code: str
    weight: Decimal
    kpis: tuple[KpiInput, ...] = ()


@dataclass(frozen=True, slots=True)
class KpiResult:
    code: str
    score: Decimal | None
    value: Decimal | None
    target: Decimal
    threshold: Decimal
    weight: Decimal
    direction: KpiDirection


@dataclass(frozen=True, slots=True)
class PerspectiveResult:
    code: str
    score: Decimal | None
    weight: Decimal
    kpis: tuple[KpiResult, ...]


@dataclass(frozen=True, slots=True)
class ScorecardResult:
    overall: Decimal | None
    rating: Rating | None
    coverage: Decimal
    provisional: bool
    perspectives: tuple[PerspectiveResult, ...]


class KpiScoreDict(TypedDict):
    code: str
    score: str | None


class PerspectiveScoreDict(TypedDict):
    code: str
    score: str | None
    kpis: list[KpiScoreDict]


class ScorecardDict(TypedDict):
    overall: str | None
    rating: str | None
    coverage: str
    provisional: bool
    perspectives: list[PerspectiveScoreDict]


FieldErrors = dict[str, list[str]]


class ScoringInputError(DomainFieldErrors):
    """Invalid scorecard input.

    ``errors`` maps a field path (``perspectives``, ``perspectives[0].weight``,
    ``perspectives[1].kpis[0].threshold``, ...) to messages meant for the end user; the REST
    API returns it unchanged as the body of a 400 response.
    """


TARGET_EQUALS_THRESHOLD_MESSAGE = gettext_lazy("Target and threshold must differ.")


def kpi_score(
    value: Decimal, direction: KpiDirection, target: Decimal, threshold: Decimal
) -> Decimal:
    """Score one KPI value on a 0-100 scale.

    Higher is better: ``100 * (value - threshold) / (target - threshold)``.
    Lower is better: ``100 * (threshold - value) / (threshold - target)``.
    The result is clamped to [0, 100]: at or beyond the target scores 100, at or beyond the
    threshold scores 0. Raises ``ScoringInputError`` (key ``threshold``) when target equals
    threshold, because the scale then has no width.
    """
    if target == threshold:
        raise ScoringInputError({"threshold": [str(TARGET_EQUALS_THRESHOLD_MESSAGE)]})
    # Multiplying before dividing keeps results exact wherever the quotient terminates.
    if direction is KpiDirection.HIGHER_IS_BETTER:
        raw = MAX_SCORE * (value - threshold) / (target - threshold)
    else:
        raw = MAX_SCORE * (threshold - value) / (threshold - target)
    return min(MAX_SCORE, max(MIN_SCORE, raw))


def _kpi_score_or_none(kpi: KpiInput) -> Decimal | None:
    if kpi.value is None:
        return None
    return kpi_score(kpi.value, kpi.direction, kpi.target, kpi.threshold)


def _weighted_mean(weighted_scores: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    # Parts without a score drop out of numerator and denominator alike, so missing data
    # re-distributes its weight over the parts that have data instead of counting as zero.
    scored = [(weight, score) for weight, score in weighted_scores if score is not None]
    if not scored:
        return None
    total_weight = sum((weight for weight, _ in scored), Decimal(0))
    weighted_sum = sum((weight * score for weight, score in scored), Decimal(0))
    return weighted_sum / total_weight


def perspective_score(kpis: Sequence[KpiInput]) -> Decimal | None:
    """Score a perspective: Σ(KPI weight * KPI score) / Σ(KPI weight).

    Only KPIs with a value in the period take part (``value is None`` means no data). A
    perspective with no KPI data, or no KPIs at all, has no score (None). Unrounded.
    """
    return _weighted_mean((kpi.weight, _kpi_score_or_none(kpi)) for kpi in kpis)


def overall_score(perspectives: Sequence[PerspectiveInput]) -> Decimal | None:
    """Score the scorecard: Σ(perspective weight * perspective score) / Σ(weights of scored).

    Perspectives without a score leave both sums. None when no perspective has a score.
    Unrounded.
    """
    return _weighted_mean(
        (perspective.weight, perspective_score(perspective.kpis)) for perspective in perspectives
    )


def coverage_percent(perspectives: Sequence[PerspectiveInput]) -> Decimal:
    """Share of the total weight that had data, as a percentage 0-100 (unrounded).

    Each KPI carries ``perspective weight * (KPI weight / Σ KPI weights of its perspective)``
    of the total; coverage is the part carried by KPIs with a value. A perspective without
    KPIs covers none of its weight.
    """
    total_weight = sum((perspective.weight for perspective in perspectives), Decimal(0))
    covered_weight = Decimal(0)
    for perspective in perspectives:
        if not perspective.kpis:
            continue
        kpi_weight_total = sum((kpi.weight for kpi in perspective.kpis), Decimal(0))
        kpi_weight_with_data = sum(
            (kpi.weight for kpi in perspective.kpis if kpi.value is not None), Decimal(0)
        )
        covered_weight += perspective.weight * kpi_weight_with_data / kpi_weight_total
    return MAX_SCORE * covered_weight / total_weight


def round_score(score: Decimal) -> Decimal:
    """Round a score or percentage for display: half-up to one decimal place (72.25 → 72.3)."""
    return score.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP)


def is_provisional(coverage: Decimal) -> bool:
    """A result is provisional when its coverage is below 80 %; exactly 80 is not.

    Decided on the displayed (half-up, one decimal) coverage, like the rating, so a page never
    shows "80.0 %" next to a provisional badge; 79.95 shows as 80.0 and is not provisional,
    79.94 shows as 79.9 and is.
    """
    return round_score(coverage) < PROVISIONAL_BELOW_COVERAGE


def rating_for(score: Decimal | None) -> Rating | None:
    """Rating band of an overall score: ≥ 85 excellent, ≥ 70 good, ≥ 50 needs improvement,
    below 50 critical; None when there is no score.

    The band is decided on the displayed value (half-up, one decimal), not the unrounded one,
    so the band always matches the number the user sees: 84.95 shows as "85.0" and is
    excellent; 84.94 shows as "84.9" and is good.
    """
    if score is None:
        return None
    displayed = round_score(score)
    for floor, rating in RATING_BAND_FLOORS:
        if displayed >= floor:
            return rating
    return Rating.CRITICAL


def aggregate(values: Sequence[Decimal], how: Aggregation) -> Decimal | None:
    """Combine the sub-period values of one KPI into its value for the scoring period.

    ``mean``, ``sum``, ``min`` and ``max`` as named; ``last`` is the last value in the given
    order, so the caller passes the values sorted by date. No values gives None (no data).
    """
    if not values:
        return None
    match how:
        case Aggregation.MEAN:
            return sum(values, Decimal(0)) / len(values)
        case Aggregation.SUM:
            return sum(values, Decimal(0))
        case Aggregation.LAST:
            return values[-1]
        case Aggregation.MIN:
            return min(values)
        case Aggregation.MAX:
            return max(values)
        case _:
            assert_never(how)


def _format_number(number: Decimal) -> str:
    # normalize() drops trailing zeros; the "f" format keeps 100 from printing as 1E+2.
    return f"{number.normalize():f}"


def _duplicate_perspective_message(code: str) -> str:
    return _('Perspective code "%(code)s" is used more than once.') % {"code": code}


def _duplicate_kpi_message(code: str) -> str:
    return _('KPI code "%(code)s" is used more than once.') % {"code": code}


def template_errors(perspectives: Sequence[PerspectiveInput]) -> FieldErrors:
    """Check a scorecard template and return its field errors; an empty dict means valid.

    Rules: perspective weights sum to exactly 100; every perspective weight and KPI weight is
    greater than 0; a KPI's target differs from its threshold; perspective codes are unique
    within the scorecard and KPI codes unique within their perspective. Values are not
    checked. Paths look like ``perspectives``, ``perspectives[0].weight`` or
    ``perspectives[1].kpis[0].threshold``; a repeated code is reported on each later
    occurrence.
    """
    errors: FieldErrors = {}

    def add(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    weight_total = sum((perspective.weight for perspective in perspectives), Decimal(0))
    if weight_total != REQUIRED_PERSPECTIVE_WEIGHT_TOTAL:
        add(
            "perspectives",
            _("Perspective weights must sum to %(required)s (they sum to %(total)s).")
            % {
                "required": _format_number(REQUIRED_PERSPECTIVE_WEIGHT_TOTAL),
                "total": _format_number(weight_total),
            },
        )

    seen_perspective_codes: set[str] = set()
    for p_index, perspective in enumerate(perspectives):
        p_path = f"perspectives[{p_index}]"
        if perspective.code in seen_perspective_codes:
            add(f"{p_path}.code", _duplicate_perspective_message(perspective.code))
        seen_perspective_codes.add(perspective.code)
        if perspective.weight <= 0:
            add(f"{p_path}.weight", _("Perspective weight must be greater than 0."))

        seen_kpi_codes: set[str] = set()
        for k_index, kpi in enumerate(perspective.kpis):
            k_path = f"{p_path}.kpis[{k_index}]"
            if kpi.code in seen_kpi_codes:
                add(f"{k_path}.code", _duplicate_kpi_message(kpi.code))
            seen_kpi_codes.add(kpi.code)
            if kpi.weight <= 0:
                add(f"{k_path}.weight", _("KPI weight must be greater than 0."))
            if kpi.target == kpi.threshold:
                add(f"{k_path}.threshold", str(TARGET_EQUALS_THRESHOLD_MESSAGE))
    return errors


def validate_template(perspectives: Sequence[PerspectiveInput]) -> None:
    """Raise ``ScoringInputError`` carrying every field error ``template_errors`` finds."""
    errors = template_errors(perspectives)
    if errors:
        raise ScoringInputError(errors)


def score_scorecard(perspectives: Sequence[PerspectiveInput]) -> ScorecardResult:
    """Validate the template, then score every KPI, perspective and the whole scorecard.

    Returns unrounded scores (None where there was no data), the rating of the overall score,
    the coverage percentage and whether the result is provisional (coverage below 80 %),
    plus each KPI's inputs so a breakdown can explain every number.
    """
    validate_template(perspectives)
    perspective_results = tuple(
        PerspectiveResult(
            code=perspective.code,
            score=perspective_score(perspective.kpis),
            weight=perspective.weight,
            kpis=tuple(
                KpiResult(
                    code=kpi.code,
                    score=_kpi_score_or_none(kpi),
                    value=kpi.value,
                    target=kpi.target,
                    threshold=kpi.threshold,
                    weight=kpi.weight,
                    direction=kpi.direction,
                )
                for kpi in perspective.kpis
            ),
        )
        for perspective in perspectives
    )
    overall = _weighted_mean((result.weight, result.score) for result in perspective_results)
    coverage = coverage_percent(perspectives)
    return ScorecardResult(
        overall=overall,
        rating=rating_for(overall),
        coverage=coverage,
        provisional=is_provisional(coverage),
        perspectives=perspective_results,
    )


def _display(score: Decimal | None) -> str | None:
    return None if score is None else str(round_score(score))


def result_as_dict(result: ScorecardResult) -> ScorecardDict:
    """Present a result as JSON-ready data: scores and coverage as strings rounded half-up
    to one decimal place (None where there is no score), rating as its value or None.
    """
    return {
        "overall": _display(result.overall),
        "rating": None if result.rating is None else result.rating.value,
        "coverage": str(round_score(result.coverage)),
        "provisional": result.provisional,
        "perspectives": [
            {
                "code": perspective.code,
                "score": _display(perspective.score),
                "kpis": [
                    {"code": kpi.code, "score": _display(kpi.score)} for kpi in perspective.kpis
                ],
            }
            for perspective in result.perspectives
        ],
    }

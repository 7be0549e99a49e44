"""Partnership readiness and strategic alignment assessment (SPEC 1.5).

An assessment template holds weighted criteria in two dimensions, readiness and
alignment. One or more assessors rate each criterion 1-5. Rules:

* A criterion's rating is the arithmetic mean of the ratings given by the assessors who
  rated it; an assessor may skip a criterion they cannot judge, but every criterion needs
  at least one rating.
* Dimension score = sum(weight x (rating - 1) / 4) / sum(weight) x 100, i.e. 0-100 where a
  rating of 1 contributes 0 and a rating of 5 contributes 100. Rounded half-up to 2
  decimals; the band is read from the rounded score so it agrees with what is shown.
* Band: score >= 75 ready; 50 <= score < 75 conditionally ready; score < 50 not ready.
* Overall band = the worse of the two dimension bands: a partner that is ready but
  misaligned (or aligned but not ready) is not ready to partner.
* Gap = a criterion whose (mean) rating is below 3, the scale midpoint ("adequate").
  Gaps are listed largest weighted shortfall first, shortfall = weight x (3 - rating);
  ties keep template order. Gaps are computed for every band, not only for
  conditionally ready, because they are also the reasons behind a not-ready band.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrPromise

from partners.kraljic import RuleValidationError


class ReadinessValidationError(RuleValidationError):
    """Invalid readiness input (template, ratings)."""


class Dimension(StrEnum):
    READINESS = "readiness"
    ALIGNMENT = "alignment"

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS[self])


class Band(StrEnum):
    READY = "ready"
    CONDITIONALLY_READY = "conditionally_ready"
    NOT_READY = "not_ready"

    @property
    def label(self) -> str:
        return str(BAND_LABELS[self])


DIMENSION_LABELS: Final[Mapping[Dimension, StrPromise]] = {
    Dimension.READINESS: gettext_lazy("Partnership readiness"),
    Dimension.ALIGNMENT: gettext_lazy("Strategic alignment"),
}

BAND_LABELS: Final[Mapping[Band, StrPromise]] = {
    Band.READY: gettext_lazy("Ready"),
    Band.CONDITIONALLY_READY: gettext_lazy("Conditionally ready"),
    Band.NOT_READY: gettext_lazy("Not ready"),
}

# One sentence per dimension, so that each language can inflect the dimension's name.
_TEMPLATE_NEEDS: Final[Mapping[Dimension, str]] = {
    Dimension.READINESS: gettext_noop(
        "The template needs at least one partnership readiness criterion."
    ),
    Dimension.ALIGNMENT: gettext_noop(
        "The template needs at least one strategic alignment criterion."
    ),
}
_NO_CRITERION: Final[Mapping[Dimension, str]] = {
    Dimension.READINESS: gettext_noop("No partnership readiness criterion."),
    Dimension.ALIGNMENT: gettext_noop("No strategic alignment criterion."),
}

# Higher = worse; used to pick the overall band.
_BAND_SEVERITY: Final[Mapping[Band, int]] = {
    Band.READY: 0,
    Band.CONDITIONALLY_READY: 1,
    Band.NOT_READY: 2,
}

MIN_RATING: Final = 1
MAX_RATING: Final = 5
READY_THRESHOLD: Final = Decimal(75)
CONDITIONAL_THRESHOLD: Final = Decimal(50)
GAP_RATING_THRESHOLD: Final = Decimal(3)
SCORE_PLACES: Final = Decimal("0.01")
RATING_PLACES: Final = Decimal("0.01")

RATING_RANGE_MESSAGE: Final = gettext_noop("Rating must be between 1 and 5.")


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    dimension: Dimension
    weight: Decimal


# Equal weights until the partnership board calibrates them; the template is data, so a
# different weighting needs no code change. The labels are stored as the template's data
# (English); marked here so that pages show these default labels translated
# (``gettext(label)``), while a label an administrator wrote stays as written.
DEFAULT_CRITERIA: Final[tuple[Criterion, ...]] = (
    Criterion(
        "dedicated_account_manager",
        gettext_noop("Dedicated account manager"),
        Dimension.READINESS,
        Decimal(1),
    ),
    Criterion(
        "executive_engagement",
        gettext_noop("Executive willingness to meet regularly"),
        Dimension.READINESS,
        Decimal(1),
    ),
    Criterion(
        "partnership_experience",
        gettext_noop("Prior partnership experience"),
        Dimension.READINESS,
        Decimal(1),
    ),
    Criterion(
        "competencies",
        gettext_noop("Competencies (knowledge, skills, mindset, tools, learning mechanisms)"),
        Dimension.READINESS,
        Decimal(1),
    ),
    Criterion(
        "information_sharing",
        gettext_noop("Openness to share information"),
        Dimension.READINESS,
        Decimal(1),
    ),
    Criterion("long_term_goals", gettext_noop("Long-term goals"), Dimension.ALIGNMENT, Decimal(1)),
    Criterion("sustainability", gettext_noop("Sustainability"), Dimension.ALIGNMENT, Decimal(1)),
    Criterion(
        "innovation_ambition", gettext_noop("Innovation ambition"), Dimension.ALIGNMENT, Decimal(1)
    ),
    Criterion("cultural_fit", gettext_noop("Cultural fit"), Dimension.ALIGNMENT, Decimal(1)),
    Criterion(
        "financial_stability", gettext_noop("Financial stability"), Dimension.ALIGNMENT, Decimal(1)
    ),
)


@dataclass(frozen=True)
class CriterionResult:
    """``rating`` is the assessors' mean rounded to 2 decimals (exact mean is used to score)."""

    code: str
    label: str
    dimension: Dimension
    weight: Decimal
    rating: Decimal
    assessor_count: int


@dataclass(frozen=True)
class Gap:
    code: str
    label: str
    dimension: Dimension
    weight: Decimal
    rating: Decimal
    shortfall: Decimal


@dataclass(frozen=True)
class DimensionResult:
    dimension: Dimension
    score: Decimal
    band: Band
    criteria: tuple[CriterionResult, ...]
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class AssessmentResult:
    readiness: DimensionResult
    alignment: DimensionResult

    @property
    def band(self) -> Band:
        return worse_band(self.readiness.band, self.alignment.band)

    @property
    def dimensions(self) -> tuple[DimensionResult, DimensionResult]:
        return (self.readiness, self.alignment)

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return self.readiness.gaps + self.alignment.gaps


@dataclass(frozen=True)
class DimensionDelta:
    dimension: Dimension
    earlier_score: Decimal
    later_score: Decimal
    delta: Decimal
    earlier_band: Band
    later_band: Band


@dataclass(frozen=True)
class CriterionDelta:
    """Ratings are None when the criterion is absent from one assessment's template."""

    code: str
    label: str
    dimension: Dimension
    earlier_rating: Decimal | None
    later_rating: Decimal | None
    delta: Decimal | None


@dataclass(frozen=True)
class AssessmentComparison:
    dimensions: tuple[DimensionDelta, ...]
    criteria: tuple[CriterionDelta, ...]


def validate_template(criteria: Sequence[Criterion]) -> None:
    """Codes are unique, every weight is > 0, and each dimension has at least one criterion."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.code in seen:
            errors[f"criteria.{criterion.code}"] = [_("Criterion codes must be unique.")]
        seen.add(criterion.code)
        if not criterion.weight > 0:
            errors[f"weights.{criterion.code}"] = [_("Weight must be greater than 0.")]
    for dimension in Dimension:
        if not any(criterion.dimension is dimension for criterion in criteria):
            errors[f"criteria.{dimension.value}"] = [_(_TEMPLATE_NEEDS[dimension])]
    if errors:
        raise ReadinessValidationError(errors)


def validate_assessor_ratings(
    ratings: Mapping[str, int], criteria: Sequence[Criterion] = DEFAULT_CRITERIA
) -> None:
    """One assessor's ratings: each a whole number 1-5, only for criteria in the template.

    Missing criteria are allowed here (an assessor may skip one); ``assess`` checks that
    every criterion got at least one rating across assessors.
    """
    known = {criterion.code for criterion in criteria}
    errors: dict[str, list[str]] = {}
    for code, rating in ratings.items():
        if code not in known:
            errors[f"ratings.{code}"] = [_("Unknown criterion.")]
        elif not _is_valid_rating(rating):
            errors[f"ratings.{code}"] = [_(RATING_RANGE_MESSAGE)]
    if errors:
        raise ReadinessValidationError(errors)


def mean_ratings(
    assessor_ratings: Sequence[Mapping[str, int]],
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
) -> dict[str, Decimal]:
    """Per criterion, the unrounded mean of the ratings of the assessors who rated it."""
    if not assessor_ratings:
        raise ReadinessValidationError({"ratings": [_("At least one assessor must rate.")]})
    for ratings in assessor_ratings:
        validate_assessor_ratings(ratings, criteria)
    means: dict[str, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        given = [
            ratings[criterion.code] for ratings in assessor_ratings if criterion.code in ratings
        ]
        if not given:
            errors[f"ratings.{criterion.code}"] = [_("This criterion must be rated.")]
            continue
        means[criterion.code] = Decimal(sum(given)) / len(given)
    if errors:
        raise ReadinessValidationError(errors)
    return means


def dimension_score(
    dimension: Dimension,
    ratings: Mapping[str, Decimal],
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
) -> Decimal:
    """sum(weight x (rating - 1) / 4) / sum(weight) x 100 over the dimension's criteria.

    Result is 0-100, rounded half-up to 2 decimals.
    """
    in_dimension = [criterion for criterion in criteria if criterion.dimension is dimension]
    if not in_dimension:
        raise ReadinessValidationError(
            {f"criteria.{dimension.value}": [_(_NO_CRITERION[dimension])]}
        )
    span = Decimal(MAX_RATING - MIN_RATING)
    total_weight = sum((criterion.weight for criterion in in_dimension), Decimal(0))
    weighted = sum(
        (
            criterion.weight * (ratings[criterion.code] - MIN_RATING) / span
            for criterion in in_dimension
        ),
        Decimal(0),
    )
    return (weighted / total_weight * 100).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def band_for(score: Decimal) -> Band:
    """>= 75 ready; >= 50 conditionally ready; below 50 not ready."""
    if score >= READY_THRESHOLD:
        return Band.READY
    if score >= CONDITIONAL_THRESHOLD:
        return Band.CONDITIONALLY_READY
    return Band.NOT_READY


def worse_band(first: Band, second: Band) -> Band:
    """The less ready of two bands (not ready < conditionally ready < ready)."""
    return first if _BAND_SEVERITY[first] >= _BAND_SEVERITY[second] else second


def find_gaps(
    dimension: Dimension,
    ratings: Mapping[str, Decimal],
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
) -> tuple[Gap, ...]:
    """Criteria of the dimension rated below 3, largest weight x (3 - rating) first."""
    gaps = [
        Gap(
            code=criterion.code,
            label=criterion.label,
            dimension=criterion.dimension,
            weight=criterion.weight,
            rating=_round_rating(ratings[criterion.code]),
            shortfall=_round_rating(
                criterion.weight * (GAP_RATING_THRESHOLD - ratings[criterion.code])
            ),
        )
        for criterion in criteria
        if criterion.dimension is dimension and ratings[criterion.code] < GAP_RATING_THRESHOLD
    ]
    # sorted() is stable, so equal shortfalls keep template order.
    return tuple(sorted(gaps, key=lambda gap: gap.shortfall, reverse=True))


def assess(
    assessor_ratings: Sequence[Mapping[str, int]],
    criteria: Sequence[Criterion] = DEFAULT_CRITERIA,
) -> AssessmentResult:
    """Score, band and gaps of both dimensions from one or more assessors' ratings.

    ``assessor_ratings`` holds one ``{criterion code: rating}`` mapping per assessor; a
    criterion's rating is the mean over the assessors who rated it.
    """
    validate_template(criteria)
    means = mean_ratings(assessor_ratings, criteria)
    counts = {
        criterion.code: sum(1 for ratings in assessor_ratings if criterion.code in ratings)
        for criterion in criteria
    }

    def dimension_result(dimension: Dimension) -> DimensionResult:
        score = dimension_score(dimension, means, criteria)
        return DimensionResult(
            dimension=dimension,
            score=score,
            band=band_for(score),
            criteria=tuple(
                CriterionResult(
                    code=criterion.code,
                    label=criterion.label,
                    dimension=criterion.dimension,
                    weight=criterion.weight,
                    rating=_round_rating(means[criterion.code]),
                    assessor_count=counts[criterion.code],
                )
                for criterion in criteria
                if criterion.dimension is dimension
            ),
            gaps=find_gaps(dimension, means, criteria),
        )

    return AssessmentResult(
        readiness=dimension_result(Dimension.READINESS),
        alignment=dimension_result(Dimension.ALIGNMENT),
    )


def compare(earlier: AssessmentResult, later: AssessmentResult) -> AssessmentComparison:
    """Change from ``earlier`` to ``later``: later minus earlier, per dimension and criterion.

    Criteria are listed in the later assessment's order, then any criterion only the
    earlier one had; a criterion missing on one side has a None rating and delta.
    """
    dimension_deltas = tuple(
        DimensionDelta(
            dimension=before.dimension,
            earlier_score=before.score,
            later_score=after.score,
            delta=after.score - before.score,
            earlier_band=before.band,
            later_band=after.band,
        )
        for before, after in zip(earlier.dimensions, later.dimensions, strict=True)
    )
    before_by_code = {c.code: c for d in earlier.dimensions for c in d.criteria}
    after_by_code = {c.code: c for d in later.dimensions for c in d.criteria}
    criterion_deltas: list[CriterionDelta] = []
    for code, after_criterion in after_by_code.items():
        before_criterion = before_by_code.get(code)
        before_rating = None if before_criterion is None else before_criterion.rating
        criterion_deltas.append(
            CriterionDelta(
                code=code,
                label=after_criterion.label,
                dimension=after_criterion.dimension,
                earlier_rating=before_rating,
                later_rating=after_criterion.rating,
                delta=None if before_rating is None else after_criterion.rating - before_rating,
            )
        )
    for code, before_criterion in before_by_code.items():
        if code not in after_by_code:
            criterion_deltas.append(
                CriterionDelta(
                    code=code,
                    label=before_criterion.label,
                    dimension=before_criterion.dimension,
                    earlier_rating=before_criterion.rating,
                    later_rating=None,
                    delta=None,
                )
            )
    return AssessmentComparison(dimensions=dimension_deltas, criteria=tuple(criterion_deltas))


def criteria_snapshot(criteria: Sequence[Criterion]) -> list[dict[str, str]]:
    """The template as an assessment stores it, so later template edits leave it unchanged."""
    return [
        {"code": c.code, "label": c.label, "dimension": c.dimension.value, "weight": str(c.weight)}
        for c in criteria
    ]


def criteria_from_snapshot(snapshot: Sequence[Mapping[str, str]]) -> tuple[Criterion, ...]:
    """The criteria an assessment was made with, read back from :func:`criteria_snapshot`."""
    return tuple(
        Criterion(c["code"], c["label"], Dimension(c["dimension"]), Decimal(c["weight"]))
        for c in snapshot
    )


def gaps_snapshot(gaps: Sequence[Gap]) -> list[dict[str, str]]:
    """Gaps as an assessment stores them (decimals as text)."""
    return [
        {
            "code": g.code,
            "label": g.label,
            "dimension": g.dimension.value,
            "rating": str(g.rating),
            "shortfall": str(g.shortfall),
        }
        for g in gaps
    ]


def validate_template_change(
    others: Sequence[Criterion], changed: Criterion, *, active: bool
) -> None:
    """The template that results from saving ``changed`` (kept when ``active``) next to the
    other active criteria must stay valid (:func:`validate_template`).

    A template-wide problem is caused by this criterion's dimension or its deactivation, so
    the messages are keyed ``dimension`` or ``active``.
    """
    template = [*others, changed] if active else list(others)
    try:
        validate_template(template)
    except ReadinessValidationError as exc:
        field = "dimension" if active else "active"
        raise ReadinessValidationError(
            {field: [m for messages in exc.errors.values() for m in messages]}
        ) from exc


def _round_rating(value: Decimal) -> Decimal:
    return value.quantize(RATING_PLACES, rounding=ROUND_HALF_UP)


def _is_valid_rating(rating: int) -> bool:
    # bool is an int subclass; True must not pass as a rating of 1.
    return (
        isinstance(rating, int)
        and not isinstance(rating, bool)
        and MIN_RATING <= rating <= MAX_RATING
    )

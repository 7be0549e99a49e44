"""Kraljic portfolio positioning of a partner (SPEC 1.4).

A partner, or a partner within one purchase category, gets a profit-impact score and a
supply-risk score on a 1-5 scale. Each score is the weighted mean of explicit factor
ratings, so a reviewer can always see why a partner landed in a quadrant. The quadrant
then drives the recommended engagement model.

Every factor is rated so that 5 means "more impact" or "more risk": for the number of
qualified alternatives, 5 therefore means *few* alternatives.

Pure rules only: no ORM (Django's translation functions only, so labels and messages
reach each user in their language), so the rules can be tested without a database and
reused by models, forms, the API and the importer alike.
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

from core.errors import FieldErrors as DomainFieldErrors


class RuleValidationError(DomainFieldErrors):
    """A domain rule was broken; ``errors`` maps a field key to its messages.

    The shape matches what ``django.core.exceptions.ValidationError`` accepts, so callers
    can convert it without translating keys. It lives here because Kraljic is the first
    rule module; readiness, risk and agreement-terms errors subclass it so one ``except``
    catches any broken partner rule.
    """


class KraljicValidationError(RuleValidationError):
    """Invalid Kraljic input (rating, weight, score or override)."""


class Axis(StrEnum):
    PROFIT_IMPACT = "profit_impact"
    SUPPLY_RISK = "supply_risk"

    @property
    def label(self) -> str:
        return str(AXIS_LABELS[self])


class Quadrant(StrEnum):
    STRATEGIC = "strategic"
    LEVERAGE = "leverage"
    BOTTLENECK = "bottleneck"
    NON_CRITICAL = "non_critical"

    @property
    def label(self) -> str:
        return str(QUADRANT_LABELS[self])


class EngagementModel(StrEnum):
    TRANSACTIONAL = "transactional"
    PREFERRED_SUPPLIER = "preferred_supplier"
    STRATEGIC_PARTNERSHIP = "strategic_partnership"
    JOINT_VENTURE = "joint_venture"

    @property
    def label(self) -> str:
        return str(ENGAGEMENT_MODEL_LABELS[self])


# Lazy: models and forms take them as choices at import; ``label`` gives the active language.
AXIS_LABELS: Final[Mapping[Axis, StrPromise]] = {
    Axis.PROFIT_IMPACT: gettext_lazy("Profit impact"),
    Axis.SUPPLY_RISK: gettext_lazy("Supply risk"),
}

QUADRANT_LABELS: Final[Mapping[Quadrant, StrPromise]] = {
    Quadrant.STRATEGIC: gettext_lazy("Strategic"),
    Quadrant.LEVERAGE: gettext_lazy("Leverage"),
    Quadrant.BOTTLENECK: gettext_lazy("Bottleneck"),
    Quadrant.NON_CRITICAL: gettext_lazy("Non-critical"),
}

ENGAGEMENT_MODEL_LABELS: Final[Mapping[EngagementModel, StrPromise]] = {
    EngagementModel.TRANSACTIONAL: gettext_lazy("Transactional"),
    EngagementModel.PREFERRED_SUPPLIER: gettext_lazy("Preferred supplier"),
    EngagementModel.STRATEGIC_PARTNERSHIP: gettext_lazy("Strategic partnership"),
    EngagementModel.JOINT_VENTURE: gettext_lazy("Joint venture / equity"),
}

MIN_RATING: Final = 1
MAX_RATING: Final = 5
MIN_SCORE: Final = Decimal(MIN_RATING)
MAX_SCORE: Final = Decimal(MAX_RATING)
# SPEC 1.4: a score counts as high only when strictly above 3; exactly 3 is low.
HIGH_SCORE_THRESHOLD: Final = Decimal(3)
SCORE_PLACES: Final = Decimal("0.01")

# Marked here, translated where raised (``_(RATING_RANGE_MESSAGE)``).
RATING_RANGE_MESSAGE: Final = gettext_noop("Rating must be between 1 and 5.")


@dataclass(frozen=True)
class FactorDefinition:
    """One rated factor: its code keys the rating, its weight sets its share of the axis."""

    code: str
    label: str | StrPromise
    axis: Axis
    weight: Decimal


# Equal weights until purchasing calibrates them: any other default would be a guess
# presented as a policy. Weights are per factor so a category can override them.
DEFAULT_FACTORS: Final[tuple[FactorDefinition, ...]] = (
    FactorDefinition("spend_share", gettext_lazy("Share of spend"), Axis.PROFIT_IMPACT, Decimal(1)),
    FactorDefinition(
        "product_criticality",
        gettext_lazy("Criticality to our product"),
        Axis.PROFIT_IMPACT,
        Decimal(1),
    ),
    FactorDefinition(
        "quality_revenue_effect",
        gettext_lazy("Effect on quality / revenue"),
        Axis.PROFIT_IMPACT,
        Decimal(1),
    ),
    FactorDefinition(
        "qualified_alternatives",
        gettext_lazy("Scarcity of qualified alternatives"),
        Axis.SUPPLY_RISK,
        Decimal(1),
    ),
    FactorDefinition(
        "switching_cost", gettext_lazy("Switching cost"), Axis.SUPPLY_RISK, Decimal(1)
    ),
    FactorDefinition(
        "market_volatility", gettext_lazy("Market volatility"), Axis.SUPPLY_RISK, Decimal(1)
    ),
    FactorDefinition(
        "geographic_exposure",
        gettext_lazy("Geographic / geopolitical exposure"),
        Axis.SUPPLY_RISK,
        Decimal(1),
    ),
)


@dataclass(frozen=True)
class KraljicScores:
    profit_impact: Decimal
    supply_risk: Decimal
    quadrant: Quadrant


@dataclass(frozen=True)
class Recommendation:
    """Engagement advice for a quadrant; ``engagement_models[0]`` is the primary model."""

    quadrant: Quadrant
    engagement_models: tuple[EngagementModel, ...]
    advice: str | StrPromise

    @property
    def primary(self) -> EngagementModel:
        return self.engagement_models[0]


_RECOMMENDATIONS: Final[Mapping[Quadrant, Recommendation]] = {
    Quadrant.STRATEGIC: Recommendation(
        Quadrant.STRATEGIC,
        (EngagementModel.STRATEGIC_PARTNERSHIP, EngagementModel.JOINT_VENTURE),
        gettext_lazy(
            "Build a long-term strategic partnership with executive sponsorship, joint "
            "planning and shared roadmaps; consider a joint venture or equity stake when the "
            "dependency is structural."
        ),
    ),
    Quadrant.LEVERAGE: Recommendation(
        Quadrant.LEVERAGE,
        (EngagementModel.PREFERRED_SUPPLIER,),
        gettext_lazy(
            "Use buying power: competitive sourcing, tenders and volume bundling; keep the "
            "partner as preferred supplier while its terms stay competitive."
        ),
    ),
    Quadrant.BOTTLENECK: Recommendation(
        Quadrant.BOTTLENECK,
        (EngagementModel.PREFERRED_SUPPLIER,),
        gettext_lazy(
            "Secure supply, qualify a second source: buffer stock and longer commitments "
            "now, and reduce the dependency through redesign or an alternative supplier."
        ),
    ),
    Quadrant.NON_CRITICAL: Recommendation(
        Quadrant.NON_CRITICAL,
        (EngagementModel.TRANSACTIONAL,),
        gettext_lazy(
            "Keep it transactional: standardise, use catalogues or framework orders and cut "
            "the cost of each purchase."
        ),
    ),
}


def rating_key(code: str) -> str:
    """Error key for a factor rating, e.g. ``ratings.switching_cost``."""
    return f"ratings.{code}"


def validate_rating(code: str, rating: int) -> None:
    """A factor rating must be a whole number from 1 to 5 inclusive."""
    if not _is_valid_rating(rating):
        raise KraljicValidationError({rating_key(code): [_(RATING_RANGE_MESSAGE)]})


def validate_weight(code: str, weight: Decimal) -> None:
    """A factor weight must be strictly greater than 0."""
    if not weight > 0:
        raise KraljicValidationError({f"weights.{code}": [_("Weight must be greater than 0.")]})


def validate_ratings(
    ratings: Mapping[str, int], factors: Sequence[FactorDefinition] = DEFAULT_FACTORS
) -> None:
    """Every factor must be rated 1-5 with a weight > 0, and no unknown factor may be rated.

    All problems are reported at once, keyed ``ratings.<code>`` / ``weights.<code>``.
    """
    errors: dict[str, list[str]] = {}
    known = {factor.code for factor in factors}
    for factor in factors:
        if not factor.weight > 0:
            errors[f"weights.{factor.code}"] = [_("Weight must be greater than 0.")]
        if factor.code not in ratings:
            errors[rating_key(factor.code)] = [_("This factor must be rated.")]
        elif not _is_valid_rating(ratings[factor.code]):
            errors[rating_key(factor.code)] = [_(RATING_RANGE_MESSAGE)]
    for code in ratings:
        if code not in known:
            errors[rating_key(code)] = [_("Unknown factor.")]
    if errors:
        raise KraljicValidationError(errors)


def axis_score(
    axis: Axis,
    ratings: Mapping[str, int],
    factors: Sequence[FactorDefinition] = DEFAULT_FACTORS,
) -> Decimal:
    """Score of one axis = sum(weight x rating) / sum(weight) over that axis's factors.

    Rounded half-up to 2 decimals; the quadrant is read from this rounded value so that
    the classification always agrees with the score shown to the user.
    """
    validate_ratings(ratings, factors)
    on_axis = [factor for factor in factors if factor.axis is axis]
    if not on_axis:
        raise KraljicValidationError(
            {"factors": [_("No factor is defined for %(axis)s.") % {"axis": axis.label}]}
        )
    total_weight = sum((factor.weight for factor in on_axis), Decimal(0))
    weighted = sum((factor.weight * ratings[factor.code] for factor in on_axis), Decimal(0))
    return (weighted / total_weight).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def classify(profit_impact: Decimal, supply_risk: Decimal) -> Quadrant:
    """Quadrant from the two scores; a score is high only when strictly above 3.

    both high -> strategic; impact high only -> leverage; risk high only -> bottleneck;
    neither -> non-critical.
    """
    errors: dict[str, list[str]] = {}
    for key, score in (("profit_impact", profit_impact), ("supply_risk", supply_risk)):
        if not MIN_SCORE <= score <= MAX_SCORE:
            errors[key] = [_("Score must be between 1 and 5.")]
    if errors:
        raise KraljicValidationError(errors)
    high_impact = profit_impact > HIGH_SCORE_THRESHOLD
    high_risk = supply_risk > HIGH_SCORE_THRESHOLD
    if high_impact and high_risk:
        return Quadrant.STRATEGIC
    if high_impact:
        return Quadrant.LEVERAGE
    if high_risk:
        return Quadrant.BOTTLENECK
    return Quadrant.NON_CRITICAL


def score(
    ratings: Mapping[str, int], factors: Sequence[FactorDefinition] = DEFAULT_FACTORS
) -> KraljicScores:
    """Both axis scores (see ``axis_score``) and the quadrant they fall in."""
    impact = axis_score(Axis.PROFIT_IMPACT, ratings, factors)
    risk = axis_score(Axis.SUPPLY_RISK, ratings, factors)
    return KraljicScores(profit_impact=impact, supply_risk=risk, quadrant=classify(impact, risk))


def recommend(quadrant: Quadrant) -> Recommendation:
    """Engagement model per quadrant.

    strategic -> strategic partnership (or joint venture); leverage -> preferred supplier
    with competitive sourcing; bottleneck -> preferred supplier while securing supply and
    qualifying a second source; non-critical -> transactional.
    """
    return _RECOMMENDATIONS[quadrant]


def validate_override(quadrant: Quadrant | None, justification: str) -> None:
    """A manual quadrant override must come with a non-blank justification.

    ``quadrant`` None means no override, which needs no justification.
    """
    if quadrant is not None and not justification.strip():
        raise KraljicValidationError(
            {"override_justification": [_("A manual quadrant override needs a justification.")]}
        )


def effective_quadrant(computed: Quadrant, override: Quadrant | None) -> Quadrant:
    """The manual override when one is set, otherwise the computed quadrant."""
    return computed if override is None else override


def _is_valid_rating(rating: int) -> bool:
    # bool is an int subclass; True must not pass as a rating of 1.
    return (
        isinstance(rating, int)
        and not isinstance(rating, bool)
        and MIN_RATING <= rating <= MAX_RATING
    )

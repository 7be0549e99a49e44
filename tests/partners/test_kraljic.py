"""Kraljic rules (SPEC 1.4); expectations are computed by hand."""

from decimal import Decimal

import pytest

from partners.kraljic import (
    DEFAULT_FACTORS,
    Axis,
    EngagementModel,
    FactorDefinition,
    KraljicValidationError,
    Quadrant,
    RuleValidationError,
    axis_score,
    classify,
    effective_quadrant,
    recommend,
    score,
    validate_override,
    validate_rating,
    validate_ratings,
)

D = Decimal

ALL_THREES = {factor.code: 3 for factor in DEFAULT_FACTORS}


def ratings(**overrides: int) -> dict[str, int]:
    return {**ALL_THREES, **overrides}


def test_enum_values_and_labels() -> None:
    assert [m.value for m in Quadrant] == ["strategic", "leverage", "bottleneck", "non_critical"]
    assert [m.value for m in EngagementModel] == [
        "transactional",
        "preferred_supplier",
        "strategic_partnership",
        "joint_venture",
    ]
    assert EngagementModel.JOINT_VENTURE.label == "Joint venture / equity"
    assert Quadrant.NON_CRITICAL.label == "Non-critical"
    assert Axis.SUPPLY_RISK.label == "Supply risk"


def test_default_factors_cover_both_axes() -> None:
    by_axis = {axis: [f.code for f in DEFAULT_FACTORS if f.axis is axis] for axis in Axis}
    assert by_axis[Axis.PROFIT_IMPACT] == [
        "spend_share",
        "product_criticality",
        "quality_revenue_effect",
    ]
    assert by_axis[Axis.SUPPLY_RISK] == [
        "qualified_alternatives",
        "switching_cost",
        "market_volatility",
        "geographic_exposure",
    ]
    assert all(f.weight == D(1) for f in DEFAULT_FACTORS)


@pytest.mark.parametrize(
    ("impact", "risk", "expected"),
    [
        ("3", "3", Quadrant.NON_CRITICAL),
        ("3.00", "3.00", Quadrant.NON_CRITICAL),
        ("3.01", "3", Quadrant.LEVERAGE),
        ("3", "3.01", Quadrant.BOTTLENECK),
        ("3.01", "3.01", Quadrant.STRATEGIC),
        ("5", "5", Quadrant.STRATEGIC),
        ("1", "1", Quadrant.NON_CRITICAL),
        ("5", "1", Quadrant.LEVERAGE),
        ("1", "5", Quadrant.BOTTLENECK),
        ("2.99", "4.5", Quadrant.BOTTLENECK),
    ],
)
def test_classify_boundaries(impact: str, risk: str, expected: Quadrant) -> None:
    assert classify(D(impact), D(risk)) is expected


@pytest.mark.parametrize(
    ("impact", "risk", "expected_errors"),
    [
        ("0.99", "3", {"profit_impact": ["Score must be between 1 and 5."]}),
        ("3", "5.01", {"supply_risk": ["Score must be between 1 and 5."]}),
        (
            "0",
            "6",
            {
                "profit_impact": ["Score must be between 1 and 5."],
                "supply_risk": ["Score must be between 1 and 5."],
            },
        ),
    ],
)
def test_classify_rejects_scores_outside_scale(
    impact: str, risk: str, expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(KraljicValidationError) as excinfo:
        classify(D(impact), D(risk))
    assert excinfo.value.errors == expected_errors


def test_score_with_default_factors_exactly_three_risk_is_low() -> None:
    # impact (4+3+3)/3 = 3.333 -> 3.33 ; risk (5+4+2+1)/4 = 3.00
    result = score(
        ratings(
            spend_share=4,
            qualified_alternatives=5,
            switching_cost=4,
            market_volatility=2,
            geographic_exposure=1,
        )
    )
    assert result.profit_impact == D("3.33")
    assert result.supply_risk == D("3.00")
    assert result.quadrant is Quadrant.LEVERAGE


def test_score_all_fives_is_strategic() -> None:
    result = score({f.code: 5 for f in DEFAULT_FACTORS})
    assert (result.profit_impact, result.supply_risk) == (D("5.00"), D("5.00"))
    assert result.quadrant is Quadrant.STRATEGIC


def test_score_uses_weights() -> None:
    factors = (
        FactorDefinition("a", "A", Axis.PROFIT_IMPACT, D(2)),
        FactorDefinition("b", "B", Axis.PROFIT_IMPACT, D(1)),
        FactorDefinition("c", "C", Axis.SUPPLY_RISK, D("1.5")),
        FactorDefinition("d", "D", Axis.SUPPLY_RISK, D("0.5")),
    )
    # impact (2*5 + 1*2)/3 = 4.00 ; risk (1.5*1 + 0.5*5)/2 = 2.00
    result = score({"a": 5, "b": 2, "c": 1, "d": 5}, factors)
    assert result.profit_impact == D("4.00")
    assert result.supply_risk == D("2.00")
    assert result.quadrant is Quadrant.LEVERAGE


@pytest.mark.parametrize(
    ("heavy_weight", "expected_score", "expected_quadrant"),
    [
        # (199*3 + 4)/200 = 3.005 -> rounds half-up to 3.01 -> high
        ("199", D("3.01"), Quadrant.BOTTLENECK),
        # (249*3 + 4)/250 = 3.004 -> 3.00 -> not high
        ("249", D("3.00"), Quadrant.NON_CRITICAL),
    ],
)
def test_quadrant_is_read_from_rounded_score(
    heavy_weight: str, expected_score: Decimal, expected_quadrant: Quadrant
) -> None:
    factors = (
        FactorDefinition("impact", "Impact", Axis.PROFIT_IMPACT, D(1)),
        FactorDefinition("heavy", "Heavy", Axis.SUPPLY_RISK, D(heavy_weight)),
        FactorDefinition("light", "Light", Axis.SUPPLY_RISK, D(1)),
    )
    values = {"impact": 2, "heavy": 3, "light": 4}
    assert axis_score(Axis.SUPPLY_RISK, values, factors) == expected_score
    assert score(values, factors).quadrant is expected_quadrant


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_validate_rating_accepts_scale(rating: int) -> None:
    validate_rating("switching_cost", rating)


@pytest.mark.parametrize("rating", [0, 6, -1, 10, True])
def test_validate_rating_rejects_outside_scale(rating: int) -> None:
    with pytest.raises(KraljicValidationError) as excinfo:
        validate_rating("switching_cost", rating)
    assert excinfo.value.errors == {"ratings.switching_cost": ["Rating must be between 1 and 5."]}
    assert isinstance(excinfo.value, ValueError)
    assert isinstance(excinfo.value, RuleValidationError)


def test_validate_ratings_reports_every_problem() -> None:
    values = ratings(switching_cost=7, spend_share=0)
    del values["market_volatility"]
    values["bogus"] = 3
    with pytest.raises(KraljicValidationError) as excinfo:
        validate_ratings(values)
    assert excinfo.value.errors == {
        "ratings.spend_share": ["Rating must be between 1 and 5."],
        "ratings.switching_cost": ["Rating must be between 1 and 5."],
        "ratings.market_volatility": ["This factor must be rated."],
        "ratings.bogus": ["Unknown factor."],
    }


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_weight_must_be_positive(weight: str) -> None:
    factors = (
        FactorDefinition("a", "A", Axis.PROFIT_IMPACT, D(weight)),
        FactorDefinition("b", "B", Axis.SUPPLY_RISK, D(1)),
    )
    with pytest.raises(KraljicValidationError) as excinfo:
        score({"a": 3, "b": 3}, factors)
    assert excinfo.value.errors == {"weights.a": ["Weight must be greater than 0."]}


def test_axis_without_factor_is_rejected() -> None:
    factors = (FactorDefinition("a", "A", Axis.PROFIT_IMPACT, D(1)),)
    with pytest.raises(KraljicValidationError) as excinfo:
        axis_score(Axis.SUPPLY_RISK, {"a": 3}, factors)
    assert excinfo.value.errors == {"factors": ["No factor is defined for Supply risk."]}


@pytest.mark.parametrize(
    ("quadrant", "models", "advice_fragment"),
    [
        (
            Quadrant.STRATEGIC,
            (EngagementModel.STRATEGIC_PARTNERSHIP, EngagementModel.JOINT_VENTURE),
            "joint venture",
        ),
        (Quadrant.LEVERAGE, (EngagementModel.PREFERRED_SUPPLIER,), "competitive sourcing"),
        (
            Quadrant.BOTTLENECK,
            (EngagementModel.PREFERRED_SUPPLIER,),
            "Secure supply, qualify a second source",
        ),
        (Quadrant.NON_CRITICAL, (EngagementModel.TRANSACTIONAL,), "transactional"),
    ],
)
def test_recommendation_per_quadrant(
    quadrant: Quadrant, models: tuple[EngagementModel, ...], advice_fragment: str
) -> None:
    recommendation = recommend(quadrant)
    assert recommendation.quadrant is quadrant
    assert recommendation.engagement_models == models
    assert recommendation.primary is models[0]
    assert advice_fragment in recommendation.advice


@pytest.mark.parametrize("justification", ["", "   ", "\n\t"])
def test_override_without_justification_is_rejected(justification: str) -> None:
    with pytest.raises(KraljicValidationError) as excinfo:
        validate_override(Quadrant.STRATEGIC, justification)
    assert excinfo.value.errors == {
        "override_justification": ["A manual quadrant override needs a justification."]
    }


@pytest.mark.parametrize(
    ("quadrant", "justification"),
    [
        (Quadrant.STRATEGIC, "Sole licensed maker of our core alloy."),
        (None, ""),
    ],
)
def test_override_accepted(quadrant: Quadrant | None, justification: str) -> None:
    validate_override(quadrant, justification)


@pytest.mark.parametrize(
    ("override", "expected"),
    [(None, Quadrant.LEVERAGE), (Quadrant.STRATEGIC, Quadrant.STRATEGIC)],
)
def test_effective_quadrant(override: Quadrant | None, expected: Quadrant) -> None:
    assert effective_quadrant(Quadrant.LEVERAGE, override) is expected

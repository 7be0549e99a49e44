"""Scoring rules (SPEC 3.1, 3.4, 3.6).

Every expected number is worked out by hand and written as a literal, never recomputed with
the formula under test.
"""

from decimal import Decimal

import pytest

from scorecards.scoring import (
    DEFAULT_PERSPECTIVE_WEIGHTS,
    Aggregation,
    KpiDirection,
    KpiInput,
    PerspectiveInput,
    Rating,
    ScoringInputError,
    aggregate,
    coverage_percent,
    is_provisional,
    kpi_score,
    overall_score,
    perspective_score,
    rating_for,
    result_as_dict,
    round_score,
    score_scorecard,
    template_errors,
    validate_template,
)

HIGHER = KpiDirection.HIGHER_IS_BETTER
LOWER = KpiDirection.LOWER_IS_BETTER


def kpi(
    code: str,
    direction: KpiDirection = HIGHER,
    target: str = "100",
    threshold: str = "0",
    weight: str = "1",
    value: str | None = None,
) -> KpiInput:
    return KpiInput(
        code=code,
        direction=direction,
        target=Decimal(target),
        threshold=Decimal(threshold),
        weight=Decimal(weight),
        value=None if value is None else Decimal(value),
    )


def perspective(code: str, weight: str, *kpis: KpiInput) -> PerspectiveInput:
    return PerspectiveInput(code=code, weight=Decimal(weight), kpis=kpis)


def default_template_without_values() -> list[PerspectiveInput]:
    return [
        perspective("cost", "30", kpi("ppv", LOWER, "0", "5")),
        perspective("innovation", "30", kpi("ideas", HIGHER, "10", "2")),
        perspective("quality", "20", kpi("defect_ppm", LOWER, "100", "1000")),
        perspective("sustainability", "20", kpi("co2", LOWER, "50", "150")),
    ]


# --- KPI score -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "threshold", "value", "expected"),
    [
        # Higher is better, target 100, threshold 50: 100 * (v - 50) / 50.
        pytest.param(HIGHER, "100", "50", "75", "50", id="higher-midway"),
        pytest.param(HIGHER, "100", "50", "60", "20", id="higher-near-threshold"),
        pytest.param(HIGHER, "100", "50", "100", "100", id="higher-at-target"),
        pytest.param(HIGHER, "100", "50", "50", "0", id="higher-at-threshold"),
        pytest.param(HIGHER, "100", "50", "120", "100", id="higher-beyond-target-clamped"),
        pytest.param(HIGHER, "100", "50", "40", "0", id="higher-beyond-threshold-clamped"),
        pytest.param(HIGHER, "98", "90", "96.5", "81.25", id="higher-fractional"),
        # Lower is better, target 2, threshold 10: 100 * (10 - v) / 8.
        pytest.param(LOWER, "2", "10", "4", "75", id="lower-midway"),
        pytest.param(LOWER, "2", "10", "9", "12.5", id="lower-near-threshold"),
        pytest.param(LOWER, "2", "10", "2", "100", id="lower-at-target"),
        pytest.param(LOWER, "2", "10", "10", "0", id="lower-at-threshold"),
        pytest.param(LOWER, "2", "10", "0", "100", id="lower-beyond-target-clamped"),
        pytest.param(LOWER, "2", "10", "12", "0", id="lower-beyond-threshold-clamped"),
        pytest.param(LOWER, "0", "5", "-1", "100", id="lower-negative-value-clamped"),
    ],
)
def test_kpi_score(
    direction: KpiDirection, target: str, threshold: str, value: str, expected: str
) -> None:
    score = kpi_score(Decimal(value), direction, Decimal(target), Decimal(threshold))
    assert score == Decimal(expected)


def test_kpi_score_keeps_full_precision() -> None:
    # 100 * 1 / 3 does not terminate; it must not be rounded before presentation.
    score = kpi_score(Decimal(1), HIGHER, Decimal(3), Decimal(0))
    assert score == Decimal("33.33333333333333333333333333")
    assert round_score(score) == Decimal("33.3")


@pytest.mark.parametrize("direction", [HIGHER, LOWER])
def test_kpi_score_rejects_target_equal_to_threshold(direction: KpiDirection) -> None:
    with pytest.raises(ScoringInputError) as raised:
        kpi_score(Decimal(5), direction, Decimal(10), Decimal("10.0"))
    assert raised.value.errors == {"threshold": ["Target and threshold must differ."]}


# --- Perspective and overall scores ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kpis", "expected"),
    [
        # Scores 80 (w 1) and 40 (w 3): (80 + 120) / 4 = 50.
        pytest.param(
            (kpi("a", value="80", weight="1"), kpi("b", value="40", weight="3")),
            Decimal(50),
            id="weighted",
        ),
        # The KPI without data (w 3) drops out: (1*80 + 1*40) / 2 = 60, not (80 + 40) / 5.
        pytest.param(
            (
                kpi("a", value="80", weight="1"),
                kpi("b", value=None, weight="3"),
                kpi("c", value="40", weight="1"),
            ),
            Decimal(60),
            id="kpi-without-data-ignored",
        ),
        # A value of 0 is data, not missing: (1*0 + 1*100) / 2 = 50.
        pytest.param((kpi("a", value="0"), kpi("b", value="100")), Decimal(50), id="zero-is-data"),
        pytest.param((kpi("a"), kpi("b")), None, id="no-kpi-data"),
        pytest.param((), None, id="no-kpis"),
    ],
)
def test_perspective_score(kpis: tuple[KpiInput, ...], expected: Decimal | None) -> None:
    assert perspective_score(kpis) == expected


def test_overall_score_ignores_perspectives_without_score() -> None:
    # a: 80 (w 30), b: no data (w 50), c: 40 (w 20) -> (2400 + 800) / 50 = 64.
    perspectives = [
        perspective("a", "30", kpi("k", value="80")),
        perspective("b", "50", kpi("k")),
        perspective("c", "20", kpi("k", value="40")),
    ]
    assert overall_score(perspectives) == Decimal(64)


def test_overall_score_is_none_without_any_data() -> None:
    assert overall_score(default_template_without_values()) is None


# --- Coverage and provisional results --------------------------------------------------------


def test_coverage_weights_kpis_by_their_share_of_the_perspective() -> None:
    perspectives = [
        # 3 of 4 equal KPIs have data: 30 * 3/4 = 22.5
        perspective(
            "cost", "30", kpi("a", value="1"), kpi("b", value="1"), kpi("c", value="1"), kpi("d")
        ),
        # no data: 0
        perspective("innovation", "30", kpi("a"), kpi("b")),
        # all data: 20
        perspective("quality", "20", kpi("a", value="1")),
        # KPI of weight 3 of 4 has data: 20 * 3/4 = 15
        perspective("sustainability", "20", kpi("a", weight="3", value="1"), kpi("b")),
    ]
    # 22.5 + 0 + 20 + 15 = 57.5 of 100
    assert coverage_percent(perspectives) == Decimal("57.5")


def test_perspective_without_kpis_covers_none_of_its_weight() -> None:
    perspectives = [perspective("a", "50"), perspective("b", "50", kpi("k", value="90"))]
    assert coverage_percent(perspectives) == Decimal(50)


@pytest.mark.parametrize(
    ("weight_with_data", "weight_without_data", "coverage", "provisional"),
    [
        pytest.param("799", "201", "79.9", True, id="79.9-provisional"),
        pytest.param("7994", "2006", "79.94", True, id="79.94-shows-79.9-provisional"),
        pytest.param("7995", "2005", "79.95", False, id="79.95-shows-80.0-not-provisional"),
        pytest.param("80", "20", "80", False, id="exactly-80-not-provisional"),
        pytest.param("801", "199", "80.1", False, id="80.1-not-provisional"),
    ],
)
def test_provisional_below_80_percent_coverage(
    weight_with_data: str, weight_without_data: str, coverage: str, provisional: bool
) -> None:
    result = score_scorecard(
        [
            perspective(
                "quality",
                "100",
                kpi("a", weight=weight_with_data, value="90"),
                kpi("b", weight=weight_without_data),
            )
        ]
    )
    assert result.coverage == Decimal(coverage)
    assert result.provisional is provisional


@pytest.mark.parametrize(
    ("coverage", "provisional"),
    [("0", True), ("79.9", True), ("79.94", True), ("79.95", False), ("80", False), ("100", False)],
)
def test_is_provisional(coverage: str, provisional: bool) -> None:
    assert is_provisional(Decimal(coverage)) is provisional


# --- Rounding and rating ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "displayed"),
    [
        ("72.25", "72.3"),  # half-up; banker's rounding would give 72.2
        ("31.25", "31.3"),
        ("72.35", "72.4"),
        ("72.24", "72.2"),
        ("72.2499999", "72.2"),
        ("0.05", "0.1"),
        ("84.95", "85.0"),
        ("100", "100.0"),
        ("0", "0.0"),
    ],
)
def test_round_score_half_up_to_one_decimal(score: str, displayed: str) -> None:
    assert str(round_score(Decimal(score))) == displayed


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        ("100", Rating.EXCELLENT),
        ("85", Rating.EXCELLENT),
        ("84.95", Rating.EXCELLENT),  # shows as 85.0
        ("84.94", Rating.GOOD),  # shows as 84.9
        ("84.9499999", Rating.GOOD),
        ("70", Rating.GOOD),
        ("69.95", Rating.GOOD),  # shows as 70.0
        ("69.94", Rating.NEEDS_IMPROVEMENT),
        ("50", Rating.NEEDS_IMPROVEMENT),
        ("49.95", Rating.NEEDS_IMPROVEMENT),  # shows as 50.0
        ("49.9", Rating.CRITICAL),
        ("0", Rating.CRITICAL),
    ],
)
def test_rating_bands_use_the_displayed_value(score: str, rating: Rating) -> None:
    assert rating_for(Decimal(score)) is rating


def test_no_score_has_no_rating() -> None:
    assert rating_for(None) is None


def test_rating_string_values() -> None:
    assert [rating.value for rating in Rating] == [
        "excellent",
        "good",
        "needs_improvement",
        "critical",
    ]
    assert [direction.value for direction in KpiDirection] == [
        "higher_is_better",
        "lower_is_better",
    ]


def test_overall_boundary_value_rated_as_displayed() -> None:
    result = score_scorecard([perspective("quality", "100", kpi("otd", value="84.95"))])
    assert result.overall == Decimal("84.95")
    assert result.rating is Rating.EXCELLENT
    assert result_as_dict(result)["overall"] == "85.0"


# --- Full worked example: default 30/30/20/20 template ---------------------------------------
#
# Cost (30)
#   ppv            lower,  target 0,      threshold 5,     w 2, value 2      -> 100*(5-2)/5 = 60
#   savings        higher, target 100000, threshold 50000, w 1, value 90000
#                                                          -> 100*40000/50000 = 80
#   payment_days   higher, target 60,     threshold 30,    w 1, value 75     -> 100*45/30 = 150
#                                                                             clamped to 100
#   perspective = (2*60 + 1*80 + 1*100) / 4 = 300 / 4 = 75
# Innovation (30)
#   ideas          higher, target 10,  threshold 2,   w 1, value 6   -> 100*4/8 = 50
#   joint_projects higher, target 4,   threshold 0,   w 1, value 3   -> 100*3/4 = 75
#   time_to_market lower,  target 90,  threshold 180, w 2, value 200 -> 100*(180-200)/90 < 0
#                                                                       clamped to 0
#   perspective = (1*50 + 1*75 + 2*0) / 4 = 125 / 4 = 31.25          (shows as 31.3)
# Quality (20)
#   defect_ppm     lower,  target 100, threshold 1000, w 3, value 280 -> 100*720/900 = 80
#   on_time        higher, target 98,  threshold 90,   w 1, value 96  -> 100*6/8 = 75
#   perspective = (3*80 + 1*75) / 4 = 315 / 4 = 78.75                  (shows as 78.8)
# Sustainability (20)
#   co2            lower,  target 50, threshold 150, w 1, value 70 -> 100*80/100 = 80
#   iso14001       higher, target 1,  threshold 0,   w 1, value 1  -> 100
#   perspective = (80 + 100) / 2 = 90
# Overall = (30*75 + 30*31.25 + 20*78.75 + 20*90) / 100
#         = (2250 + 937.5 + 1575 + 1800) / 100 = 6562.5 / 100 = 65.625 -> "65.6", needs_improvement
# Coverage = 100 (every KPI has a value) -> not provisional.


def worked_example(*, with_gaps: bool = False) -> list[PerspectiveInput]:
    """The example above; ``with_gaps`` removes all innovation data and the iso14001 value."""

    def value(v: str) -> str | None:
        return None if with_gaps else v

    return [
        perspective(
            "cost",
            "30",
            kpi("ppv", LOWER, "0", "5", "2", "2"),
            kpi("savings", HIGHER, "100000", "50000", "1", "90000"),
            kpi("payment_days", HIGHER, "60", "30", "1", "75"),
        ),
        perspective(
            "innovation",
            "30",
            kpi("ideas", HIGHER, "10", "2", "1", value("6")),
            kpi("joint_projects", HIGHER, "4", "0", "1", value("3")),
            kpi("time_to_market", LOWER, "90", "180", "2", value("200")),
        ),
        perspective(
            "quality",
            "20",
            kpi("defect_ppm", LOWER, "100", "1000", "3", "280"),
            kpi("on_time", HIGHER, "98", "90", "1", "96"),
        ),
        perspective(
            "sustainability",
            "20",
            kpi("co2", LOWER, "50", "150", "1", "70"),
            kpi("iso14001", HIGHER, "1", "0", "1", value("1")),
        ),
    ]


def test_worked_example_uses_the_default_template_weights() -> None:
    assert [(p.code, p.weight) for p in worked_example()] == list(DEFAULT_PERSPECTIVE_WEIGHTS)
    default_weights = (
        ("cost", Decimal(30)),
        ("innovation", Decimal(30)),
        ("quality", Decimal(20)),
        ("sustainability", Decimal(20)),
    )
    assert default_weights == DEFAULT_PERSPECTIVE_WEIGHTS


def test_worked_example_scores() -> None:
    result = score_scorecard(worked_example())

    assert result.overall == Decimal("65.625")
    assert result.rating is Rating.NEEDS_IMPROVEMENT
    assert result.coverage == Decimal(100)
    assert result.provisional is False
    assert [(p.code, p.score, p.weight) for p in result.perspectives] == [
        ("cost", Decimal(75), Decimal(30)),
        ("innovation", Decimal("31.25"), Decimal(30)),
        ("quality", Decimal("78.75"), Decimal(20)),
        ("sustainability", Decimal(90), Decimal(20)),
    ]
    assert [(k.code, k.score) for p in result.perspectives for k in p.kpis] == [
        ("ppv", Decimal(60)),
        ("savings", Decimal(80)),
        ("payment_days", Decimal(100)),
        ("ideas", Decimal(50)),
        ("joint_projects", Decimal(75)),
        ("time_to_market", Decimal(0)),
        ("defect_ppm", Decimal(80)),
        ("on_time", Decimal(75)),
        ("co2", Decimal(80)),
        ("iso14001", Decimal(100)),
    ]


def test_worked_example_breakdown_keeps_every_kpi_input() -> None:
    ppv = score_scorecard(worked_example()).perspectives[0].kpis[0]
    assert (ppv.code, ppv.direction, ppv.target, ppv.threshold, ppv.weight, ppv.value) == (
        "ppv",
        LOWER,
        Decimal(0),
        Decimal(5),
        Decimal(2),
        Decimal(2),
    )


def test_worked_example_as_dict() -> None:
    assert result_as_dict(score_scorecard(worked_example())) == {
        "overall": "65.6",
        "rating": "needs_improvement",
        "coverage": "100.0",
        "provisional": False,
        "perspectives": [
            {
                "code": "cost",
                "score": "75.0",
                "kpis": [
                    {"code": "ppv", "score": "60.0"},
                    {"code": "savings", "score": "80.0"},
                    {"code": "payment_days", "score": "100.0"},
                ],
            },
            {
                "code": "innovation",
                "score": "31.3",
                "kpis": [
                    {"code": "ideas", "score": "50.0"},
                    {"code": "joint_projects", "score": "75.0"},
                    {"code": "time_to_market", "score": "0.0"},
                ],
            },
            {
                "code": "quality",
                "score": "78.8",
                "kpis": [
                    {"code": "defect_ppm", "score": "80.0"},
                    {"code": "on_time", "score": "75.0"},
                ],
            },
            {
                "code": "sustainability",
                "score": "90.0",
                "kpis": [
                    {"code": "co2", "score": "80.0"},
                    {"code": "iso14001", "score": "100.0"},
                ],
            },
        ],
    }


# Same example with gaps: innovation has no data at all and iso14001 has no value.
#   Sustainability = co2 alone = 80.
#   Overall = (30*75 + 20*78.75 + 20*80) / (30 + 20 + 20) = (2250 + 1575 + 1600) / 70
#           = 5425 / 70 = 77.5 -> good
#   Coverage = cost 30 + innovation 0 + quality 20 + sustainability 20 * 1/2 = 60 -> provisional


def test_worked_example_with_gaps() -> None:
    result = score_scorecard(worked_example(with_gaps=True))

    assert result.overall == Decimal("77.5")
    assert result.rating is Rating.GOOD
    assert result.coverage == Decimal(60)
    assert result.provisional is True
    assert [p.score for p in result.perspectives] == [
        Decimal(75),
        None,
        Decimal("78.75"),
        Decimal(80),
    ]
    as_dict = result_as_dict(result)
    assert (as_dict["overall"], as_dict["rating"], as_dict["coverage"]) == ("77.5", "good", "60.0")
    assert as_dict["provisional"] is True
    assert as_dict["perspectives"][1] == {
        "code": "innovation",
        "score": None,
        "kpis": [
            {"code": "ideas", "score": None},
            {"code": "joint_projects", "score": None},
            {"code": "time_to_market", "score": None},
        ],
    }
    assert as_dict["perspectives"][3]["kpis"][1] == {"code": "iso14001", "score": None}


def test_scorecard_without_any_data() -> None:
    result = score_scorecard(default_template_without_values())
    assert result.overall is None
    assert result.rating is None
    assert result.coverage == Decimal(0)
    assert result.provisional is True
    assert result_as_dict(result) == {
        "overall": None,
        "rating": None,
        "coverage": "0.0",
        "provisional": True,
        "perspectives": [
            {"code": "cost", "score": None, "kpis": [{"code": "ppv", "score": None}]},
            {"code": "innovation", "score": None, "kpis": [{"code": "ideas", "score": None}]},
            {"code": "quality", "score": None, "kpis": [{"code": "defect_ppm", "score": None}]},
            {"code": "sustainability", "score": None, "kpis": [{"code": "co2", "score": None}]},
        ],
    }


# --- Validation ------------------------------------------------------------------------------


def test_default_template_is_valid() -> None:
    assert template_errors(default_template_without_values()) == {}
    validate_template(default_template_without_values())


@pytest.mark.parametrize(
    ("weights", "expected_sum"),
    [
        pytest.param(("30", "20", "20", "20"), "90", id="under"),
        pytest.param(("30", "30", "30", "20"), "110", id="over"),
        pytest.param(("33.3", "33.3", "33.3"), "99.9", id="fractional"),
        pytest.param(("30.00", "30.00", "20.00", "10.50"), "90.5", id="trailing-zeros"),
        pytest.param((), "0", id="no-perspectives"),
    ],
)
def test_perspective_weights_must_sum_to_100(weights: tuple[str, ...], expected_sum: str) -> None:
    perspectives = [
        perspective(f"p{index}", weight, kpi("k")) for index, weight in enumerate(weights)
    ]
    assert template_errors(perspectives) == {
        "perspectives": [f"Perspective weights must sum to 100 (they sum to {expected_sum})."]
    }


def test_fractional_perspective_weights_summing_to_100_are_valid() -> None:
    perspectives = [
        perspective("a", "33.3", kpi("k")),
        perspective("b", "33.3", kpi("k")),
        perspective("c", "33.4", kpi("k")),
    ]
    assert template_errors(perspectives) == {}


@pytest.mark.parametrize("bad_weight", ["0", "-10"])
def test_perspective_weight_must_be_positive(bad_weight: str) -> None:
    # The other weights are chosen so the total is still 100: only the weight itself is wrong.
    balancing_weight = str(50 - int(bad_weight))
    perspectives = [
        perspective("cost", "30", kpi("k")),
        perspective("innovation", bad_weight, kpi("k")),
        perspective("quality", balancing_weight, kpi("k")),
        perspective("sustainability", "20", kpi("k")),
    ]
    assert template_errors(perspectives) == {
        "perspectives[1].weight": ["Perspective weight must be greater than 0."]
    }


@pytest.mark.parametrize("bad_weight", ["0", "-1"])
def test_kpi_weight_must_be_positive(bad_weight: str) -> None:
    perspectives = default_template_without_values()
    perspectives[2] = perspective("quality", "20", kpi("a"), kpi("b", weight=bad_weight))
    assert template_errors(perspectives) == {
        "perspectives[2].kpis[1].weight": ["KPI weight must be greater than 0."]
    }


def test_target_and_threshold_must_differ() -> None:
    perspectives = default_template_without_values()
    perspectives[1] = perspective("innovation", "30", kpi("ideas", HIGHER, "5", "5.00"))
    assert template_errors(perspectives) == {
        "perspectives[1].kpis[0].threshold": ["Target and threshold must differ."]
    }


def test_perspective_codes_are_unique() -> None:
    perspectives = [
        perspective("cost", "25", kpi("k")),
        perspective("quality", "25", kpi("k")),
        perspective("cost", "25", kpi("k")),
        perspective("cost", "25", kpi("k")),
    ]
    message = 'Perspective code "cost" is used more than once.'
    assert template_errors(perspectives) == {
        "perspectives[2].code": [message],
        "perspectives[3].code": [message],
    }


def test_kpi_codes_are_unique_within_their_perspective_only() -> None:
    perspectives = default_template_without_values()
    # "ppv" again in another perspective is fine; twice in the same one is not.
    perspectives[1] = perspective("innovation", "30", kpi("ppv"), kpi("ideas"), kpi("ideas"))
    assert template_errors(perspectives) == {
        "perspectives[1].kpis[2].code": ['KPI code "ideas" is used more than once.']
    }


def test_all_errors_are_reported_together() -> None:
    perspectives = [
        perspective("cost", "30", kpi("ppv", weight="0"), kpi("ppv", target="1", threshold="1")),
        perspective("cost", "0", kpi("k")),
        perspective("quality", "20", kpi("k")),
    ]
    assert template_errors(perspectives) == {
        "perspectives": ["Perspective weights must sum to 100 (they sum to 50)."],
        "perspectives[0].kpis[0].weight": ["KPI weight must be greater than 0."],
        "perspectives[0].kpis[1].code": ['KPI code "ppv" is used more than once.'],
        "perspectives[0].kpis[1].threshold": ["Target and threshold must differ."],
        "perspectives[1].code": ['Perspective code "cost" is used more than once.'],
        "perspectives[1].weight": ["Perspective weight must be greater than 0."],
    }


def test_validate_template_raises_a_value_error_with_the_field_errors() -> None:
    perspectives = default_template_without_values()[:3]
    with pytest.raises(ScoringInputError) as raised:
        validate_template(perspectives)
    assert isinstance(raised.value, ValueError)
    assert raised.value.errors == {
        "perspectives": ["Perspective weights must sum to 100 (they sum to 80)."]
    }
    assert "perspectives: Perspective weights must sum to 100" in str(raised.value)


def test_score_scorecard_validates_first() -> None:
    # Without validation this would divide by zero in the KPI score instead.
    perspectives = [perspective("quality", "100", kpi("otd", HIGHER, "95", "95", "1", "90"))]
    with pytest.raises(ScoringInputError) as raised:
        score_scorecard(perspectives)
    assert raised.value.errors == {
        "perspectives[0].kpis[0].threshold": ["Target and threshold must differ."]
    }


# --- Sub-period aggregation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "values", "expected"),
    [
        (Aggregation.MEAN, ("3", "1", "2"), "2"),
        (Aggregation.SUM, ("3", "1", "2"), "6"),
        (Aggregation.LAST, ("3", "1", "2"), "2"),
        (Aggregation.MIN, ("3", "1", "2"), "1"),
        (Aggregation.MAX, ("3", "1", "2"), "3"),
        (Aggregation.MEAN, ("1.5", "2.5", "5"), "3"),
        (Aggregation.MEAN, ("1", "2"), "1.5"),
        (Aggregation.SUM, ("0.1", "0.2"), "0.3"),  # exact in Decimal, unlike float
        (Aggregation.LAST, ("5", "1"), "1"),  # last in the given order, not the largest
        (Aggregation.MIN, ("-2", "4"), "-2"),
        (Aggregation.MAX, ("-2", "-4"), "-2"),
        (Aggregation.MEAN, ("7",), "7"),
        (Aggregation.LAST, ("7",), "7"),
    ],
)
def test_aggregate(how: Aggregation, values: tuple[str, ...], expected: str) -> None:
    assert aggregate([Decimal(v) for v in values], how) == Decimal(expected)


@pytest.mark.parametrize("how", list(Aggregation))
def test_aggregate_of_no_values_is_no_data(how: Aggregation) -> None:
    assert aggregate([], how) is None


def test_aggregation_string_values() -> None:
    assert [how.value for how in Aggregation] == ["mean", "sum", "last", "min", "max"]

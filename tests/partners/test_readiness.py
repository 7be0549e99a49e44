"""Readiness and alignment rules (SPEC 1.5); expectations are computed by hand."""

from decimal import Decimal

import pytest

from partners.readiness import (
    DEFAULT_CRITERIA,
    Band,
    Criterion,
    Dimension,
    ReadinessValidationError,
    assess,
    band_for,
    compare,
    criteria_from_snapshot,
    criteria_snapshot,
    validate_template_change,
    worse_band,
)

D = Decimal
R = Dimension.READINESS
A = Dimension.ALIGNMENT


def uniform(rating: int, **overrides: int) -> dict[str, int]:
    return {**{c.code: rating for c in DEFAULT_CRITERIA}, **overrides}


def test_default_template() -> None:
    assert [c.code for c in DEFAULT_CRITERIA if c.dimension is R] == [
        "dedicated_account_manager",
        "executive_engagement",
        "partnership_experience",
        "competencies",
        "information_sharing",
    ]
    assert [c.code for c in DEFAULT_CRITERIA if c.dimension is A] == [
        "long_term_goals",
        "sustainability",
        "innovation_ambition",
        "cultural_fit",
        "financial_stability",
    ]
    assert [b.value for b in Band] == ["ready", "conditionally_ready", "not_ready"]
    assert Band.CONDITIONALLY_READY.label == "Conditionally ready"
    assert Dimension.ALIGNMENT.label == "Strategic alignment"


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("100", Band.READY),
        ("75", Band.READY),
        ("75.00", Band.READY),
        ("74.99", Band.CONDITIONALLY_READY),
        ("50", Band.CONDITIONALLY_READY),
        ("49.99", Band.NOT_READY),
        ("0", Band.NOT_READY),
    ],
)
def test_band_boundaries(score: str, expected: Band) -> None:
    assert band_for(D(score)) is expected


@pytest.mark.parametrize(
    ("rating", "expected_score", "expected_band"),
    [
        (5, D("100.00"), Band.READY),
        (4, D("75.00"), Band.READY),
        (3, D("50.00"), Band.CONDITIONALLY_READY),
        (2, D("25.00"), Band.NOT_READY),
        (1, D("0.00"), Band.NOT_READY),
    ],
)
def test_uniform_ratings(rating: int, expected_score: Decimal, expected_band: Band) -> None:
    result = assess([uniform(rating)])
    assert result.readiness.score == expected_score
    assert result.alignment.score == expected_score
    assert result.band is expected_band


WEIGHTED = (
    Criterion("heavy", "Heavy", R, D(99)),
    Criterion("light", "Light", R, D(1)),
    Criterion("fit", "Fit", A, D(1)),
)


@pytest.mark.parametrize(
    ("heavy", "light", "expected_score", "expected_band"),
    [
        # (99*3/4 + 1*3/4)/100*100
        (4, 4, D("75.00"), Band.READY),
        # (99*3/4 + 1*2/4)/100*100 = 74.25 + 0.5
        (4, 3, D("74.75"), Band.CONDITIONALLY_READY),
        (3, 3, D("50.00"), Band.CONDITIONALLY_READY),
        # 49.5 + 0.25
        (3, 2, D("49.75"), Band.NOT_READY),
    ],
)
def test_weighted_score_just_below_boundaries(
    heavy: int, light: int, expected_score: Decimal, expected_band: Band
) -> None:
    result = assess([{"heavy": heavy, "light": light, "fit": 5}], WEIGHTED)
    assert result.readiness.score == expected_score
    assert result.readiness.band is expected_band


def test_several_assessors_use_mean_rating() -> None:
    template = (Criterion("x", "X", R, D(1)), Criterion("y", "Y", A, D(1)))
    result = assess([{"x": 3, "y": 5}, {"x": 4, "y": 5}, {"x": 4, "y": 4}], template)
    # x mean 11/3: (11/3 - 1)/4*100 = 66.666..; y mean 14/3: (11/3)/4*100 = 91.666..
    assert result.readiness.score == D("66.67")
    assert result.alignment.score == D("91.67")
    [x] = result.readiness.criteria
    assert (x.rating, x.assessor_count) == (D("3.67"), 3)
    assert result.band is Band.CONDITIONALLY_READY


def test_assessor_may_skip_a_criterion() -> None:
    template = (Criterion("x", "X", R, D(1)), Criterion("y", "Y", A, D(1)))
    result = assess([{"x": 2, "y": 5}, {"x": 4}], template)
    assert result.readiness.score == D("50.00")
    assert result.alignment.score == D("100.00")
    assert [c.assessor_count for c in result.alignment.criteria] == [1]


def test_gaps_below_three_sorted_by_weighted_shortfall() -> None:
    template = (
        Criterion("a", "A", R, D(1)),
        Criterion("b", "B", R, D(3)),
        Criterion("c", "C", R, D(2)),
        Criterion("d", "D", R, D(1)),
        Criterion("e", "E", R, D(2)),
        Criterion("z", "Z", A, D(1)),
    )
    result = assess([{"a": 1, "b": 2, "c": 3, "d": 2, "e": 2, "z": 1}], template)
    # shortfall = weight * (3 - rating): b 3, a 2, e 2, d 1 ; c at exactly 3 is no gap
    assert [(g.code, g.shortfall) for g in result.readiness.gaps] == [
        ("b", D("3.00")),
        ("a", D("2.00")),
        ("e", D("2.00")),
        ("d", D("1.00")),
    ]
    # sum w*(r-1)/4 = 0 + 0.75 + 1 + 0.25 + 0.5 = 2.5 ; 2.5 / 9 * 100 = 27.777..
    assert result.readiness.score == D("27.78")
    assert result.readiness.band is Band.NOT_READY
    assert [g.code for g in result.alignment.gaps] == ["z"]
    assert [g.code for g in result.gaps] == ["b", "a", "e", "d", "z"]


def test_gap_uses_mean_rating() -> None:
    template = (Criterion("x", "X", R, D(1)), Criterion("y", "Y", A, D(1)))
    result = assess([{"x": 2, "y": 3}, {"x": 3, "y": 3}, {"x": 3, "y": 3}], template)
    [gap] = result.readiness.gaps
    # mean 8/3 = 2.67, shortfall 1/3 = 0.33
    assert (gap.code, gap.rating, gap.shortfall) == ("x", D("2.67"), D("0.33"))
    assert result.alignment.gaps == ()


@pytest.mark.parametrize(
    ("overrides", "expected_score", "expected_band", "expected_gaps"),
    [
        # (0.75*4 + 0.25)/5 = 0.65
        ({"sustainability": 2}, D("65.00"), Band.CONDITIONALLY_READY, ["sustainability"]),
        # (0.75 + 0 + 0.25 + 0.25 + 0.75)/5 = 0.40
        (
            {"sustainability": 1, "cultural_fit": 2, "innovation_ambition": 2},
            D("40.00"),
            Band.NOT_READY,
            ["sustainability", "innovation_ambition", "cultural_fit"],
        ),
    ],
)
def test_gaps_listed_for_weak_dimension(
    overrides: dict[str, int],
    expected_score: Decimal,
    expected_band: Band,
    expected_gaps: list[str],
) -> None:
    result = assess([uniform(4, **overrides)])
    assert result.readiness.band is Band.READY
    assert result.alignment.score == expected_score
    assert result.alignment.band is expected_band
    assert result.band is expected_band
    assert [g.code for g in result.alignment.gaps] == expected_gaps
    assert result.readiness.gaps == ()


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (Band.READY, Band.READY, Band.READY),
        (Band.READY, Band.CONDITIONALLY_READY, Band.CONDITIONALLY_READY),
        (Band.NOT_READY, Band.READY, Band.NOT_READY),
        (Band.CONDITIONALLY_READY, Band.NOT_READY, Band.NOT_READY),
    ],
)
def test_worse_band(first: Band, second: Band, expected: Band) -> None:
    assert worse_band(first, second) is expected


def test_overall_band_is_worse_of_dimensions() -> None:
    alignment_codes = {c.code: 3 for c in DEFAULT_CRITERIA if c.dimension is A}
    result = assess([uniform(5, **alignment_codes)])
    assert result.readiness.band is Band.READY
    assert result.alignment.band is Band.CONDITIONALLY_READY
    assert result.band is Band.CONDITIONALLY_READY


def test_compare_two_assessments() -> None:
    earlier = assess([uniform(3)])
    readiness_fours = {c.code: 4 for c in DEFAULT_CRITERIA if c.dimension is R}
    later = assess([uniform(3, cultural_fit=5, financial_stability=2, **readiness_fours)])
    comparison = compare(earlier, later)
    # alignment later: (0.5*3 + 1 + 0.25)/5 = 0.55 -> 55
    assert [
        (d.dimension, d.earlier_score, d.later_score, d.delta) for d in comparison.dimensions
    ] == [
        (R, D("50.00"), D("75.00"), D("25.00")),
        (A, D("50.00"), D("55.00"), D("5.00")),
    ]
    assert comparison.dimensions[0].later_band is Band.READY
    deltas = {c.code: c.delta for c in comparison.criteria}
    assert deltas["dedicated_account_manager"] == D("1.00")
    assert deltas["cultural_fit"] == D("2.00")
    assert deltas["financial_stability"] == D("-1.00")
    assert deltas["long_term_goals"] == D("0.00")
    assert len(comparison.criteria) == 10


def test_compare_across_template_change() -> None:
    old = (Criterion("x", "X", R, D(1)), Criterion("gone", "Gone", A, D(1)))
    new = (Criterion("x", "X", R, D(1)), Criterion("new", "New", A, D(1)))
    comparison = compare(assess([{"x": 2, "gone": 4}], old), assess([{"x": 5, "new": 3}], new))
    by_code = {c.code: (c.earlier_rating, c.later_rating, c.delta) for c in comparison.criteria}
    assert by_code == {
        "x": (D("2.00"), D("5.00"), D("3.00")),
        "new": (None, D("3.00"), None),
        "gone": (D("4.00"), None, None),
    }


@pytest.mark.parametrize(
    ("assessors", "expected_errors"),
    [
        (
            [uniform(3, sustainability=6)],
            {"ratings.sustainability": ["Rating must be between 1 and 5."]},
        ),
        (
            [uniform(3, cultural_fit=0)],
            {"ratings.cultural_fit": ["Rating must be between 1 and 5."]},
        ),
        ([uniform(3, bogus=3)], {"ratings.bogus": ["Unknown criterion."]}),
        ([], {"ratings": ["At least one assessor must rate."]}),
        (
            [{c.code: 3 for c in DEFAULT_CRITERIA if c.code != "competencies"}],
            {"ratings.competencies": ["This criterion must be rated."]},
        ),
    ],
)
def test_invalid_ratings(
    assessors: list[dict[str, int]], expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ReadinessValidationError) as excinfo:
        assess(assessors)
    assert excinfo.value.errors == expected_errors


@pytest.mark.parametrize(
    ("template", "expected_errors"),
    [
        (
            (Criterion("x", "X", R, D(0)), Criterion("y", "Y", A, D(1))),
            {"weights.x": ["Weight must be greater than 0."]},
        ),
        (
            (Criterion("x", "X", R, D(1)),),
            {
                "criteria.alignment": [
                    "The template needs at least one strategic alignment criterion."
                ]
            },
        ),
        (
            (
                Criterion("x", "X", R, D(1)),
                Criterion("x", "X again", A, D(1)),
            ),
            {"criteria.x": ["Criterion codes must be unique."]},
        ),
    ],
)
def test_invalid_template(
    template: tuple[Criterion, ...], expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ReadinessValidationError) as excinfo:
        assess([{"x": 3}], template)
    assert excinfo.value.errors == expected_errors


def test_a_template_snapshot_reads_back_as_the_same_criteria() -> None:
    snapshot = criteria_snapshot(DEFAULT_CRITERIA)
    assert snapshot[0] == {
        "code": "dedicated_account_manager",
        "label": "Dedicated account manager",
        "dimension": "readiness",
        "weight": "1",
    }
    assert criteria_from_snapshot(snapshot) == DEFAULT_CRITERIA


def test_a_template_change_that_empties_a_dimension_is_blamed_on_the_change() -> None:
    alignment = [c for c in DEFAULT_CRITERIA if c.dimension is A]
    readiness_only = [c for c in DEFAULT_CRITERIA if c.dimension is R]
    last = alignment[0]
    with pytest.raises(ReadinessValidationError) as deactivated:
        validate_template_change(readiness_only, last, active=False)
    assert list(deactivated.value.errors) == ["active"]
    moved = Criterion(last.code, last.label, R, last.weight)
    with pytest.raises(ReadinessValidationError) as redimensioned:
        validate_template_change(readiness_only, moved, active=True)
    assert list(redimensioned.value.errors) == ["dimension"]
    validate_template_change(readiness_only, last, active=True)

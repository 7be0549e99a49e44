"""Trend of a per-period score series: change and four-period rolling average (SPEC 3.6).

Expected numbers are worked out by hand in the comments.
"""

from decimal import Decimal

import pytest

from scorecards.trend import TrendPoint, trend_points


def decimals(values: tuple[str | None, ...]) -> list[Decimal | None]:
    return [None if v is None else Decimal(v) for v in values]


@pytest.mark.parametrize(
    ("series", "changes", "rolling_averages"),
    [
        pytest.param((), (), (), id="empty"),
        pytest.param(("70",), (None,), ("70",), id="single-period"),
        # averages: 60; (60+70)/2 = 65; (60+70+65)/3 = 65; (60+70+65+80)/4 = 68.75;
        # the window then drops 60: (70+65+80+90)/4 = 76.25
        pytest.param(
            ("60", "70", "65", "80", "90"),
            (None, "10", "-5", "15", "10"),
            ("60", "65", "65", "68.75", "76.25"),
            id="full-series",
        ),
        # A missing period breaks the change on both sides of it and is skipped in averages:
        # 60; [60,-] 60; [60,-,70] 65; [60,-,70,80] 210/3 = 70; [-,70,80,90] 80;
        # [70,80,90,100] 85
        pytest.param(
            ("60", None, "70", "80", "90", "100"),
            (None, None, None, "10", "10", "10"),
            ("60", "60", "65", "70", "80", "85"),
            id="gap-in-the-middle",
        ),
        pytest.param(
            (None, None, "50", "54"),
            (None, None, None, "4"),
            (None, None, "50", "52"),
            id="leading-periods-without-data",
        ),
        # The lone value stays in the window for four periods, then falls out of it.
        pytest.param(
            ("80", None, None, None, None),
            (None, None, None, None, None),
            ("80", "80", "80", "80", None),
            id="value-leaves-the-window",
        ),
        pytest.param((None, None), (None, None), (None, None), id="no-data-at-all"),
        pytest.param(("75.0", "75"), (None, "0"), ("75", "75"), id="no-change-is-zero"),
        # change 80.5 - 72.25 = 8.25; average (72.25 + 80.5) / 2 = 76.375
        pytest.param(("72.25", "80.5"), (None, "8.25"), ("72.25", "76.375"), id="fractional"),
    ],
)
def test_trend_points(
    series: tuple[str | None, ...],
    changes: tuple[str | None, ...],
    rolling_averages: tuple[str | None, ...],
) -> None:
    expected = [
        TrendPoint(value=value, change=change, rolling_average=average)
        for value, change, average in zip(
            decimals(series), decimals(changes), decimals(rolling_averages), strict=True
        )
    ]
    assert trend_points(decimals(series)) == expected


def test_trend_points_keep_full_precision() -> None:
    # (10 + 20 + 20) / 3 does not terminate; rounding is left to presentation.
    points = trend_points([Decimal(10), Decimal(20), Decimal(20)])
    assert points[2].rolling_average == Decimal("16.66666666666666666666666667")


def test_trend_points_accept_any_sequence() -> None:
    assert trend_points((Decimal(1), None)) == [
        TrendPoint(value=Decimal(1), change=None, rolling_average=Decimal(1)),
        TrendPoint(value=None, change=None, rolling_average=Decimal(1)),
    ]

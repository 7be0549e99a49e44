"""The executive dashboard's figures as pure shapes (srm.dashboard_charts): no database."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import translation

from srm.dashboard_charts import (
    BANDS,
    chart_data,
    distribution_groups,
    distribution_totals,
    sparkline_svg,
)

# (group, rating, partners, sum of their scores) as the GROUP BY returns them.
ROWS = [
    ("strategic", "good", 1, Decimal("72.0")),
    ("strategic", "critical", 1, Decimal("40.0")),
    ("leverage", "excellent", 2, Decimal("181.0")),  # 90.0 and 91.0
    ("leverage", None, 1, None),  # judged, no score yet
    ("bottleneck", "", 3, None),
    ("", "needs_improvement", 2, Decimal("121.5")),  # not segmented
]


def test_rows_become_one_bar_per_group_with_a_count_per_band() -> None:
    groups = distribution_groups(
        ROWS, order=["strategic", "leverage", "bottleneck", "non_critical", ""]
    )
    assert [g.key for g in groups] == ["strategic", "leverage", "bottleneck", ""]
    strategic, leverage, bottleneck, unsegmented = groups
    assert strategic.band_counts == [0, 1, 0, 1, 0]
    assert (strategic.total, strategic.average) == (2, Decimal("56.0"))
    assert leverage.band_counts == [2, 0, 0, 0, 1]
    # The mean is over the scored partners only: 181.0 / 2, not / 3.
    assert (leverage.total, leverage.scored, leverage.average) == (3, 2, Decimal("90.5"))
    assert bottleneck.band_counts == [0, 0, 0, 0, 3] and bottleneck.average is None
    # 121.5 / 2 = 60.75, rounded half up to one decimal.
    assert unsegmented.average == Decimal("60.8")
    assert distribution_totals(groups) == {
        "excellent": 2,
        "good": 1,
        "needs_improvement": 2,
        "critical": 1,
        "unscored": 4,
    }


def test_groups_outside_the_order_follow_by_label_and_empty_ones_are_kept_on_request() -> None:
    rows = [("zeta", "good", 1, Decimal(70)), ("alpha", "good", 1, Decimal(80))]
    names = {"zeta": "Zeta", "alpha": "Alpha", "first": "First"}
    plain = distribution_groups(rows, label=names.__getitem__)
    assert [g.label for g in plain] == ["Alpha", "Zeta"]
    kept = distribution_groups(rows, order=["first"], label=names.__getitem__, keep_empty=True)
    assert [(g.label, g.total) for g in kept] == [("First", 0), ("Alpha", 1), ("Zeta", 1)]


def test_the_chart_json_carries_plain_numbers_whatever_the_language() -> None:
    groups = distribution_groups(ROWS)
    strategic = next(g for g in groups if g.key == "strategic")
    strategic.href = "?quadrant=strategic"
    with translation.override("de"):
        data = chart_data(groups, bands={band: band.title() for band in BANDS})
    assert [b["key"] for b in data["bands"]] == list(BANDS)
    unsegmented = next(g for g in data["groups"] if g["key"] == "")
    assert unsegmented == {
        "key": "",
        "label": "",
        "counts": [0, 0, 2, 0, 0],
        "total": 2,
        "average": "60.8",  # not "60,8": the script formats it for the reader
        "href": "",
    }
    assert {g["key"]: g["href"] for g in data["groups"]}["strategic"] == "?quadrant=strategic"


def _points(svg: str) -> list[tuple[float, float]]:
    match = re.search(r'points="([^"]+)"', svg)
    assert match is not None
    return [(float(x), float(y)) for x, y in (p.split(",") for p in match.group(1).split())]


def test_a_sparkline_runs_from_the_oldest_score_to_the_latest() -> None:
    with translation.override("de"):  # coordinates never take a decimal comma
        svg = str(
            sparkline_svg([Decimal(100), Decimal(50), Decimal("0.0")], title="Trend: 100 → 0")
        )
    points = _points(svg)
    assert [x for x, _y in points] == [3.0, 48.0, 93.0]
    assert [y for _x, y in points] == [3.0, 12.0, 21.0]  # 24 px high, 3 px padding
    assert '<circle cx="93.0" cy="21.0"' in svg  # the latest score is marked
    assert "<title>Trend: 100 → 0</title>" in svg and 'aria-label="Trend: 100 → 0"' in svg


def test_a_sparkline_clamps_scores_escapes_its_title_and_copes_with_one_or_no_score() -> None:
    svg = str(sparkline_svg([Decimal(130), Decimal(-5)], title="<b>x</b>"))
    assert [y for _x, y in _points(svg)] == [3.0, 21.0]
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    single = str(sparkline_svg([Decimal(70)], title="one"))
    assert "<polyline" not in single and '<circle cx="93.0"' in single
    assert str(sparkline_svg([], title="none")) == ""


def test_a_sparkline_spreads_its_own_range_but_never_less_than_ten_points() -> None:
    # 70 to 72: a span of 2 is drawn over 66 to 76, so the rise reads as a gentle one.
    gentle = _points(str(sparkline_svg([Decimal(70), Decimal(71), Decimal(72)], title="t")))
    assert [y for _x, y in gentle] == [13.8, 12.0, 10.2]
    # Near the top the ten points are 90 to 100, not past 100.
    top = _points(str(sparkline_svg([Decimal(99), Decimal(100)], title="t")))
    assert [y for _x, y in top] == [4.8, 3.0]
    # A wide range fills the height: 40 at the bottom, 80 at the top.
    wide = _points(str(sparkline_svg([Decimal(80), Decimal(40), Decimal(60)], title="t")))
    assert [y for _x, y in wide] == [3.0, 21.0, 12.0]

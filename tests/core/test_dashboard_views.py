"""The executive dashboard's charts, trends, upcoming reviews and filters (issue 14).

The score distribution groups the stored verdicts (governance.models.PartnerRiskSignals: one
row per partner with its latest score), so most of these tests write those rows directly;
the sparklines read real closed periods."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.cadences import CadenceKind, Frequency
from core.roles import SYSTEM, Role
from governance.cadence import MeetingStatus
from governance.models import PartnerRiskSignals
from partners.models import Partner, SegmentationAssessment
from scorecards.services.periods import period_close
from srm.dashboards import score_distribution
from tests.factories import CategoryFactory, PartnerFactory, UserFactory
from tests.governance.factories import CadenceFactory, MeetingFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db

URL = reverse("executive-dashboard")


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def _json(html: str, script_id: str):
    return json.loads(_between(html, f'id="{script_id}" type="application/json">', "</script>"))


def _judged(partner: Partner, rating: str = "", score: str = "", *reasons: str) -> Partner:
    PartnerRiskSignals.objects.create(
        partner=partner,
        at_risk=bool(reasons),
        reasons=list(reasons),
        score_shown=score,
        rating=rating,
        refreshed_at=timezone.now(),
    )
    return partner


def _segmented(partner: Partner, impact: str, risk: str) -> None:
    SegmentationAssessment.objects.create(
        partner=partner,
        ratings={},
        profit_impact=Decimal(impact),
        supply_risk=Decimal(risk),
        computed_quadrant=partner.quadrant or "non_critical",
        quadrant=partner.quadrant or "non_critical",
    )


@pytest.fixture
def portfolio(executive):
    """Five partners, hand-placed: the figures below are computed from this by hand."""
    cells = CategoryFactory(code="cells", name="Battery cells")
    logistics = CategoryFactory(code="logistics", name="Logistics")
    other_sponsor = UserFactory(
        username="sam", first_name="Sam", last_name="Sponsor", role=Role.EXECUTIVE_SPONSOR
    )
    alpha = PartnerFactory(
        short_name="Alpha",
        quadrant="strategic",
        engagement_model="strategic_partnership",
        executive_sponsor=executive,
    )
    bravo = PartnerFactory(
        short_name="Bravo",
        quadrant="strategic",
        engagement_model="preferred_supplier",
        executive_sponsor=executive,
    )
    charlie = PartnerFactory(
        short_name="Charlie",
        quadrant="leverage",
        engagement_model="transactional",
        executive_sponsor=other_sponsor,
    )
    delta = PartnerFactory(
        short_name="Delta", quadrant="bottleneck", engagement_model="transactional"
    )
    echo = PartnerFactory(short_name="Echo", quadrant="", engagement_model="joint_venture")
    alpha.categories.add(cells)
    bravo.categories.add(cells, logistics)
    charlie.categories.add(logistics)
    _judged(alpha, "good", "72.0")
    _judged(bravo, "critical", "40.0", "score is critical")
    _judged(charlie, "excellent", "90.5", "open improvement plan")
    _judged(echo)  # judged, no scored period yet; Delta not judged at all
    for partner, impact, risk in (
        (alpha, "4.0", "4.0"),
        (bravo, "4.5", "3.5"),
        (charlie, "4", "2"),
    ):
        _segmented(partner, impact, risk)
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie, "delta": delta, "echo": echo}


def _table(groups) -> dict[str, tuple[list[int], Decimal | None]]:
    return {g.label: (g.band_counts, g.average) for g in groups}


def test_the_distribution_counts_partners_per_band_by_each_dimension(portfolio) -> None:
    scores = score_distribution(Partner.objects.all())
    # Bands: excellent, good, needs improvement, critical, not scored yet.
    assert _table(scores["by_quadrant"]) == {
        "Strategic": ([0, 1, 0, 1, 0], Decimal("56.0")),
        "Leverage": ([1, 0, 0, 0, 0], Decimal("90.5")),
        "Bottleneck": ([0, 0, 0, 0, 1], None),
        "Not segmented": ([0, 0, 0, 0, 1], None),
    }
    assert [g.key for g in scores["by_quadrant"]] == [
        "strategic",
        "leverage",
        "bottleneck",
        "unsegmented",
    ]
    assert _table(scores["by_model"]) == {
        "Transactional": ([1, 0, 0, 0, 1], Decimal("90.5")),
        "Preferred supplier": ([0, 0, 0, 1, 0], Decimal("40.0")),
        "Strategic partnership": ([0, 1, 0, 0, 0], Decimal("72.0")),
        "Joint venture / equity": ([0, 0, 0, 0, 1], None),
    }
    # Bravo is in both categories; (40.0 + 90.5) / 2 = 65.25 rounds half up.
    assert _table(scores["by_category"]) == {
        "Battery cells": ([0, 1, 0, 1, 0], Decimal("56.0")),
        "Logistics": ([1, 0, 0, 1, 0], Decimal("65.3")),
        "No category": ([0, 0, 0, 0, 2], None),
    }
    sponsors = _table(scores["by_sponsor"])
    assert sponsors["Sam Sponsor"] == ([1, 0, 0, 0, 0], Decimal("90.5"))
    assert sponsors["No executive sponsor"] == ([0, 0, 0, 0, 2], None)
    assert sum(counts[1] for counts, _avg in sponsors.values()) == 1  # Alpha, under its sponsor


def test_filtering_to_one_quadrant_shows_only_that_quadrants_partners(
    client_for, executive, portfolio
) -> None:
    client = client_for(executive)
    everything = client.get(URL).content.decode()
    assert "Charlie" in _between(everything, 'id="at-risk"', "</section>")

    response = client.get(URL, {"quadrant": "strategic"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quadrant: <strong>Strategic</strong>" in _between(html, "filter-summary", "</p>")
    assert 'data-testid="partner-count">2<' in html
    at_risk = _between(html, 'id="at-risk"', "</section>")
    assert "Bravo" in at_risk and "Charlie" not in at_risk
    assert "1 partnership at risk" in at_risk
    # Without JavaScript (and on paper) the figures are a table, shown as the server sends it.
    table = _between(html, 'id="dist-quadrant"', "</figure>")
    assert '<table class="dense distribution-table">' in table
    assert [r.split('"', 1)[0] for r in table.split('<tr data-group="')[1:]] == ["strategic"]
    quadrants = _json(html, "dist-quadrant-data")
    assert [g["label"] for g in quadrants["groups"]] == ["Strategic"]
    assert quadrants["groups"][0]["counts"] == [0, 1, 0, 1, 0]
    models = _json(html, "dist-model-data")
    assert {g["label"] for g in models["groups"]} == {
        "Strategic partnership",
        "Preferred supplier",
    }
    bubbles = _json(html, "kraljic-data")
    assert {b["quadrant"] for b in bubbles} == {"strategic"} and len(bubbles) == 2
    # A bar links to the dashboard filtered by it, keeping the other filters.
    categories = _json(html, "dist-category-data")
    hrefs = {g["label"]: g["href"] for g in categories["groups"]}
    assert hrefs["Logistics"] == "?quadrant=strategic&category=logistics"


def test_filters_combine_and_a_category_counts_each_partner_once(
    client_for, executive, portfolio
) -> None:
    html = (
        client_for(executive)
        .get(URL, {"category": "logistics", "sponsor": executive.pk})
        .content.decode()
    )
    assert 'data-testid="partner-count">1<' in html  # Bravo: logistics, sponsored by executive
    summary = _between(html, "filter-summary", "</p>")
    assert "Logistics" in summary and str(executive) in summary
    # Bravo's other category still shows in the breakdown by category.
    categories = _json(html, "dist-category-data")
    assert {g["label"]: g["total"] for g in categories["groups"]} == {
        "Battery cells": 1,
        "Logistics": 1,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"quadrant": "sideways"},
        {"sponsor": "nobody"},
        {"category": "no-such", "quadrant": "leverage"},
    ],
)
def test_an_invalid_filter_is_explained_and_ignored(client_for, executive, portfolio, params):
    response = client_for(executive).get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    errors = _between(html, 'data-testid="filter-errors"', "</div>")
    assert "Select a valid choice." in errors and "This filter was ignored." in errors
    # The valid filters still apply.
    expected = "1" if params.get("quadrant") == "leverage" else "5"
    assert f'data-testid="partner-count">{expected}<' in html


def test_an_htmx_request_gets_only_the_dashboard_body(client_for, executive, portfolio) -> None:
    response = client_for(executive).get(
        URL, {"quadrant": "leverage", "category": "", "sponsor": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-body"')
    assert "<html" not in html and 'id="dashboard-filters"' not in html
    assert "Charlie" in _between(html, 'id="at-risk"', "</section>")
    assert "HX-Request" in response["Vary"]
    assert response["HX-Push-Url"] == "/dashboard/?quadrant=leverage"  # no empty filters
    # Going back in the browser's history asks for the whole page again.
    restore = client_for(executive).get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_the_filter_form_offers_the_categories_and_the_sponsors(
    client_for, executive, portfolio
) -> None:
    html = client_for(executive).get(URL, {"quadrant": "leverage"}).content.decode()
    form = _between(html, 'id="dashboard-filters"', "</form>")
    assert 'hx-get="/dashboard/"' in form and 'hx-push-url="true"' in form
    assert '<option value="leverage" selected>Leverage</option>' in form
    assert '<option value="cells">Battery cells</option>' in form
    assert "Sam Sponsor" in form and str(executive) in form


def test_upcoming_strategic_reviews_and_sponsor_meetings(client_for, executive, portfolio):
    alpha, charlie = portfolio["alpha"], portfolio["charlie"]
    now = timezone.now()
    qbr = CadenceFactory(
        partner=alpha,
        kind=CadenceKind.QUARTERLY_BUSINESS_REVIEW,
        name="QBR",
        frequency=Frequency.QUARTERLY,
    )
    monthly = CadenceFactory(partner=alpha)

    def meeting(partner, title, days, **extra):
        start = now + timedelta(days=days)
        return MeetingFactory(
            partner=partner, title=title, start=start, end=start + timedelta(hours=1), **extra
        )

    meeting(alpha, "Alpha QBR Q1", 10, cadence=qbr)
    meeting(alpha, "Alpha ops call", 5, cadence=monthly)
    meeting(alpha, "Alpha QBR Q2", 90, cadence=qbr)
    meeting(alpha, "Alpha QBR moved", 12, cadence=qbr, status=MeetingStatus.CANCELLED)
    meeting(alpha, "Alpha last QBR", -3, cadence=qbr)
    with_sponsor = meeting(charlie, "Charlie sponsor dinner", 20)
    with_sponsor.attendees.add(charlie.executive_sponsor)
    meeting(charlie, "Charlie workshop", 15)

    html = client_for(executive).get(URL).content.decode()
    section = _between(html, 'id="upcoming-reviews"', "</section>")
    assert section.index("Alpha QBR Q1") < section.index("Charlie sponsor dinner")
    assert "Quarterly business review (QBR)" in section and "Sponsor meeting" in section
    for hidden in ("ops call", "QBR Q2", "QBR moved", "last QBR", "workshop"):
        assert hidden not in section
    leverage = client_for(executive).get(URL, {"quadrant": "leverage"}).content.decode()
    section = _between(leverage, 'id="upcoming-reviews"', "</section>")
    assert "Charlie sponsor dinner" in section and "Alpha QBR Q1" not in section


def test_each_at_risk_partner_shows_the_trend_of_its_latest_scores(client_for, executive):
    partner = PartnerFactory(short_name="Trending")
    scorecard = scorecard_for(partner)
    for _ in range(3):
        period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    outbox.sweep()  # the worker stores the verdict: needs improvement, so at risk
    html = client_for(executive).get(URL).content.decode()
    row = _between(_between(html, 'id="at-risk"', "</section>"), "Trending", "</tr>")
    trend = _between(row, 'data-testid="trend">', "</td>")
    assert "<polyline points=" in trend
    points = _between(trend, 'points="', '"').split()
    assert len(points) == 3
    labels = [p.label for p in scorecard.periods.filter(status="closed").order_by("end")]
    assert f"{labels[0]}: 69.5, {labels[1]}: 69.5, {labels[2]}: 69.5" in trend


def _grow(executive, start: int, count: int) -> None:
    """Partners at risk, scored, segmented, categorised, sponsored, with reviews ahead."""
    cells = CategoryFactory(code="cells", name="Battery cells")
    now = timezone.now()
    for n in range(start, start + count):
        partner = PartnerFactory(
            short_name=f"Grown {n:02}",
            quadrant=("strategic", "leverage", "bottleneck")[n % 3],
            executive_sponsor=executive if n % 2 else UserFactory(role=Role.EXECUTIVE_SPONSOR),
        )
        partner.categories.add(cells if n % 2 else CategoryFactory())
        _judged(partner, ("good", "critical")[n % 2], "60.0", "score is critical")
        _segmented(partner, "4", "4")
        qbr = CadenceFactory(
            partner=partner, kind=CadenceKind.QUARTERLY_BUSINESS_REVIEW, name="QBR"
        )
        start_at = now + timedelta(days=1 + n % 50)
        MeetingFactory(
            partner=partner, cadence=qbr, start=start_at, end=start_at + timedelta(hours=1)
        )


def test_the_dashboard_runs_the_same_queries_for_3_and_for_30_partners(
    client_for, executive
) -> None:
    client = client_for(executive)
    trending = PartnerFactory(
        short_name="Always trending", quadrant="strategic", executive_sponsor=executive
    )
    trending.categories.add(CategoryFactory(code="cells", name="Battery cells"))
    period_close(
        confirm_early=True, actor=SYSTEM, period=enter_values(scorecard_for(trending), HAND_VALUES)
    )
    outbox.sweep()
    _grow(executive, 0, 2)
    filtered = {"quadrant": "strategic", "category": "cells", "sponsor": str(executive.pk)}
    counts = {}
    for size in ("few", "many"):
        for name, params in (("all", {}), ("filtered", filtered)):
            client.get(URL, params)  # warm: sessions, content types
            with CaptureQueriesContext(connection) as queries:
                html = client.get(URL, params).content.decode()
            assert "Always trending" in _between(html, 'id="at-risk"', "</section>")
            counts[(size, name)] = len(queries.captured_queries)
        if size == "few":
            _grow(executive, 2, 27)
    assert counts[("few", "all")] == counts[("many", "all")], counts
    assert counts[("few", "filtered")] == counts[("many", "filtered")], counts
    assert counts[("few", "all")] <= 30, counts


def test_in_german_the_dashboard_speaks_german_and_keeps_its_data_numbers_plain(
    client_for, executive, portfolio
) -> None:
    executive.language = "de"
    executive.save(update_fields=["language"])
    html = client_for(executive).get(URL, {"quadrant": "strategic"}).content.decode()
    assert '<html lang="de">' in html
    assert "Zustand des Portfolios" in html and "Nach Kraljic-Quadrant" in html
    assert "Gefährdete Partnerschaften" in html and "1 gefährdete Partnerschaft" in html
    assert "Dieser Filter" not in html  # no error: "strategic" is a valid value
    # The table writes the average as German does; the chart's JSON keeps it plain.
    row = _between(
        _between(html, 'id="dist-quadrant"', "</table>"), 'data-group="strategic"', "</tr>"
    )
    assert "56,0" in row
    assert _json(html, "dist-quadrant-data")["groups"][0]["average"] == "56.0"
    assert _json(html, "dist-quadrant-data")["bands"][2]["label"] == "Verbesserungsbedürftig"

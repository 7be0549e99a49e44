"""The benchmark's generated portfolio (bench.portfolio) at a tiny scale: counts in the right
proportions, every benchmarked page renders for its user, frozen breakdowns are what the
close writes, and the plain SQL aggregate the close is measured against agrees with it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from bench import app_services, pages, period_close
from bench.portfolio import QUARTERS, Sizes, generate, table_counts
from bench.users import EXECUTIVE, MANAGER, SUPPLIER
from core.models import User
from governance.models import ActionItem, Cadence, Meeting
from partners import kraljic
from partners.models import EngagementPlaybook, Partner, PartnerUser, SegmentationAssessment
from scorecards.models import Measurement, Period, PortfolioRollup, Scorecard
from scorecards.scoring import round_score

SCALE = 0.002  # ten partners


@pytest.fixture
def portfolio(db: None) -> dict[str, int]:
    return generate(SCALE, say=lambda _: None, analyze=False)


def test_counts_are_in_the_proportions_of_the_full_portfolio(portfolio: dict[str, int]) -> None:
    sizes = Sizes.at(SCALE)
    partners = sizes.partners
    assert portfolio == table_counts()
    assert portfolio["partners"] == partners == 10
    assert portfolio["supplier users"] == partners
    assert portfolio["users"] == partners + 1 + sizes.procurement_managers + (
        sizes.alliance_managers + sizes.sponsors
    )
    assert portfolio["scorecards"] == Partner.objects.exclude(lifecycle_stage="identified").count()
    assert portfolio["periods"] == portfolio["scorecards"] * QUARTERS
    # About three monthly values per KPI and quarter (a few months missing), as at 100 %.
    per_period = portfolio["measurements"] / portfolio["periods"]
    assert 15 < per_period < 25
    assert portfolio["actions"] == 40 * partners
    # Every partner runs its playbook's cadences; meetings reach a year ahead.
    expected_cadences = sum(
        len(EngagementPlaybook.objects.get(engagement_model=p.engagement_model).cadences)
        for p in Partner.objects.exclude(lifecycle_stage="identified")
    )
    assert Cadence.objects.count() == expected_cadences
    assert Meeting.objects.count() > 2 * expected_cadences
    assert Meeting.objects.filter(status="held").exists()
    assert ActionItem.objects.filter(status="open").exists()
    # Even ten partners span every engagement model and quadrant.
    assert len(set(Partner.objects.values_list("engagement_model", flat=True))) == 4
    assert len(set(Partner.objects.values_list("quadrant", flat=True))) == 4
    # One supplier user per partner, each bound to its own company.
    assert PartnerUser.objects.values("partner").distinct().count() == partners
    # The manager the benchmark signs in as owns a share of the portfolio.
    assert Partner.objects.filter(owner__username=MANAGER).count() == (
        partners // sizes.procurement_managers
    )
    # Quadrants are read from the ratings as the segmentation rule reads them.
    for assessment in SegmentationAssessment.objects.select_related("partner"):
        scores = kraljic.score(assessment.ratings)
        assert (assessment.profit_impact, assessment.supply_risk) == (
            scores.profit_impact,
            scores.supply_risk,
        )
        assert assessment.quadrant == scores.quadrant == assessment.partner.quadrant


def test_every_benchmarked_page_renders_for_its_user(portfolio: dict[str, int]) -> None:
    listed = pages.pages()
    names = {page.name for page in listed}
    assert {"executive dashboard", "workspace", "partner list", "partner page",
            "scorecard list", "Kraljic matrix", "portal home (supplier)"} <= names  # fmt: skip
    assert {"API partners", "API scorecards", "API governance/actions",
            "API scorecard-measurements"} <= names  # fmt: skip
    users = {page.user for page in listed}
    assert users == {MANAGER, EXECUTIVE, SUPPLIER}
    assert User.objects.get(username=SUPPLIER).is_supplier
    for page in listed:
        measured = pages.measure(page)
        assert measured.status == 200, (page.name, measured.status)
        assert measured.queries > 0 or page.url == "/healthz"
    # The pages show generated data, not empty states: the scorecard list shows each
    # scorecard's latest frozen score.
    client = Client()
    client.force_login(User.objects.get(username=MANAGER))
    page = client.get("/scorecards/").content.decode()
    latest = Period.objects.filter(status="closed").order_by("-end", "id").first()
    assert latest is not None and latest.scorecard.partner.short_name in page
    assert latest.breakdown["overall"] in page
    # The generator fills only an empty database.
    with pytest.raises(CommandError, match="already has partners"):
        call_command("generate_portfolio", "--scale", str(SCALE))


def _scorecard_template_code(period: Period) -> str:
    return period.scorecard.template.code


def test_frozen_breakdowns_are_what_the_close_writes(portfolio: dict[str, int]) -> None:
    closed = Period.objects.filter(status="closed").select_related("scorecard__template")
    assert closed.count() == portfolio["scorecards"] * (QUARTERS - 1)
    ratings: Counter[str] = Counter()
    for period in closed:
        breakdown: dict[str, Any] = period.breakdown
        assert breakdown["template_code"] == _scorecard_template_code(period)
        assert breakdown["overall"] == str(round_score(period.overall))
        assert breakdown["rating"] == period.rating
        assert period.closed_at is not None and period.closed_at.date() > period.end
        kpis = [k for p in breakdown["perspectives"] for k in p["kpis"]]
        assert kpis and all("value" in k and "score" in k for k in kpis)
        ratings[period.rating] += 1
    assert len(ratings) >= 3  # the portfolio is not uniformly good or bad
    # Reopen one period behind the app's back and close it again: the same breakdown.
    period = closed.order_by("-end", "id").first()
    assert period is not None
    before = period.breakdown
    Period.objects.filter(pk=period.pk).update(status="open", breakdown={})
    assert app_services.periods_close([period.pk]) == 1
    period.refresh_from_db()
    assert period.breakdown == before
    # Supplier self-reports of the open quarter await acceptance somewhere in the portfolio.
    assert Measurement.objects.filter(status="submitted", period__status="open").exists()
    assert {r.dimension for r in PortfolioRollup.objects.all()} == {
        "engagement_model", "quadrant", "category", "sponsor"
    }  # fmt: skip


def test_the_plain_sql_aggregate_agrees_with_the_close(portfolio: dict[str, int]) -> None:
    result = period_close.compare()
    assert result["periods"] == result["closed"] == result["compared"] == Scorecard.objects.count()
    assert result["mismatches"] == 0, result["mismatch_examples"]
    # Rolled back: the open quarter is still open.
    assert Period.objects.filter(status="open").count() == Scorecard.objects.count()
    # The SQL gives every closed period its stored score; change one value and it no longer
    # does, so an agreement between the two is not an accident of both reading nothing.
    closed = {p.pk: (p.overall, p.coverage) for p in Period.objects.filter(status="closed")}
    assert period_close.sql_rollups(list(closed)) == closed
    period_id = next(iter(closed))
    measurement = Measurement.objects.filter(period_id=period_id, status="accepted").first()
    assert measurement is not None
    kpi = measurement.kpi
    # Move the value to the far side of the KPI's scale, so its score and the period's change.
    far_side = kpi.threshold if measurement.value != kpi.threshold else kpi.target
    Measurement.objects.filter(period_id=period_id, kpi=kpi).update(value=far_side)
    assert period_close.sql_rollups([period_id])[period_id] != closed[period_id]

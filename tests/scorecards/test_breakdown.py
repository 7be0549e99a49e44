"""The frozen breakdown, typed: what a close stores reads back unchanged, and rows frozen
before a key existed still read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from scorecards.breakdown import Breakdown
from scorecards.models import Period
from scorecards.services.periods import period_close
from tests.factories import PartnerFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db


def test_a_stored_breakdown_reads_back_to_the_same_json(partner_a) -> None:
    period = period_close(actor=SYSTEM, period=enter_values(scorecard_for(partner_a), HAND_VALUES))
    stored = Period.objects.get(pk=period.pk).breakdown
    breakdown = Breakdown.from_json(stored)
    assert breakdown.to_json() == stored
    assert (breakdown.overall, breakdown.rating, breakdown.template_version) == (
        "69.5",
        "needs_improvement",
        1,
    )
    ppv = breakdown.perspectives[0].kpis[0]
    assert (ppv.code, ppv.value, ppv.score, ppv.score_exact) == ("ppv", "2.5", "50.0", Decimal(50))


def test_a_breakdown_frozen_without_the_newer_keys_still_shows(
    client_for, procurement_manager
) -> None:
    scorecard = scorecard_for(PartnerFactory())
    period = period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    old = Period.objects.get(pk=period.pk).breakdown
    for perspective in old["perspectives"]:
        for kpi in perspective["kpis"]:
            for key in ("value_sources", "aggregation", "values_count", "unit"):
                kpi.pop(key)
    Period.objects.filter(pk=period.pk).update(breakdown=old)
    kpi = Period.objects.get(pk=period.pk).score_breakdown.perspectives[0].kpis[0]
    assert (kpi.value_sources, kpi.aggregation, kpi.values_count, kpi.unit) == ((), "", 0, "")
    client = client_for(procurement_manager)
    for url in (
        reverse("scorecards:detail", args=[scorecard.pk]),
        reverse("partner-page", args=[scorecard.partner_id]) + "?tab=scorecards",
        reverse("scorecards:export", args=[scorecard.pk, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and b"69.5" in response.content

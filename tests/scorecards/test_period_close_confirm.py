"""Closing a period before its end needs an explicit confirmation naming the end date, on the
page, in the service and in the API; irreversible actions ask first and show progress."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import FieldErrors
from core.roles import SYSTEM
from scorecards.models import PeriodStatus
from scorecards.services.periods import period_close
from tests.scorecards.factories import HAND_VALUES, enter_values, open_period, scorecard_for

pytestmark = pytest.mark.django_db


def _running(partner):
    """A scorecard whose open period contains today (it has not ended)."""
    scorecard = scorecard_for(partner, today=timezone.localdate())
    period = enter_values(scorecard, HAND_VALUES)
    assert not period.has_ended
    return scorecard, period


def test_the_service_refuses_an_early_close_without_the_confirmation(partner_a) -> None:
    _, period = _running(partner_a)
    with pytest.raises(FieldErrors) as refused:
        period_close(actor=SYSTEM, period=period)
    assert refused.value.errors == {
        "confirm_early": [f"This period ends on {period.end.isoformat()}. Close it early?"]
    }
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    closed = period_close(actor=SYSTEM, period=period, confirm_early=True)
    assert closed.status == PeriodStatus.CLOSED


def test_a_period_that_has_ended_closes_without_the_confirmation(partner_a) -> None:
    scorecard = scorecard_for(partner_a)  # 2026-Q2, over
    period = enter_values(scorecard, HAND_VALUES)
    assert period.has_ended
    assert period_close(actor=SYSTEM, period=period).status == PeriodStatus.CLOSED


def test_the_page_asks_to_confirm_an_early_close_naming_the_end_date(
    partner_a, client_for, procurement_manager
) -> None:
    scorecard, period = _running(partner_a)
    client = client_for(procurement_manager)
    url = reverse("scorecards:period-close", args=[period.pk])
    asked = client.post(url)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"This period ends on {period.end.isoformat()}. Close it early?" in html
    assert 'name="confirm_early"' in html
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN

    done = client.post(url, {"confirm_early": "1"}, follow=True)
    assert f"{period.label} closed" in done.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    assert open_period(scorecard).pk != period.pk


def test_the_api_needs_an_explicit_flag_for_an_early_close(
    partner_a, api_for, procurement_manager
) -> None:
    _, period = _running(partner_a)
    api = api_for(procurement_manager)
    refused = api.post(f"/api/v1/scorecard-periods/{period.pk}/close/", {}, format="json")
    assert refused.status_code == 400
    assert "confirm_early" in refused.json()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    ok = api.post(
        f"/api/v1/scorecard-periods/{period.pk}/close/", {"confirm_early": True}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "closed"


def test_the_grid_warns_about_unsaved_values_and_offers_the_close(
    partner_a, client_for, procurement_manager
) -> None:
    _, period = _running(partner_a)
    html = (
        client_for(procurement_manager)
        .get(reverse("scorecards:grid", args=[period.pk]))
        .content.decode()
    )
    assert 'data-unsaved-warning="Values typed into the grid are not saved yet.' in html
    assert 'data-check-unsaved="grid"' in html
    assert f"Close {period.label} and score it" in html

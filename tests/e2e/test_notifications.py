"""After a supplier disputes a score, the procurement manager sees it in a real browser: the
bell's count (loaded by HTMX), the inbox, and following the notification to the scorecard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.models import User
from scorecards.models import Period
from scorecards.services import disputes as scorecard_disputes
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_manager_sees_a_supplier_dispute_in_the_bell_and_follows_it(
    page: Page, live_server
) -> None:
    seed_demo()
    lena = User.objects.get(username="lena")
    period = Period.objects.filter(scorecard__partner__short_name="Voltaris", status="closed")
    period = period.latest("end")
    scorecard_disputes.dispute_raise(
        actor=lena, period=period, reason="Yield data was late", today=period.end
    )
    priya = User.objects.get(username="priya")
    unread = priya.notifications.filter(read_at__isnull=True, show_in_app=True).count()
    assert unread >= 1
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    expect(page.locator("#notification-bell .bell-count")).to_have_text(str(unread))
    page.locator("#notification-bell a").click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    page.get_by_role("link", name=f"Voltaris disputes its {period.label} score").click()
    expect(page).to_have_url(f"{live_server.url}/scorecards/{period.scorecard_id}/")
    if unread == 1:
        expect(page.locator("#notification-bell .bell-count")).to_have_count(0)
    else:
        expect(page.locator("#notification-bell .bell-count")).to_have_text(str(unread - 1))

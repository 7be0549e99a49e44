"""Guard rails in a real browser: minutes on a future meeting are refused, closing a running
period asks for confirmation first, and leaving the grid with unsaved values warns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from governance.models import Meeting
from partners.models import Partner
from scorecards.models import Period, PeriodStatus
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _running_period() -> Period:
    period = Period.objects.get(scorecard__partner__short_name="Sinter Magnetics", status="open")
    assert not period.has_ended, "the demo's open period is the running one"
    return period


def test_minutes_on_a_future_meeting_are_refused(page: Page, live_server) -> None:
    seed_demo()
    start = timezone.now() + timedelta(days=14)
    meeting = Meeting.objects.create(
        partner=Partner.objects.get(short_name="Voltaris"),
        title="QBR in two weeks",
        start=start,
        end=start + timedelta(hours=2),
    )
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/governance/meetings/{meeting.pk}/")
    expect(page.get_by_text("Minutes can be recorded once the meeting has started")).to_be_visible()
    expect(page.get_by_text("Record minutes and decisions")).to_have_count(0)
    # The form is not offered; posting the minutes anyway (an old tab, a crafted request) is
    # refused with the reason, and the meeting stays scheduled.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = page.request.post(
        f"{live_server.url}/governance/meetings/{meeting.pk}/minutes/",
        form={"csrfmiddlewaretoken": token or "", "minutes": "All agreed"},
        headers={"Referer": page.url},
    )
    assert response.status == 200
    assert "record minutes once it has started" in response.text()
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.minutes == ""


def test_closing_a_running_period_asks_for_confirmation(page: Page, live_server) -> None:
    seed_demo()
    period = _running_period()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scorecards/{period.scorecard_id}/")
    page.get_by_role("button", name=f"Close {period.label} and score it").click()
    question = f"This period ends on {period.end.isoformat()}. Close it early?"
    expect(page.get_by_text(question)).to_be_visible()
    screenshot(page, "period-close-early-confirmation")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN  # nothing happened yet
    page.get_by_role("button", name=f"Close {period.label} early and score it").click()
    expect(page.get_by_role("status")).to_contain_text(f"{period.label} closed")
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


def test_leaving_the_grid_with_unsaved_values_warns(page: Page, live_server) -> None:
    seed_demo()
    period = _running_period()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scorecards/periods/{period.pk}/grid/")
    field = page.get_by_label("Defects")
    field.click()
    field.fill("120")
    expect(page.locator("#projection")).to_contain_text("would score")

    dialogs: list[Dialog] = []

    def stay(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()

    page.on("dialog", stay)
    # Closing the period from the grid: asked about the unsaved value first; declining stays.
    page.get_by_role("button", name=f"Close {period.label} and score it").click()
    expect(field).to_have_value("120")
    assert [d.type for d in dialogs] == ["confirm"]
    assert "not saved yet" in dialogs[0].message
    # Leaving by a link: the browser's "leave site?" question; declining stays.
    page.get_by_role("link", name="Back to the scorecard").click()
    page.wait_for_timeout(500)
    assert [d.type for d in dialogs] == ["confirm", "beforeunload"]
    assert page.url.endswith(f"/periods/{period.pk}/grid/")
    expect(field).to_have_value("120")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    # Saved, nothing warns any more.
    page.remove_listener("dialog", stay)
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_role("status")).to_contain_text("Saved 1 value for")
    page.get_by_role("link", name="Back to the scorecard").click()
    expect(page).to_have_url(f"{live_server.url}/scorecards/{period.scorecard_id}/")

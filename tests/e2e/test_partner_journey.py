"""A manager's journey in a real browser: find a partner with the top bar's search, open its
page, jump to the governance tab (by click and by deep link), open the QBR pack of the next
meeting and download its PDF. Screenshots go to test-results/screenshots/."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from core.roles import SYSTEM, Role
from governance.services import meetings
from scorecards.services.periods import period_close
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PartnerFactory, UserFactory
from tests.governance.factories import MeetingFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _partnership():
    partner = PartnerFactory(short_name="Voltaris", legal_name="Voltaris Battery Cells GmbH")
    scorecard = scorecard_for(partner)
    for _ in range(3):
        period = enter_values(scorecard, HAND_VALUES)
        period_close(actor=SYSTEM, period=period, confirm_early=True)  # the last one still runs
    now = datetime.now(UTC)
    held = MeetingFactory(partner=partner, title="QBR Q3", start=now - timedelta(days=80))
    meetings.meeting_record(
        actor=SYSTEM,
        meeting=held,
        minutes="Yield up two points.",
        decisions=["Qualify the second cathode line by March"],
    )
    MeetingFactory(
        partner=partner,
        title="QBR Q4",
        start=now + timedelta(days=10),
        agenda="Scorecard review\nJoint plan",
    )
    return partner


def test_a_manager_jumps_to_governance_and_downloads_the_qbr_pack(page: Page, live_server) -> None:
    UserFactory(username="priya-e2e", role=Role.PROCUREMENT_MANAGER)
    partner = _partnership()
    sign_in(page, live_server.url, "priya-e2e", PASSWORD)

    # The top bar's search finds the partner as one types.
    page.get_by_test_id("top-search").fill("Volta")
    result = page.locator("#top-search-results").get_by_role("link", name="Voltaris")
    expect(result).to_be_visible()
    screenshot(page, "journey-1-search-dropdown")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voltaris")
    expect(page.get_by_role("tab", name="Overview")).to_have_attribute("aria-selected", "true")

    # The governance tab loads in place and becomes a link of its own.
    page.get_by_role("tab", name="Governance").click()
    expect(page.locator("#governance-panel")).to_be_visible()
    expect(page.get_by_role("tab", name="Governance")).to_have_attribute("aria-selected", "true")
    assert page.url.endswith(f"/partners/{partner.pk}/?tab=governance")
    screenshot(page, "journey-2-governance-tab")

    # The pack of the next meeting: agenda, score, last decisions; then the PDF.
    page.get_by_test_id("next-meeting-pack").first.click()
    pack = page.get_by_test_id("qbr-pack")
    expect(pack).to_contain_text("Scorecard review")
    expect(pack).to_contain_text("Qualify the second cathode line by March")
    expect(page.get_by_test_id("pack-score")).to_have_text("69.5")
    expect(pack.locator("svg.svg-chart")).to_have_count(2)
    screenshot(page, "journey-3-qbr-pack")
    with page.expect_download() as download_info:
        page.get_by_test_id("pack-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("qbr-pack-voltaris-")
    path = download.path()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Voltaris Battery Cells GmbH" in text and "69.5" in text
    assert "Qualify the second cathode line by March" in text


def test_a_deep_link_to_a_tab_opens_it(page: Page, live_server) -> None:
    UserFactory(username="marco-e2e", role=Role.ALLIANCE_MANAGER)
    partner = _partnership()
    sign_in(page, live_server.url, "marco-e2e", PASSWORD)
    page.goto(f"{live_server.url}/partners/{partner.pk}/#governance")
    expect(page.get_by_role("tab", name="Governance")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#governance-panel")).to_be_visible()
    # A tab swapped in by HTMX draws its chart (Chart.js sets the canvas size when it does).
    page.get_by_role("tab", name="Scorecards").click()
    expect(page.locator("canvas").first).to_have_attribute("height", re.compile(r"^\d+$"))
    page.goto(f"{live_server.url}/partners/{partner.pk}/?tab=scorecards")
    expect(page.get_by_test_id("latest-score")).to_have_text("69.5")
    screenshot(page, "journey-4-scorecards-deep-link")


@pytest.mark.parametrize("width", [1280, 1024])
def test_the_top_bar_fits_one_line_on_a_laptop_and_a_tablet(
    page: Page, live_server, width: int
) -> None:
    """An administrator sees the most links; grouped into menus they still fit one line."""
    UserFactory(username="admin-e2e", role=Role.ADMINISTRATOR, first_name="Alexandra")
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "admin-e2e", PASSWORD)
    header = page.locator("header.site-header nav")
    expect(header.get_by_role("link", name="Workspace")).to_be_visible()
    screenshot(page, f"top-bar-{width}px")
    middles = header.evaluate(
        "nav => Array.from(nav.querySelectorAll(':scope > ul > li'))"
        ".map(li => li.getBoundingClientRect())"
        ".map(r => Math.round(r.top + r.height / 2))"
    )
    assert max(middles) - min(middles) < 12, middles  # every entry on the same line
    # The links end before the search box and the account begin.
    links_end, tools_start = header.evaluate(
        "nav => [nav.querySelector(':scope > ul:first-of-type > li:last-child')"
        ".getBoundingClientRect().right, nav.querySelector(':scope > ul:last-of-type > li')"
        ".getBoundingClientRect().left]"
    )
    assert links_end <= tools_start, (links_end, tools_start)
    # Nothing runs off the side of the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    header.get_by_text("Governance", exact=True).click()
    expect(header.get_by_role("link", name="Lessons learned")).to_be_visible()
    screenshot(page, f"top-bar-{width}px-menu")
    page.keyboard.press("Escape")
    expect(header.get_by_role("link", name="Lessons learned")).to_be_hidden()

"""In a real browser: a form opened from a tab of the partner page returns to that tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partners.models import Partner
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_saving_a_form_opened_from_a_tab_returns_to_that_tab(page: Page, live_server) -> None:
    seed_demo()
    voltaris = Partner.objects.get(short_name="Voltaris")
    partner_page = f"{live_server.url}/partners/{voltaris.pk}/"
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(partner_page)

    # Switch tabs the usual way (HTMX), then edit the record from the header.
    page.get_by_role("tab", name="Agreements").click()
    expect(page.get_by_role("tab", name="Agreements")).to_have_attribute("aria-selected", "true")
    page.get_by_role("link", name="Edit record").click()
    expect(page).to_have_url(re.compile(r"/edit/\?tab=agreements$"))
    page.get_by_label("Description").fill("Battery-cell alliance, edited from the agreements tab.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{partner_page}?tab=agreements")
    expect(page.get_by_role("tab", name="Agreements")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Saved Voltaris.")).to_be_visible()

    # A record inside the tab (an agreement) comes back there too.
    page.get_by_role("link", name="Mutual non-disclosure agreement").click()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{partner_page}?tab=agreements")
    expect(page.locator("#partner-tab-panel")).to_have_attribute("data-testid", "tab-agreements")
    screenshot(page, "partner-form-returns-to-its-tab")

    # Back on the overview, the header's links lead back to the overview.
    page.get_by_role("tab", name="Overview").click()
    expect(page.get_by_role("tab", name="Overview")).to_have_attribute("aria-selected", "true")
    page.get_by_role("link", name="Edit record").click()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/partners/{voltaris.pk}/(\?tab=overview)?$"))
    expect(page.locator("#partner-tab-panel")).to_have_attribute("data-testid", "tab-overview")

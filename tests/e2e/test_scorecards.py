"""A manager tries weights in the what-if preview and enters KPI data in the grid, in a real
browser: results and validation messages appear as they type."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from scorecards.models import Period
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_preview_updates_as_the_manager_types(page: Page, live_server) -> None:
    seed_demo()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scorecards/preview/")
    page.get_by_label("Start from template").select_option(label="Strategic balanced v1")
    expect(page.get_by_label("Value of Joint patents filed")).to_be_visible()
    page.get_by_label("Value of Purchase price variance").fill("2.5")
    expect(page.get_by_test_id("preview-overall")).to_have_text("50.0")
    page.get_by_label("Value of Joint patents filed").fill("3")
    expect(page.get_by_test_id("preview-overall")).to_have_text("75.0")
    page.get_by_label("Weight of Cost").fill("35")
    expect(page.get_by_role("alert")).to_contain_text("sum to 100 (they sum to 105)")


def test_the_grid_flags_a_bad_value_inline_then_saves(page: Page, live_server) -> None:
    seed_demo()
    period = Period.objects.get(scorecard__partner__short_name="Sinter Magnetics", status="open")
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scorecards/periods/{period.pk}/grid/")
    field = page.get_by_label("Defects")
    field.fill("lots")
    expect(page.get_by_role("alert")).to_have_text("Enter a number.")
    expect(field).to_be_focused()
    field.fill("120")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator("#projection")).to_contain_text("would score")
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_role("status")).to_contain_text("Saved 1 value for")

"""Procurement flows in a real browser: an import with a bad row, a Kraljic override."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partners.models import Partner
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    b"legal_name,short_name,country,spend_year,spend_category,spend_amount\n"
    b"Neo Magnets Oy,Neo,FI,2026,magnets,1200000\n"
    b"Broken Ltd,Broken,GB,2026,magnets,lots\n"
)


def test_an_import_with_a_bad_row_names_it_and_imports_nothing(page: Page, live_server) -> None:
    seed_demo()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/import/")
    page.get_by_label("File").set_input_files(
        {"name": "partners.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Check and import").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was imported")
    row = alert.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("3")
    expect(row.first).to_contain_text("spend_amount")
    assert not Partner.objects.filter(short_name="Neo").exists()


def test_a_kraljic_override_needs_a_justification(page: Page, live_server) -> None:
    seed_demo()
    atlas = Partner.objects.get(short_name="Atlas Stal")
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/{atlas.pk}/segmentation/")
    page.get_by_label("Override quadrant").select_option("strategic")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#partner-form")).to_contain_text("needs a justification")
    page.get_by_label("Override justification").fill("Index-linked steel for the new platform.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live_server.url}/partners/{atlas.pk}/")
    page.get_by_role("tab", name="Risk").click()  # segmentation is on the risk tab
    expect(page.locator("#segmentation")).to_contain_text("overridden to")
    expect(page.locator("#segmentation")).to_contain_text("Index-linked steel")

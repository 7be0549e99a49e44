"""A person signs in with each demo login in a real browser and lands where their role starts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("username", "path", "heading"),
    [
        ("priya", "/workspace/", "Good to see you, Priya"),
        ("helena", "/dashboard/", "Portfolio overview"),
        ("lena", "/portal/", "Voltaris Cell Technologies AB"),
    ],
)
def test_demo_login_lands_on_its_role_page(
    page: Page, live_server, username: str, path: str, heading: str
) -> None:
    seed_demo()
    sign_in(page, live_server.url, username, DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_wrong_password_shows_a_clear_message(page: Page, live_server) -> None:
    seed_demo()
    sign_in(page, live_server.url, "priya", "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_partner_search_narrows_the_list_without_a_reload(page: Page, live_server) -> None:
    seed_demo()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(10)
    page.get_by_role("searchbox", name="Search partners").fill("green")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("GreenPack")

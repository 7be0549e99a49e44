"""Two-factor sign-in in a real browser: set-up with the QR page, sign-in with a code and
with a recovery code, and an administrator requiring it of a role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PartnerFactory, UserFactory, supplier_user
from tests.two_factor import code_from_secret

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def _set_up(page: Page, name: str) -> tuple[str, list[str]]:
    """On the set-up page: read the key as a person typing it would, enter the app's code,
    and note the recovery codes shown once."""
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    screenshot(page, f"{name}-set-up")
    page.get_by_label("Code from the app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, f"{name}-recovery-codes")
    return secret, codes


def test_set_up_then_sign_in_with_a_code_and_with_a_recovery_code(page: Page, live_server) -> None:
    UserFactory(username="pm", first_name="Pia", role=Role.PROCUREMENT_MANAGER)
    sign_in(page, live_server.url, "pm", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/workspace/")
    page.get_by_title("Your account").click()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    secret, codes = _set_up(page, "two-factor-enrolment")
    page.get_by_role("button", name="I have saved them").click()
    expect(page.locator("article", has_text="Two-factor sign-in")).to_contain_text("On")

    # Next sign-in: the password, then a code from the app.
    _sign_out(page)
    sign_in(page, live_server.url, "pm", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot(page, "two-factor-code-step")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")
    page.wait_for_timeout(1100)  # wrong codes slow the next try down by a second
    page.get_by_label("Code").fill(code_from_secret(secret, 1))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{live_server.url}/workspace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Pia")

    # No phone: a recovery code instead, once.
    _sign_out(page)
    sign_in(page, live_server.url, "pm", PASSWORD)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{live_server.url}/workspace/")
    expect(page.get_by_role("status")).to_contain_text("recovery code; 9 left")
    screenshot(page, "two-factor-recovery-code-sign-in")


def test_an_administrator_requires_it_of_supplier_users(page: Page, live_server) -> None:
    UserFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    partner = PartnerFactory(short_name="Voltaris", legal_name="Voltaris Cell Technologies AB")
    supplier_user(partner, "lena")

    sign_in(page, live_server.url, "root", PASSWORD)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Two-factor sign-in by role").click()
    page.get_by_label("Supplier user").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("requirements saved")
    expect(page.get_by_label("Supplier user")).to_be_checked()
    screenshot(page, "two-factor-roles")
    _sign_out(page)

    # The supplier signs in and is sent to the set-up before the portal.
    sign_in(page, live_server.url, "lena", PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))
    expect(page.get_by_role("status").first).to_contain_text("Your role requires")
    expect(page.get_by_role("link", name="My company")).to_have_count(0)
    page.goto(f"{live_server.url}/portal/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/"))
    _set_up(page, "two-factor-required")
    page.goto(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Voltaris Cell Technologies AB")
    screenshot(page, "two-factor-required-portal")

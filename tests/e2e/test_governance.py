"""Governance flows in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from governance.models import ActionItem
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    PartnerFactory,
    SupplierContactFactory,
    UserFactory,
    supplier_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_meeting_that_ends_before_it_starts_is_refused_with_a_clear_error(
    page: Page, live_server
) -> None:
    UserFactory(username="marco-e2e", role=Role.ALLIANCE_MANAGER)
    partner = PartnerFactory(short_name="Voltaris")
    sign_in(page, live_server.url, "marco-e2e", PASSWORD)
    page.goto(f"{live_server.url}/governance/partners/{partner.pk}/meetings/")
    page.get_by_label("Title", exact=True).fill("QBR Q1 2027")
    page.get_by_label("Start", exact=True).fill("2027-01-14T11:00")
    page.locator("#id_end").fill("2027-01-14T10:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("The meeting must end after it starts.")).to_be_visible()
    page.locator("#id_end").fill("2027-01-14T13:00")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QBR Q1 2027")


def test_a_supplier_marks_their_action_done_in_the_portal(page: Page, live_server) -> None:
    partner = PartnerFactory(short_name="GreenPack")
    supplier_user(partner, "joost-e2e")
    contact = SupplierContactFactory(partner=partner, name="Joost Bakker")
    action = ActionItem.objects.create(
        partner=partner, title="Send drop-test results", owner_contact=contact
    )
    sign_in(page, live_server.url, "joost-e2e", PASSWORD)
    page.get_by_role("link", name="Action items").first.click()
    page.get_by_label("Status of Send drop-test results").select_option("done")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("status")).to_contain_text("updated")
    action.refresh_from_db()
    assert action.status == "done"

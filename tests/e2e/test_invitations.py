"""Supplier invitations in a real browser: a procurement manager invites a contact from the
partner page, the invitee opens the e-mailed link, chooses a password and lands on their own
portal; where suppliers must use two-factor sign-in, the set-up comes first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from core import outbox
from core.models import OutboxMessage
from core.roles import Role
from core.two_factor import role_two_factor_set
from partners.invitations import INVITATION_EMAIL_TASK, invitation_email
from partners.models import PartnerInvitation
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import PASSWORD, PartnerFactory, SupplierContactFactory, UserFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "larch-kettle-ferry-42"


def _invite_from_the_partner_page(page: Page, base_url: str) -> str:
    """As the procurement manager: invite Ingrid; return the link from the e-mail sent."""
    partner = PartnerFactory(short_name="Voltaris", legal_name="Voltaris Cell Technologies AB")
    PartnerFactory(short_name="GreenPack", legal_name="GreenPack Packaging B.V.")
    SupplierContactFactory(partner=partner, name="Ingrid Holm", email="ingrid@voltaris.test")
    UserFactory(username="pm", first_name="Pia", role=Role.PROCUREMENT_MANAGER)

    sign_in(page, base_url, "pm", PASSWORD)
    page.goto(f"{base_url}/partners/{partner.pk}/")
    page.get_by_role("button", name="Invite Ingrid Holm to the portal").click()
    expect(page.get_by_role("status").first).to_contain_text("Invitation sent to ingrid@")
    expect(page.get_by_text("invited, until")).to_be_visible()
    screenshot(page, "invitation-sent")
    page.get_by_role("button", name="Sign out").first.click()

    # The e-mail is an outbox row: sent by whichever sweep takes it first (the suite's worker,
    # woken by the commit, or this one), and recoverable from the database either way.
    row = OutboxMessage.objects.get(task_name=INVITATION_EMAIL_TASK)

    def sent() -> bool:
        outbox.sweep()
        row.refresh_from_db()
        return row.state == "sent"

    assert wait_until(sent, timeout=30), row.last_error
    invitation_id, token = row.task_args
    message = invitation_email(PartnerInvitation.objects.get(pk=invitation_id), token)
    assert message.to == ["ingrid@voltaris.test"]
    found = re.search(r"https?://\S+(/accounts/invitation/\S+/)", message.body)
    assert found, message.body
    return base_url + found.group(1)


def _choose_password(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voltaris partner portal")
    expect(page.get_by_text("ingrid@voltaris.test")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat it").fill(NEW_PASSWORD)
    screenshot(page, "invitation-accept")
    page.get_by_role("button", name="Set password and sign in").click()


def test_an_invited_contact_sets_a_password_and_lands_on_their_portal(
    page: Page, browser: Browser, live_server
) -> None:
    link = _invite_from_the_partner_page(page, live_server.url)

    invitee = browser.new_context().new_page()
    _choose_password(invitee, link)
    expect(invitee).to_have_url(f"{live_server.url}/portal/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Voltaris Cell Technologies AB")
    expect(invitee.get_by_text("GreenPack")).to_have_count(0)
    screenshot(invitee, "invitation-portal")

    # Signing in again later: the e-mail address is the user name.
    invitee.get_by_role("button", name="Sign out").first.click()
    sign_in(invitee, live_server.url, "ingrid@voltaris.test", NEW_PASSWORD)
    expect(invitee).to_have_url(f"{live_server.url}/portal/")

    # The link works once.
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This invitation was used already")
    invitee.context.close()


def test_where_suppliers_need_two_factor_the_invitee_sets_it_up_first(
    page: Page, browser: Browser, live_server
) -> None:
    root = UserFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    role_two_factor_set(actor=root, role=Role.SUPPLIER_USER, required=True)
    link = _invite_from_the_partner_page(page, live_server.url)

    invitee = browser.new_context().new_page()
    _choose_password(invitee, link)
    expect(invitee).to_have_url(re.compile(r"/account/two-factor/"))
    expect(invitee.get_by_role("status").first).to_contain_text("Your role requires")
    expect(invitee.locator("figure.qr-code svg")).to_be_visible()
    screenshot(invitee, "invitation-two-factor")
    invitee.context.close()

"""Supplier invitations: an internal user invites a contact by e-mail, the invitee chooses a
password and lands on their own portal; links are single use, expire and can be withdrawn."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import User
from core.roles import Role
from core.two_factor import role_two_factor_set
from partners.invitations import invitation_digest
from partners.models import PartnerInvitation
from partners.services.invitations import invitation_send
from tests.factories import SupplierContactFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "larch-kettle-ferry-42"


def _link_from_email() -> str:
    """The path of the invitation link in the one e-mail sent (sent by the outbox sweep)."""
    outbox.sweep()
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^\s/]+(/accounts/invitation/[^\s]+/)", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(1)


@pytest.fixture
def contact(partner_a):
    return SupplierContactFactory(partner=partner_a, name="Ingrid Holm", email="Ingrid@Alpha.test")


def test_the_partner_page_invites_a_contact_who_sets_a_password_and_lands_on_the_portal(
    client_for, procurement_manager, partner_a, partner_b, contact
) -> None:
    manager = client_for(procurement_manager)
    page = manager.get(reverse("partner-page", args=[partner_a.pk])).content.decode()
    assert "Invite to portal" in page

    response = manager.post(reverse("partners:contact-invite", args=[partner_a.pk, contact.pk]))
    assert response.status_code == 302
    invitation = PartnerInvitation.objects.get(contact=contact)
    assert invitation.email == "ingrid@alpha.test"
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    page = manager.get(reverse("partner-page", args=[partner_a.pk])).content.decode()
    assert "invited, until" in page and "Revoke invitation" in page

    link = _link_from_email()
    message = mail.outbox[0]
    assert message.to == ["ingrid@alpha.test"]
    assert "Alpha Cells" in message.subject
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_digest == invitation_digest(token) != token  # only the digest kept

    invitee = Client()
    form = invitee.get(link)
    assert form.status_code == 200
    assert "ingrid@alpha.test" in form.content.decode()
    weak = invitee.post(link, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "too short" in weak.content.decode() or "too common" in weak.content.decode()
    assert not User.objects.filter(username="ingrid@alpha.test").exists()

    done = invitee.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert done.status_code == 302
    portal = invitee.get("/", follow=True)
    assert portal.redirect_chain[-1][0] == reverse("portal:home")
    body = portal.content.decode()
    assert partner_a.legal_name in body and partner_b.legal_name not in body

    user = User.objects.get(username="ingrid@alpha.test")
    assert user.role == Role.SUPPLIER_USER and user.partner_link.partner == partner_a
    assert user.check_password(GOOD_PASSWORD)
    contact.refresh_from_db()
    assert contact.is_portal_user

    again = Client().get(link)
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    sign_in = Client().post(
        reverse("login"), {"username": "ingrid@alpha.test", "password": GOOD_PASSWORD}
    )
    assert sign_in.status_code == 302


def test_expired_withdrawn_and_unknown_links_say_so(procurement_manager, contact) -> None:
    expired = invitation_send(actor=procurement_manager, contact=contact)
    PartnerInvitation.objects.filter(pk=expired.invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().get(reverse("invitation-accept", args=[expired.token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    posted = Client().post(
        reverse("invitation-accept", args=[expired.token]),
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    assert posted.status_code == 410
    assert not User.objects.filter(email="ingrid@alpha.test").exists()

    first = invitation_send(actor=procurement_manager, contact=contact)
    second = invitation_send(actor=procurement_manager, contact=contact)  # "Invite again"
    withdrawn = Client().get(reverse("invitation-accept", args=[first.token]))
    assert withdrawn.status_code == 410
    assert "withdrawn" in withdrawn.content.decode()
    assert Client().get(reverse("invitation-accept", args=[second.token])).status_code == 200

    unknown = Client().get(reverse("invitation-accept", args=["not-a-real-token"]))
    assert unknown.status_code == 404
    assert "does not work" in unknown.content.decode()


def test_revoking_from_the_partner_page_stops_the_link(
    client_for, procurement_manager, partner_a, contact
) -> None:
    sent = invitation_send(actor=procurement_manager, contact=contact)
    manager = client_for(procurement_manager)
    revoke = reverse("partners:invitation-revoke", args=[partner_a.pk, sent.invitation.pk])
    assert manager.post(revoke).status_code == 302
    assert Client().get(reverse("invitation-accept", args=[sent.token])).status_code == 410
    # The e-mail queued for a withdrawn invitation is not sent.
    outbox.sweep()
    assert mail.outbox == []


def test_the_invitee_is_led_into_two_factor_set_up_where_suppliers_require_it(
    administrator, procurement_manager, contact
) -> None:
    role_two_factor_set(actor=administrator, role=Role.SUPPLIER_USER, required=True)
    sent = invitation_send(actor=procurement_manager, contact=contact)
    invitee = Client()
    invitee.post(
        reverse("invitation-accept", args=[sent.token]),
        {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )
    landing = invitee.get("/", follow=True)
    assert landing.redirect_chain[-1][0].startswith(reverse("account:two-factor"))
    assert "QR" in landing.content.decode() or "authenticator" in landing.content.decode()


def test_an_existing_account_is_not_invited_twice(procurement_manager, partner_a) -> None:
    from core.errors import FieldErrors

    taken = SupplierContactFactory(partner=partner_a, email=procurement_manager.username)
    with pytest.raises(FieldErrors, match="portal account already"):
        invitation_send(actor=procurement_manager, contact=taken)
    no_email = SupplierContactFactory(partner=partner_a, email="")
    with pytest.raises(FieldErrors, match="e-mail address"):
        invitation_send(actor=procurement_manager, contact=no_email)


def test_suppliers_and_sponsors_cannot_invite_and_suppliers_see_no_invitations(
    client_for, api_for, procurement_manager, executive, supplier_a, partner_a, contact
) -> None:
    invite = reverse("partners:contact-invite", args=[partner_a.pk, contact.pk])
    assert client_for(supplier_a).post(invite).status_code in (403, 404)
    assert client_for(executive).post(invite).status_code == 403
    sent = invitation_send(actor=procurement_manager, contact=contact)
    revoke = reverse("partners:invitation-revoke", args=[partner_a.pk, sent.invitation.pk])
    assert client_for(supplier_a).post(revoke).status_code in (403, 404)

    api = api_for(supplier_a)
    assert api.get("/api/v1/partner-invitations/").status_code == 403
    assert api.post("/api/v1/partner-invitations/", {"contact": contact.pk}).status_code == 403
    revoked = api.post(f"/api/v1/partner-invitations/{sent.invitation.pk}/revoke/")
    assert revoked.status_code == 403
    assert PartnerInvitation.objects.get(pk=sent.invitation.pk).status == "pending"


def test_the_api_creates_lists_and_revokes_invitations(
    api_for, procurement_manager, partner_a, partner_b, contact
) -> None:
    other = SupplierContactFactory(partner=partner_b, email="bo@beta.test")
    api = api_for(procurement_manager)
    created = api.post("/api/v1/partner-invitations/", {"contact": contact.pk}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["partner"] == partner_a.pk
    assert "token" not in body and "token_digest" not in body
    _link_from_email()

    api.post("/api/v1/partner-invitations/", {"contact": other.pk}, format="json")
    listing = api.get("/api/v1/partner-invitations/", {"partner": partner_a.pk}).json()
    assert [row["email"] for row in listing["results"]] == ["ingrid@alpha.test"]

    revoked = api.post(f"/api/v1/partner-invitations/{body['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    unknown = api.post("/api/v1/partner-invitations/", {"contact": 99999}, format="json")
    assert unknown.status_code == 400 and "contact" in unknown.json()

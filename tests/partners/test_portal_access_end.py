"""Taking portal access away ends it at once: the signed-in browser is signed out on its next
request and the user's API tokens answer 401, whichever way the access ended."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from core.api_tokens import api_token_create
from core.models import ApiToken, User
from partners.lifecycle import LifecycleStage
from partners.models import Partner, PartnerInvitation, SupplierContact
from partners.services.invitations import INVITEE, invitation_accept, invitation_send
from partners.services.partners import partner_transition
from partners.services.records import contact_save
from tests.factories import SupplierContactFactory

pytestmark = pytest.mark.django_db

PASSWORD = "larch-kettle-ferry-42"


def _portal_user(manager: User, partner: Partner) -> tuple[User, SupplierContact]:
    contact = SupplierContactFactory(partner=partner, email="ingrid@alpha.test")
    sent = invitation_send(actor=manager, contact=contact)
    user = invitation_accept(
        actor=INVITEE, token=sent.token, password=PASSWORD, password_again=PASSWORD
    )
    return user, contact


def _signed_in(user: User) -> tuple[Client, APIClient]:
    browser = Client()
    signed_in = browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert browser.get("/portal/").status_code == 200
    token = api_token_create(actor=user, name="ERP sync", lifetime_days=30).secret
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/partners/").status_code == 200
    return browser, api


def _assert_access_ended(user: User, browser: Client, api: APIClient) -> None:
    page = browser.get("/portal/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert api.get("/api/v1/partners/").status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    sessions = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(user.pk) not in sessions
    refused = Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert refused.status_code == 200  # the sign-in form again, with its error


def test_taking_a_contacts_portal_access_away_signs_them_out_and_revokes_tokens(
    procurement_manager, partner_a
) -> None:
    user, contact = _portal_user(procurement_manager, partner_a)
    browser, api = _signed_in(user)
    contact_save(
        actor=procurement_manager,
        partner=partner_a,
        contact=contact,
        changes={"is_portal_user": False},
    )
    user.refresh_from_db()
    assert not user.is_active
    _assert_access_ended(user, browser, api)


def test_the_contact_form_unticking_portal_user_ends_access(
    client_for, procurement_manager, partner_a
) -> None:
    user, contact = _portal_user(procurement_manager, partner_a)
    browser, api = _signed_in(user)
    form = client_for(procurement_manager).post(
        f"/partners/{partner_a.pk}/contacts/{contact.pk}/",
        {"name": contact.name, "email": contact.email, "role": "", "phone": ""},
    )
    assert form.status_code in (302, 204), form.content.decode()[:500]
    _assert_access_ended(user, browser, api)


def test_exiting_a_partner_ends_its_portal_users_access(procurement_manager, partner_a) -> None:
    user, _contact = _portal_user(procurement_manager, partner_a)
    browser, api = _signed_in(user)
    pending = invitation_send(
        actor=procurement_manager,
        contact=SupplierContactFactory(partner=partner_a, email="new@alpha.test"),
    )
    partner_transition(
        actor=procurement_manager,
        partner=partner_a,
        to_stage=LifecycleStage.WINDING_DOWN,
        reason="Contract ends",
    )
    assert browser.get("/portal/").status_code == 200  # winding down: still a partner
    partner_transition(
        actor=procurement_manager,
        partner=partner_a,
        to_stage=LifecycleStage.EXITED,
        reason="Contract ended",
        lessons_learned="Dual-source earlier",
    )
    _assert_access_ended(user, browser, api)
    assert PartnerInvitation.objects.get(pk=pending.invitation.pk).status == "revoked"


def test_deactivating_a_user_directly_ends_sessions_and_tokens_for_good(
    procurement_manager, partner_a
) -> None:
    user, _contact = _portal_user(procurement_manager, partner_a)
    browser, api = _signed_in(user)
    user.is_active = False
    user.save()  # as the Django admin's change form does
    page = browser.get("/portal/")
    assert page.status_code == 302
    assert api.get("/api/v1/partners/").status_code == 401

    user.is_active = True
    user.save()  # reactivated later: the old session and token stay dead
    assert browser.get("/portal/").status_code == 302
    assert api.get("/api/v1/partners/").status_code == 401

"""Two-factor sign-in through the pages: set-up, the code step, recovery codes, turning it
off, and the administrator's per-role requirement (SPEC 7)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.api_tokens import api_token_create
from core.errors import ConflictError, PermissionDeniedError
from core.models import AuditEvent, User
from core.roles import Role
from core.two_factor import (
    RECOVERY_CODE_COUNT,
    recovery_codes_regenerate,
    role_two_factor_set,
    two_factor_disable,
)
from srm.middleware import SECOND_FACTOR
from tests.factories import PASSWORD
from tests.two_factor import app_code, enrol, fresh_code

pytestmark = pytest.mark.django_db


def _sign_in(username: str, next_url: str = "") -> tuple[Client, str]:
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content.decode()
    return client, response["Location"]


def test_setting_up_shows_a_qr_code_then_recovery_codes_once(client_for, procurement_manager):
    client = client_for(procurement_manager)
    page = client.get(reverse("account:two-factor"))
    body = page.content.decode()
    assert '<svg width="' in body and "QR code for your authenticator app" in body
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body)
    assert secret and len(secret.group(1).replace(" ", "")) == 32
    device = TOTPDevice.objects.get(user=procurement_manager, confirmed=False)
    # The same pending authenticator on every visit, until it is confirmed.
    assert client.get(reverse("account:two-factor")).content.decode().count(secret.group(1)) == 1
    assert TOTPDevice.objects.filter(user=procurement_manager).count() == 1

    wrong = client.post(reverse("account:two-factor-confirm"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "did not match" in wrong.content.decode()
    device.throttle_reset()

    done = client.post(reverse("account:two-factor-confirm"), {"code": app_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", done.content.decode())
    assert len(codes) == RECOVERY_CODE_COUNT
    assert "the only time they are shown" in done.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # This session proved the code: it goes on without being asked again.
    assert client.get(reverse("workspace")).status_code == 200
    status = client.get(reverse("account:two-factor")).content.decode()
    assert "10 of your recovery codes are unused" in status
    assert not any(code in status for code in codes)
    assert AuditEvent.objects.filter(action="two_factor.enable").count() == 1


def test_sign_in_asks_for_the_code_after_the_password(procurement_manager) -> None:
    device, _ = enrol(procurement_manager)
    client, location = _sign_in("pm", next_url="/partners/")
    assert location.startswith(reverse("login-code"))
    # Until the code, the session reaches nothing else: pages, partials and the API.
    blocked = client.get(reverse("workspace"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("login-code"))
    htmx = client.get(reverse("workspace"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(reverse("login-code"))
    assert client.get("/api/v1/partners/").status_code == 403
    assert client.get(reverse("account:tokens")).status_code == 302

    page = client.get(location)
    assert "Enter your code" in page.content.decode()
    done = client.post(reverse("login-code"), {"code": app_code(device, 1), "next": "/partners/"})
    assert done.status_code == 302 and done["Location"] == "/partners/"
    assert client.get(reverse("workspace")).status_code == 200
    assert client.get("/api/v1/partners/").status_code == 200


def test_a_recovery_code_signs_in_once(procurement_manager) -> None:
    _, codes = enrol(procurement_manager)
    client, _ = _sign_in("pm")
    done = client.post(reverse("login-code"), {"code": codes[3].upper()}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("workspace")
    assert "recovery code; 9 left" in done.content.decode()

    again, _ = _sign_in("pm")
    refused = again.post(reverse("login-code"), {"code": codes[3]})
    assert refused.status_code == 200
    assert "did not match" in refused.content.decode()
    assert again.get(reverse("workspace")).status_code == 302


def test_five_wrong_codes_end_the_attempt(procurement_manager) -> None:
    device, _ = enrol(procurement_manager)
    client, _ = _sign_in("pm")
    for _ in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        assert client.post(reverse("login-code"), {"code": "123456"}).status_code == 200
    last = client.post(reverse("login-code"), {"code": "123456"})
    assert last.status_code == 302 and last["Location"] == reverse("login")
    assert client.get(reverse("workspace"))["Location"].startswith(reverse("login") + "?")


def test_guessing_is_slowed_down_even_with_the_right_code_next(procurement_manager) -> None:
    device, _ = enrol(procurement_manager)
    client, _ = _sign_in("pm")
    client.post(reverse("login-code"), {"code": "000000"})
    client.post(reverse("login-code"), {"code": "000001"})
    slowed = client.post(reverse("login-code"), {"code": app_code(device, 1)})
    assert slowed.status_code == 200
    assert "Too many wrong codes: wait" in slowed.content.decode()


def test_the_admin_login_cannot_skip_the_code(administrator) -> None:
    enrol(administrator)
    client = Client()
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login-code"))


def test_new_recovery_codes_replace_the_old_ones(procurement_manager) -> None:
    _, old = enrol(procurement_manager)
    new = recovery_codes_regenerate(actor=procurement_manager)
    assert set(new).isdisjoint(old)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new}


def test_recovery_codes_page_needs_a_verified_session(client_for, procurement_manager) -> None:
    enrol(procurement_manager)
    # force_login gives a session that never entered a code: the gate sends it to the code page.
    response = client_for(procurement_manager).post(reverse("account:recovery-codes"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login-code"))


def test_turning_it_off_needs_a_code_and_is_refused_where_the_role_requires_it(
    administrator, procurement_manager
) -> None:
    device, _ = enrol(procurement_manager)
    client, _ = _sign_in("pm")
    client.post(reverse("login-code"), {"code": app_code(device, 1)})
    wrong = client.post(reverse("account:two-factor-off"), {"code": "999999"}, follow=True)
    assert "did not match" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=procurement_manager).exists()

    role_two_factor_set(actor=administrator, role=Role.PROCUREMENT_MANAGER, required=True)
    with pytest.raises(ConflictError, match="requires"):
        two_factor_disable(actor=procurement_manager, code=app_code(device, 2))
    role_two_factor_set(actor=administrator, role=Role.PROCUREMENT_MANAGER, required=False)

    off = client.post(reverse("account:two-factor-off"), {"code": fresh_code(device)}, follow=True)
    assert "Two-factor sign-in is off" in off.content.decode()
    # (The set-up page it lands on offers a new, unconfirmed authenticator.)
    assert not TOTPDevice.objects.filter(user=procurement_manager, confirmed=True).exists()
    assert not StaticToken.objects.exists()
    # Signing in again asks for the password only.
    _, location = _sign_in("pm")
    assert location == reverse("home")


def test_an_administrator_requires_it_per_role_on_the_roles_page(
    client_for, administrator, procurement_manager, supplier_a
) -> None:
    page = client_for(administrator).get(reverse("account:roles"))
    assert page.status_code == 200
    assert "Supplier user" in page.content.decode()
    saved = client_for(administrator).post(
        reverse("account:roles"), {Role.SUPPLIER_USER.value: "on"}, follow=True
    )
    assert "requirements saved" in saved.content.decode()
    assert AuditEvent.objects.filter(action="role_policy.update").count() == 1

    # A supplier user signing in must set it up before the portal.
    client = Client()
    client.post(reverse("login"), {"username": "supplier-a", "password": PASSWORD})
    portal = client.get(reverse("portal:home"), follow=True)
    assert portal.redirect_chain[-1][0].startswith(reverse("account:two-factor"))
    assert "Your role requires two-factor sign-in" in portal.content.decode()
    device = TOTPDevice.objects.get(user=supplier_a, confirmed=False)
    client.post(reverse("account:two-factor-confirm"), {"code": app_code(device)})
    assert client.get(reverse("portal:home")).status_code == 200

    # Other roles are not affected.
    _, location = _sign_in("pm")
    assert location == reverse("home")


def test_open_sessions_follow_a_new_requirement_within_a_minute(
    client_for, administrator, procurement_manager
) -> None:
    client = client_for(procurement_manager)
    assert client.get(reverse("workspace")).status_code == 200
    role_two_factor_set(actor=administrator, role=Role.PROCUREMENT_MANAGER, required=True)
    session = client.session
    state = session[SECOND_FACTOR]
    state["checked"] -= 61
    session[SECOND_FACTOR] = state
    session.save()
    response = client.get(reverse("workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:two-factor"))


def test_only_administrators_set_the_requirement(client_for, procurement_manager, supplier_a):
    for user in (procurement_manager, supplier_a):
        client = client_for(user)
        assert client.get(reverse("account:roles")).status_code == 403
        assert client.post(reverse("account:roles"), {"supplier_user": "on"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        role_two_factor_set(actor=procurement_manager, role=Role.SUPPLIER_USER, required=True)


def test_api_tokens_are_not_asked_for_a_second_factor(administrator, procurement_manager):
    role_two_factor_set(actor=administrator, role=Role.PROCUREMENT_MANAGER, required=True)
    secret = api_token_create(actor=procurement_manager, name="ERP", lifetime_days=7).secret
    response = Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_each_user_sets_up_only_their_own_authenticator(client_for, supplier_a, supplier_b):
    """Another partner's supplier user gets an authenticator of their own; a's code does not
    switch on b's, and a's set-up is untouched."""
    client_for(supplier_a).get(reverse("account:two-factor"))
    device_a = TOTPDevice.objects.get(user=supplier_a)
    b = client_for(supplier_b)
    page_b = b.get(reverse("account:two-factor")).content.decode()
    assert TOTPDevice.objects.get(user=supplier_b).key != device_a.key
    secret_a = device_a.config_url.split("secret=")[1].split("&")[0]
    assert secret_a[:4] not in page_b.split('data-testid="totp-secret">')[1][:45]
    refused = b.post(reverse("account:two-factor-confirm"), {"code": app_code(device_a)})
    assert "did not match" in refused.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert User.objects.get(pk=supplier_a.pk).is_active


def test_an_administrator_can_reset_a_users_authenticator_without_seeing_its_key(
    client_for, administrator, procurement_manager
) -> None:
    device, codes = enrol(procurement_manager)
    client = client_for(administrator)
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    static = client.get(reverse("admin:otp_static_staticdevice_changelist"))
    assert static.status_code == 200
    assert codes[0].replace("-", "") not in static.content.decode()
    deleted = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(user=procurement_manager).exists()

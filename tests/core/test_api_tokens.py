"""Personal API tokens: created, named, used, expired and revoked — through the account page
and the API, as the token's owner and as somebody else."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.api_tokens import (
    MAX_LIVE_TOKENS,
    api_token_create,
    api_token_revoke,
    token_digest,
)
from core.errors import FieldErrors, NotFoundError
from core.models import ApiToken, AuditEvent
from tests.factories import CategoryFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_stored_only_as_its_digest(procurement_manager) -> None:
    created = api_token_create(actor=procurement_manager, name="ERP sync", lifetime_days=30)
    row = ApiToken.objects.get(pk=created.token.pk)
    assert created.secret.startswith("srm_") and len(created.secret) > 40
    assert row.digest == token_digest(created.secret)
    assert created.secret not in {row.digest, row.prefix, row.name}
    assert created.secret.startswith(row.prefix)
    assert row.expires_at - timezone.now() > timedelta(days=29, hours=23)
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == procurement_manager
    assert created.secret not in str(event.changes)


def test_the_api_answers_a_live_token_as_its_owner(procurement_manager, partner_a) -> None:
    secret = api_token_create(actor=procurement_manager, name="ERP", lifetime_days=7).secret
    response = Client().get("/api/v1/partners/", **_bearer(secret))
    assert response.status_code == 200
    assert partner_a.legal_name in response.content.decode()
    # "Token <secret>", the header DRF's former tokens used, works too.
    assert (
        Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200
    )
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    ("state", "message"),
    [("expired", "This token has expired."), ("revoked", "This token was revoked.")],
)
def test_expired_and_revoked_tokens_answer_401(procurement_manager, state, message) -> None:
    created = api_token_create(actor=procurement_manager, name="old", lifetime_days=7)
    if state == "expired":
        ApiToken.objects.filter(pk=created.token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    else:
        api_token_revoke(actor=procurement_manager, token=created.token)
    response = Client().get("/api/v1/partners/", **_bearer(created.secret))
    assert response.status_code == 401
    assert response.json() == {"detail": message}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer srm_not-a-real-token", "Bearer", "Bearer a b", "Token nonsense", "Bearer é"],
)
def test_unknown_or_malformed_tokens_answer_401_never_500(header) -> None:
    response = Client().get("/api/v1/partners/", HTTP_AUTHORIZATION=header.encode().decode())
    assert response.status_code == 401


def test_a_deactivated_users_tokens_stop_working(procurement_manager) -> None:
    secret = api_token_create(actor=procurement_manager, name="x", lifetime_days=7).secret
    procurement_manager.is_active = False
    procurement_manager.save()
    assert Client().get("/api/v1/partners/", **_bearer(secret)).status_code == 401


def test_without_credentials_the_api_answers_401_with_the_scheme(db) -> None:
    response = Client().get("/api/v1/partners/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_bad_names_lifetimes_and_too_many_tokens_are_refused(procurement_manager) -> None:
    with pytest.raises(FieldErrors) as blank:
        api_token_create(actor=procurement_manager, name="  ", lifetime_days=30)
    assert "name" in blank.value.errors
    with pytest.raises(FieldErrors) as forever:
        api_token_create(actor=procurement_manager, name="x", lifetime_days=36500)
    assert "lifetime_days" in forever.value.errors
    for i in range(MAX_LIVE_TOKENS):
        api_token_create(actor=procurement_manager, name=f"t{i}", lifetime_days=7)
    with pytest.raises(FieldErrors, match="revoke one"):
        api_token_create(actor=procurement_manager, name="one more", lifetime_days=7)


def test_the_tokens_page_creates_shows_once_lists_and_revokes(client_for, supplier_a) -> None:
    """A supplier user manages its own tokens like anyone else."""
    client = client_for(supplier_a)
    page = client.post(reverse("account:tokens"), {"name": "Portal sync", "lifetime_days": "90"})
    assert page.status_code == 200
    body = page.content.decode()
    secret = re.search(r'data-testid="new-token">(srm_[^<]+)<', body)
    assert secret, body
    assert "it is not shown again" in body
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    listing = client.get(reverse("account:tokens")).content.decode()
    assert "Portal sync" in listing and secret.group(1) not in listing
    assert "Active" in listing and "never" in listing
    assert Client().get("/api/v1/partners/", **_bearer(secret.group(1))).status_code == 200

    token = ApiToken.objects.get(user=supplier_a)
    revoked = client.post(reverse("account:token-revoke", args=[token.pk]), follow=True)
    assert "revoked" in revoked.content.decode()
    assert Client().get("/api/v1/partners/", **_bearer(secret.group(1))).status_code == 401


def test_the_tokens_page_rerenders_bad_input_with_messages(client_for, procurement_manager):
    response = client_for(procurement_manager).post(
        reverse("account:tokens"), {"name": "", "lifetime_days": "5"}
    )
    assert response.status_code == 200
    assert ApiToken.objects.count() == 0
    assert 'class="errorlist"' in response.content.decode()


def test_nobody_sees_or_revokes_another_users_token(client_for, supplier_a, supplier_b) -> None:
    """Another partner's supplier user: the token is neither listed nor revocable (404, as for
    an unknown id), and keeps working."""
    created = api_token_create(actor=supplier_a, name="Alpha's script", lifetime_days=30)
    intruder = client_for(supplier_b)
    assert "Alpha's script" not in intruder.get(reverse("account:tokens")).content.decode()
    response = intruder.post(reverse("account:token-revoke", args=[created.token.pk]))
    assert response.status_code == 404
    unknown = intruder.post(reverse("account:token-revoke", args=[created.token.pk + 1000]))
    assert unknown.status_code == 404
    assert Client().get("/api/v1/partners/", **_bearer(created.secret)).status_code == 200
    with pytest.raises(NotFoundError):
        api_token_revoke(actor=supplier_b, token=created.token)


def test_revoking_needs_post_and_sign_in(client_for, procurement_manager) -> None:
    created = api_token_create(actor=procurement_manager, name="x", lifetime_days=7)
    url = reverse("account:token-revoke", args=[created.token.pk])
    assert client_for(procurement_manager).get(url).status_code == 405
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert ApiToken.objects.get().revoked_at is None


def _readme_curl_lines() -> list[str]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("### API tokens", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands, current = [], ""
    for line in block.splitlines():
        if line.startswith("#") or not (line.strip() or current):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            commands.append(current.strip())
            current = ""
    return [c for c in commands if c.startswith("curl ")]


@pytest.mark.django_db(transaction=True)
def test_the_readme_curl_example_works(live_server, tmp_path, procurement_manager) -> None:
    """Run the README's curl lines against a live server: list, import, then 401 once the
    token has expired."""
    category = CategoryFactory(code="cells")
    partner = PartnerFactory(legal_name="Voltaris Cell Technologies AB", quadrant="strategic")
    (tmp_path / "spend-2026.csv").write_text(
        "legal_name,spend_year,spend_category,spend_amount\n"
        f"{partner.legal_name},2026,{category.code},1500000\n"
    )
    created = api_token_create(actor=procurement_manager, name="README", lifetime_days=7)
    env = {**os.environ, "SRM_TOKEN": created.secret}
    listing, upload, expired = _readme_curl_lines()

    def run(command: str) -> str:
        command = command.replace("https://srm.example.com", live_server.url)
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    body = json.loads(run(listing))
    assert body["count"] == 1 and body["results"][0]["short_name"] == partner.short_name
    assert json.loads(run(upload)) == {"created": 0, "updated": 0, "spend": 1}
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    answer = run(expired)
    assert answer.startswith("HTTP/1.1 401")
    assert 'WWW-Authenticate: Bearer realm="api"' in answer
    assert answer.rstrip().endswith('{"detail":"This token has expired."}')

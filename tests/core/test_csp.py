"""The Content-Security-Policy: sent on pages, strict (no inline script, no eval), and the
templates need nothing it forbids. The browser check is tests/e2e/test_csp.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("route", ["workspace", "partners:list", "account:home", "login"])
def test_pages_carry_a_strict_policy(client_for, procurement_manager, route) -> None:
    client = client_for(procurement_manager) if route != "login" else Client()
    response = client.get(reverse(route))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_the_admins_nonces_are_in_the_policy(client_for, administrator) -> None:
    """The Django admin marks its styles with the request's nonce; the header names it."""
    response = client_for(administrator).get(reverse("admin:index"))
    assert response.status_code == 200
    nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in _policy(response)["style-src"]


TEMPLATE_FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"),
    "style attribute": re.compile(r"\sstyle=[\"']"),
    "style element": re.compile(r"<style[\s>]"),
    "inline event handler": re.compile(r"\son[a-z]+=[\"']"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "htmx code attribute": re.compile(r"\bhx-on|hx-vals=[\"']\s*js:|\[[a-zA-Z]+\]\""),
}


def test_no_template_needs_what_the_policy_forbids() -> None:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)
        for what, pattern in TEMPLATE_FORBIDDEN.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {what}")
    assert found == []


def test_api_schema_and_docs_are_for_signed_in_users(client_for, supplier_a) -> None:
    anonymous = Client()
    schema = anonymous.get("/api/schema/")
    assert schema.status_code == 401
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    assert anonymous.get("/api/docs/?script=").status_code == 302

    client = client_for(supplier_a)
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "<style" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_schema_describes_bearer_tokens(client_for, procurement_manager) -> None:
    schema = client_for(procurement_manager).get("/api/schema/", {"format": "json"}).json()
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert scheme == {
        "type": "http",
        "scheme": "bearer",
        "description": scheme["description"],
    }

"""Brute-force protection at sign-in: per account across addresses, per address across
accounts, and the client address taken only from our own proxies."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client
from django.urls import reverse

from core.sign_in import forwarded_client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPRAYED = "Winter2026!"


def _attempt(username: str, password: str, ip: str, forwarded: str = "") -> int:
    extra = {"REMOTE_ADDR": ip}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = Client(**extra).post(reverse("login"), {"username": username, "password": password})
    return response.status_code


def test_five_wrong_passwords_from_several_addresses_lock_the_account(
    procurement_manager, settings
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_attempt("pm", "wrong", f"203.0.113.{i}") for i in range(1, 6)]
    assert statuses[:4] == [200] * 4  # the form again, with "Please enter a correct …"
    assert statuses[4] == 429
    # Locked everywhere, even with the right password, from an address never seen before.
    assert _attempt("pm", PASSWORD, "198.51.100.99") == 429
    # Other accounts are not affected.
    UserFactory(username="colleague")
    assert _attempt("colleague", PASSWORD, "198.51.100.99") == 302


def test_one_password_tried_on_many_accounts_from_one_address_is_throttled(settings) -> None:
    limit = settings.SRM_LOGIN_IP_FAILURE_LIMIT
    assert limit == 20
    victims = [UserFactory(username=f"victim{i}").username for i in range(limit)]
    UserFactory(username="attacker")
    sprayer = "192.0.2.50"
    statuses = []
    for i, username in enumerate(victims):
        statuses.append(_attempt(username, SPRAYED, sprayer))
        if i == limit // 2:
            # Signing in to one's own account in between does not wipe the address's count.
            assert _attempt("attacker", PASSWORD, sprayer) == 302
    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    # The address is paused for every account, even with a right password ...
    UserFactory(username="bystander")
    assert _attempt("bystander", PASSWORD, sprayer) == 429
    # ... while no single account was locked: from elsewhere they all sign in.
    assert _attempt(victims[0], PASSWORD, "192.0.2.51") == 302
    assert _attempt("bystander", PASSWORD, "192.0.2.51") == 302


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(settings) -> None:
    """Without trusted proxies, X-Forwarded-For is whatever the client says: rotating it
    does not escape the address limit."""
    settings.SRM_TRUSTED_PROXY_COUNT = 0
    settings.SRM_LOGIN_IP_FAILURE_LIMIT = 5
    for i in range(5):
        UserFactory(username=f"target{i}")
    statuses = [
        _attempt(f"target{i}", SPRAYED, "192.0.2.60", forwarded=f"10.9.9.{i}") for i in range(5)
    ]
    assert statuses[-1] == 429
    UserFactory(username="next")
    assert _attempt("next", PASSWORD, "192.0.2.60", forwarded="10.1.1.1") == 429


def test_behind_a_trusted_proxy_each_client_counts_apart(settings) -> None:
    """Behind our own proxy (one hop), the address it saw is the client: one client being
    throttled does not lock out everyone else behind the same proxy."""
    settings.SRM_TRUSTED_PROXY_COUNT = 1
    settings.SRM_TRUSTED_PROXY_IPS = ["10.0.0.0/8"]
    settings.SRM_LOGIN_IP_FAILURE_LIMIT = 5
    proxy = "10.0.0.2"
    for i in range(5):
        UserFactory(username=f"t{i}")
    statuses = [
        _attempt(f"t{i}", SPRAYED, proxy, forwarded=f"1.2.3.4, 198.51.100.{i}") for i in range(5)
    ]
    assert statuses == [200] * 5  # five different clients, one failure each
    for i in range(5):
        _attempt(f"t{i}", SPRAYED, proxy, forwarded="198.51.100.200")
    assert _attempt("t0", PASSWORD, proxy, forwarded="198.51.100.200") == 429
    assert _attempt("t0", PASSWORD, proxy, forwarded="198.51.100.201") == 302
    # A peer that is not our proxy cannot claim to be forwarding for someone else.
    UserFactory(username="direct")
    assert _attempt("direct", PASSWORD, "198.51.100.200", forwarded="198.51.100.7") == 429


TRUSTED = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.mark.parametrize(
    ("remote", "forwarded", "count", "trusted", "client"),
    [
        ("192.0.2.1", "", 0, [], "192.0.2.1"),
        ("192.0.2.1", "203.0.113.9", 0, [], "192.0.2.1"),  # no trusted proxy: ignored
        ("10.0.0.2", "203.0.113.9", 1, [], "203.0.113.9"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.9", 1, [], "203.0.113.9"),  # a forged left entry
        ("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", 2, [], "203.0.113.9"),
        ("10.0.0.2", "", 1, [], "10.0.0.2"),  # nothing forwarded: the peer
        ("192.0.2.1", "203.0.113.9", 1, TRUSTED, "192.0.2.1"),  # peer is no proxy of ours
        ("10.0.0.2", "203.0.113.9", 1, TRUSTED, "203.0.113.9"),
        ("10.0.0.2", "not-an-ip", 1, [], "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", 1, [], "2001:db8::1"),
    ],
)
def test_forwarded_client_ip(remote, forwarded, count, trusted, client) -> None:
    assert forwarded_client_ip(remote, forwarded, proxy_count=count, trusted=trusted) == client

"""Sessions end after a configurable idle time and a maximum age; activity keeps them open
without writing the session on every page."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from srm.middleware import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def _age_session(client, **seconds_ago: int) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = int(time.time()) - ago
    session.save()


def test_an_idle_session_is_signed_out_and_told_why(client_for, procurement_manager, settings):
    assert settings.SRM_SESSION_IDLE_SECONDS == 30 * 60
    client = client_for(procurement_manager)
    assert client.get(reverse("workspace")).status_code == 200
    _age_session(client, **{LAST_SEEN: 30 * 60 + 5})
    response = client.get(reverse("workspace"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_activity_keeps_the_session_open(client_for, procurement_manager, settings) -> None:
    settings.SRM_SESSION_IDLE_SECONDS = 10 * 60
    client = client_for(procurement_manager)
    _age_session(client, **{LAST_SEEN: 9 * 60})
    assert client.get(reverse("workspace")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN] < 5  # the clock restarted
    _age_session(client, **{LAST_SEEN: 9 * 60})
    assert client.get(reverse("workspace")).status_code == 200


def test_a_session_ends_at_its_maximum_age_however_active(client_for, procurement_manager):
    client = client_for(procurement_manager)
    _age_session(client, **{SIGNED_IN_AT: 12 * 3600 + 5, LAST_SEEN: 10})
    response = client.get(reverse("workspace"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Your session ended" in response.content.decode()


def test_an_ordinary_page_does_not_write_the_session(client_for, procurement_manager) -> None:
    client = client_for(procurement_manager)
    client.get(reverse("account:home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("account:home")).status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []

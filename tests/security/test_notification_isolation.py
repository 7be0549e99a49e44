"""Notification routes as another partner's supplier user: nothing of another company and
nothing internal is shown, opened, marked or counted.

The route walker in test_supplier_isolation.py probes every parameterless page (inbox, bell,
preferences, operations) and every API list, but cannot fill a ``notification_id``; this
file probes those routes with the notification ids of other users.
"""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse

from core.models import Notification
from core.roles import SYSTEM
from core.services import notification_send
from scorecards.services import disputes as scorecard_disputes
from scorecards.services import periods as scorecard_periods
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def others(procurement_manager, supplier_a, partner_a) -> list[Notification]:
    """Notifications of other users: supplier A's (shared with A) and an internal one."""
    partner_a.owner = procurement_manager
    partner_a.save()
    period = enter_values(scorecard_for(partner_a), HAND_VALUES)
    period = scorecard_periods.period_close(actor=SYSTEM, period=period)
    dispute = scorecard_disputes.dispute_raise(
        actor=supplier_a, period=period, reason="Alpha's secret", today=period.end
    )
    scorecard_disputes.dispute_resolve(
        actor=procurement_manager, dispute=dispute, outcome="rejected", explanation="Alpha only"
    )
    notification_send(recipient=supplier_a, key="a", subject="Alpha action overdue",
                      partner_id=partner_a.pk, shared=True)  # fmt: skip
    return list(Notification.objects.all())


def _notification_routes() -> list[str]:
    routes = []
    for pattern in get_resolver().url_patterns:
        route = str(getattr(pattern, "pattern", ""))
        if route.startswith("notifications/") and "<int:notification_id>" in route:
            routes.append(route)
    return routes


def test_every_notification_route_refuses_another_users_notification(
    others, supplier_b, client_for
) -> None:
    client = client_for(supplier_b)
    routes = _notification_routes()
    assert len(routes) >= 2
    for note in others:
        for route in routes:
            url = "/" + re.sub(r"<int:notification_id>", str(note.pk), route)
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url).status_code in (404, 405), url
        assert client.get(f"/api/v1/notifications/{note.pk}/").status_code == 404
        assert client.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_pages_and_api_show_another_company_nothing(others, supplier_b, client_for) -> None:
    client = client_for(supplier_b)
    for url in (reverse("notifications"), reverse("notifications-bell")):
        body = client.get(url).content.decode()
        assert "Alpha" not in body and "data-unread" not in body
    listing = client.get("/api/v1/notifications/").json()
    assert listing["count"] == 0
    client.post(reverse("notifications-read-all"))
    client.post("/api/v1/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    for url in (reverse("operations-outbox"), reverse("operations-outbox-json")):
        assert client.get(url).status_code == 403


def test_the_partners_own_supplier_sees_only_what_was_shared_with_it(
    others, supplier_a, client_for
) -> None:
    """The dispute raised notification went to the buyer: internal, never to supplier A."""
    page = client_for(supplier_a).get(reverse("notifications")).content.decode()
    assert "Alpha action overdue" in page and "was rejected" in page
    assert "disputes its" not in page

"""Every governance page, API route and feed, tried by the wrong people: no leaks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from governance.models import ActionItem, Visibility
from governance.services import calendar, escalations, innovation, lessons, plans
from tests.factories import SupplierContactFactory
from tests.governance.factories import MeetingFactory, standard_ladder

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


@pytest.fixture
def world(partner_a, procurement_manager):
    """Partner A's governance records, shared and internal."""
    contact = SupplierContactFactory(partner=partner_a)
    shared = MeetingFactory(partner=partner_a, title="Shared QBR", minutes="Shared minutes")
    internal = MeetingFactory(
        partner=partner_a,
        title="Internal prep",
        minutes="Our walk-away price",
        visibility=Visibility.INTERNAL,
    )
    action = ActionItem.objects.create(
        partner=partner_a, title="Ship samples", owner_contact=contact
    )
    secret_action = ActionItem.objects.create(
        partner=partner_a, title="Find a second source", visibility=Visibility.INTERNAL
    )
    standard_ladder(partner_a)
    escalation = escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Yield crisis")
    plan = plans.plan_create(actor=SYSTEM, partner=partner_a, year=2027, title="JBP")
    initiative = innovation.initiative_create(
        actor=SYSTEM, partner=partner_a, title="Solid-state cell"
    )
    challenge = innovation.challenge_publish(
        actor=SYSTEM, title="CO2", problem_statement="Less", partners=[partner_a]
    )
    lesson = lessons.lesson_record(actor=SYSTEM, partner=partner_a, title="Exit", body="Early")
    feed = calendar.calendar_feed_for(actor=procurement_manager, partner=partner_a)
    return {
        "partner": partner_a,
        "shared": shared,
        "internal": internal,
        "action": action,
        "secret_action": secret_action,
        "escalation": escalation,
        "plan": plan,
        "initiative": initiative,
        "challenge": challenge,
        "lesson": lesson,
        "feed": feed,
    }


def _internal_pages(w):
    p = w["partner"].pk
    return [
        reverse("governance:partner", args=[p]),
        reverse("governance:meetings", args=[p]),
        reverse("governance:actions", args=[p]),
        reverse("governance:escalations", args=[p]),
        reverse("governance:qbr", args=[p]),
        reverse("governance:meeting", args=[w["shared"].pk]),
        reverse("governance:lessons"),
        reverse("governance:challenges"),
        reverse("governance:my"),
    ]


def test_another_partners_supplier_gets_nothing_from_any_page(
    world, supplier_b, client_for
) -> None:
    client = client_for(supplier_b)
    for url in _internal_pages(world):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"step": "cancel", "reason": "x"}).status_code in (403, 404), url
    for url in [
        reverse("governance:meeting-ics", args=[world["shared"].pk]),
        reverse("governance:portal-meeting", args=[world["shared"].pk]),
        f"{reverse('governance:calendar')}?partner={world['partner'].pk}",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("governance:portal-action-status", args=[world["action"].pk]), {"status": "done"}
    )
    assert response.status_code == 404
    for url in [
        reverse("governance:portal-actions"),
        reverse("governance:portal-meetings"),
        reverse("governance:portal-challenges"),
    ]:
        body = client.get(url).content.decode()
        for leak in ("Shared QBR", "Ship samples", "CO2", "Alpha Cells"):
            assert leak not in body, (url, leak)
    world["action"].refresh_from_db()
    assert world["action"].status == "open"


def test_another_partners_supplier_gets_nothing_from_the_api(world, supplier_b, api_for) -> None:
    api = api_for(supplier_b)
    for resource in (
        "charters",
        "cadences",
        "meetings",
        "actions",
        "escalations",
        "plans",
        "initiatives",
        "challenges",
        "proposals",
    ):
        response = api.get(f"{API}/{resource}/")
        assert response.status_code == 200 and response.json()["count"] == 0, resource
    for resource, key in [
        ("meetings", "shared"),
        ("actions", "action"),
        ("escalations", "escalation"),
        ("plans", "plan"),
        ("initiatives", "initiative"),
        ("challenges", "challenge"),
    ]:
        assert api.get(f"{API}/{resource}/{world[key].pk}/").status_code == 404, resource
    assert api.get(f"{API}/meetings/{world['shared'].pk}/ics/").status_code == 404
    assert (
        api.patch(
            f"{API}/actions/{world['action'].pk}/", {"status": "done"}, format="json"
        ).status_code
        == 404
    )
    assert api.get(f"{API}/lessons/").status_code == 403
    for path, body in [
        (
            "meetings",
            {
                "partner": world["partner"].pk,
                "title": "x",
                "start": "2027-01-01T09:00:00Z",
                "end": "2027-01-01T10:00:00Z",
            },
        ),
        (
            "escalations/ladder",
            {"partner": world["partner"].pk, "levels": [{"name": "x", "response_time_hours": 1}]},
        ),
        ("proposals", {"challenge": world["challenge"].pk, "title": "x", "description": "y"}),
    ]:
        assert api.post(f"{API}/{path}/", body, format="json").status_code in (400, 403), path


def test_the_own_supplier_sees_only_shared_items(world, supplier_a, api_for, client_for) -> None:
    api = api_for(supplier_a)
    assert [m["title"] for m in api.get(f"{API}/meetings/").json()["results"]] == ["Shared QBR"]
    assert api.get(f"{API}/meetings/{world['internal'].pk}/").status_code == 404
    assert [a["title"] for a in api.get(f"{API}/actions/").json()["results"]] == ["Ship samples"]
    assert (
        api.get(f"{API}/escalations/").json()["count"] == 0
    )  # escalations are internal by default
    assert (
        api.post(
            f"{API}/meetings/{world['shared'].pk}/cancel/", {"reason": "x"}, format="json"
        ).status_code
        == 403
    )
    client = client_for(supplier_a)
    body = client.get(reverse("governance:portal-meetings")).content.decode()
    assert "Shared QBR" in body and "Internal prep" not in body
    assert (
        client.get(reverse("governance:portal-meeting", args=[world["internal"].pk])).status_code
        == 404
    )
    assert (
        "Shared minutes"
        in client.get(
            reverse("governance:portal-meeting", args=[world["shared"].pk])
        ).content.decode()
    )
    assert (
        client.get(reverse("governance:meeting-ics", args=[world["internal"].pk])).status_code
        == 404
    )
    body = client.get(reverse("governance:portal-actions")).content.decode()
    assert "Ship samples" in body and "Find a second source" not in body
    for url in _internal_pages(world):
        assert client.get(url).status_code in (403, 404), url


def test_feeds_need_the_current_secret_and_follow_the_owners_access(
    world, client, supplier_a
) -> None:
    url = reverse("governance:feed", args=[world["feed"].token])
    assert b"Internal prep" in client.get(url).content
    assert client.get(reverse("governance:feed", args=["not-a-token"])).status_code == 404
    supplier_feed = calendar.calendar_feed_for(actor=supplier_a)
    body = client.get(reverse("governance:feed", args=[supplier_feed.token])).content
    assert b"Shared QBR" in body and b"Internal prep" not in body and b"Our walk-away" not in body
    world["feed"].owner.is_active = False
    world["feed"].owner.save()
    assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(world, client) -> None:
    for url in [*_internal_pages(world), reverse("governance:portal-actions")]:
        assert client.get(url).status_code == 302, url
    assert client.get(f"{API}/meetings/").status_code in (401, 403)

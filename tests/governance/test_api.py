"""Governance REST API: writes through services, bad input answers 400, never 500."""

from __future__ import annotations

from datetime import date

import pytest

from core.roles import SYSTEM
from governance.models import ActionItem, Meeting
from tests.factories import SupplierContactFactory
from tests.governance.factories import MeetingFactory, standard_ladder

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def test_a_meeting_is_created_and_moved_with_a_growing_sequence(
    partner_a, api_for, alliance_manager
) -> None:
    api = api_for(alliance_manager)
    response = api.post(
        f"{API}/meetings/",
        {
            "partner": partner_a.pk,
            "title": "QBR Q1",
            "start": "2027-01-14T09:00:00+01:00",
            "end": "2027-01-14T11:00:00+01:00",
            "tz_name": "Europe/Berlin",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(
        f"{API}/meetings/{pk}/move/",
        {
            "start": "2027-01-15T09:00:00+01:00",
            "end": "2027-01-15T11:00:00+01:00",
            "reason": "Fair",
        },
        format="json",
    )
    assert response.json()["sequence"] == 1
    ics = api.get(f"{API}/meetings/{pk}/ics/")
    assert b"SEQUENCE:1" in ics.content


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "meetings",
            {"title": "QBR", "start": "2027-01-14T11:00:00Z", "end": "2027-01-14T10:00:00Z"},
            "end",
        ),
        ("escalations/ladder", {"levels": []}, "levels"),
        ("escalations", {"title": "Late deliveries"}, "levels"),
        (
            "cadences",
            {
                "kind": "steering_committee",
                "frequency": "monthly",
                "anchor_date": "2027-01-01",
                "start_time": "09:00",
                "tz_name": "Nowhere/City",
            },
            "tz_name",
        ),
        (
            "charters",
            {"scope": "x", "effective_from": "2026-01-01", "review_due": "2028-01-01"},
            "review_due",
        ),
    ],
)
def test_bad_input_answers_400_with_field_errors(
    partner_a, api_for, alliance_manager, path, body, field
) -> None:
    response = api_for(alliance_manager).post(
        f"{API}/{path}/", {"partner": partner_a.pk, **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Meeting.objects.exists()


def test_an_action_due_in_the_past_is_created_with_a_warning(
    partner_a, api_for, alliance_manager
) -> None:
    response = api_for(alliance_manager).post(
        f"{API}/actions/",
        {"partner": partner_a.pk, "title": "Send data", "due_date": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 201
    assert "in the past" in response.json()["warning"]
    assert response.json()["is_overdue"] is True


def test_a_supplier_marks_their_own_action_done_but_cannot_rename_it(
    partner_a, api_for, supplier_a
) -> None:
    contact = SupplierContactFactory(partner=partner_a)
    action = ActionItem.objects.create(
        partner=partner_a, title="Ship samples", owner_contact=contact
    )
    api = api_for(supplier_a)
    assert (
        api.patch(f"{API}/actions/{action.pk}/", {"status": "done"}, format="json").status_code
        == 200
    )
    assert (
        api.patch(f"{API}/actions/{action.pk}/", {"title": "x"}, format="json").status_code == 400
    )
    assert (
        api.post(
            f"{API}/actions/", {"partner": partner_a.pk, "title": "x"}, format="json"
        ).status_code
        == 403
    )


def test_escalation_ladder_raise_and_resolve(partner_a, api_for, alliance_manager) -> None:
    api = api_for(alliance_manager)
    response = api.post(
        f"{API}/escalations/ladder/",
        {
            "partner": partner_a.pk,
            "levels": [{"name": "Ops", "response_time_hours": 48, "notify": [alliance_manager.pk]}],
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["levels"][0]["notify"] == [alliance_manager.pk]
    response = api.post(
        f"{API}/escalations/", {"partner": partner_a.pk, "title": "Yield"}, format="json"
    )
    assert response.status_code == 201 and response.json()["level"] == 1
    pk = response.json()["id"]
    assert (
        api.post(f"{API}/escalations/{pk}/resolve/", {"resolution": ""}, format="json").status_code
        == 400
    )
    assert (
        api.post(
            f"{API}/escalations/{pk}/resolve/", {"resolution": "Fixed"}, format="json"
        ).status_code
        == 200
    )
    assert (
        api.post(
            f"{API}/escalations/{pk}/resolve/", {"resolution": "Again"}, format="json"
        ).status_code
        == 409
    )


def test_plans_innovation_lessons_and_feeds(
    partner_a, api_for, alliance_manager, supplier_a
) -> None:
    api = api_for(alliance_manager)
    plan = api.post(
        f"{API}/plans/", {"partner": partner_a.pk, "year": 2027, "title": "JBP 2027"}, format="json"
    )
    assert plan.status_code == 201
    pk = plan.json()["id"]
    assert (
        api.post(
            f"{API}/plans/{pk}/objectives/", {"title": "TCO", "target": "-8 %"}, format="json"
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"{API}/plans/{pk}/milestones/",
            {"title": "Pilot", "due_date": "2027-06-30"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"{API}/plans/",
            {"partner": partner_a.pk, "year": 2027, "title": "Again"},
            format="json",
        ).status_code
        == 400
    )
    challenge = api.post(
        f"{API}/challenges/",
        {"title": "CO2", "problem_statement": "Less CO2", "published_to": [partner_a.pk]},
        format="json",
    )
    assert challenge.status_code == 201
    proposal = api_for(supplier_a).post(
        f"{API}/proposals/",
        {
            "challenge": challenge.json()["id"],
            "title": "Fibre tray",
            "description": "Moulded fibre",
        },
        format="json",
    )
    assert proposal.status_code == 201, proposal.content
    decided = api.post(
        f"{API}/proposals/{proposal.json()['id']}/decide/", {"adopt": True}, format="json"
    )
    assert decided.json()["status"] == "adopted" and decided.json()["initiative"]
    assert (
        api.post(
            f"{API}/lessons/",
            {"partner": partner_a.pk, "title": "Exit", "body": "Plan early"},
            format="json",
        ).status_code
        == 201
    )
    assert [x["title"] for x in api.get(f"{API}/lessons/?q=early").json()["results"]] == ["Exit"]
    feed = api.post(f"{API}/calendar-feeds/", {"partner": partner_a.pk}, format="json").json()
    revoked = api.post(f"{API}/calendar-feeds/{feed['id']}/revoke/").json()
    assert revoked["url"] != feed["url"]


def test_generation_through_the_api_is_idempotent(partner_a, api_for, alliance_manager) -> None:
    api = api_for(alliance_manager)
    cadence = api.post(
        f"{API}/cadences/",
        {
            "partner": partner_a.pk,
            "kind": "quarterly_business_review",
            "frequency": "quarterly",
            "anchor_date": date.today().isoformat(),
            "start_time": "09:00",
        },
        format="json",
    )
    assert cadence.status_code == 201, cadence.content
    first = api.post(f"{API}/cadences/{cadence.json()['id']}/generate/").json()["created"]
    assert first == 4
    assert api.post(f"{API}/cadences/{cadence.json()['id']}/generate/").json()["created"] == 0
    standard_ladder(partner_a)
    MeetingFactory(partner=partner_a)


def test_an_executive_sponsor_signs_off_an_escalation_but_cannot_raise_one(
    partner_a, api_for, executive
) -> None:
    standard_ladder(partner_a)
    api = api_for(executive)
    assert (
        api.post(
            f"{API}/escalations/", {"partner": partner_a.pk, "title": "x"}, format="json"
        ).status_code
        == 403
    )
    from governance.services import escalations

    escalation = escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Yield")
    response = api.post(
        f"{API}/escalations/{escalation.pk}/resolve/", {"resolution": "Signed off"}, format="json"
    )
    assert response.status_code == 200 and response.json()["resolution"] == "Signed off"

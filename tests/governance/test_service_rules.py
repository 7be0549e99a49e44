"""What each governance service decides itself, whoever calls it: the actor's capability,
the fields an update may touch, and whose records a supplier or a user may change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse

from core.errors import FieldErrors, PermissionDeniedError
from core.models import AuditEvent, User
from core.roles import SYSTEM
from governance import tasks
from governance.models import Escalation
from governance.services import (
    actions,
    cadences,
    calendar,
    charters,
    escalations,
    innovation,
    lessons,
    meetings,
    plans,
)
from partners.models import Partner
from tests.governance.factories import ActionItemFactory, MeetingFactory, standard_ladder

pytestmark = pytest.mark.django_db

START = datetime(2027, 3, 2, 9, tzinfo=UTC)

WRITES: dict[str, Callable[[User, Partner], Any]] = {
    "charter": lambda actor, partner: charters.charter_create_version(
        actor=actor, partner=partner, effective_from=date(2027, 1, 1), scope="Cells"
    ),
    "cadence": lambda actor, partner: cadences.cadence_create(
        actor=actor,
        partner=partner,
        kind="steering_committee",
        frequency="quarterly",
        anchor_date=date(2027, 1, 1),
        start_time=time(9),
    ),
    "meeting": lambda actor, partner: meetings.meeting_create(
        actor=actor, partner=partner, title="QBR", start=START, end=START + timedelta(hours=1)
    ),
    "action": lambda actor, partner: actions.action_create(
        actor=actor, partner=partner, title="Send data"
    ),
    "escalation": lambda actor, partner: escalations.escalation_raise(
        actor=actor, partner=partner, title="Late"
    ),
    "plan": lambda actor, partner: plans.plan_create(
        actor=actor, partner=partner, year=2027, title="JBP"
    ),
    "initiative": lambda actor, partner: innovation.initiative_create(
        actor=actor, partner=partner, title="Dry coating"
    ),
    "challenge": lambda actor, partner: innovation.challenge_publish(
        actor=actor, title="CO2", problem_statement="Less", partners=[partner]
    ),
    "lesson": lambda actor, partner: lessons.lesson_record(
        actor=actor, partner=partner, title="Exit", body="Plan early"
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_readers_and_suppliers_are_refused_by_the_service_itself(
    partner_a, executive, supplier_a, alliance_manager, write
) -> None:
    standard_ladder(partner_a)
    for actor in (executive, supplier_a):
        with pytest.raises(PermissionDeniedError):
            WRITES[write](actor, partner_a)
    assert WRITES[write](alliance_manager, partner_a) is not None


def test_an_executive_sponsor_may_resolve_but_a_supplier_may_not(
    partner_a, executive, supplier_a
) -> None:
    standard_ladder(partner_a)
    escalation = escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Late")
    with pytest.raises(PermissionDeniedError):
        escalations.escalation_resolve(actor=supplier_a, escalation=escalation, resolution="x")
    resolved = escalations.escalation_resolve(
        actor=executive, escalation=escalation, resolution="Signed off"
    )
    assert resolved.resolution == "Signed off"


def test_updates_refuse_fields_they_do_not_know(partner_a, alliance_manager) -> None:
    meeting = MeetingFactory(partner=partner_a)
    with pytest.raises(FieldErrors) as error:
        meetings.meeting_update(
            actor=alliance_manager,
            meeting=meeting,
            changes={"status": "held"},
        )
    assert "status" in error.value.errors
    action = ActionItemFactory(partner=partner_a)
    with pytest.raises(FieldErrors):
        actions.action_update(
            actor=alliance_manager,
            action=action,
            changes={"partner": partner_a},
        )
    initiative = innovation.initiative_create(actor=SYSTEM, partner=partner_a, title="Pilot")
    with pytest.raises(FieldErrors):
        innovation.initiative_update(
            actor=alliance_manager,
            initiative=initiative,
            changes={"partner": partner_a},
        )
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_a_supplier_submits_only_for_its_own_company(
    partner_a, partner_b, supplier_a, supplier_b
) -> None:
    challenge = innovation.challenge_publish(
        actor=SYSTEM, title="CO2", problem_statement="Less", partners=[partner_a, partner_b]
    )
    with pytest.raises(PermissionDeniedError):
        innovation.proposal_submit(
            actor=supplier_b, challenge=challenge, partner=partner_a, title="x", description="y"
        )
    proposal = innovation.proposal_submit(
        actor=supplier_b, challenge=challenge, partner=partner_b, title="x", description="y"
    )
    assert proposal.partner == partner_b


def test_only_the_owner_renews_a_calendar_url(procurement_manager, alliance_manager) -> None:
    feed = calendar.calendar_feed_for(actor=procurement_manager)
    with pytest.raises(PermissionDeniedError):
        calendar.calendar_feed_revoke(actor=alliance_manager, feed=feed)
    assert calendar.calendar_feed_revoke(actor=procurement_manager, feed=feed).token != feed.token


def test_the_escalation_job_acts_as_a_named_system_actor(partner_a) -> None:
    standard_ladder(partner_a, 1, 24)
    escalation = escalations.escalation_raise(
        actor=SYSTEM,
        partner=partner_a,
        title="Line stop",
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    assert tasks.escalations_advance() == 1
    assert Escalation.objects.get(pk=escalation.pk).level == 2
    event = AuditEvent.objects.get(action="escalation.move_up")
    assert (event.actor, event.actor_label) == (None, "escalations")


# --------------------------------------------------------------------------- pages


def test_an_objective_with_an_error_comes_back_with_what_was_typed(
    partner_a, client_for, alliance_manager
) -> None:
    plan = plans.plan_create(actor=SYSTEM, partner=partner_a, year=2027, title="JBP")
    response = client_for(alliance_manager).post(
        reverse("governance:objective-add", args=[plan.pk]),
        {"title": "Cell cost", "target": " ", "progress_percent": 40},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Cell cost"' in html and 'value="40"' in html
    assert not plan.objectives.exists()


@pytest.mark.parametrize(
    ("who", "page"), [("manager", "governance:lessons"), ("supplier", "governance:portal-actions")]
)
def test_pages_with_htmx_partials_vary_on_the_htmx_header(
    client_for, alliance_manager, supplier_a, who, page
) -> None:
    user = alliance_manager if who == "manager" else supplier_a
    response = client_for(user).get(reverse(page))
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]


def test_a_write_url_answers_only_posts(partner_a, client_for, alliance_manager) -> None:
    url = reverse("governance:charter-create", args=[partner_a.pk])
    assert client_for(alliance_manager).get(url).status_code == 405


def test_api_related_fields_offer_only_what_the_user_may_choose(
    partner_a, api_for, alliance_manager, supplier_a, supplier_b
) -> None:
    api = api_for(alliance_manager)
    ladder = api.post(
        "/api/v1/governance/escalations/ladder/",
        {
            "partner": partner_a.pk,
            "levels": [{"name": "Ops", "response_time_hours": 4, "notify": [supplier_a.pk]}],
        },
        format="json",
    )
    assert ladder.status_code == 400 and "levels" in ladder.json()
    meeting = {
        "partner": partner_a.pk,
        "title": "QBR",
        "start": "2027-03-02T09:00:00Z",
        "end": "2027-03-02T10:00:00Z",
    }
    other = api.post(
        "/api/v1/governance/meetings/", {**meeting, "attendees": [supplier_b.pk]}, format="json"
    )
    assert other.status_code == 400 and "attendees" in other.json()
    own = api.post(
        "/api/v1/governance/meetings/", {**meeting, "attendees": [supplier_a.pk]}, format="json"
    )
    assert own.status_code == 201 and own.json()["attendees"] == [supplier_a.pk]

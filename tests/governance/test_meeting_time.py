"""Meeting states follow time: no minutes before a meeting starts, a past meeting never held
reads "Missed", and "held" can be undone (audited), bringing Move and Cancel back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ConflictError, FieldErrors
from core.models import AuditEvent
from core.roles import SYSTEM
from governance.cadence import MeetingStatus
from governance.meeting_state import MeetingState, meeting_state
from governance.models import Meeting
from governance.services import meetings
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _future(partner) -> Meeting:
    start = timezone.now() + timedelta(days=14)
    return MeetingFactory(partner=partner, title="QBR ahead", start=start)


def _past(partner, **extra) -> Meeting:
    start = timezone.now() - timedelta(days=7)
    return MeetingFactory(partner=partner, title="QBR behind", start=start, **extra)


def test_the_state_follows_the_clock() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    end = start + timedelta(hours=1)
    before, during, after = start - timedelta(minutes=1), start, end
    assert meeting_state("scheduled", start, end, before) == MeetingState.SCHEDULED
    assert meeting_state("scheduled", start, end, during) == MeetingState.IN_PROGRESS
    assert meeting_state("scheduled", start, end, after) == MeetingState.MISSED
    assert meeting_state("held", start, end, after) == MeetingState.HELD
    assert meeting_state("cancelled", start, end, before) == MeetingState.CANCELLED
    assert MeetingState.MISSED.label == "Missed"


def test_minutes_on_a_future_meeting_are_refused_with_a_field_error(partner_a) -> None:
    meeting = _future(partner_a)
    with pytest.raises(FieldErrors) as refused:
        meetings.meeting_record(actor=SYSTEM, meeting=meeting, minutes="All agreed")
    assert list(refused.value.errors) == ["minutes"]
    assert "record minutes once it has started" in refused.value.errors["minutes"][0]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == (MeetingStatus.SCHEDULED, "")
    with pytest.raises(FieldErrors):
        meetings.meeting_update(actor=SYSTEM, meeting=meeting, changes={"minutes": "Early"})


def test_the_page_of_a_future_meeting_offers_no_minutes_and_the_post_is_refused(
    partner_a, client_for, alliance_manager
) -> None:
    meeting = _future(partner_a)
    client = client_for(alliance_manager)
    html = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Record minutes and decisions" not in html
    assert "Minutes can be recorded once the meeting has started" in html
    assert "Move" in html and "Cancel the meeting" in html
    response = client.post(
        reverse("governance:meeting-minutes", args=[meeting.pk]), {"minutes": "Agreed"}
    )
    assert response.status_code == 200
    assert "record minutes once it has started" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_api_refuses_minutes_on_a_future_meeting(partner_a, api_for, alliance_manager) -> None:
    meeting = _future(partner_a)
    response = api_for(alliance_manager).post(
        f"/api/v1/governance/meetings/{meeting.pk}/minutes/", {"minutes": "Agreed"}, format="json"
    )
    assert response.status_code == 400
    assert "minutes" in response.json()


def test_a_past_meeting_never_held_reads_missed(partner_a, client_for, alliance_manager) -> None:
    meeting = _past(partner_a)
    client = client_for(alliance_manager)
    detail = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Missed" in detail
    listing = client.get(reverse("governance:meetings", args=[partner_a.pk])).content.decode()
    assert "Missed" in listing
    assert "Record minutes and decisions" in detail  # it started: minutes are possible


def test_held_can_be_undone_audited_and_move_and_cancel_come_back(
    partner_a, client_for, alliance_manager
) -> None:
    meeting = _past(partner_a)
    meetings.meeting_record(actor=SYSTEM, meeting=meeting, minutes="Done")
    client = client_for(alliance_manager)
    url = reverse("governance:meeting", args=[meeting.pk])
    html = client.get(url).content.decode()
    assert "Cancel the meeting" not in html
    assert "It was not held" in html

    refused = client.post(reverse("governance:meeting-unhold", args=[meeting.pk]), {"reason": ""})
    assert refused.status_code == 200
    response = client.post(
        reverse("governance:meeting-unhold", args=[meeting.pk]),
        {"reason": "Marked by mistake: the supplier cancelled at short notice"},
        follow=True,
    )
    assert "The meeting no longer counts as held." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.state == MeetingState.MISSED
    html = client.get(url).content.decode()
    assert "Cancel the meeting" in html and "Missed" in html
    event = AuditEvent.objects.get(action="meeting.unhold", object_id=str(meeting.pk))
    assert event.actor == alliance_manager
    assert event.changes["status"] == ["held", "scheduled"]
    with pytest.raises(ConflictError):
        meetings.meeting_unhold(actor=SYSTEM, meeting=meeting, reason="again")


def test_the_api_undoes_held(partner_a, api_for, alliance_manager) -> None:
    meeting = _past(partner_a)
    meetings.meeting_record(actor=SYSTEM, meeting=meeting, minutes="Done")
    api = api_for(alliance_manager)
    response = api.post(
        f"/api/v1/governance/meetings/{meeting.pk}/not-held/", {"reason": "Mistake"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"

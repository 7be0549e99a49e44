"""An action item is created from the meeting it came from, and each links to the other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import ActionItem
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_an_action_is_added_from_the_meeting_page_and_linked_both_ways(
    partner_a, client_for, alliance_manager
) -> None:
    meeting = MeetingFactory(partner=partner_a, title="QBR Q3")
    client = client_for(alliance_manager)
    page = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Add an action from this meeting" in page
    response = client.post(
        reverse("governance:meeting-action-create", args=[meeting.pk]),
        {
            "title": "Send the yield report",
            "owner_user": alliance_manager.pk,
            "priority": "medium",
            "visibility": "shared",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Action “Send the yield report” added to this meeting." in html
    action = ActionItem.objects.get(title="Send the yield report")
    assert action.meeting == meeting and action.partner == partner_a
    assert "Send the yield report" in html  # the meeting lists it
    actions_page = client.get(reverse("governance:actions", args=[partner_a.pk])).content.decode()
    assert f'from <a href="{reverse("governance:meeting", args=[meeting.pk])}">QBR Q3</a>' in (
        actions_page
    )


def test_a_bad_action_re_renders_the_meeting_page_with_the_error(
    partner_a, client_for, alliance_manager
) -> None:
    meeting = MeetingFactory(partner=partner_a)
    response = client_for(alliance_manager).post(
        reverse("governance:meeting-action-create", args=[meeting.pk]),
        {"title": "", "priority": "medium", "visibility": "shared"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ActionItem.objects.exists()

"""Editing a meeting's attendees and supplier contacts on the meeting page (HTMX)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.models import AuditEvent
from governance.models import Meeting
from tests.factories import SupplierContactFactory
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(partner_a) -> Meeting:
    return MeetingFactory(partner=partner_a, title="QBR Q1")


def test_attendees_are_edited_in_place_with_htmx(
    meeting, partner_a, client_for, alliance_manager, executive, supplier_a
) -> None:
    contact = SupplierContactFactory(partner=partner_a, name="Lena Berg")
    url = reverse("governance:meeting-attendees", args=[meeting.pk])
    response = client_for(alliance_manager).post(
        url,
        {
            "attendees": [executive.pk, supplier_a.pk],
            "contacts": [contact.pk],
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="attendees">')
    assert "Attendees saved." in html and "Lena Berg" in html and str(executive) in html
    assert set(meeting.attendees.all()) == {executive, supplier_a}
    assert list(meeting.contacts.all()) == [contact]
    event = AuditEvent.objects.filter(action="meeting.update").get()
    assert "attendees" in event.changes and "contacts" in event.changes


def test_without_htmx_the_form_redirects_back_to_the_meeting(
    meeting, client_for, alliance_manager, executive
) -> None:
    url = reverse("governance:meeting-attendees", args=[meeting.pk])
    response = client_for(alliance_manager).post(url, {"attendees": [executive.pk]})
    assert response.status_code == 302
    assert list(meeting.attendees.all()) == [executive]
    # Removing everyone is allowed too.
    client_for(alliance_manager).post(url, {})
    assert not meeting.attendees.exists()


def test_attendees_are_not_in_the_calendar_event_so_the_sequence_stays(
    meeting, client_for, alliance_manager, executive
) -> None:
    url = reverse("governance:meeting-attendees", args=[meeting.pk])
    client_for(alliance_manager).post(url, {"attendees": [executive.pk]})
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    ics = client_for(alliance_manager).get(reverse("governance:meeting-ics", args=[meeting.pk]))
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert "ATTENDEE" not in event
    assert int(event["SEQUENCE"]) == 0


def test_another_partners_contact_or_supplier_user_cannot_be_added(
    meeting, partner_b, client_for, alliance_manager, supplier_b
) -> None:
    foreign = SupplierContactFactory(partner=partner_b)
    url = reverse("governance:meeting-attendees", args=[meeting.pk])
    for data in ({"contacts": [foreign.pk]}, {"attendees": [supplier_b.pk]}):
        response = client_for(alliance_manager).post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not meeting.attendees.exists() and not meeting.contacts.exists()


def test_a_reader_sees_no_attendee_form_and_cannot_post_it(
    meeting, client_for, executive, supplier_a
) -> None:
    url = reverse("governance:meeting", args=[meeting.pk])
    assert "Edit attendees" not in client_for(executive).get(url).content.decode()
    post_url = reverse("governance:meeting-attendees", args=[meeting.pk])
    response = client_for(executive).post(post_url, {"attendees": [executive.pk]})
    assert response.status_code == 403
    response = client_for(supplier_a).post(post_url, {})
    assert response.status_code in (403, 404)
    assert not meeting.attendees.exists()

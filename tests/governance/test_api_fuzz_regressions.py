"""Regressions found by fuzzing the governance API with schemathesis: 4xx, never 500."""

from __future__ import annotations

import pytest

from governance.cadence import is_valid_tz_name
from governance.models import Meeting
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/governance/meetings/"


@pytest.mark.parametrize("name", ["Europe", "0", "a" * 300, "../etc/passwd", ""])
def test_directory_and_overlong_zone_names_are_simply_unknown(name) -> None:
    assert is_valid_tz_name(name) is False


@pytest.mark.parametrize("tz_name", ["0", "Europe", "Mars/Olympus"])
def test_a_meeting_with_an_unknown_zone_is_a_400_and_its_ics_never_breaks(
    partner_a, api_for, alliance_manager, tz_name
) -> None:
    api = api_for(alliance_manager)
    response = api.post(
        MEETINGS,
        {
            "partner": partner_a.pk,
            "title": "QBR",
            "start": "2027-01-14T09:00:00+01:00",
            "end": "2027-01-14T10:00:00+01:00",
            "tz_name": tz_name,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "tz_name" in response.json()
    meeting = MeetingFactory(partner=partner_a)
    response = api.patch(f"{MEETINGS}{meeting.pk}/", {"tz_name": tz_name}, format="json")
    assert response.status_code == 400
    assert "tz_name" in response.json()
    assert Meeting.objects.get(pk=meeting.pk).tz_name == "Europe/Berlin"
    assert api.get(f"{MEETINGS}{meeting.pk}/ics/").status_code == 200


def test_meetings_saved_with_an_unknown_zone_before_validation_are_repaired(partner_a) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("governance.migrations.0004_repair_unknown_time_zones")
    good = MeetingFactory(partner=partner_a, tz_name="America/New_York")
    bad = MeetingFactory(partner=partner_a)
    Meeting.objects.filter(pk=bad.pk).update(tz_name="0")
    migration.repair_unknown_time_zones(apps, None)
    assert Meeting.objects.get(pk=bad.pk).tz_name == "Europe/Berlin"
    assert Meeting.objects.get(pk=bad.pk).start == bad.start
    assert Meeting.objects.get(pk=good.pk).tz_name == "America/New_York"

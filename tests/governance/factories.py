"""factory_boy factories and builders for governance records."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import factory

from core.cadences import CadenceKind, Frequency
from core.roles import SYSTEM
from governance.models import ActionItem, Cadence, Meeting, Visibility
from governance.services.escalations import escalation_ladder_set
from partners.models import Partner
from tests.factories import PartnerFactory


class CadenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadence

    partner = factory.SubFactory(PartnerFactory)
    kind = CadenceKind.MONTHLY_OPERATIONAL
    name = "Monthly operational call"
    frequency = Frequency.MONTHLY
    anchor_date = date(2026, 1, 15)
    start_time = time(9, 0)
    duration_minutes = 60
    tz_name = "Europe/Berlin"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    start = factory.Sequence(lambda n: datetime(2026, 12, 1, 8, 0, tzinfo=UTC) + timedelta(days=n))
    end = factory.LazyAttribute(lambda m: m.start + timedelta(hours=1))
    tz_name = "Europe/Berlin"
    visibility = Visibility.SHARED


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = date(2026, 12, 15)
    visibility = Visibility.SHARED


def standard_ladder(partner: Partner, *hours: int) -> None:
    """A ladder with one level per response time (default 48/120/240 hours)."""
    names = ["Operational leads", "Steering committee", "Executive sponsors"]
    escalation_ladder_set(
        actor=SYSTEM,
        partner=partner,
        levels=[
            {"name": names[i] if i < 3 else f"Level {i + 1}", "response_time_hours": h}
            for i, h in enumerate(hours or (48, 120, 240))
        ],
    )

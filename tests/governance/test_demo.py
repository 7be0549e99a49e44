"""The demo portfolio's governance tells a believable story and seeds idempotently."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import User
from core.roles import SYSTEM
from governance import selectors
from governance.models import ActionItem, Escalation, Meeting
from governance.services import escalations
from partners.models import Partner
from srm.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_governance() -> None:
    seed_demo()
    meetings = Meeting.objects.count()
    seed_demo()
    assert Meeting.objects.count() == meetings
    voltaris = Partner.objects.get(short_name="Voltaris")
    charter = voltaris.charters.order_by("-version").first()
    assert charter is not None and charter.version == 2 and "60:40" in charter.data_sharing_rules
    sinter = Partner.objects.get(short_name="Sinter Magnetics")
    (qbr,) = selectors.partner_panel(User.objects.get(username="priya"), sinter)["compliance"]
    assert qbr.compliance.at_risk and qbr.compliance.missed == 1
    escalation = Escalation.objects.get(partner=sinter)
    assert escalation.level == 2
    # Past its response time: the next run of the job moves it to the sponsors.
    escalations.escalations_advance(actor=SYSTEM, now=timezone.now())
    escalation.refresh_from_db()
    assert escalation.level == 3
    lena = User.objects.get(username="lena")
    titles = set(selectors.meetings_visible_to(lena).values_list("title", flat=True))
    prep = f"Internal prep: {timezone.localdate().year + 1} volume negotiation"
    assert Meeting.objects.filter(title=prep).exists() and prep not in titles
    assert {"Quarterly business review (QBR)"} <= titles
    assert set(selectors.meetings_visible_to(lena).values_list("partner", flat=True)) == {
        voltaris.pk
    }


def test_demo_actions_are_due_relative_to_the_day_the_demo_is_loaded() -> None:
    """Written against 25 Nov 2026, the actions keep their distance to the day of loading:
    some are a little overdue, some due soon, none is years overdue; a second load on
    the same day adds none."""
    seed_demo()
    today = timezone.localdate()
    open_actions = ActionItem.objects.exclude(status__in=["done", "cancelled"])
    dues = list(open_actions.values_list("due_date", flat=True))
    assert dues and all(today - timedelta(days=30) <= d <= today + timedelta(days=30) for d in dues)
    assert any(d >= today for d in dues) and any(d < today for d in dues)
    count = ActionItem.objects.count()
    seed_demo()
    assert ActionItem.objects.count() == count

"""The demo portfolio's governance tells a believable story and seeds idempotently."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.models import User
from core.roles import SYSTEM
from governance import selectors
from governance.models import Escalation, Meeting
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
    escalations.escalations_advance(actor=SYSTEM, now=datetime(2026, 11, 25, 9, tzinfo=UTC))
    escalation.refresh_from_db()
    assert escalation.level == 3
    lena = User.objects.get(username="lena")
    titles = set(selectors.meetings_visible_to(lena).values_list("title", flat=True))
    assert "Internal prep: 2027 volume negotiation" not in titles
    assert {"Quarterly business review (QBR)"} <= titles
    assert set(selectors.meetings_visible_to(lena).values_list("partner", flat=True)) == {
        voltaris.pk
    }

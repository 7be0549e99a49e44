"""The executive dashboard names the partnerships at risk and why, in constant queries.

The verdicts are stored (governance.models.PartnerRiskSignals): the writes that change an input
defer a refresh of their partner through the outbox, which the worker's sweep runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.cadences import CadenceKind, Frequency
from core.roles import SYSTEM
from governance.models import Escalation, Meeting, PartnerRiskSignals
from governance.services import escalations as governance_escalations
from governance.services import meetings as governance_meetings
from governance.services.risk_signals import risk_signals_refresh
from scorecards.services.periods import period_close
from tests.factories import PartnerFactory
from tests.governance.factories import CadenceFactory, MeetingFactory, standard_ladder
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db


def _troubled_partner(n: int):
    """A partner with a needs-improvement score, a missed QBR and an escalation at level 2."""
    partner = PartnerFactory(short_name=f"Troubled {n}", legal_name=f"Troubled {n} Ltd")
    scorecard = scorecard_for(partner)
    period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    qbr = CadenceFactory(
        partner=partner,
        kind=CadenceKind.QUARTERLY_BUSINESS_REVIEW,
        name="Quarterly business review (QBR)",
        frequency=Frequency.QUARTERLY,
    )
    # A QBR two months ago that was never marked held.
    MeetingFactory(partner=partner, cadence=qbr, start=timezone.now() - timedelta(days=60))
    standard_ladder(partner, 1, 120, 240)
    governance_escalations.escalation_raise(
        actor=SYSTEM, partner=partner, title="Late deliveries", now=datetime(2026, 1, 1, tzinfo=UTC)
    )
    governance_escalations.escalations_advance(actor=SYSTEM, now=datetime(2026, 1, 2, tzinfo=UTC))
    return partner


def test_at_risk_partners_are_listed_with_their_reasons(
    client_for, executive, django_assert_max_num_queries
) -> None:
    PartnerFactory(short_name="Healthy", legal_name="Healthy GmbH")
    for n in range(2):
        _troubled_partner(n)
    outbox.sweep()  # what the worker does after the commits
    client = client_for(executive)
    # 18 before issue 11; +3 for its figures (value and payback, open plans, survey gaps) and
    # +3 for the same signals as at-risk reasons.
    with django_assert_max_num_queries(24) as few:
        html = client.get(reverse("executive-dashboard")).content.decode()
    section = html.split('id="at-risk"', 1)[1].split("</section>", 1)[0]
    assert "Troubled 0" in section and "Troubled 1" in section
    assert "Healthy" not in section
    row = section.split("Troubled 0", 1)[1].split("</tr>", 1)[0]
    assert "69.5" in row and "Needs improvement" in row
    assert "score needs improvement" in row
    assert "missed Quarterly business review (QBR)" in row
    assert "1 escalation past level 1" in row

    for n in range(2, 8):
        _troubled_partner(n)
    outbox.sweep()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("executive-dashboard")).content.decode()
    assert "Troubled 7" in html


def test_a_change_to_an_input_shows_on_the_dashboard_after_the_refresh(
    client_for, executive
) -> None:
    """Holding the missed QBR and resolving the escalation take those reasons off the list
    once the deferred refresh ran; a partner left with no reason leaves the list."""
    partner = _troubled_partner(0)
    outbox.sweep()
    signals = PartnerRiskSignals.objects.get(partner=partner)
    assert signals.at_risk and "1 escalation past level 1" in signals.reasons
    meeting = Meeting.objects.get(partner=partner)
    governance_meetings.meeting_record(actor=SYSTEM, meeting=meeting, minutes="Held after all")
    governance_escalations.escalation_resolve(
        actor=SYSTEM, escalation=Escalation.objects.get(partner=partner), resolution="Fixed"
    )
    # Not yet refreshed: the verdict is the stored one until the job runs.
    assert PartnerRiskSignals.objects.get(partner=partner).reasons == signals.reasons
    outbox.sweep()
    reasons = PartnerRiskSignals.objects.get(partner=partner).reasons
    assert reasons == ["score needs improvement"]
    html = client_for(executive).get(reverse("executive-dashboard")).content.decode()
    row = html.split('id="at-risk"', 1)[1].split("Troubled 0", 1)[1].split("</tr>", 1)[0]
    assert "missed" not in row and "escalation" not in row


def test_the_at_risk_table_is_paged(client_for, executive, django_assert_max_num_queries) -> None:
    """A large portfolio shows 25 partnerships per page with the total, in the same queries."""
    partners = [PartnerFactory(short_name=f"Flagged {n:02}") for n in range(30)]
    for partner in partners:
        partner.risk_flags = [{"code": "x", "severity": "high", "message": "single source"}]
        partner.save(update_fields=["risk_flags"])
    risk_signals_refresh(actor=SYSTEM)
    client = client_for(executive)
    with django_assert_max_num_queries(18):
        html = client.get(reverse("executive-dashboard")).content.decode()
    section = html.split('id="at-risk"', 1)[1].split("</section>", 1)[0]
    assert "Flagged 24" in section and "Flagged 25" not in section
    assert "30 partnerships at risk" in section
    second = client.get(reverse("executive-dashboard") + "?at_risk_page=2").content.decode()
    assert "Flagged 29" in second.split('id="at-risk"', 1)[1].split("</section>", 1)[0]

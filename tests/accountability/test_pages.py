"""Where issue 11 shows: the partner page's value, ledger and survey panels and their forms,
the survey pages both sides answer on, the portal's side of the ledger, the scheduled rounds."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Notification
from core.roles import SYSTEM
from partners.models import EngagementPlaybook
from scorecards.models import HealthSurvey, SurveyResponse, ValueEntry
from scorecards.services import ledger, surveys, value
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "trust": "4",
    "communication": "4",
    "joint_problem_solving": "4",
    "responsiveness": "4",
    "fairness": "4",
}


def _furnish(partner, manager) -> HealthSurvey:
    today = timezone.localdate()
    value.value_entry_add(
        actor=SYSTEM,
        partner=partner,
        kind="investment",
        category="workshops",
        amount=Decimal("1000.00"),
        occurred_on=today,
    )
    agreement = AgreementFactory(
        partner=partner,
        title="Cell supply contract",
        cost_overrun_share_buyer=Decimal("62.5"),
        cost_overrun_share_supplier=Decimal("37.5"),
    )
    ledger.risk_reward_event_record(
        actor=SYSTEM,
        agreement=agreement,
        kind="cost_overrun",
        amount=Decimal("100.01"),
        occurred_on=today,
        description="Tooling rework",
    )
    survey = surveys.health_survey_open(
        actor=SYSTEM, partner=partner, opens_on=today, closes_on=today + timedelta(days=14)
    )
    surveys.survey_answer(
        actor=manager,
        survey=survey,
        answers={k: 5 for k in ANSWERS},
        comment="Internal: they over-promise",
    )
    return survey


def test_partner_page_shows_value_ledger_and_surveys(
    client_for, procurement_manager, partner_a
) -> None:
    _furnish(partner_a, procurement_manager)
    client = client_for(procurement_manager)
    # Value and ledger on the Value tab, the surveys beside the scorecards.
    body = "".join(
        client.get(f"/partners/{partner_a.pk}/", {"tab": tab}).content.decode()
        for tab in ("value", "scorecards")
    )
    assert 'id="value-panel"' in body and 'data-testid="value-invested">1,000.00' in body
    assert "data-value-chart" in body
    assert "Cell supply contract" in body
    assert "buyer 62.51, supplier 37.50" in body  # 62.5 % of 100.01 = 62.50625 -> 62.51
    assert "Relationship health" in body and "100.0" in body


def test_value_form_records_and_refuses_negative_amounts(
    client_for, procurement_manager, partner_a
) -> None:
    client = client_for(procurement_manager)
    url = f"/partners/{partner_a.pk}/value/new/"
    data = {"kind": "value", "category": "cost_savings", "occurred_on": "2026-01-05"}
    assert client.post(url, {**data, "amount": "250.00"}).status_code == 302
    assert ValueEntry.objects.get(partner=partner_a).amount == Decimal("250.00")
    refused = client.post(url, {**data, "amount": "-1"})
    assert refused.status_code == 200
    assert "greater than zero" in refused.content.decode()
    wrong = client.post(url, {**data, "kind": "investment", "amount": "5"})
    assert "An investment is one of" in wrong.content.decode()


def test_ledger_form_refuses_an_agreement_without_the_ratio(
    client_for, procurement_manager, partner_a
) -> None:
    agreement = AgreementFactory(partner=partner_a, title="Plain NDA")
    response = client_for(procurement_manager).post(
        f"/scorecards/partners/{partner_a.pk}/ledger/new/",
        {
            "agreement": agreement.pk,
            "kind": "joint_saving",
            "amount": "10",
            "occurred_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert "no pre-negotiated gain share ratio" in response.content.decode()


def test_both_sides_answer_on_their_pages(
    client_for, procurement_manager, supplier_a, supplier_b, partner_a
) -> None:
    survey = _furnish(partner_a, procurement_manager)
    supplier = client_for(supplier_a)
    home = supplier.get("/portal/").content.decode()
    assert f"/scorecards/portal/surveys/{survey.pk}/" in home  # a survey to answer
    portal = supplier.get("/scorecards/portal/surveys/").content.decode()
    assert "answer now" in portal
    # Its side of the ledger: 100.01 - 62.51 = 37.50; never the buyer's share.
    assert "your share 37.50" in portal and "62.51" not in portal
    page = supplier.get(f"/scorecards/portal/surveys/{survey.pk}/").content.decode()
    assert "Rate the buyer" in page and "over-promise" not in page
    assert supplier.post(f"/scorecards/portal/surveys/{survey.pk}/", ANSWERS).status_code == 302
    assert SurveyResponse.objects.get(respondent=supplier_a).side == "supplier"
    assert (
        f"/scorecards/portal/surveys/{survey.pk}/" not in supplier.get("/portal/").content.decode()
    )
    internal = client_for(procurement_manager).get(f"/scorecards/surveys/{survey.pk}/")
    text = internal.content.decode()
    assert 'data-testid="buyer-score">100.0' in text
    assert 'data-testid="supplier-score">75.0' in text
    assert "gap alert" in text  # 25.0 > 15.0
    assert supplier.get(f"/scorecards/surveys/{survey.pk}/").status_code == 403
    other = client_for(supplier_b)
    assert other.get(f"/scorecards/portal/surveys/{survey.pk}/").status_code == 404
    assert "Cell supply contract" not in other.get("/scorecards/portal/surveys/").content.decode()


def test_the_scheduled_job_opens_rounds_on_the_playbooks_frequency(
    procurement_manager, partner_a, partner_b, supplier_a
) -> None:
    partner_a.owner = procurement_manager
    partner_a.save()
    EngagementPlaybook.objects.update_or_create(
        engagement_model=partner_a.engagement_model, defaults={"survey_frequency_months": 6}
    )
    today = date(2026, 6, 1)
    HealthSurvey.objects.create(
        partner=partner_b, opens_on=date(2026, 3, 1), closes_on=date(2026, 3, 15)
    )
    opened = surveys.health_surveys_schedule(actor=SYSTEM, today=today)
    assert [s.partner for s in opened] == [partner_a]  # partner_b's last round is 3 months old
    assert Notification.objects.filter(recipient=procurement_manager).count() == 1
    assert Notification.objects.filter(recipient=supplier_a, shared=True).count() == 1
    assert surveys.health_surveys_schedule(actor=SYSTEM, today=today) == []
    later = surveys.health_surveys_schedule(actor=SYSTEM, today=date(2026, 9, 2))
    assert [s.partner for s in later] == [partner_b]  # six months after 1 March
    reminded = surveys.health_survey_remind(actor=SYSTEM, today=today + timedelta(days=11))
    assert reminded == 2
    assert surveys.health_survey_remind(actor=SYSTEM, today=today + timedelta(days=11)) == 0


def test_the_portal_surveys_page_keeps_a_constant_query_count(
    client_for, procurement_manager, supplier_a, partner_a, django_assert_max_num_queries
) -> None:
    """The supplier's rounds and ledger side cost the same queries at 1 round and 5."""
    _furnish(partner_a, procurement_manager)
    supplier = client_for(supplier_a)
    with django_assert_max_num_queries(50) as few:
        assert supplier.get("/scorecards/portal/surveys/").status_code == 200
    today = timezone.localdate()
    for n in range(1, 5):  # earlier rounds, one a quarter
        surveys.health_survey_open(
            actor=SYSTEM,
            partner=partner_a,
            opens_on=today - timedelta(days=100 * n),
            closes_on=today - timedelta(days=100 * n - 14),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = supplier.get("/scorecards/portal/surveys/").content.decode()
    assert page.count("closed") == 4 and "answer now" in page

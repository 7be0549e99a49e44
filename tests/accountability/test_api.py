"""The API contract of issue 11: value entries and the value summary, the risk-reward ledger,
health surveys; bad input answers a clear 4xx; a supplier sees only its own side."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEvent
from governance.models import InitiativeStage, InnovationInitiative
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db

SURVEY = "/api/v1/health-surveys/"


def _answers(trust: int, communication: int, solving: int, responsiveness: int, fairness: int):
    return {
        "trust": trust,
        "communication": communication,
        "joint_problem_solving": solving,
        "responsiveness": responsiveness,
        "fairness": fairness,
    }


# --------------------------------------------------------------------------- value


def test_value_entries_and_summary(api_for, procurement_manager, partner_a) -> None:
    api = api_for(procurement_manager)
    this_month = timezone.localdate().replace(day=1)
    two_months_ago = (this_month - timedelta(days=40)).replace(day=1)
    created = api.post(
        "/api/v1/value-entries/",
        {
            "partner": partner_a.pk,
            "kind": "investment",
            "category": "workshops",
            "amount": "1000.00",
            "occurred_on": two_months_ago.isoformat(),
            "description": "Design-to-cost workshop",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "1000.00"
    assert AuditEvent.objects.filter(action="value_entry.add").count() == 1
    api.post(
        "/api/v1/value-entries/",
        {
            "partner": partner_a.pk,
            "kind": "value",
            "category": "cost_savings",
            "amount": "300.50",
            "occurred_on": this_month.isoformat(),
        },
        format="json",
    )
    # A commercialized initiative's realized value flows in.
    InnovationInitiative.objects.create(
        partner=partner_a,
        title="Dry electrode",
        stage=InitiativeStage.COMMERCIALIZED,
        realized_value=Decimal("200.00"),
    )
    body = api.get(f"/api/v1/partners/{partner_a.pk}/value/").json()
    assert body["invested"] == "1000.00"
    assert body["value"] == "500.50"
    assert body["net"] == "-499.50"
    assert body["roi_percent"] == "-50.0"  # (500.50 - 1000) / 1000 x 100 = -49.95 -> -50.0
    assert body["payback_month"] is None
    assert body["not_paid_back_flag"] is False
    months = body["months"]
    assert len(months) == 3  # the empty month in between included
    assert months[1]["invested"] == "0.00" and months[1]["value"] == "0.00"
    assert months[1]["cumulative_invested"] == "1000.00"
    assert months[2]["cumulative_net"] == "-499.50"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"kind": "gift"}, "kind"),
        ({"category": "cost_savings"}, "category"),  # a value category on an investment
        ({"occurred_on": "2025-02-30"}, "occurred_on"),
    ],
)
def test_bad_value_entries_are_400(api_for, procurement_manager, partner_a, change, field) -> None:
    data = {
        "partner": partner_a.pk,
        "kind": "investment",
        "category": "travel",
        "amount": "10.00",
        "occurred_on": "2025-02-01",
        **change,
    }
    response = api_for(procurement_manager).post("/api/v1/value-entries/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_value_is_internal(api_for, supplier_a, partner_a) -> None:
    api = api_for(supplier_a)
    assert api.get(f"/api/v1/partners/{partner_a.pk}/value/").status_code == 403
    assert api.get("/api/v1/value-entries/").status_code == 403
    response = api.post(
        "/api/v1/value-entries/",
        {
            "partner": partner_a.pk,
            "kind": "value",
            "category": "other",
            "amount": "1",
            "occurred_on": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 403


# --------------------------------------------------------------------------- ledger


def _event(api, agreement, kind: str, amount: str):
    return api.post(
        "/api/v1/risk-reward-events/",
        {
            "agreement": agreement.pk,
            "kind": kind,
            "amount": amount,
            "occurred_on": "2026-05-04",
            "description": "Tooling change",
        },
        format="json",
    )


def test_events_split_by_the_agreements_ratios(api_for, procurement_manager, partner_a) -> None:
    agreement = AgreementFactory(
        partner=partner_a,
        cost_overrun_share_buyer=Decimal("60"),
        cost_overrun_share_supplier=Decimal("40"),
        gain_share_buyer=Decimal("62.5"),
        gain_share_supplier=Decimal("37.5"),
    )
    api = api_for(procurement_manager)
    overrun = _event(api, agreement, "cost_overrun", "100.01")
    assert overrun.status_code == 201, overrun.content
    assert (overrun.json()["buyer_share"], overrun.json()["supplier_share"]) == ("60.01", "40.00")
    saving = _event(api, agreement, "joint_saving", "0.03")
    assert (saving.json()["buyer_share"], saving.json()["supplier_share"]) == ("0.02", "0.01")
    _event(api, agreement, "joint_saving", "100.01")  # 62.51 : 37.50
    ledger = api.get(f"/api/v1/partner-agreements/{agreement.pk}/ledger/").json()
    assert ledger["buyer"] == {"cost_overruns": "60.01", "joint_savings": "62.53"}
    assert ledger["supplier"] == {"cost_overruns": "40.00", "joint_savings": "37.51"}
    assert len(ledger["events"]) == 3


def test_an_event_without_the_needed_ratio_is_refused(
    api_for, procurement_manager, partner_a
) -> None:
    agreement = AgreementFactory(
        partner=partner_a,
        gain_share_buyer=Decimal("50"),
        gain_share_supplier=Decimal("50"),
        title="Frame contract",
    )
    api = api_for(procurement_manager)
    response = _event(api, agreement, "cost_overrun", "10.00")
    assert response.status_code == 400
    assert "no pre-negotiated cost-overrun share ratio" in response.json()["agreement"][0]
    assert _event(api, agreement, "joint_saving", "-1.00").status_code == 400
    assert _event(api, agreement, "joint_saving", "10.00").status_code == 201


def test_a_supplier_sees_only_its_side_of_its_own_ledger(
    api_for, procurement_manager, supplier_a, supplier_b, partner_a
) -> None:
    agreement = AgreementFactory(
        partner=partner_a,
        cost_overrun_share_buyer=Decimal("60"),
        cost_overrun_share_supplier=Decimal("40"),
    )
    _event(api_for(procurement_manager), agreement, "cost_overrun", "100.01")
    own = api_for(supplier_a).get(f"/api/v1/partner-agreements/{agreement.pk}/ledger/")
    assert own.status_code == 200
    body = own.json()
    assert "buyer" not in body
    assert body["supplier"]["cost_overruns"] == "40.00"
    assert "buyer_share" not in body["events"][0] and "amount" not in body["events"][0]
    listed = api_for(supplier_a).get("/api/v1/risk-reward-events/").json()["results"]
    assert listed and all("buyer_share" not in e for e in listed)
    other = api_for(supplier_b)
    assert other.get(f"/api/v1/partner-agreements/{agreement.pk}/ledger/").status_code == 404
    assert other.get("/api/v1/risk-reward-events/").json()["results"] == []
    assert _event(api_for(supplier_a), agreement, "cost_overrun", "5.00").status_code == 403


# --------------------------------------------------------------------------- surveys


def _open_survey(api, partner):
    today = timezone.localdate()
    return api.post(
        SURVEY,
        {
            "partner": partner.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
        },
        format="json",
    )


def test_both_sides_answer_and_the_gap_of_exactly_15_is_no_alert(
    api_for, procurement_manager, supplier_a, partner_a
) -> None:
    internal = api_for(procurement_manager)
    created = _open_survey(internal, partner_a)
    assert created.status_code == 201, created.content
    url = f"{SURVEY}{created.json()['id']}/"
    first = internal.post(f"{url}responses/", {"answers": _answers(1, 1, 1, 1, 1)}, format="json")
    assert first.status_code == 201 and first.json()["side"] == "buyer"
    # Answering again while open replaces the answer: 4 x 5 -> 75.0
    internal.post(
        f"{url}responses/", {"answers": _answers(4, 4, 4, 4, 4), "comment": "Solid"}, format="json"
    )
    supplier = api_for(supplier_a)
    answered = supplier.post(
        f"{url}responses/",
        {"answers": _answers(3, 3, 4, 4, 3), "comment": "Payment terms hurt"},
        format="json",
    )
    assert answered.status_code == 201 and answered.json()["side"] == "supplier"
    body = internal.get(url).json()
    assert body["buyer_score"] == "75.0"
    assert body["supplier_score"] == "60.0"  # mean 3.4
    assert body["health_index"] == "67.5"
    assert body["gap"] == "15.0"
    assert body["gap_alert"] is False
    # The supplier sees its round, never the buyer's ratings.
    seen = supplier.get(url).json()
    assert "buyer_score" not in seen and "Solid" not in str(seen)


def test_a_gap_of_15_1_is_an_alert(api_for, procurement_manager, partner_a) -> None:
    """7 buyer responses (35 answers, sum 86 -> 36.4) and 4 supplier responses (20 answers,
    sum 37 -> 21.25 -> 21.3): gap 15.1."""
    from tests.factories import UserFactory, supplier_user  # local helpers, only this test

    internal = api_for(procurement_manager)
    url = f"{SURVEY}{_open_survey(internal, partner_a).json()['id']}/"
    buyer_rows = (
        [_answers(3, 3, 3, 3, 3)] * 3 + [_answers(3, 2, 2, 2, 2)] + [_answers(2, 2, 2, 2, 2)] * 3
    )
    assert sum(sum(r.values()) for r in buyer_rows) == 86
    for row in buyer_rows:
        user = UserFactory(role="procurement_manager")
        assert (
            api_for(user).post(f"{url}responses/", {"answers": row}, format="json").status_code
            == 201
        )
    supplier_rows = [_answers(2, 2, 2, 2, 2)] * 3 + [_answers(2, 2, 1, 1, 1)]
    assert sum(sum(r.values()) for r in supplier_rows) == 37
    for row in supplier_rows:
        user = supplier_user(partner_a)
        assert (
            api_for(user).post(f"{url}responses/", {"answers": row}, format="json").status_code
            == 201
        )
    body = internal.get(url).json()
    assert (body["buyer_score"], body["supplier_score"]) == ("36.4", "21.3")
    assert body["gap"] == "15.1"
    assert body["gap_alert"] is True


@pytest.mark.parametrize(
    "answers",
    [
        _answers(6, 3, 3, 3, 3),
        _answers(0, 3, 3, 3, 3),
        {"trust": 3, "communication": 3, "joint_problem_solving": 3, "responsiveness": 3},
        _answers("x", 3, 3, 3, 3),  # type: ignore[arg-type]
    ],
)
def test_bad_answers_are_400(api_for, procurement_manager, partner_a, answers) -> None:
    internal = api_for(procurement_manager)
    url = f"{SURVEY}{_open_survey(internal, partner_a).json()['id']}/"
    response = internal.post(f"{url}responses/", {"answers": answers}, format="json")
    assert response.status_code == 400
    assert any(key.startswith("answers.") for key in response.json())


def test_a_second_round_for_the_same_partner_and_dates_is_refused(
    api_for, procurement_manager, partner_a
) -> None:
    internal = api_for(procurement_manager)
    assert _open_survey(internal, partner_a).status_code == 201
    again = _open_survey(internal, partner_a)
    assert again.status_code == 409
    assert "already has a survey round" in again.json()["detail"]


def test_survey_access(api_for, procurement_manager, supplier_a, supplier_b, partner_a) -> None:
    internal = api_for(procurement_manager)
    url = f"{SURVEY}{_open_survey(internal, partner_a).json()['id']}/"
    other = api_for(supplier_b)
    assert other.get(url).status_code == 404
    assert (
        other.post(
            f"{url}responses/", {"answers": _answers(5, 5, 5, 5, 5)}, format="json"
        ).status_code
        == 404
    )
    assert other.get(SURVEY).json()["results"] == []
    # A supplier cannot open rounds.
    assert _open_survey(api_for(supplier_a), partner_a).status_code == 403


def test_a_closed_round_takes_no_answers(api_for, procurement_manager, partner_a) -> None:
    internal = api_for(procurement_manager)
    response = internal.post(
        SURVEY,
        {"partner": partner_a.pk, "opens_on": "2025-01-01", "closes_on": "2025-01-15"},
        format="json",
    )
    url = f"{SURVEY}{response.json()['id']}/"
    answered = internal.post(
        f"{url}responses/", {"answers": _answers(3, 3, 3, 3, 3)}, format="json"
    )
    assert answered.status_code == 409
    assert date(2025, 1, 1).isoformat() in answered.json()["detail"]

"""Improvement plans (SPEC 3.8): suggested after a period closes critical or needs
improvement twice running, opened or dismissed (recorded), actions on both sides, outcome."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import AuditEvent
from core.roles import SYSTEM
from governance.improvement import PlanTrigger, suggestion_trigger
from governance.models import ImprovementPlan
from governance.services import improvement
from partners.models import SupplierContact
from scorecards.models import Period
from tests.factories import PartnerFactory
from tests.scorecards.factories import scorecard_for

pytestmark = pytest.mark.django_db


def test_suggestion_rule() -> None:
    assert suggestion_trigger("critical", None) is PlanTrigger.CRITICAL
    assert suggestion_trigger("critical", "good") is PlanTrigger.CRITICAL
    assert suggestion_trigger("needs_improvement", "needs_improvement") is (
        PlanTrigger.NEEDS_IMPROVEMENT_TWICE
    )
    assert suggestion_trigger("needs_improvement", "good") is None
    assert suggestion_trigger("needs_improvement", None) is None
    assert suggestion_trigger("good", "critical") is None


def _closed(scorecard, quarter: int, rating: str) -> Period:
    start = date(2025, 3 * quarter - 2, 1)
    end = date(2025, 3 * quarter + 1, 1) if quarter < 4 else date(2026, 1, 1)
    return Period.objects.create(
        scorecard=scorecard,
        label=f"2025-Q{quarter}",
        start=start,
        end=end.replace(day=1),
        status="closed",
        rating=rating,
    )


def test_the_post_close_step_suggests_once_per_period(procurement_manager) -> None:
    critical = scorecard_for(PartnerFactory(owner=procurement_manager))
    twice = scorecard_for(PartnerFactory())
    once = scorecard_for(PartnerFactory())
    recovered = scorecard_for(PartnerFactory())
    _closed(critical, 1, "good")
    _closed(critical, 2, "critical")
    _closed(twice, 1, "needs_improvement")
    _closed(twice, 2, "needs_improvement")
    _closed(once, 1, "good")
    _closed(once, 2, "needs_improvement")
    _closed(recovered, 1, "critical")  # an old critical period, since recovered
    _closed(recovered, 2, "good")
    suggested = improvement.improvement_suggest_due(actor=SYSTEM)
    assert {(p.partner_id, p.trigger) for p in suggested} == {
        (critical.partner_id, "critical"),
        (twice.partner_id, "needs_improvement_twice"),
    }
    assert improvement.improvement_suggest_due(actor=SYSTEM) == []
    assert procurement_manager.notifications.filter(subject__contains="Improvement plan").exists()


def test_open_dismiss_actions_and_close_are_recorded(
    client_for, api_for, procurement_manager, partner_a, supplier_a, supplier_b
) -> None:
    scorecard = scorecard_for(partner_a)
    _closed(scorecard, 1, "critical")
    plan = improvement.improvement_suggest_due(actor=SYSTEM)[0]
    client = client_for(procurement_manager)
    page = client.get(f"/governance/improvement-plans/{plan.pk}/").content.decode()
    assert "Open the plan" in page and "Dismiss the suggestion" in page
    response = client.post(
        f"/governance/improvement-plans/{plan.pk}/open/",
        {"root_cause": "resources", "root_cause_detail": "Internal: staff cut", "review_date": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.root_cause, plan.decided_by) == (
        "open",
        "resources",
        procurement_manager,
    )
    contact = SupplierContact.objects.create(partner=partner_a, name="Ines Holm")
    api = api_for(procurement_manager)
    added = api.post(
        f"/api/v1/improvement-plans/{plan.pk}/actions/",
        {"title": "Second shift on line 3", "milestone": "PPM below 150", "due_date": "2026-03-01"},
        format="json",
    )
    assert added.status_code == 201, added.content
    client.post(
        f"/governance/improvement-plans/{plan.pk}/actions/",
        {"title": "Root-cause workshop", "owner_contact": contact.pk, "milestone": "8D report"},
    )
    # The supplier sees its plan's actions in the portal and the API, never the root cause.
    portal = client_for(supplier_a).get("/portal/").content.decode()
    assert "Root-cause workshop" in portal and "8D report" in portal
    assert "staff cut" not in portal
    listed = api_for(supplier_a).get("/api/v1/improvement-actions/").json()["results"]
    assert {a["title"] for a in listed} == {"Second shift on line 3", "Root-cause workshop"}
    assert api_for(supplier_a).get("/api/v1/improvement-plans/").status_code == 403
    assert api_for(supplier_b).get("/api/v1/improvement-actions/").json()["results"] == []
    assert (
        client_for(supplier_a).get(f"/governance/improvement-plans/{plan.pk}/").status_code == 403
    )
    closed = api.post(
        f"/api/v1/improvement-plans/{plan.pk}/close/", {"outcome": "improved"}, format="json"
    )
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "improved"
    bad = api.post(f"/api/v1/improvement-plans/{plan.pk}/close/", {"outcome": "x"}, format="json")
    assert bad.status_code == 400
    actions = set(
        AuditEvent.objects.filter(object_id=str(plan.pk)).values_list("action", flat=True)
    )
    assert {
        "improvement_plan.suggest",
        "improvement_plan.open",
        "improvement_plan.close",
    } <= actions


def test_a_dismissal_needs_a_reason_and_is_recorded(
    api_for, procurement_manager, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    _closed(scorecard, 1, "needs_improvement")
    _closed(scorecard, 2, "needs_improvement")
    plan = improvement.improvement_suggest_due(actor=SYSTEM)[0]
    api = api_for(procurement_manager)
    assert (
        api.post(
            f"/api/v1/improvement-plans/{plan.pk}/dismiss/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    done = api.post(
        f"/api/v1/improvement-plans/{plan.pk}/dismiss/",
        {"reason": "Volume is being phased out anyway"},
        format="json",
    )
    assert done.json()["status"] == "dismissed"
    assert done.json()["dismissal_reason"] == "Volume is being phased out anyway"
    again = api.post(
        f"/api/v1/improvement-plans/{plan.pk}/open/", {"root_cause": "other"}, format="json"
    )
    assert again.status_code == 409
    assert ImprovementPlan.objects.get(pk=plan.pk).decided_by == procurement_manager

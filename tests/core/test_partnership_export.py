"""The partnership export: its committed JSON Schemas, the internal and the supplier's shared
view, and who may download which (issue 15)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from core.models import User
from governance.models import (
    ActionItem,
    Cadence,
    Escalation,
    ImprovementAction,
    ImprovementPlan,
    InnovationInitiative,
    JointBusinessPlan,
    Meeting,
    Visibility,
)
from partners.api.serializers import PUBLIC_PARTNER_FIELDS, SUPPLIER_AGREEMENT_FIELDS
from partners.models import NoteVisibility, Partner, PartnerNote
from scorecards.api.accountability import SupplierRiskRewardEventSerializer
from scorecards.models import (
    HealthSurvey,
    RiskRewardEvent,
    SurveyResponse,
    ValueEntry,
)
from srm.demo import seed_demo
from srm.partnership_export import INTERNAL, SHARED, VIEWS, partnership_export
from srm.partnership_schema import committed_schema, partnership_schema
from srm.partnership_sections import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    seed_demo()


def _validate(data: dict[str, Any], view: str) -> None:
    Draft202012Validator(committed_schema(view)).validate(data)


@pytest.mark.parametrize("view", VIEWS)
def test_the_committed_schemas_describe_the_export(view: str) -> None:
    """`manage.py partnership_schema` rewrites them when a section or field changes."""
    assert committed_schema(view) == partnership_schema(view)
    Draft202012Validator.check_schema(committed_schema(view))


def test_every_demo_partnership_exports_valid_files_in_both_views(demo: None) -> None:
    for partner in Partner.objects.all():
        for view in VIEWS:
            data = partnership_export(partner, view=view)
            _validate(data, view)
            assert data["format_version"] == 1 and data["view"] == view
            assert data["partner"]["legal_name"] == partner.legal_name


def test_the_internal_view_holds_the_whole_partnership(demo: None) -> None:
    voltaris = Partner.objects.get(short_name="Voltaris")
    data = partnership_export(voltaris)
    for section in SECTIONS:
        assert section.name in data
    for name in (
        "contacts",
        "notes",
        "agreements",
        "segmentations",
        "readiness_assessments",
        "scorecards",
        "periods",
        "measurements",
        "charters",
        "cadences",
        "meetings",
        "decisions",
        "actions",
        "escalation_levels",
        "plans",
        "initiatives",
        "value_entries",
        "risk_reward_events",
        "health_surveys",
        "survey_responses",
        "improvement_plans",
        "improvement_actions",
    ):
        assert data[name], f"Voltaris has {name}"
    # References are natural keys, never database ids.
    meeting = data["meetings"][0]
    assert meeting["ref"] == "meetings/1" and meeting["cadence"].startswith("cadences/")
    # Voltaris is scored on its joint-venture playbook's template.
    assert data["scorecards"][0]["template"] == "joint-venture-balanced@1"
    assert data["measurements"][0]["kpi"].startswith("joint-venture-balanced@1/")
    assert {u["username"] for u in data["users"]} >= {"priya", "marco"}
    assert "id" not in data["partner"] and all("id" not in row for row in data["meetings"])
    closed = [p for p in data["periods"] if p["status"] == "closed" and p["overall"]]
    assert closed and closed[-1]["breakdown"]["perspectives"]
    bodies = {n["body"] for n in data["notes"]}
    assert "Our volume share of their output is ~45 %: they depend on us." in bodies


def _shared_count(model: Any, partner: Partner) -> int:
    return int(model.objects.filter(partner=partner, visibility=Visibility.SHARED).count())


def test_the_supplier_view_holds_nothing_internal(demo: None) -> None:
    """Field by field against the access rules (README "Partners → API", governance)."""
    voltaris = Partner.objects.get(short_name="Voltaris")
    data = partnership_export(voltaris, view=SHARED)
    text = json.dumps(data)

    # Sections suppliers never read: segmentation, readiness, spend, benchmarks, supply items,
    # lifecycle reasons, lessons, the escalation ladder, agreement documents, accounts.
    for internal in (
        "segmentations",
        "readiness_assessments",
        "readiness_ratings",
        "spend",
        "price_benchmarks",
        "supply_items",
        "lifecycle_transitions",
        "lessons",
        "escalation_levels",
        "agreement_documents",
        "portal_users",
        "users",
    ):
        assert internal not in data, internal
    # The partner: exactly the public fields a supplier's API answer has.
    public = set(PUBLIC_PARTNER_FIELDS) - {"id"}
    assert set(data["partner"]) == public | {"created_at", "updated_at"}
    # Agreements: the signed terms, no internal notes, no documents.
    # (The API shows a ratio as "60:40"; the file keeps its two stored halves.)
    ratios = {"gain_share", "cost_overrun_share", "ip_share"}
    allowed = set(SUPPLIER_AGREEMENT_FIELDS) - {"id", "partner", "notice_deadline"} - ratios
    allowed |= {f"{r}_{side}" for r in ratios for side in ("buyer", "supplier")}
    for agreement in data["agreements"]:
        assert "internal_notes" not in agreement and "documents" not in agreement
        assert set(agreement) - {"ref", "created_at", "updated_at"} <= allowed
    # Notes: only those shared with the partner, all of them.
    assert [n["visibility"] for n in data["notes"]] == ["shared"] * len(data["notes"])
    assert len(data["notes"]) == voltaris.notes.filter(visibility=NoteVisibility.SHARED).count()
    for internal_note in PartnerNote.objects.filter(partner=voltaris, visibility="internal"):
        assert internal_note.body not in text
    # Meetings, actions, escalations, plans, initiatives, cadences: shared ones only.
    for name, model in (
        ("meetings", Meeting),
        ("actions", ActionItem),
        ("escalations", Escalation),
        ("plans", JointBusinessPlan),
        ("initiatives", InnovationInitiative),
        ("cadences", Cadence),
    ):
        assert {row["visibility"] for row in data[name]} <= {"shared"}, name
        assert len(data[name]) == _shared_count(model, voltaris), name
    assert "Internal prep: 2027 volume negotiation" not in text
    assert "Walk-away price" not in text  # the internal meeting's decision
    meeting_refs = {m["ref"] for m in data["meetings"]}
    assert {d["meeting"] for d in data["decisions"]} <= meeting_refs
    # No internal field of any kind: quadrant, owners, revenue, flags, accounts, e-mails of ours.
    for key in ("quadrant", "annual_revenue", "risk_flags", "alternative_source", "owner"):
        assert key not in data["partner"]
    for user in User.objects.filter(role__in=["procurement_manager", "alliance_manager"]):
        assert user.email not in text
    assert voltaris.agreements.exclude(internal_notes="").exists()
    for agreement in voltaris.agreements.exclude(internal_notes=""):
        assert agreement.internal_notes not in text
    _assert_shared_accountability(voltaris, data)


def _assert_shared_accountability(voltaris: Partner, data: dict[str, Any]) -> None:
    """Value, ledger, surveys and improvement plans as scorecards.selectors_accountability and
    governance.selectors_improvement let a supplier read them."""
    text = json.dumps(data)
    # Value entries (the buyer's investments) and improvement plans (root cause, decisions)
    # are internal.
    assert "value_entries" not in data and "improvement_plans" not in data
    for entry in ValueEntry.objects.filter(partner=voltaris):
        assert entry.description not in text
    for plan in ImprovementPlan.objects.filter(partner=voltaris).exclude(root_cause_detail=""):
        assert plan.root_cause_detail not in text
    # The ledger: the supplier's side of each event, as SupplierRiskRewardEventSerializer.
    events = RiskRewardEvent.objects.filter(agreement__partner=voltaris)
    assert events.exists() and len(data["risk_reward_events"]) == events.count()
    allowed = set(SupplierRiskRewardEventSerializer.Meta.fields) - {"id", "partner"}
    for event in data["risk_reward_events"]:
        assert set(event) == allowed | {"ref", "created_at"}
        assert event["agreement"] in {a["ref"] for a in data["agreements"]}
    assert {e["supplier_share"] for e in data["risk_reward_events"]} == {
        str(e.supplier_share) for e in events
    }
    # Survey rounds: their dates; answers of the supplier's side only, no score of any side.
    rounds = HealthSurvey.objects.filter(partner=voltaris)
    assert len(data["health_surveys"]) == rounds.count() > 0
    for survey in data["health_surveys"]:
        assert set(survey) == {"ref", "opens_on", "closes_on", "created_at"}
    responses = SurveyResponse.objects.filter(survey__partner=voltaris)
    supplier_side = responses.filter(side="supplier")
    assert supplier_side.exists() and responses.filter(side="buyer").exists()
    assert len(data["survey_responses"]) == supplier_side.count()
    assert {r["side"] for r in data["survey_responses"]} == {"supplier"}
    for response in responses.filter(side="buyer").exclude(comment=""):
        assert response.comment not in text
    assert not {"buyer_score", "supplier_score", "health_index", "gap"} & set(
        key for survey in data["health_surveys"] for key in survey
    )
    # Improvement plans: the shared actions of open plans with their milestones, no plan.
    links = ImprovementAction.objects.filter(plan__partner=voltaris, plan__status="open")
    assert links.exists() and len(data["improvement_actions"]) == links.count()
    shared_actions = {a["ref"] for a in data["actions"]}
    for link in data["improvement_actions"]:
        assert set(link) == {"ref", "action", "milestone"}
        assert link["action"] in shared_actions


def test_api_export_for_internal_users_and_suppliers(
    demo: None, api_for: Callable[[User], APIClient]
) -> None:
    voltaris = Partner.objects.get(short_name="Voltaris")
    greenpack = Partner.objects.get(short_name="GreenPack")
    priya = api_for(User.objects.get(username="priya"))
    answer = priya.get(f"/api/v1/partners/{voltaris.pk}/export/")
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    _validate(answer.json(), INTERNAL)
    assert answer.json()["view"] == INTERNAL

    lena = api_for(User.objects.get(username="lena"))
    own = lena.get(f"/api/v1/partners/{voltaris.pk}/export/")
    assert own.status_code == 200
    _validate(own.json(), SHARED)
    assert own.json()["view"] == SHARED
    # Another partner's export answers like an unknown one.
    assert lena.get(f"/api/v1/partners/{greenpack.pk}/export/").status_code == 404
    assert lena.get("/api/v1/partners/999999/export/").status_code == 404
    assert APIClient().get(f"/api/v1/partners/{voltaris.pk}/export/").status_code == 401


def test_downloads_from_the_partner_page_and_the_portal(
    demo: None, client_for: Callable[[User], Client]
) -> None:
    voltaris = Partner.objects.get(short_name="Voltaris")
    priya = client_for(User.objects.get(username="priya"))
    page = priya.get(f"/partners/{voltaris.pk}/").content.decode()
    assert f'href="/partners/{voltaris.pk}/export/"' in page
    download = priya.get(f"/partners/{voltaris.pk}/export/")
    assert download.status_code == 200 and download["Content-Type"] == "application/json"
    assert 'filename="partnership-voltaris-' in download["Content-Disposition"]
    _validate(json.loads(download.content), INTERNAL)

    lena = client_for(User.objects.get(username="lena"))
    assert 'href="/portal/export/"' in lena.get("/portal/").content.decode()
    shared = lena.get("/portal/export/")
    assert shared.status_code == 200
    _validate(json.loads(shared.content), SHARED)
    # The internal download is not for suppliers, whoever's id they try.
    assert lena.get(f"/partners/{voltaris.pk}/export/").status_code == 403

"""The readiness & alignment template is data an administrator edits (SPEC 1.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from core.errors import FieldErrors
from core.models import AuditEvent
from partners import selectors
from partners.models import ReadinessCriterion
from partners.readiness import DEFAULT_CRITERIA
from partners.services import readiness as readiness_services
from tests.factories import PartnerFactory
from tests.partners.factories import all_criteria

pytestmark = pytest.mark.django_db


def _weighted_ratings() -> dict[str, int]:
    # Dedicated account manager rated 5, the other readiness criteria 1; alignment all 3.
    ratings = all_criteria(3)
    for code in (
        "executive_engagement",
        "partnership_experience",
        "competencies",
        "information_sharing",
    ):
        ratings[code] = 1
    ratings["dedicated_account_manager"] = 5
    return ratings


def test_the_template_is_seeded_with_the_default_criteria() -> None:
    rows = list(ReadinessCriterion.objects.all())
    assert [(r.code, r.dimension, r.weight) for r in rows] == [
        (c.code, c.dimension.value, c.weight) for c in DEFAULT_CRITERIA
    ]
    assert selectors.readiness_template_current() == DEFAULT_CRITERIA


def test_a_new_weight_applies_to_new_assessments_and_not_to_past_ones(
    procurement_manager, administrator
) -> None:
    partner = PartnerFactory()
    before = readiness_services.readiness_assessment_create(
        actor=procurement_manager,
        partner=partner,
        assessed_on=date(2026, 1, 1),
        ratings=_weighted_ratings(),
    )
    # Equal weights: (1 x 4/4 + 4 x 0) / 5 x 100 = 20.
    assert before.readiness_score == D("20.00")
    readiness_services.readiness_criterion_save(
        actor=administrator,
        criterion=ReadinessCriterion.objects.get(code="dedicated_account_manager"),
        changes={"weight": D(4)},
    )
    after = readiness_services.readiness_assessment_create(
        actor=procurement_manager,
        partner=partner,
        assessed_on=date(2026, 6, 1),
        ratings=_weighted_ratings(),
    )
    # Weight 4: (4 x 4/4 + 4 x 1 x 0) / 8 x 100 = 50.00, exactly the conditional boundary.
    assert after.readiness_score == D("50.00")
    assert after.readiness_band == "conditionally_ready"
    before.refresh_from_db()
    assert before.readiness_score == D("20.00")
    assert before.criteria[0]["weight"] == "1.00"
    event = AuditEvent.objects.get(action="readiness_criterion.update")
    assert event.changes["weight"] == ["1.00", "4"]


def test_a_new_criterion_must_be_rated_and_the_last_of_a_dimension_stays(
    procurement_manager, administrator
) -> None:
    readiness_services.readiness_criterion_save(
        actor=administrator,
        changes={
            "code": "digital_maturity",
            "label": "Digital maturity",
            "dimension": "readiness",
            "weight": D(2),
            "position": 200,
        },
    )
    with pytest.raises(FieldErrors) as missing:
        readiness_services.readiness_assessment_create(
            actor=procurement_manager,
            partner=PartnerFactory(),
            assessed_on=date(2026, 1, 1),
            ratings=all_criteria(3),
        )
    assert "digital_maturity" in str(missing.value.errors)
    alignment = list(ReadinessCriterion.objects.filter(dimension="alignment"))
    for row in alignment[:-1]:
        readiness_services.readiness_criterion_save(
            actor=administrator, criterion=row, changes={"active": False}
        )
    with pytest.raises(FieldErrors) as last:
        readiness_services.readiness_criterion_save(
            actor=administrator, criterion=alignment[-1], changes={"active": False}
        )
    assert list(last.value.errors) == ["active"]
    with pytest.raises(FieldErrors) as weight:
        readiness_services.readiness_criterion_save(
            actor=administrator, criterion=alignment[-1], changes={"weight": 0}
        )
    assert list(weight.value.errors) == ["weight"]


def test_the_form_asks_for_the_current_template(client_for, procurement_manager, administrator):
    readiness_services.readiness_criterion_save(
        actor=administrator,
        criterion=ReadinessCriterion.objects.get(code="cultural_fit"),
        changes={"active": False},
    )
    partner = PartnerFactory()
    page = client_for(procurement_manager).get(f"/partners/{partner.pk}/readiness/")
    assert b"Cultural fit" not in page.content
    assert b"Financial stability" in page.content


def test_the_api_lets_administrators_edit_the_template(
    api_for, administrator, procurement_manager, supplier_a
) -> None:
    row = ReadinessCriterion.objects.get(code="sustainability")
    url = f"/api/v1/partner-readiness-criteria/{row.pk}/"
    assert api_for(supplier_a).get("/api/v1/partner-readiness-criteria/").status_code == 403
    listed = api_for(procurement_manager).get("/api/v1/partner-readiness-criteria/").json()
    assert len(listed["results"] if isinstance(listed, dict) else listed) == 10
    assert api_for(procurement_manager).patch(url, {"weight": "2"}).status_code == 403
    admin = api_for(administrator)
    bad = admin.patch(url, {"weight": "0"}, format="json")
    assert bad.status_code == 400
    assert "weight" in bad.json()
    renamed = admin.patch(url, {"code": "green"}, format="json")
    assert renamed.status_code == 400
    assert "code" in renamed.json()
    ok = admin.patch(url, {"weight": "2.5"}, format="json")
    assert ok.status_code == 200, ok.content
    row.refresh_from_db()
    assert row.weight == D("2.5")


def test_the_admin_edits_through_the_service(client_for, administrator) -> None:
    row = ReadinessCriterion.objects.get(code="long_term_goals")
    url = f"/admin/partners/readinesscriterion/{row.pk}/change/"
    client = client_for(administrator)
    form = {
        "label": row.label,
        "dimension": "alignment",
        "weight": "3",
        "position": "5",
        "active": "on",
    }
    assert client.post(url, form).status_code == 302
    assert AuditEvent.objects.filter(action="readiness_criterion.update").count() == 1
    row.refresh_from_db()
    assert row.weight == D(3)
    for other in ReadinessCriterion.objects.filter(dimension="alignment").exclude(pk=row.pk):
        readiness_services.readiness_criterion_save(
            actor=administrator, criterion=other, changes={"active": False}
        )
    refused = client.post(url, {**form, "active": ""})
    assert refused.status_code == 200
    assert b"at least one strategic alignment criterion" in refused.content


def test_an_emptied_template_falls_back_to_the_defaults(procurement_manager, administrator):
    ReadinessCriterion.objects.all().delete()
    assert selectors.readiness_template_current() == DEFAULT_CRITERIA
    readiness_services.readiness_criterion_save(
        actor=administrator,
        changes={
            "code": "digital_maturity",
            "label": "Digital maturity",
            "dimension": "readiness",
            "weight": D(1),
            "position": 200,
        },
    )
    assert len(selectors.readiness_template_current()) == len(DEFAULT_CRITERIA) + 1


def test_a_later_assessor_rates_the_criteria_the_assessment_was_made_with(
    client_for, procurement_manager, alliance_manager, administrator
) -> None:
    partner = PartnerFactory()
    assessment = readiness_services.readiness_assessment_create(
        actor=procurement_manager,
        partner=partner,
        assessed_on=date(2026, 1, 1),
        ratings=all_criteria(4),
    )
    readiness_services.readiness_criterion_save(
        actor=administrator,
        criterion=ReadinessCriterion.objects.get(code="cultural_fit"),
        changes={"active": False},
    )
    url = f"/partners/{partner.pk}/readiness/{assessment.pk}/rate/"
    client = client_for(alliance_manager)
    assert b"Cultural fit" in client.get(url).content
    assert client.post(url, {"cultural_fit": 2}).status_code == 302
    assessment.refresh_from_db()
    # Alignment: four criteria at 4 and cultural fit at mean(4, 2) = 3 → (4 x 3/4 + 2/4) / 5.
    assert assessment.alignment_score == D("70.00")


def test_the_admin_adds_a_criterion_through_the_service(client_for, administrator) -> None:
    response = client_for(administrator).post(
        "/admin/partners/readinesscriterion/add/",
        {
            "code": "data_sharing_tools",
            "label": "Data-sharing tools",
            "dimension": "readiness",
            "weight": "1.5",
            "position": "110",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="readiness_criterion.create").count() == 1
    assert selectors.readiness_template_current()[-1].code == "data_sharing_tools"

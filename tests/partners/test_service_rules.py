"""Every partner service checks its own actor's capability first (whichever page, API view or
job calls it), refuses fields it does not take, and a scheduled job acts as a system actor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import FieldErrors, PermissionDeniedError
from core.models import AuditEvent
from core.roles import SYSTEM, SystemActor
from partners.models import EngagementPlaybook, Partner, ReadinessCriterion
from partners.services import (
    agreements,
    flags,
    playbooks,
    records,
    reminders,
    segmentation,
)
from partners.services import partners as partner_services
from partners.services import readiness as readiness_services
from tests.factories import CategoryFactory, PartnerFactory
from tests.partners.factories import AgreementFactory, all_criteria, all_ratings

pytestmark = pytest.mark.django_db


def _calls(partner: Partner) -> dict[str, Callable[[Any], object]]:
    agreement = AgreementFactory(partner=partner)
    playbook = EngagementPlaybook.objects.get(engagement_model="transactional")
    criterion = ReadinessCriterion.objects.get(code="cultural_fit")
    category = CategoryFactory()
    return {
        "partner_create": lambda actor: partner_services.partner_create(
            actor=actor, fields={"legal_name": "New AG", "short_name": "New", "country": "DE"}
        ),
        "partner_update": lambda actor: partner_services.partner_update(
            actor=actor, partner=partner, changes={"short_name": "Renamed"}
        ),
        "partner_transition": lambda actor: partner_services.partner_transition(
            actor=actor, partner=partner, to_stage="exited", reason="x", lessons_learned="y"
        ),
        "supplier_user_create": lambda actor: partner_services.supplier_user_create(
            actor=actor, partner=partner, username="s", email="s@example.com", password=None
        ),
        "partner_engagement_model_change": lambda actor: playbooks.partner_engagement_model_change(
            actor=actor, partner=partner, engagement_model="joint_venture"
        ),
        "playbook_update": lambda actor: playbooks.playbook_update(
            actor=actor, playbook=playbook, changes={"survey_frequency_months": 3}
        ),
        "segmentation_assess": lambda actor: segmentation.segmentation_assess(
            actor=actor, partner=partner, ratings=all_ratings(3)
        ),
        "readiness_criterion_save": lambda actor: readiness_services.readiness_criterion_save(
            actor=actor, criterion=criterion, changes={"weight": Decimal(2)}
        ),
        "readiness_assessment_create": lambda actor: readiness_services.readiness_assessment_create(
            actor=actor, partner=partner, assessed_on=date(2026, 1, 1), ratings=all_criteria(3)
        ),
        "agreement_create": lambda actor: agreements.agreement_create(
            actor=actor,
            partner=partner,
            fields={
                "kind": "nda",
                "title": "NDA",
                "start_date": date(2026, 1, 1),
                "end_date": date(2027, 1, 1),
            },
        ),
        "agreement_update": lambda actor: agreements.agreement_update(
            actor=actor, agreement=agreement, changes={"title": "Renamed"}
        ),
        "agreement_document_add": lambda actor: agreements.agreement_document_add(
            actor=actor, agreement=agreement, file=SimpleUploadedFile("a.pdf", b"%PDF")
        ),
        "note_create": lambda actor: records.note_create(actor=actor, partner=partner, body="Hi"),
        "contact_save": lambda actor: records.contact_save(
            actor=actor, partner=partner, changes={"name": "Ann"}
        ),
        "spend_record": lambda actor: records.spend_record(
            actor=actor, partner=partner, year=2026, category=category, amount=Decimal(5)
        ),
        "supply_item_save": lambda actor: records.supply_item_save(
            actor=actor, partner=partner, changes={"name": "Cell"}
        ),
        "benchmark_save": lambda actor: records.benchmark_save(
            actor=actor,
            partner=partner,
            changes={
                "item": "Cell",
                "partner_price": Decimal(1),
                "market_price": Decimal(1),
                "as_of": date(2026, 1, 1),
            },
        ),
        "partner_flags_refresh": lambda actor: flags.partner_flags_refresh(actor=actor),
        "agreement_reminders_send": lambda actor: reminders.agreement_reminders_send(
            actor=actor, today=date(2026, 11, 25)
        ),
    }


SERVICES = [
    "partner_create",
    "partner_update",
    "partner_transition",
    "supplier_user_create",
    "partner_engagement_model_change",
    "playbook_update",
    "segmentation_assess",
    "readiness_criterion_save",
    "readiness_assessment_create",
    "agreement_create",
    "agreement_update",
    "agreement_document_add",
    "note_create",
    "contact_save",
    "spend_record",
    "supply_item_save",
    "benchmark_save",
    "partner_flags_refresh",
    "agreement_reminders_send",
]
# Partner records are managers' to change; templates, playbooks and users administrators'.
ADMINISTRATORS_ONLY = {"supplier_user_create", "playbook_update", "readiness_criterion_save"}


@pytest.mark.parametrize("service", SERVICES)
def test_a_role_without_the_capability_is_refused_and_nothing_changes(
    request, service, partner_a, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    call = _calls(partner_a)[service]
    refused = ["executive", "supplier_a"]
    if service in ADMINISTRATORS_ONLY:
        refused.append("procurement_manager")
    before = AuditEvent.objects.count()
    stage = partner_a.lifecycle_stage
    for who in refused:
        with pytest.raises(PermissionDeniedError):
            call(request.getfixturevalue(who))
    assert AuditEvent.objects.count() == before
    partner_a.refresh_from_db()
    assert (partner_a.short_name, partner_a.lifecycle_stage) == ("Alpha Cells", stage)


def test_a_system_actor_is_recorded_by_name(partner_a) -> None:
    records.note_create(actor=SystemActor("importer"), partner=partner_a, body="From the job")
    event = AuditEvent.objects.get(action="note.create")
    assert (event.actor, event.actor_label) == (None, "importer")


def test_a_job_cannot_rate_readiness_in_a_persons_place() -> None:
    with pytest.raises(PermissionDeniedError):
        readiness_services.readiness_assessment_create(
            actor=SYSTEM,
            partner=PartnerFactory(),
            assessed_on=date(2026, 1, 1),
            ratings=all_criteria(3),
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, partner: partner_services.partner_update(
            actor=actor, partner=partner, changes={"risk_flags": []}
        ),
        lambda actor, partner: records.supply_item_save(
            actor=actor, partner=partner, changes={"partner": partner, "name": "Cell"}
        ),
        lambda actor, partner: agreements.agreement_update(
            actor=actor,
            agreement=AgreementFactory(partner=partner),
            changes={"gain_share_buyer": Decimal(100)},
        ),
    ],
)
def test_a_field_the_service_does_not_take_is_refused(procurement_manager, call) -> None:
    partner = PartnerFactory(short_name="Kept")
    with pytest.raises(FieldErrors) as refused:
        call(procurement_manager, partner)
    assert all(m == ["This field cannot be set here."] for m in refused.value.errors.values())
    partner.refresh_from_db()
    assert partner.short_name == "Kept" and not partner.supply_items.exists()

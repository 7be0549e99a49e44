"""Services store what the pure rules compute; expectations are computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import FieldErrors
from core.models import AuditEvent, Notification
from core.roles import SYSTEM
from partners.kraljic import EngagementModel, Quadrant
from partners.lifecycle import LifecycleStage
from partners.models import (
    Agreement,
    CategorySpendTotal,
    EngagementPlaybook,
    LifecycleTransition,
)
from partners.selectors import playbook_for
from partners.services import agreements, flags, playbooks, records, reminders, segmentation
from partners.services import partners as partner_services
from partners.services import readiness as readiness_services
from tests.factories import AnnualSpendFactory, CategoryFactory, PartnerFactory
from tests.partners.factories import (
    AgreementFactory,
    PriceBenchmarkFactory,
    SupplyItemFactory,
    all_criteria,
    all_ratings,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --- playbooks ---------------------------------------------------------------------------


def test_every_engagement_model_has_a_stored_default_playbook() -> None:
    kinds = {
        p.engagement_model: [c["kind"] for c in p.cadences]
        for p in EngagementPlaybook.objects.all()
    }
    assert kinds["transactional"] == ["annual_strategic_review"]
    assert kinds["preferred_supplier"] == ["quarterly_business_review", "annual_strategic_review"]
    assert len(kinds["strategic_partnership"]) == 5
    jv = EngagementPlaybook.objects.get(engagement_model="joint_venture")
    steering = next(c for c in jv.cadences if c["kind"] == "steering_committee")
    assert steering["frequency"] == "monthly"


def test_changing_the_engagement_model_returns_the_new_playbook_and_audits_it(
    procurement_manager,
) -> None:
    partner = PartnerFactory(engagement_model=EngagementModel.TRANSACTIONAL)
    playbook = playbooks.partner_engagement_model_change(
        actor=procurement_manager, partner=partner, engagement_model="strategic_partnership"
    )
    partner.refresh_from_db()
    assert partner.engagement_model == "strategic_partnership"
    assert playbook == playbook_for(partner)
    assert playbook.scorecard_template_code == "strategic-balanced"
    event = AuditEvent.objects.get(action="partner.engagement_model_change")
    assert event.changes["engagement_model"] == ["transactional", "strategic_partnership"]
    assert event.changes["playbook_sponsor_level"] == "vp"
    assert "steering_committee quarterly" in event.changes["playbook_cadences"]


def test_a_playbook_with_an_unknown_cadence_kind_is_refused(administrator) -> None:
    playbook = EngagementPlaybook.objects.get(engagement_model="transactional")
    with pytest.raises(FieldErrors) as exc:
        playbooks.playbook_update(
            actor=administrator,
            playbook=playbook,
            changes={
                "cadences": [
                    {"kind": "daily_standup", "frequency": "weekly", "duration_minutes": 15}
                ]
            },
        )
    assert "cadences" in exc.value.errors


# --- segmentation ------------------------------------------------------------------------


def test_segmentation_stores_hand_computed_scores_and_sets_the_quadrant(
    procurement_manager,
) -> None:
    partner = PartnerFactory(quadrant="")
    # impact (5+4+4)/3 = 4.33; risk (2+2+3+3)/4 = 2.50 -> leverage
    ratings = {
        "spend_share": 5,
        "product_criticality": 4,
        "quality_revenue_effect": 4,
        "qualified_alternatives": 2,
        "switching_cost": 2,
        "market_volatility": 3,
        "geographic_exposure": 3,
    }
    assessment = segmentation.segmentation_assess(
        actor=procurement_manager, partner=partner, ratings=ratings
    )
    assessment.refresh_from_db()
    partner.refresh_from_db()
    assert (assessment.profit_impact, assessment.supply_risk) == (D("4.33"), D("2.50"))
    assert assessment.computed_quadrant == assessment.quadrant == "leverage"
    assert partner.quadrant == "leverage"


def test_exactly_three_on_both_axes_is_non_critical(procurement_manager) -> None:
    partner = PartnerFactory()
    assessment = segmentation.segmentation_assess(
        actor=procurement_manager, partner=partner, ratings=all_ratings(3)
    )
    assert assessment.quadrant == Quadrant.NON_CRITICAL


def test_an_override_needs_a_justification_and_is_kept_in_history(procurement_manager) -> None:
    partner = PartnerFactory()
    with pytest.raises(FieldErrors) as exc:
        segmentation.segmentation_assess(
            actor=procurement_manager,
            partner=partner,
            ratings=all_ratings(2),
            override_quadrant="bottleneck",
            override_justification="  ",
        )
    assert "override_justification" in exc.value.errors
    segmentation.segmentation_assess(
        actor=procurement_manager, partner=partner, ratings=all_ratings(4)
    )
    segmentation.segmentation_assess(
        actor=procurement_manager,
        partner=partner,
        ratings=all_ratings(2),
        override_quadrant="bottleneck",
        override_justification="Export licences make supply fragile.",
    )
    partner.refresh_from_db()
    history = list(partner.segmentations.values_list("computed_quadrant", "quadrant"))
    assert history == [("non_critical", "bottleneck"), ("strategic", "strategic")]
    assert partner.quadrant == "bottleneck"


def test_a_rating_outside_one_to_five_is_a_field_error(procurement_manager) -> None:
    with pytest.raises(FieldErrors) as exc:
        segmentation.segmentation_assess(
            actor=procurement_manager,
            partner=PartnerFactory(),
            ratings={**all_ratings(3), "switching_cost": 6},
        )
    assert exc.value.errors == {"ratings.switching_cost": ["Rating must be between 1 and 5."]}


# --- readiness ---------------------------------------------------------------------------


def test_readiness_stores_the_formula_result_bands_and_gaps(
    procurement_manager, alliance_manager
) -> None:
    partner = PartnerFactory()
    # Readiness criteria all 4 -> (4-1)/4 = 75.00 -> ready (boundary).
    # Alignment 5,5,2,2,1 -> (1+1+.25+.25+0)/5*100 = 50.00 -> conditionally ready (boundary).
    ratings = {
        **all_criteria(4),
        "long_term_goals": 5,
        "sustainability": 5,
        "innovation_ambition": 2,
        "cultural_fit": 2,
        "financial_stability": 1,
    }
    assessment = readiness_services.readiness_assessment_create(
        actor=procurement_manager, partner=partner, assessed_on=date(2026, 3, 1), ratings=ratings
    )
    assessment.refresh_from_db()
    assert assessment.readiness_score == D("75.00")
    assert assessment.readiness_band == "ready"
    assert assessment.alignment_score == D("50.00")
    assert assessment.alignment_band == "conditionally_ready"
    assert assessment.band == "conditionally_ready"
    assert [g["code"] for g in assessment.gaps] == [
        "financial_stability",
        "innovation_ambition",
        "cultural_fit",
    ]
    # A second assessor rates financial stability 2: mean 1.5 -> alignment 52.50.
    readiness_services.readiness_rating_add(
        actor=alliance_manager, assessment=assessment, ratings={"financial_stability": 2}
    )
    assessment.refresh_from_db()
    assert assessment.alignment_score == D("52.50")
    assert assessment.ratings.count() == 2


def test_readiness_just_below_fifty_is_not_ready(procurement_manager) -> None:
    # Alignment 3,3,3,2,2 -> (.5+.5+.5+.25+.25)/5*100 = 40.00 -> not ready.
    ratings = {**all_criteria(5), "cultural_fit": 2, "financial_stability": 2}
    ratings.update({"long_term_goals": 3, "sustainability": 3, "innovation_ambition": 3})
    assessment = readiness_services.readiness_assessment_create(
        actor=procurement_manager,
        partner=PartnerFactory(),
        assessed_on=date(2026, 3, 1),
        ratings=ratings,
    )
    assert (assessment.alignment_score, assessment.band) == (D("40.00"), "not_ready")


def test_readiness_refuses_a_rating_of_zero(procurement_manager) -> None:
    with pytest.raises(FieldErrors) as exc:
        readiness_services.readiness_assessment_create(
            actor=procurement_manager,
            partner=PartnerFactory(),
            assessed_on=date(2026, 3, 1),
            ratings={**all_criteria(3), "cultural_fit": 0},
        )
    assert "ratings.cultural_fit" in exc.value.errors


# --- agreements --------------------------------------------------------------------------


def _agreement_fields(**overrides: object) -> dict[str, object]:
    return {
        "kind": "contract",
        "title": "Cells supply",
        "start_date": date(2026, 1, 1),
        "end_date": date(2028, 12, 31),
        "notice_period_days": 180,
        **overrides,
    }


def test_agreement_ratios_are_stored_as_buyer_and_supplier_shares(procurement_manager) -> None:
    agreement = agreements.agreement_create(
        actor=procurement_manager,
        partner=PartnerFactory(),
        fields=_agreement_fields(gain_share="60:40", ip_share="62.5 : 37.5"),
    )
    agreement.refresh_from_db()
    assert (agreement.gain_share_buyer, agreement.gain_share_supplier) == (D(60), D(40))
    assert agreement.ip_share == "62.5:37.5"
    assert agreement.cost_overrun_share == ""
    assert agreement.notice_deadline == date(2028, 7, 4)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gain_share": "70:40"}, "gain_share"),
        ({"cost_overrun_share": "sixty:forty"}, "cost_overrun_share"),
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"auto_renewal": True}, "term_years"),
    ],
)
def test_bad_agreement_terms_are_field_errors(procurement_manager, overrides, field) -> None:
    with pytest.raises(FieldErrors) as exc:
        agreements.agreement_create(
            actor=procurement_manager,
            partner=PartnerFactory(),
            fields=_agreement_fields(**overrides),
        )
    assert field in exc.value.errors
    assert not Agreement.objects.exists()


def test_agreement_reminders_notify_owners_once(procurement_manager, alliance_manager) -> None:
    partner = PartnerFactory(owner=procurement_manager, alliance_manager=alliance_manager)
    # Notice deadline 2027-01-15 - 90 days = 2026-10-17 is past; expiry is 51 days ahead.
    AgreementFactory(partner=partner, end_date=date(2027, 1, 15), notice_period_days=90)
    # Notice deadline 2027-06-30 - 180 = 2027-01-01: 37 days ahead.
    AgreementFactory(partner=partner, end_date=date(2027, 6, 30), notice_period_days=180)
    # Far away: nothing.
    AgreementFactory(partner=partner, end_date=date(2029, 6, 30), notice_period_days=30)
    today = date(2026, 11, 25)
    assert reminders.agreement_reminders_send(actor=SYSTEM, today=today) == 4
    assert reminders.agreement_reminders_send(actor=SYSTEM, today=today) == 0
    subjects = sorted(
        Notification.objects.filter(recipient=procurement_manager).values_list("subject", flat=True)
    )
    assert len(subjects) == 2
    assert subjects[0].startswith("Expiry of ")
    assert subjects[1].startswith("Notice deadline of ")


# --- lifecycle ---------------------------------------------------------------------------


def test_exiting_needs_lessons_learned(procurement_manager) -> None:
    partner = PartnerFactory(lifecycle_stage=LifecycleStage.IDENTIFIED)
    with pytest.raises(FieldErrors) as exc:
        partner_services.partner_transition(
            actor=procurement_manager, partner=partner, to_stage="exited", reason="No fit."
        )
    assert "lessons_learned" in exc.value.errors
    partner_services.partner_transition(
        actor=procurement_manager,
        partner=partner,
        to_stage="exited",
        reason="No fit.",
        lessons_learned="Check capacity before shortlisting.",
    )
    assert LifecycleTransition.objects.get(partner=partner).lessons_learned


# --- flags -------------------------------------------------------------------------------


def _codes(partner) -> list[str]:
    partner.refresh_from_db()
    return [flag["code"] for flag in partner.risk_flags]


def test_single_source_for_a_critical_item_is_flagged(procurement_manager) -> None:
    partner = PartnerFactory(engagement_model=EngagementModel.TRANSACTIONAL)
    records.supply_item_save(
        actor=procurement_manager,
        partner=partner,
        changes={"name": "NdFeB magnet", "is_critical": True, "qualified_second_sources": 0},
    )
    assert _codes(partner) == ["single_source_critical"]
    SupplyItemFactory(partner=partner, is_critical=False, qualified_second_sources=0)
    flags.partner_flags_refresh(actor=SYSTEM, partner_ids=[partner.pk])
    assert partner.flag_count == 1


def test_spend_concentration_flags_only_above_seventy_percent(procurement_manager) -> None:
    category = CategoryFactory(code="magnets")
    above = PartnerFactory(engagement_model=EngagementModel.TRANSACTIONAL)
    at = PartnerFactory(engagement_model=EngagementModel.TRANSACTIONAL)
    AnnualSpendFactory(partner=above, category=category, amount=D("70.01"))
    CategorySpendTotal.objects.create(category=category, year=2026, amount=D("100"))
    flags.partner_flags_refresh(actor=SYSTEM)
    assert _codes(above) == ["spend_concentration"]
    assert "70.01%" in above.risk_flags[0]["message"]
    other = CategoryFactory(code="castings")
    AnnualSpendFactory(partner=at, category=other, amount=D("70"))
    CategorySpendTotal.objects.create(category=other, year=2026, amount=D("100"))
    flags.partner_flags_refresh(actor=SYSTEM)
    assert _codes(at) == []


def test_strategic_partnership_without_exit_clause_is_flagged(procurement_manager) -> None:
    partner = PartnerFactory(engagement_model=EngagementModel.STRATEGIC_PARTNERSHIP)
    flags.partner_flags_refresh(actor=SYSTEM, partner_ids=[partner.pk])
    assert _codes(partner) == ["no_exit_clause"]
    agreements.agreement_create(
        actor=procurement_manager,
        partner=partner,
        fields=_agreement_fields(has_exit_clause=True, transition_period_months=12),
    )
    assert _codes(partner) == []


def test_reverse_dependency_flags_above_thirty_percent_of_partner_revenue(
    procurement_manager,
) -> None:
    partner = PartnerFactory(
        engagement_model=EngagementModel.TRANSACTIONAL, annual_revenue=D("1000")
    )
    spend = AnnualSpendFactory(partner=partner, amount=D("300"))
    CategorySpendTotal.objects.create(category=spend.category, year=2026, amount=D("10000"))
    flags.partner_flags_refresh(actor=SYSTEM, partner_ids=[partner.pk])
    assert _codes(partner) == []
    partner_services.partner_update(
        actor=procurement_manager, partner=partner, changes={"annual_revenue": D("999")}
    )
    assert _codes(partner) == ["reverse_dependency"]


def test_unjustified_premium_above_five_percent_is_flagged(procurement_manager) -> None:
    partner = PartnerFactory(engagement_model=EngagementModel.TRANSACTIONAL)
    benchmark = records.benchmark_save(
        actor=procurement_manager,
        partner=partner,
        changes={
            "item": "Magnet",
            "partner_price": D("105"),
            "market_price": D("100"),
            "as_of": date(2026, 10, 1),
        },
    )
    assert _codes(partner) == []
    records.benchmark_save(
        actor=procurement_manager,
        partner=partner,
        benchmark=benchmark,
        changes={"partner_price": D("109")},
    )
    assert _codes(partner) == ["unjustified_premium"]
    records.benchmark_save(
        actor=procurement_manager,
        partner=partner,
        benchmark=benchmark,
        changes={"justification": "Certified recycled content."},
    )
    assert _codes(partner) == []
    assert benchmark.premium_percent == D("9.00")


def test_flag_refresh_keeps_a_constant_query_count(django_assert_max_num_queries) -> None:
    for _ in range(20):
        partner = PartnerFactory()
        AgreementFactory(partner=partner)
        SupplyItemFactory(partner=partner)
        PriceBenchmarkFactory(partner=partner)
        AnnualSpendFactory(partner=partner)
    # 11: the refresh plus its outbox job refreshing the at-risk verdicts (one row).
    with django_assert_max_num_queries(11):
        assert flags.partner_flags_refresh(actor=SYSTEM) == 20


def test_a_second_assessor_must_rate_something(procurement_manager, alliance_manager) -> None:
    assessment = readiness_services.readiness_assessment_create(
        actor=procurement_manager,
        partner=PartnerFactory(),
        assessed_on=date(2026, 3, 1),
        ratings=all_criteria(3),
    )
    with pytest.raises(FieldErrors) as exc:
        readiness_services.readiness_rating_add(
            actor=alliance_manager, assessment=assessment, ratings={}
        )
    assert "ratings" in exc.value.errors


def test_agreement_documents_land_in_an_unguessable_folder(
    procurement_manager, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    agreement = AgreementFactory()
    document = agreements.agreement_document_add(
        actor=procurement_manager,
        agreement=agreement,
        file=SimpleUploadedFile("terms.pdf", b"%PDF"),
    )
    folder = document.file.name.split("/")[1]
    assert document.file.name.startswith("agreements/") and len(folder) == 32

"""Factories of the partners app beyond the shared ones in tests/factories.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from partners.models import Agreement, AgreementKind, PriceBenchmark, SupplyItem
from tests.factories import PartnerFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    kind = AgreementKind.CONTRACT
    title = factory.Sequence(lambda n: f"Supply contract {n}")
    start_date = date(2025, 1, 1)
    end_date = date(2027, 12, 31)
    notice_period_days = 90
    has_exit_clause = True
    transition_period_months = 6
    internal_notes = "Walk-away price is 4 % below list."


class SupplyItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplyItem

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Item {n}")
    is_critical = True
    qualified_second_sources = 1


class PriceBenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceBenchmark

    partner = factory.SubFactory(PartnerFactory)
    item = factory.Sequence(lambda n: f"Benchmarked item {n}")
    partner_price = Decimal("100")
    market_price = Decimal("100")
    as_of = date(2026, 10, 1)


def all_ratings(value: int) -> dict[str, int]:
    from partners.kraljic import DEFAULT_FACTORS

    return {factor.code: value for factor in DEFAULT_FACTORS}


def all_criteria(value: int) -> dict[str, int]:
    from partners.readiness import DEFAULT_CRITERIA

    return {criterion.code: value for criterion in DEFAULT_CRITERIA}


def furnish(partner, actor) -> None:  # type: ignore[no-untyped-def]
    """Give a partner one of everything its page shows, through the services."""
    from partners.models import NoteVisibility
    from partners.services import agreements, records, segmentation
    from partners.services import readiness as readiness_services
    from tests.factories import AnnualSpendFactory, CategoryFactory, SupplierContactFactory

    category = CategoryFactory(code=f"cat-{partner.pk}")
    partner.categories.add(category)
    AnnualSpendFactory(partner=partner, category=category, year=2026)
    SupplierContactFactory(partner=partner)
    records.note_create(actor=actor, partner=partner, body=f"Secret of {partner.short_name}")
    records.note_create(
        actor=actor,
        partner=partner,
        body=f"Shared with {partner.short_name}",
        visibility=NoteVisibility.SHARED,
    )
    segmentation.segmentation_assess(actor=actor, partner=partner, ratings=all_ratings(4))
    segmentation.segmentation_assess(
        actor=actor,
        partner=partner,
        ratings=all_ratings(2),
        override_quadrant="bottleneck",
        override_justification=f"Override reason of {partner.short_name}",
    )
    for day in (date(2025, 3, 1), date(2026, 3, 1)):
        readiness_services.readiness_assessment_create(
            actor=actor, partner=partner, assessed_on=day, ratings=all_criteria(3)
        )
    agreements.agreement_create(
        actor=actor,
        partner=partner,
        fields={
            "kind": "contract",
            "title": f"Contract of {partner.short_name}",
            "start_date": date(2026, 1, 1),
            "end_date": date(2028, 12, 31),
            "gain_share": "60:40",
            "internal_notes": f"Walk-away of {partner.short_name}",
        },
    )
    records.supply_item_save(
        actor=actor,
        partner=partner,
        changes={"name": f"Item of {partner.short_name}", "is_critical": True},
    )
    records.benchmark_save(
        actor=actor,
        partner=partner,
        changes={
            "item": f"Benchmark of {partner.short_name}",
            "partner_price": Decimal("109"),
            "market_price": Decimal("100"),
            "as_of": date(2026, 10, 1),
        },
    )

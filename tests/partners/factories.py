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

"""Demo data beyond the partner records: segmentation, readiness, agreements, risk inputs.

Kept apart from partners/demo.py so the records and the assessments can be read
separately; ``seed_partner_terms`` is called at the end of ``seed_partners``.
Idempotent by natural keys: a second run changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from core.models import User
from partners.kraljic import EngagementModel
from partners.models import (
    Agreement,
    AgreementKind,
    Category,
    CategorySpendTotal,
    ConfidentialityLevel,
    Partner,
    PriceBenchmark,
    ReadinessAssessment,
    SupplyItem,
)
from partners.selectors import playbook_for_model
from partners.services.agreements import AgreementFields, agreement_create
from partners.services.flags import partner_flags_refresh
from partners.services.readiness import readiness_assessment_create, readiness_rating_add
from partners.services.records import (
    BenchmarkFields,
    SupplyItemFields,
    benchmark_save,
    supply_item_save,
)
from partners.services.segmentation import segmentation_assess

# Ratings per quadrant (impact: spend share, criticality, quality/revenue effect;
# risk: scarcity of alternatives, switching cost, volatility, geographic exposure).
# strategic 4.67/3.75 · leverage 4.00/2.25 · bottleneck 2.67/4.00 · non-critical 1.67/1.75
KRALJIC_RATINGS: dict[str, list[int]] = {
    "strategic": [5, 5, 4, 4, 4, 3, 4],
    "leverage": [4, 4, 4, 2, 2, 3, 2],
    "bottleneck": [2, 3, 3, 5, 4, 3, 4],
    "non_critical": [1, 2, 2, 1, 2, 2, 2],
}
# Each partner's own ratings, so the matrix shows where each one really sits.
PARTNER_RATINGS: dict[str, list[int]] = {
    "Voltaris": [5, 5, 5, 5, 5, 3, 4],  # 5.00 / 4.25
    "GreenPack": [3, 4, 4, 4, 3, 3, 3],  # 3.67 / 3.25
    "Kestrel": [4, 5, 4, 5, 4, 4, 5],  # 4.33 / 4.50
    "NordFreight": [4, 3, 4, 2, 2, 3, 2],  # 3.67 / 2.25
    "Fonderia Precisa": [4, 4, 5, 3, 3, 2, 2],  # 4.33 / 2.50
    "Atlas Stal": [5, 3, 3, 1, 2, 4, 1],  # 3.67 / 2.00
    "Sinter Magnetics": [2, 3, 3, 5, 4, 4, 5],  # 2.67 / 4.50
    "Rhein Fasteners": [1, 2, 2, 1, 1, 2, 1],  # 1.67 / 1.25
    "OfficeLine": [1, 1, 1, 1, 1, 1, 1],  # 1.00 / 1.00
    "Blue Harbor": [1, 2, 3, 3, 2, 3, 3],  # 2.00 / 2.75: non-critical, kept a bottleneck
}
FACTOR_CODES = [
    "spend_share",
    "product_criticality",
    "quality_revenue_effect",
    "qualified_alternatives",
    "switching_cost",
    "market_volatility",
    "geographic_exposure",
]
# Blue Harbor scores non-critical on the factors but is kept a bottleneck on purpose.
OVERRIDES = {
    "Blue Harbor": (
        "bottleneck",
        "Only qualified European source of the FEC electrolyte additive: the spend is tiny, "
        "but a stop would halt cell production within two weeks.",
    )
}

# The whole company's category spend in 2026 (the denominator of a partner's share).
CATEGORY_TOTALS_2026 = {
    "battery-cells": 230_000_000,
    "packaging": 30_000_000,
    "logistics": 60_000_000,
    "magnets": 11_000_000,
    "castings": 80_000_000,
    "semiconductors": 90_000_000,
    "fasteners": 12_000_000,
    "steel": 95_000_000,
    "office": 3_000_000,
    "chemicals": 15_000_000,
}

RISK_DATA: dict[str, dict[str, Any]] = {
    "Voltaris": {"annual_revenue": Decimal(400_000_000), "alternative_source": "Northcell AB"},
    "GreenPack": {"annual_revenue": Decimal(120_000_000), "alternative_source": "Fibreform GmbH"},
    "NordFreight": {"alternative_source": "BalticLine Shipping"},
    "Fonderia Precisa": {"alternative_source": "Gießerei Hahn"},
    "Sinter Magnetics": {"annual_revenue": Decimal(310_000_000)},
}

# readiness (5 criteria) + alignment (5 criteria), earlier and later, per assessor pair
READINESS: dict[str, tuple[list[int], list[int]]] = {
    "Voltaris": ([4, 4, 3, 4, 3, 4, 4, 4, 3, 4], [5, 4, 4, 4, 4, 5, 4, 5, 4, 4]),
    "GreenPack": ([3, 4, 2, 3, 4, 4, 5, 5, 4, 2], [4, 4, 3, 4, 4, 4, 5, 5, 4, 3]),
    "Kestrel": ([3, 2, 3, 4, 2, 4, 3, 4, 3, 4], [4, 3, 3, 4, 3, 4, 3, 4, 3, 4]),
    "Blue Harbor": ([2, 2, 1, 3, 2, 3, 3, 2, 3, 2], [3, 2, 2, 3, 3, 3, 3, 3, 3, 2]),
}
CRITERIA_CODES = [
    "dedicated_account_manager",
    "executive_engagement",
    "partnership_experience",
    "competencies",
    "information_sharing",
    "long_term_goals",
    "sustainability",
    "innovation_ambition",
    "cultural_fit",
    "financial_stability",
]

AGREEMENTS: list[dict[str, Any]] = [
    {
        "partner": "Voltaris",
        "title": "Voltaris and Aurora battery-cell joint venture agreement",
        "kind": AgreementKind.JOINT_VENTURE,
        "reference": "JV-2024-001",
        "start_date": date(2024, 3, 1),
        "end_date": date(2034, 2, 28),
        "term_years": 10,
        "notice_period_days": 365,
        "has_exit_clause": True,
        "exit_clause": "Either party may exit from 2029 with a 24-month transition; "
        "joint patents stay licensed royalty-free to both.",
        "transition_period_months": 24,
        "gain_share": "50:50",
        "cost_overrun_share": "50:50",
        "ip_share": "60:40",
        "confidentiality_level": ConfidentialityLevel.STRICTLY_CONFIDENTIAL,
        "internal_notes": "Joint innovation centre in Gothenburg, co-funded 60:40; "
        "patents from the centre are shared 60:40.",
    },
    {
        "partner": "Voltaris",
        "title": "Mutual non-disclosure agreement",
        "kind": AgreementKind.NDA,
        "start_date": date(2023, 6, 1),
        "end_date": date(2028, 5, 31),
        "confidentiality_level": ConfidentialityLevel.STRICTLY_CONFIDENTIAL,
    },
    {
        "partner": "GreenPack",
        "title": "Moulded-fibre packaging co-development agreement",
        "kind": AgreementKind.CO_DEVELOPMENT,
        "reference": "CD-2025-014",
        "start_date": date(2025, 1, 1),
        "end_date": date(2027, 12, 31),
        "term_years": 3,
        "notice_period_days": 180,
        "has_exit_clause": True,
        "exit_clause": "Exit on 6 months' notice after the pilot; tooling transfers to Aurora.",
        "transition_period_months": 6,
        "gain_share": "50:50",
        "cost_overrun_share": "60:40",
        "ip_share": "50:50",
        "confidentiality_level": ConfidentialityLevel.CONFIDENTIAL,
    },
    {
        "partner": "NordFreight",
        "title": "Inbound freight framework agreement",
        "kind": AgreementKind.FRAMEWORK,
        "start_date": date(2024, 4, 1),
        "end_date": date(2027, 3, 31),
        "term_years": 3,
        "notice_period_days": 90,  # notice by 31 Dec 2026: within 60 days of 25 Nov 2026
        "has_exit_clause": True,
        "transition_period_months": 3,
        "confidentiality_level": ConfidentialityLevel.INTERNAL,
    },
    {
        "partner": "Kestrel",
        "title": "SiC module capacity reservation (draft)",
        "kind": AgreementKind.CONTRACT,
        "start_date": date(2027, 1, 1),
        "end_date": date(2030, 12, 31),
        "notice_period_days": 180,
        "cost_overrun_share": "70:30",
        "confidentiality_level": ConfidentialityLevel.CONFIDENTIAL,
        "internal_notes": "Exit clause still under negotiation.",
    },
    {
        "partner": "Sinter Magnetics",
        "title": "NdFeB magnet supply contract",
        "kind": AgreementKind.CONTRACT,
        "start_date": date(2023, 1, 1),
        "end_date": date(2027, 12, 31),
        "notice_period_days": 120,
        "has_exit_clause": True,
        "transition_period_months": 9,
        "confidentiality_level": ConfidentialityLevel.CONFIDENTIAL,
    },
    {
        "partner": "OfficeLine",
        "title": "Office supplies contract",
        "kind": AgreementKind.CONTRACT,
        "start_date": date(2022, 1, 1),
        "end_date": date(2026, 12, 31),
        "notice_period_days": 30,
        "has_exit_clause": False,
        "confidentiality_level": ConfidentialityLevel.INTERNAL,
    },
    {
        "partner": "Fonderia Precisa",
        "title": "Die-cast underbody supply contract",
        "kind": AgreementKind.CONTRACT,
        "start_date": date(2024, 1, 1),
        "end_date": date(2028, 12, 31),
        "notice_period_days": 180,
        "has_exit_clause": True,
        "transition_period_months": 12,
        "confidentiality_level": ConfidentialityLevel.CONFIDENTIAL,
    },
]

BENCHMARKS: list[dict[str, Any]] = [
    {
        "partner": "GreenPack",
        "item": "Moulded-fibre parts tray vs EPS tray",
        "category": "packaging",
        "partner_price": Decimal("1.07"),
        "market_price": Decimal("1.00"),
        "unit": "tray",
        "source": "EPS tray index, Q3 2026",
        "as_of": date(2026, 10, 1),
        "justification": "Biodegradable material; the 7 % premium is accepted for the pilot "
        "by the sustainability board.",
    },
    {
        "partner": "Sinter Magnetics",
        "item": "NdFeB N52 drive-motor magnet set",
        "category": "magnets",
        "partner_price": Decimal("54.50"),
        "market_price": Decimal("50.00"),
        "unit": "set",
        "source": "Rare-earth magnet price survey, Q3 2026",
        "as_of": date(2026, 10, 1),
    },
    {
        "partner": "Atlas Stal",
        "item": "Cold-rolled coil DC04",
        "category": "steel",
        "partner_price": Decimal("742.00"),
        "market_price": Decimal("760.00"),
        "unit": "t",
        "source": "HRC/CRC index, October 2026",
        "as_of": date(2026, 10, 1),
    },
]

SUPPLY_ITEMS: list[dict[str, Any]] = [
    {
        "partner": "Sinter Magnetics",
        "name": "NdFeB drive-motor magnet set",
        "category": "magnets",
        "is_critical": True,
        "qualified_second_sources": 0,
        "second_source_names": "",
    },
    {
        "partner": "Voltaris",
        "name": "NMC 811 pouch cell",
        "category": "battery-cells",
        "is_critical": True,
        "qualified_second_sources": 1,
        "second_source_names": "Northcell AB",
    },
    {
        "partner": "Kestrel",
        "name": "SiC half-bridge power module",
        "category": "semiconductors",
        "is_critical": True,
        "qualified_second_sources": 1,
        "second_source_names": "Infinion SiC line",
    },
]


def seed_partner_terms(users: dict[str, User], partners: dict[str, Partner]) -> None:
    """Playbooks, segmentation, readiness, agreements and risk inputs for the demo."""
    priya, marco = users["priya"], users["marco"]
    for model in EngagementModel:
        playbook_for_model(model)
    categories = {c.code: c for c in Category.objects.all()}
    for code, amount in CATEGORY_TOTALS_2026.items():
        CategorySpendTotal.objects.update_or_create(
            category=categories[code], year=2026, defaults={"amount": Decimal(amount)}
        )
    for short_name, fields in RISK_DATA.items():
        Partner.objects.filter(pk=partners[short_name].pk).update(**fields)

    for short_name, partner in partners.items():
        if partner.segmentations.exists():
            continue
        override, justification = OVERRIDES.get(short_name, (None, ""))
        quadrant = "non_critical" if override else partner.quadrant
        segmentation_assess(
            actor=priya,
            partner=partner,
            ratings=dict(
                zip(
                    FACTOR_CODES,
                    PARTNER_RATINGS.get(short_name) or KRALJIC_RATINGS[quadrant],
                    strict=True,
                )
            ),
            override_quadrant=override,
            override_justification=justification,
        )

    for short_name, (earlier, later) in READINESS.items():
        partner = partners[short_name]
        for day, ratings in ((date(2025, 5, 15), earlier), (date(2026, 5, 15), later)):
            if ReadinessAssessment.objects.filter(partner=partner, assessed_on=day).exists():
                continue
            assessment = readiness_assessment_create(
                actor=priya,
                partner=partner,
                assessed_on=day,
                ratings=dict(zip(CRITERIA_CODES, ratings, strict=True)),
            )
            # Marco judges the relationship side a notch differently.
            second = {
                code: max(1, min(5, r + (1 if i % 3 == 0 else 0)))
                for i, (code, r) in enumerate(zip(CRITERIA_CODES, ratings, strict=True))
            }
            readiness_rating_add(actor=marco, assessment=assessment, ratings=second)

    for spec in AGREEMENTS:
        fields = dict(spec)
        partner = partners[fields.pop("partner")]
        if not Agreement.objects.filter(partner=partner, title=fields["title"]).exists():
            agreement_create(actor=priya, partner=partner, fields=cast(AgreementFields, fields))
    for spec in BENCHMARKS:
        fields = dict(spec)
        partner = partners[fields.pop("partner")]
        fields["category"] = categories[fields["category"]]
        if not PriceBenchmark.objects.filter(
            partner=partner, item=fields["item"], as_of=fields["as_of"]
        ).exists():
            benchmark_save(actor=priya, partner=partner, changes=cast(BenchmarkFields, fields))
    for spec in SUPPLY_ITEMS:
        fields = dict(spec)
        partner = partners[fields.pop("partner")]
        fields["category"] = categories[fields["category"]]
        if not SupplyItem.objects.filter(partner=partner, name=fields["name"]).exists():
            supply_item_save(actor=priya, partner=partner, changes=cast(SupplyItemFields, fields))
    partner_flags_refresh(actor=priya)

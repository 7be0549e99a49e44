"""Demo data beyond the partner records: segmentation, readiness, agreements, risk inputs.

Kept apart from partners/demo.py so the records and the assessments can be read
separately; ``seed_partner_terms`` is called at the end of ``seed_partners``.
Idempotent by natural keys: a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from core.models import User
from partners.demo_clock import DemoClock
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
    ReadinessRating,
    SegmentationAssessment,
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
# Written days of each partner's latest segmentation (partners.demo_clock).
ASSESSED_ON: dict[str, date] = {
    "Voltaris": date(2026, 5, 18),
    "GreenPack": date(2026, 5, 18),
    "Kestrel": date(2026, 6, 8),
    "NordFreight": date(2026, 2, 16),
    "Fonderia Precisa": date(2026, 2, 16),
    "Atlas Stal": date(2026, 2, 16),
    "Sinter Magnetics": date(2026, 9, 28),
    "Rhein Fasteners": date(2026, 2, 16),
    "OfficeLine": date(2026, 2, 16),
    "Blue Harbor": date(2026, 6, 15),
}
# The first segmentation, when the partnership began (written day, ratings); partners not
# listed were first rated as they are now, in the spring of 2024. Sinter Magnetics was a
# leverage supplier until export controls made magnets scarce; Blue Harbor looked
# non-critical until the override below.
FIRST_SEGMENTATION: dict[str, tuple[date, list[int]]] = {
    "Voltaris": (date(2023, 12, 11), [4, 5, 5, 4, 4, 3, 4]),  # 4.67 / 3.75
    "GreenPack": (date(2024, 5, 6), [3, 3, 4, 4, 3, 3, 3]),  # 3.33 / 3.25
    "Kestrel": (date(2025, 2, 17), [4, 4, 4, 5, 4, 4, 4]),  # 4.00 / 4.25
    "Sinter Magnetics": (date(2023, 1, 16), [4, 3, 3, 2, 2, 3, 2]),  # 3.33 / 2.25
    "Blue Harbor": (date(2026, 6, 1), [1, 2, 3, 3, 2, 3, 3]),  # 2.00 / 2.75
}
FIRST_SEGMENTATION_DAY = date(2024, 3, 11)

# Blue Harbor scores non-critical on the factors but is kept a bottleneck on purpose.
OVERRIDES = {
    "Blue Harbor": (
        "bottleneck",
        "Only qualified European source of the FEC electrolyte additive: the spend is tiny, "
        "but a stop would halt cell production within two weeks.",
    )
}

# The whole company's category spend in a year (the denominator of a partner's share).
CATEGORY_TOTALS = {
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

# readiness (5 criteria) + alignment (5 criteria), earlier and later, per assessor pair,
# with the written days of the two assessments: before selection, then a re-assessment.
READINESS: dict[str, tuple[list[int], list[int]]] = {
    "Voltaris": ([4, 4, 3, 4, 3, 4, 4, 4, 3, 4], [5, 4, 4, 4, 4, 5, 4, 5, 4, 4]),
    "GreenPack": ([3, 4, 2, 3, 4, 4, 5, 5, 4, 2], [4, 4, 3, 4, 4, 4, 5, 5, 4, 3]),
    "Kestrel": ([3, 2, 3, 4, 2, 4, 3, 4, 3, 4], [4, 3, 3, 4, 3, 4, 3, 4, 3, 4]),
    "Blue Harbor": ([2, 2, 1, 3, 2, 3, 3, 2, 3, 2], [3, 2, 2, 3, 3, 3, 3, 3, 3, 2]),
}
READINESS_DAYS: dict[str, tuple[date, date]] = {
    "Voltaris": (date(2024, 1, 22), date(2026, 5, 11)),
    "GreenPack": (date(2024, 8, 12), date(2026, 5, 11)),
    "Kestrel": (date(2025, 4, 14), date(2025, 9, 22)),
    "Blue Harbor": (date(2026, 6, 22), date(2026, 10, 19)),
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
        "reference": "JV-{2024}-001",
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
        "start_date": date(2023, 11, 20),
        "end_date": date(2028, 11, 19),
        "confidentiality_level": ConfidentialityLevel.STRICTLY_CONFIDENTIAL,
    },
    {
        "partner": "GreenPack",
        "title": "Moulded-fibre packaging co-development agreement",
        "kind": AgreementKind.CO_DEVELOPMENT,
        "reference": "CD-{2025}-014",
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
        "notice_period_days": 90,  # notice 36 days after the load day: a reminder is due
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
        "source": "EPS tray index, quarterly survey",
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
        "source": "Rare-earth magnet price survey, quarterly",
        "as_of": date(2026, 10, 1),
    },
    {
        "partner": "Atlas Stal",
        "item": "Cold-rolled coil DC04",
        "category": "steel",
        "partner_price": Decimal("742.00"),
        "market_price": Decimal("760.00"),
        "unit": "t",
        "source": "HRC/CRC monthly index",
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


def _segment(
    clock: DemoClock,
    actor: User,
    partner: Partner,
    day: date,
    ratings: list[int],
    override: tuple[str | None, str] = (None, ""),
) -> None:
    assessment = segmentation_assess(
        actor=actor,
        partner=partner,
        ratings=dict(zip(FACTOR_CODES, ratings, strict=True)),
        override_quadrant=override[0],
        override_justification=override[1],
    )
    SegmentationAssessment.objects.filter(pk=assessment.pk).update(assessed_at=clock.at(day, 14))


def _dated(clock: DemoClock, spec: dict[str, Any]) -> dict[str, Any]:
    """A record's written days and years moved to the load day."""
    moved = dict(spec)
    for key, value in spec.items():
        if isinstance(value, date):
            moved[key] = clock.day(value)
        elif isinstance(value, str):
            moved[key] = clock.text(value)
    return moved


def seed_partner_terms(
    users: dict[str, User], partners: dict[str, Partner], clock: DemoClock | None = None
) -> None:
    """Playbooks, segmentation, readiness, agreements and risk inputs for the demo."""
    clock = clock or DemoClock.for_day()
    priya, marco = users["priya"], users["marco"]
    for model in EngagementModel:
        playbook_for_model(model)
    categories = {c.code: c for c in Category.objects.all()}
    for year in range(clock.today.year - 3, clock.today.year + 1):
        for code, amount in CATEGORY_TOTALS.items():
            CategorySpendTotal.objects.update_or_create(
                category=categories[code], year=year, defaults={"amount": Decimal(amount)}
            )
    for short_name, fields in RISK_DATA.items():
        Partner.objects.filter(pk=partners[short_name].pk).update(**fields)

    for short_name, partner in partners.items():
        if partner.segmentations.exists():
            continue
        override = OVERRIDES.get(short_name, (None, ""))
        ratings = PARTNER_RATINGS.get(short_name) or KRALJIC_RATINGS[partner.quadrant]
        first_day, first_ratings = FIRST_SEGMENTATION.get(
            short_name, (FIRST_SEGMENTATION_DAY, ratings)
        )
        # Segmented when the partnership began, then again this year.
        _segment(clock, priya, partner, first_day, first_ratings)
        _segment(clock, priya, partner, ASSESSED_ON[short_name], ratings, override)

    for short_name, (earlier, later) in READINESS.items():
        partner = partners[short_name]
        for written, ratings in zip(READINESS_DAYS[short_name], (earlier, later), strict=True):
            day = clock.day(written)
            if ReadinessAssessment.objects.filter(partner=partner, assessed_on=day).exists():
                continue
            assessment = readiness_assessment_create(
                actor=priya,
                partner=partner,
                assessed_on=day,
                ratings=dict(zip(CRITERIA_CODES, ratings, strict=True)),
            )
            # Marco judges the relationship side a notch differently, two days later.
            second = {
                code: max(1, min(5, r + (1 if i % 3 == 0 else 0)))
                for i, (code, r) in enumerate(zip(CRITERIA_CODES, ratings, strict=True))
            }
            readiness_rating_add(actor=marco, assessment=assessment, ratings=second)
            ReadinessAssessment.objects.filter(pk=assessment.pk).update(
                created_at=clock.at(written, 10)
            )
            for rating in assessment.ratings.all():
                hours = 10 if rating.assessor_id == priya.pk else 58
                ReadinessRating.objects.filter(pk=rating.pk).update(
                    rated_at=clock.at(written) + timedelta(hours=hours)
                )

    for spec in AGREEMENTS:
        fields = _dated(clock, spec)
        partner = partners[fields.pop("partner")]
        if not Agreement.objects.filter(partner=partner, title=fields["title"]).exists():
            agreement = agreement_create(
                actor=priya, partner=partner, fields=cast(AgreementFields, fields)
            )
            # Recorded ten days before it starts (a draft: ten days ago).
            recorded = min(fields["start_date"], clock.today) - timedelta(days=10)
            Agreement.objects.filter(pk=agreement.pk).update(created_at=clock.moment(recorded, 10))
    for spec in BENCHMARKS:
        fields = _dated(clock, spec)
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

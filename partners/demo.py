"""Demo portfolio of partners (used by `manage.py seed_demo`); idempotent by natural keys."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.models import User
from partners.demo_terms import seed_partner_terms
from partners.kraljic import EngagementModel, Quadrant
from partners.lifecycle import LifecycleStage
from partners.models import (
    AnnualSpend,
    Category,
    LifecycleTransition,
    NoteVisibility,
    Partner,
    PartnerNote,
    PartnerUser,
    SupplierContact,
)

CATEGORIES = {
    "battery-cells": "Battery cells",
    "packaging": "Packaging",
    "logistics": "Logistics",
    "magnets": "Rare-earth magnets",
    "castings": "Aluminium castings",
    "semiconductors": "Power semiconductors",
    "fasteners": "Fasteners",
    "steel": "Flat steel",
    "office": "Office supplies",
    "chemicals": "Process chemicals",
}

YEARS = (2023, 2024, 2025, 2026)

# (legal name, short name, country, currency, model, quadrant, stage, categories,
#  spend in the latest year by category (thousands), yearly growth, description)
PARTNERS: list[dict[str, Any]] = [
    {
        "legal_name": "Voltaris Cell Technologies AB",
        "short_name": "Voltaris",
        "country": "SE",
        "currency": "EUR",
        "website": "https://voltaris.example",
        "engagement_model": EngagementModel.JOINT_VENTURE,
        "quadrant": Quadrant.STRATEGIC,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"battery-cells": 182_000},
        "growth": Decimal("1.18"),
        "tags": ["EV platform", "joint innovation centre"],
        "description": (
            "Battery-cell alliance for the next EV platform: a joint innovation centre in "
            "Gothenburg, co-funded cell chemistry research and a 60:40 patent share."
        ),
    },
    {
        "legal_name": "GreenPack Materials B.V.",
        "short_name": "GreenPack",
        "country": "NL",
        "currency": "EUR",
        "website": "https://greenpack.example",
        "engagement_model": EngagementModel.STRATEGIC_PARTNERSHIP,
        "quadrant": Quadrant.STRATEGIC,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"packaging": 14_500},
        "growth": Decimal("1.09"),
        "tags": ["sustainability", "co-development"],
        "description": (
            "Co-developing a biodegradable moulded-fibre packaging material to replace "
            "expanded polystyrene in parts shipments."
        ),
    },
    {
        "legal_name": "Kestrel Semiconductor Inc.",
        "short_name": "Kestrel",
        "country": "US",
        "currency": "USD",
        "website": "https://kestrel-semi.example",
        "engagement_model": EngagementModel.STRATEGIC_PARTNERSHIP,
        "quadrant": Quadrant.STRATEGIC,
        "lifecycle_stage": LifecycleStage.STRUCTURING,
        "spend": {"semiconductors": 41_000},
        "growth": Decimal("1.25"),
        "tags": ["silicon carbide"],
        "description": "Silicon-carbide power modules for the inverter; capacity reservation.",
    },
    {
        "legal_name": "NordFreight Logistics A/S",
        "short_name": "NordFreight",
        "country": "DK",
        "currency": "EUR",
        "website": "https://nordfreight.example",
        "engagement_model": EngagementModel.PREFERRED_SUPPLIER,
        "quadrant": Quadrant.LEVERAGE,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"logistics": 22_800},
        "growth": Decimal("1.04"),
        "tags": ["inbound", "port disruption plan"],
        "description": "Inbound sea and road freight from Asian and Nordic suppliers.",
    },
    {
        "legal_name": "Sinter Magnetics Ltd.",
        "short_name": "Sinter Magnetics",
        "country": "CN",
        "currency": "USD",
        "website": "https://sinter-magnetics.example",
        "engagement_model": EngagementModel.PREFERRED_SUPPLIER,
        "quadrant": Quadrant.BOTTLENECK,
        "lifecycle_stage": LifecycleStage.UNDER_REVIEW,
        "spend": {"magnets": 9_600},
        "growth": Decimal("1.11"),
        "tags": ["single source", "export controls"],
        "description": "NdFeB magnets for the drive motor; qualifying a second source.",
    },
    {
        "legal_name": "Fonderia Precisa S.p.A.",
        "short_name": "Fonderia Precisa",
        "country": "IT",
        "currency": "EUR",
        "website": "https://fonderiaprecisa.example",
        "engagement_model": EngagementModel.PREFERRED_SUPPLIER,
        "quadrant": Quadrant.LEVERAGE,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"castings": 31_200},
        "growth": Decimal("1.02"),
        "tags": ["gigacasting"],
        "description": "High-pressure die-cast rear underbody and battery housings.",
    },
    {
        "legal_name": "Atlas Stal Sp. z o.o.",
        "short_name": "Atlas Stal",
        "country": "PL",
        "currency": "EUR",
        "website": "https://atlas-stal.example",
        "engagement_model": EngagementModel.TRANSACTIONAL,
        "quadrant": Quadrant.LEVERAGE,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"steel": 27_400},
        "growth": Decimal("0.97"),
        "tags": ["commodity", "index-linked"],
        "description": "Coil and blanks, index-linked price; three qualified alternatives.",
    },
    {
        "legal_name": "Rhein Verbindungstechnik GmbH",
        "short_name": "Rhein Fasteners",
        "country": "DE",
        "currency": "EUR",
        "website": "https://rhein-vt.example",
        "engagement_model": EngagementModel.TRANSACTIONAL,
        "quadrant": Quadrant.NON_CRITICAL,
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "spend": {"fasteners": 3_100},
        "growth": Decimal("1.01"),
        "tags": ["commodity", "catalogue"],
        "description": "Catalogue fasteners and clips.",
    },
    {
        "legal_name": "OfficeLine Bürobedarf GmbH",
        "short_name": "OfficeLine",
        "country": "DE",
        "currency": "EUR",
        "website": "https://officeline.example",
        "engagement_model": EngagementModel.TRANSACTIONAL,
        "quadrant": Quadrant.NON_CRITICAL,
        "lifecycle_stage": LifecycleStage.WINDING_DOWN,
        "spend": {"office": 420},
        "growth": Decimal("1.00"),
        "tags": ["commodity", "tail spend"],
        "description": "Office supplies; moving to the group catalogue contract.",
    },
    {
        "legal_name": "Blue Harbor Chemicals Ltd.",
        "short_name": "Blue Harbor",
        "country": "GB",
        "currency": "GBP",
        "website": "https://blueharbor.example",
        "engagement_model": EngagementModel.TRANSACTIONAL,
        "quadrant": Quadrant.BOTTLENECK,
        "lifecycle_stage": LifecycleStage.ASSESSING,
        "spend": {"chemicals": 1_900},
        "growth": Decimal("1.06"),
        "tags": ["electrolyte additive"],
        "description": "Specialty electrolyte additive; assessed as a candidate second source.",
    },
]

CONTACTS: dict[str, list[dict[str, Any]]] = {
    "Voltaris": [
        {
            "name": "Ingrid Sandberg",
            "role": "Chief Commercial Officer",
            "email": "ingrid.sandberg@voltaris.example",
            "is_executive_sponsor": True,
        },
        {
            "name": "Lena Berg",
            "role": "Key account manager",
            "email": "lena.berg@voltaris.example",
            "is_portal_user": True,
        },
        {
            "name": "Oskar Lind",
            "role": "Cell chemistry lead",
            "email": "oskar.lind@voltaris.example",
        },
    ],
    "GreenPack": [
        {
            "name": "Sanne de Vries",
            "role": "Managing director",
            "email": "sanne@greenpack.example",
            "is_executive_sponsor": True,
        },
        {
            "name": "Joost Bakker",
            "role": "Account manager",
            "email": "joost@greenpack.example",
            "is_portal_user": True,
        },
    ],
    "NordFreight": [
        {
            "name": "Mads Holm",
            "role": "Key account manager",
            "email": "mads.holm@nordfreight.example",
        },
    ],
    "Sinter Magnetics": [
        {
            "name": "Wei Zhang",
            "role": "Sales director Europe",
            "email": "wei.zhang@sinter-magnetics.example",
        },
    ],
    "Kestrel": [
        {
            "name": "Dana Whitfield",
            "role": "VP Automotive",
            "email": "dana@kestrel-semi.example",
            "is_executive_sponsor": True,
        },
    ],
}

# Past lifecycle moves so partner pages show a history: (short name, from, to, reason).
HISTORY: list[tuple[str, LifecycleStage, LifecycleStage, str]] = [
    (
        "Voltaris",
        LifecycleStage.IDENTIFIED,
        LifecycleStage.ASSESSING,
        "Shortlisted for the 2027 EV platform cells.",
    ),
    (
        "Voltaris",
        LifecycleStage.ASSESSING,
        LifecycleStage.SELECTED,
        "Readiness 82, alignment 78: ready.",
    ),
    (
        "Voltaris",
        LifecycleStage.SELECTED,
        LifecycleStage.STRUCTURING,
        "Board approved the joint venture term sheet.",
    ),
    (
        "Voltaris",
        LifecycleStage.STRUCTURING,
        LifecycleStage.ACTIVE,
        "JV agreement signed; innovation centre opened.",
    ),
    (
        "GreenPack",
        LifecycleStage.IDENTIFIED,
        LifecycleStage.ASSESSING,
        "Sustainability roadmap needs a fibre packaging partner.",
    ),
    (
        "GreenPack",
        LifecycleStage.ASSESSING,
        LifecycleStage.SELECTED,
        "Best alignment on sustainability and innovation.",
    ),
    (
        "GreenPack",
        LifecycleStage.SELECTED,
        LifecycleStage.STRUCTURING,
        "Co-development agreement drafted.",
    ),
    (
        "GreenPack",
        LifecycleStage.STRUCTURING,
        LifecycleStage.ACTIVE,
        "Agreement signed with 50:50 gain share.",
    ),
    (
        "Sinter Magnetics",
        LifecycleStage.ACTIVE,
        LifecycleStage.UNDER_REVIEW,
        "Two late deliveries and new export licensing risk.",
    ),
    (
        "OfficeLine",
        LifecycleStage.ACTIVE,
        LifecycleStage.WINDING_DOWN,
        "Tail spend moves to the group catalogue contract.",
    ),
    (
        "Kestrel",
        LifecycleStage.IDENTIFIED,
        LifecycleStage.ASSESSING,
        "Silicon-carbide capacity is scarce until 2028.",
    ),
    (
        "Kestrel",
        LifecycleStage.ASSESSING,
        LifecycleStage.SELECTED,
        "Capacity reservation offered in exchange for volume.",
    ),
    (
        "Kestrel",
        LifecycleStage.SELECTED,
        LifecycleStage.STRUCTURING,
        "Negotiating the capacity reservation agreement.",
    ),
    (
        "Blue Harbor",
        LifecycleStage.IDENTIFIED,
        LifecycleStage.ASSESSING,
        "Candidate second source for the electrolyte additive.",
    ),
]


def seed_partners(users: dict[str, User]) -> dict[str, Partner]:
    """Create or refresh the demo partners; running it twice changes nothing."""
    categories = {
        code: Category.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in CATEGORIES.items()
    }
    partners: dict[str, Partner] = {}
    for spec in PARTNERS:
        spend: dict[str, int] = spec["spend"]
        growth: Decimal = spec["growth"]
        defaults = {
            key: value
            for key, value in spec.items()
            if key not in {"legal_name", "spend", "growth"}
        }
        defaults["owner"] = users["priya"]
        strategic = spec["engagement_model"] in {
            EngagementModel.STRATEGIC_PARTNERSHIP,
            EngagementModel.JOINT_VENTURE,
        }
        defaults["alliance_manager"] = users["marco"] if strategic else None
        defaults["executive_sponsor"] = users["helena"] if strategic else None
        partner, _ = Partner.objects.update_or_create(
            legal_name=spec["legal_name"], defaults=defaults
        )
        partner.categories.set([categories[code] for code in spend])
        for code, latest in spend.items():
            for offset, year in enumerate(reversed(YEARS)):
                amount = (Decimal(latest * 1000) / growth**offset).quantize(Decimal("1"))
                AnnualSpend.objects.update_or_create(
                    partner=partner,
                    year=year,
                    category=categories[code],
                    defaults={"amount": amount},
                )
        for contact in CONTACTS.get(partner.short_name, []):
            SupplierContact.objects.update_or_create(
                partner=partner, name=contact["name"], defaults=contact
            )
        partners[partner.short_name] = partner

    for short_name, from_stage, to_stage, reason in HISTORY:
        LifecycleTransition.objects.get_or_create(
            partner=partners[short_name],
            from_stage=from_stage,
            to_stage=to_stage,
            defaults={"reason": reason, "actor": users["priya"]},
        )

    notes = [
        (
            "Voltaris",
            NoteVisibility.INTERNAL,
            "Our volume share of their output is ~45 %: they depend on us.",
        ),
        (
            "Voltaris",
            NoteVisibility.SHARED,
            "Innovation centre steering board meets every second Tuesday.",
        ),
        (
            "GreenPack",
            NoteVisibility.INTERNAL,
            "Premium of 7 % over fossil EPS accepted for the pilot only.",
        ),
        (
            "GreenPack",
            NoteVisibility.SHARED,
            "Pilot line trial for the rear-lamp packaging starts in Q1.",
        ),
    ]
    for short_name, visibility, body in notes:
        PartnerNote.objects.get_or_create(
            partner=partners[short_name],
            body=body,
            defaults={"visibility": visibility, "author": users["priya"]},
        )

    for username, short_name in (("lena", "Voltaris"), ("joost", "GreenPack")):
        PartnerUser.objects.update_or_create(
            user=users[username], defaults={"partner": partners[short_name]}
        )

    for partner in partners.values():
        partner.refresh_from_db()
    seed_partner_terms(users, partners)
    return partners

# ruff: noqa: E501 - demo data tables read best one record per line
"""Demo portfolio of partners (used by `manage.py seed_demo`); idempotent by natural keys.

Dates are written as seen on 25 Nov 2026 and moved to the load day (partners.demo_clock).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.models import User
from partners.demo_clock import DemoClock
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

# Spend is recorded for the load day's year and the three before it.
SPEND_YEARS = 4

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

NEW, ASSESS, SEL = LifecycleStage.IDENTIFIED, LifecycleStage.ASSESSING, LifecycleStage.SELECTED
STR, ACT = LifecycleStage.STRUCTURING, LifecycleStage.ACTIVE
REV, WIND = LifecycleStage.UNDER_REVIEW, LifecycleStage.WINDING_DOWN

# Past lifecycle moves so partner pages show a history: (short name, from, to, written day
# (partners.demo_clock), reason). The oldest partnerships began about three years back.
HISTORY: list[tuple[str, LifecycleStage, LifecycleStage, date, str]] = [
    ("Sinter Magnetics", STR, ACT, date(2023, 1, 9), "Five-year magnet supply contract signed; single source for N52 magnets."),
    ("Atlas Stal", STR, ACT, date(2023, 3, 6), "Won the annual steel tender on an index-linked coil price."),
    ("Rhein Fasteners", STR, ACT, date(2023, 5, 8), "Catalogue agreement for fasteners and clips."),
    ("OfficeLine", STR, ACT, date(2023, 7, 3), "Office supplies framework renewed for the German sites."),
    ("Voltaris", NEW, ASSESS, date(2023, 11, 27), "Shortlisted for the next EV platform's battery cells."),
    ("Voltaris", ASSESS, SEL, date(2024, 1, 29), "Readiness 82, alignment 78: ready."),
    ("Voltaris", SEL, STR, date(2024, 2, 12), "Board approved the joint venture term sheet."),
    ("Voltaris", STR, ACT, date(2024, 3, 1), "JV agreement signed; cell supply for the B-platform starts."),
    ("Fonderia Precisa", STR, ACT, date(2024, 1, 8), "Underbody die-cast contract signed after the PPAP run."),
    ("NordFreight", STR, ACT, date(2024, 4, 2), "Won the inbound freight tender; framework agreement signed."),
    ("GreenPack", NEW, ASSESS, date(2024, 4, 22), "Sustainability roadmap needs a fibre packaging partner."),
    ("GreenPack", ASSESS, SEL, date(2024, 9, 2), "Best alignment on sustainability and innovation."),
    ("GreenPack", SEL, STR, date(2024, 10, 14), "Co-development agreement drafted."),
    ("GreenPack", STR, ACT, date(2025, 1, 6), "Agreement signed with 50:50 gain share."),
    ("Kestrel", NEW, ASSESS, date(2025, 2, 10), "Silicon-carbide capacity is scarce until {2028}."),
    ("Kestrel", ASSESS, SEL, date(2025, 10, 6), "Capacity reservation offered in exchange for volume."),
    ("Kestrel", SEL, STR, date(2026, 6, 8), "Negotiating the capacity reservation agreement."),
    ("Blue Harbor", NEW, ASSESS, date(2026, 6, 1), "Candidate second source for the electrolyte additive."),
    ("OfficeLine", ACT, WIND, date(2026, 8, 17), "Tail spend moves to the group catalogue contract."),
    ("Sinter Magnetics", ACT, REV, date(2026, 9, 21), "Two late deliveries and new export licensing risk."),
]  # fmt: skip

# (short name, visibility, written day, body): notes written over the years.
NOTES: list[tuple[str, NoteVisibility, date, str]] = [
    ("Sinter Magnetics", NoteVisibility.INTERNAL, date(2023, 2, 8), "Single source for N52 magnets: second-source qualification postponed to save cost."),
    ("Voltaris", NoteVisibility.INTERNAL, date(2023, 11, 30), "First visit to their pilot line: strong chemistry team, thin commercial bench."),
    ("Voltaris", NoteVisibility.SHARED, date(2024, 2, 20), "Term sheet agreed: joint venture on cells for the B-platform; innovation centre to follow."),
    ("NordFreight", NoteVisibility.SHARED, date(2024, 5, 6), "Weekly capacity call on Mondays; port delays go to Mads Holm the same day."),
    ("GreenPack", NoteVisibility.INTERNAL, date(2024, 4, 24), "Met at the sustainability fair: the only fibre supplier with automotive drop-test data."),
    ("GreenPack", NoteVisibility.INTERNAL, date(2025, 1, 15), "Premium of 7 % over fossil EPS accepted for the pilot only."),
    ("Kestrel", NoteVisibility.INTERNAL, date(2025, 2, 12), "SiC capacity sold out until {2028}: a reservation needs a volume commitment."),
    ("NordFreight", NoteVisibility.INTERNAL, date(2025, 3, 24), "Port strike handled well: rerouted through Gdańsk within 48 hours."),
    ("Voltaris", NoteVisibility.INTERNAL, date(2025, 6, 12), "Our volume share of their output is ~45 %: they depend on us."),
    ("GreenPack", NoteVisibility.SHARED, date(2025, 11, 5), "Pilot line trial for the rear-lamp packaging starts in Q1."),
    ("Voltaris", NoteVisibility.SHARED, date(2026, 3, 10), "Innovation centre steering board meets every second Tuesday."),
    ("OfficeLine", NoteVisibility.INTERNAL, date(2026, 8, 18), "The group catalogue covers 90 % of the range: exit by the contract end."),
    ("Sinter Magnetics", NoteVisibility.INTERNAL, date(2026, 9, 18), "Two lots late; heavy rare earths now need an export licence per shipment."),
    ("Voltaris", NoteVisibility.INTERNAL, date(2026, 11, 12), "Line 2 yield stuck at 91 %: ask for the recovery plan before the volume talks."),
]  # fmt: skip


def seed_partners(users: dict[str, User], clock: DemoClock | None = None) -> dict[str, Partner]:
    """Create or refresh the demo partners; running it twice changes nothing."""
    clock = clock or DemoClock.for_day()
    years = [clock.today.year - back for back in range(SPEND_YEARS)]  # newest first
    categories = {
        code: Category.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in CATEGORIES.items()
    }
    first_day: dict[str, date] = {}
    for name, _, _, day, _ in HISTORY:
        first_day[name] = min(day, first_day.get(name, day))
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
        partner, created = Partner.objects.update_or_create(
            legal_name=spec["legal_name"], defaults=defaults
        )
        if created and partner.short_name in first_day:
            # On record since a little before its first lifecycle move.
            since = clock.at(first_day[partner.short_name] - timedelta(days=21))
            Partner.objects.filter(pk=partner.pk).update(created_at=since)
        partner.categories.set([categories[code] for code in spend])
        for code, latest in spend.items():
            for offset, year in enumerate(years):
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

    for short_name, from_stage, to_stage, day, reason in HISTORY:
        transition, created = LifecycleTransition.objects.get_or_create(
            partner=partners[short_name],
            from_stage=from_stage,
            to_stage=to_stage,
            defaults={"reason": clock.text(reason), "actor": users["priya"]},
        )
        if created:
            LifecycleTransition.objects.filter(pk=transition.pk).update(at=clock.at(day))

    for short_name, visibility, day, body in NOTES:
        note, created = PartnerNote.objects.get_or_create(
            partner=partners[short_name],
            body=clock.text(body),
            defaults={"visibility": visibility, "author": users["priya"]},
        )
        if created:
            PartnerNote.objects.filter(pk=note.pk).update(created_at=clock.at(day, 11))

    for username, short_name in (("lena", "Voltaris"), ("joost", "GreenPack")):
        PartnerUser.objects.update_or_create(
            user=users[username], defaults={"partner": partners[short_name]}
        )

    for partner in partners.values():
        partner.refresh_from_db()
    seed_partner_terms(users, partners, clock)
    return partners

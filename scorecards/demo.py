"""Demo scorecards: the templates the engagement-model playbooks name (and a logistics
variant), and for every partner a scorecard from its own playbook's template, so applying
the playbook adds no second one. Up to six closed quarters before the load day, each frozen
a week after it ended, then the open current quarter, with stories a manager would
recognise: Voltaris improving to excellent, GreenPack steadily good, Sinter Magnetics
declining into critical, NordFreight needing improvement. Idempotent by natural keys.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import User
from partners.demo_clock import DemoClock
from partners.models import Partner
from partners.selectors import playbook_for
from scorecards.models import (
    DataSource,
    Dispute,
    KpiDefinition,
    Measurement,
    MeasurementStatus,
    Period,
    PeriodStatus,
    Scorecard,
    ScorecardTemplate,
)
from scorecards.periods import CalendarPeriod, period_after, period_containing
from scorecards.services import periods as period_services
from scorecards.services import rollups, scorecards, templates


def _kpi(
    code: str,
    name: str,
    unit: str,
    direction: str,
    target: int | str,
    threshold: int | str,
    weight: int = 1,
    source: str = "buyer",
    aggregation: str = "mean",
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "unit": unit,
        "direction": f"{direction}_is_better",
        "target": target,
        "threshold": threshold,
        "weight": weight,
        "data_source": source,
        "aggregation": aggregation,
    }


COST = {
    "code": "cost",
    "name": "Cost",
    "weight": 30,
    "kpis": [
        _kpi("ppv", "Purchase price variance", "%", "lower", 0, 5, weight=2),
        _kpi(
            "cost-ideas",
            "Cost-reduction ideas implemented",
            "",
            "higher",
            6,
            0,
            source="supplier",
            aggregation="sum",
        ),
    ],
}
SUSTAINABILITY = {
    "code": "sustainability",
    "name": "Sustainability",
    "weight": 20,
    "kpis": [
        _kpi("co2", "CO2 per unit", "kg", "lower", 8, 14),
        _kpi("recycled", "Recycled content", "%", "higher", 60, 20, source="supplier"),
    ],
}
TEMPLATES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "strategic-balanced": (
        "Strategic balanced",
        [
            COST,
            {
                "code": "innovation",
                "name": "Innovation",
                "weight": 30,
                "kpis": [
                    _kpi(
                        "joint-patents",
                        "Joint patents filed",
                        "",
                        "higher",
                        3,
                        0,
                        aggregation="sum",
                    ),
                    _kpi(
                        "npi-on-time",
                        "New product introductions on time",
                        "%",
                        "higher",
                        100,
                        60,
                        weight=2,
                    ),
                ],
            },
            {
                "code": "quality",
                "name": "Quality",
                "weight": 20,
                "kpis": [
                    _kpi("ppm", "Defects", "ppm", "lower", 50, 500, weight=2),
                    _kpi("fpy", "First-pass yield", "%", "higher", 99, 90),
                ],
            },
            SUSTAINABILITY,
        ],
    ),
    "logistics-delivery": (
        "Logistics delivery",
        [
            COST,
            {
                "code": "delivery",
                "name": "Delivery",
                "weight": 30,
                "kpis": [
                    _kpi("otd", "On-time delivery", "%", "higher", 98, 85, weight=2),
                    _kpi("damaged", "Shipments damaged", "%", "lower", "0.1", 2),
                ],
            },
            {
                "code": "quality",
                "name": "Quality",
                "weight": 20,
                "kpis": [_kpi("claims", "Claims per 1,000 shipments", "", "lower", 1, 10)],
            },
            {
                "code": "sustainability",
                "name": "Sustainability",
                "weight": 20,
                "kpis": [
                    _kpi("co2-shipment", "CO2 per shipment", "kg", "lower", 40, 80),
                    _kpi(
                        "ev-share", "Electric fleet share", "%", "higher", 50, 0, source="supplier"
                    ),
                ],
            },
        ],
    ),
}


def _weighted(perspective: dict[str, Any], weight: int) -> dict[str, Any]:
    return {**perspective, "weight": weight}


_STRATEGIC = {p["code"]: p for p in TEMPLATES["strategic-balanced"][1]}
_DELIVERY = {
    "code": "delivery",
    "name": "Delivery",
    "weight": 25,
    "kpis": [
        _kpi("otd", "On-time delivery", "%", "higher", 98, 85, weight=2),
        _kpi("lead-time", "Lead-time adherence", "%", "higher", 100, 80),
    ],
}
# The templates the engagement-model playbooks name (partners.playbooks), so applying a
# playbook finds its template in the demo.
TEMPLATES |= {
    "joint-venture-balanced": (
        "Joint venture balanced",
        [
            _weighted(_STRATEGIC["cost"], 25),
            _weighted(_STRATEGIC["innovation"], 35),
            _weighted(_STRATEGIC["quality"], 20),
            _weighted(_STRATEGIC["sustainability"], 20),
        ],
    ),
    "preferred-supplier": (
        "Preferred supplier",
        [
            _weighted(_STRATEGIC["cost"], 35),
            _DELIVERY,
            _weighted(_STRATEGIC["quality"], 25),
            _weighted(_STRATEGIC["sustainability"], 15),
        ],
    ),
    "transactional-basic": (
        "Transactional basic",
        [
            _weighted(_STRATEGIC["cost"], 50),
            _weighted(_DELIVERY, 30),
            _weighted(_STRATEGIC["quality"], 20),
        ],
    ),
}

# Share of the way from threshold to target per closed quarter (oldest first), then the
# current quarter's partial data. Each partner is scored on the template its engagement
# model's playbook names (partners.playbooks).
STORIES: dict[str, list[float]] = {
    "Voltaris": [0.70, 0.74, 0.79, 0.83, 0.87, 0.92, 0.93],
    "GreenPack": [0.76, 0.79, 0.75, 0.79, 0.77, 0.78, 0.80],
    "Kestrel": [0.80, 0.82, 0.81, 0.84, 0.83, 0.85, 0.84],
    "NordFreight": [0.62, 0.60, 0.58, 0.61, 0.59, 0.57, 0.58],
    "Sinter Magnetics": [0.70, 0.65, 0.60, 0.54, 0.48, 0.41, 0.40],
    "Fonderia Precisa": [0.72, 0.70, 0.73, 0.71, 0.74, 0.72, 0.73],
    "Atlas Stal": [0.74, 0.77, 0.75, 0.78, 0.76, 0.79, 0.78],
    "Rhein Fasteners": [0.81, 0.83, 0.80, 0.82, 0.84, 0.83, 0.83],
    "OfficeLine": [0.72, 0.70, 0.66, 0.67, 0.63, 0.61, 0.60],
    "Blue Harbor": [0.66, 0.71, 0.72],  # trial lots since the assessment began
}


def _jitter(*parts: object) -> float:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return (digest[0] / 255 - 0.5) * 0.12  # ±6 points, the same on every run


def _value(kpi: KpiDefinition, share: float) -> Decimal:
    share = min(1.0, max(0.0, share))
    raw = kpi.threshold + (kpi.target - kpi.threshold) * Decimal(str(round(share, 3)))
    # Counted KPIs (ideas, patents) are whole numbers.
    return raw.quantize(Decimal(1) if kpi.aggregation == "sum" else Decimal("0.01"))


def _shown_overall(period: Period) -> str:
    breakdown = period.score_breakdown
    return (breakdown.overall if breakdown else None) or ""


def _at(day: date, now: datetime) -> datetime:
    """9:00 on ``day``, or ``now`` if that is earlier: nothing is dated after the load."""
    return min(timezone.make_aware(datetime.combine(day, time(9))), now)


def _template(code: str, actor: User) -> ScorecardTemplate:
    existing = ScorecardTemplate.objects.filter(code=code).order_by("-version").first()
    if existing is not None:
        return existing
    name, perspectives = TEMPLATES[code]
    return templates.scorecard_template_create(
        actor=actor, code=code, name=name, perspectives=perspectives
    )


def _seed_story(
    scorecard: Scorecard, shares: list[float], actor: User, clock: DemoClock, supplier: User | None
) -> None:
    kpis = list(KpiDefinition.objects.filter(perspective__template=scorecard.template))
    start = period_containing(clock.today, scorecard.frequency)
    quarters: list[CalendarPeriod] = []
    end = start.start - timedelta(days=1)
    for _ in range(len(shares) - 1):
        quarter = period_containing(end, scorecard.frequency)
        quarters.insert(0, quarter)
        end = quarter.start - timedelta(days=1)
    quarters.append(start)
    assert period_after(quarters[-2].end, scorecard.frequency) == start
    periods = []
    for quarter in quarters:
        period, _ = Period.objects.get_or_create(
            scorecard=scorecard,
            start=quarter.start,
            defaults={"end": quarter.end, "label": quarter.label},
        )
        periods.append(period)
    name = scorecard.partner.short_name
    rows = []
    for index, (period, share) in enumerate(zip(periods, shares, strict=True)):
        current = index == len(periods) - 1
        for position, kpi in enumerate(kpis):
            if current and position % 2:  # the open quarter has about half its data so far
                continue
            rows.append(
                Measurement(
                    period=period,
                    kpi=kpi,
                    measured_on=min(period.end, clock.today),
                    value=_value(kpi, share + _jitter(name, kpi.code, index)),
                    source=DataSource.BUYER,
                    status=MeasurementStatus.ACCEPTED,
                    entered_by=actor,
                    comment="Quarterly review data",
                )
            )
    Measurement.objects.bulk_create(rows, ignore_conflicts=True)
    now = clock.now
    # The scorecard began with its first quarter; data came in a few days after each ended.
    Scorecard.objects.filter(pk=scorecard.pk, created_at__gt=_at(periods[0].start, now)).update(
        created_at=_at(periods[0].start, now)
    )
    for period in periods:
        entered = _at(period.end + timedelta(days=3), now)
        period.measurements.filter(source=DataSource.BUYER, entered_at__gt=entered).update(
            entered_at=entered
        )
    to_close = [p.pk for p in periods[:-1] if p.status == PeriodStatus.OPEN]
    period_services.periods_close(actor=actor, period_ids=to_close)
    for period in periods[:-1]:  # frozen a week after it ended (the newest: by the load day)
        closed_at = _at(period.end + timedelta(days=7), now)
        Period.objects.filter(pk=period.pk, closed_at__gt=closed_at).update(closed_at=closed_at)
    if supplier is None:
        return
    if name == "Voltaris":
        ideas = next(k for k in kpis if k.code == "cost-ideas")
        submitted, created = Measurement.objects.get_or_create(
            period=periods[-1],
            kpi=ideas,
            source=DataSource.SUPPLIER,
            status=MeasurementStatus.SUBMITTED,
            defaults={
                "measured_on": clock.today,
                "value": Decimal(5),
                "entered_by": supplier,
                "comment": "Five ideas implemented: cell-tab welding, tray reuse, "
                "shared test rigs, bulk cathode buying, scrap regranulation.",
            },
        )
        if created:  # sent two days ago, waiting for review
            Measurement.objects.filter(pk=submitted.pk).update(entered_at=now - timedelta(days=2))
    if name == "GreenPack" and not Dispute.objects.filter(period=periods[-2]).exists():
        latest = Period.objects.get(pk=periods[-2].pk)
        dispute = Dispute.objects.create(
            period=latest,
            raised_by=supplier,
            kpi_code="recycled",
            reason="Recycled content was 52 %, not the value on the scorecard: the audit "
            "certificate for the new PCR resin line was sent on the 3rd.",
            overall_before=_shown_overall(latest),
        )
        # Raised two days after the quarter was frozen.
        raised = min(latest.closed_at + timedelta(days=2), now) if latest.closed_at else now
        Dispute.objects.filter(pk=dispute.pk).update(raised_at=raised)


def seed_scorecards(
    users: dict[str, User], partners: dict[str, Partner], clock: DemoClock | None = None
) -> int:
    """Templates, and each partner's scorecard from its playbook's template with up to six
    quarters of history."""
    clock = clock or DemoClock.for_day()
    actor = users["priya"]
    suppliers = {"Voltaris": users.get("lena"), "GreenPack": users.get("joost")}
    for code in TEMPLATES:
        _template(code, actor)
    count = 0
    for short_name, shares in STORIES.items():
        partner = partners.get(short_name)
        if partner is None:
            continue
        template = _template(playbook_for(partner).scorecard_template_code, actor)
        scorecard = scorecards.scorecard_apply_template(
            actor=actor, partner=partner, template=template, today=clock.today
        )
        _seed_story(scorecard, shares, actor, clock, suppliers.get(short_name))
        count += 1
    rollups.rollups_refresh(actor=actor)
    return count

"""How closing a period scales: time and queries to close one quarter for 100 and for 1000
scorecards (10 KPIs each, two values per KPI), and the per-scorecard time ratio 1000 vs 100.

The 100-scorecard run is the baseline measured in the same run on the same machine, so the
ratio shows how the close scales, not how fast the machine is; a set-based close keeps it
near 1 and its query count flat.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import SYSTEM
from partners.models import Partner
from scorecards.models import (
    KpiDefinition,
    Measurement,
    Period,
    Scorecard,
)
from scorecards.periods import period_containing
from scorecards.services.periods import periods_close
from scorecards.services.templates import scorecard_template_create

QUARTER = period_containing(date(2026, 4, 1), "quarterly")
BATCH = 500
PERSPECTIVES = [
    {
        "code": code,
        "weight": weight,
        "kpis": [
            {
                "code": f"{code}-{n}",
                "direction": "higher_is_better" if n % 2 else "lower_is_better",
                "target": 100 if n % 2 else 0,
                "threshold": 0 if n % 2 else 100,
                "weight": n + 1,
                "aggregation": "mean",
            }
            for n in range(kpis)
        ],
    }
    for code, weight, kpis in (("cost", 30, 3), ("innovation", 30, 3), ("quality", 20, 2),
                               ("sustainability", 20, 2))
]  # fmt: skip


def _generate(n: int, prefix: str) -> list[int]:
    template = scorecard_template_create(
        actor=SYSTEM, code=f"bench-{prefix}", name="Bench", perspectives=PERSPECTIVES
    )
    kpis = list(KpiDefinition.objects.filter(perspective__template=template))
    partners = Partner.objects.bulk_create(
        Partner(legal_name=f"{prefix} partner {i}", short_name=f"{prefix}{i}", country="DE")
        for i in range(n)
    )
    scorecards = Scorecard.objects.bulk_create(
        Scorecard(partner=p, template=template) for p in partners
    )
    periods = Period.objects.bulk_create(
        Period(scorecard=s, start=QUARTER.start, end=QUARTER.end, label=QUARTER.label)
        for s in scorecards
    )
    Measurement.objects.bulk_create(
        Measurement(
            period=period,
            kpi=kpi,
            measured_on=day,
            value=Decimal((i * 7 + k * 13 + day.month) % 100),
        )
        for i, period in enumerate(periods)
        for k, kpi in enumerate(kpis)
        for day in (date(2026, 4, 30), date(2026, 6, 30))
    )
    return [p.pk for p in periods]


def _close(ids: list[int]) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            periods_close(actor=SYSTEM, period_ids=ids[start : start + BATCH])
        elapsed = time.perf_counter() - started
    return elapsed, len(queries.captured_queries)


def main() -> None:
    results = {}
    for n in (100, 1000):
        ids = _generate(n, f"b{n}-")
        elapsed, queries = _close(ids)
        assert Period.objects.filter(pk__in=ids, status="closed").count() == n
        results[n] = (elapsed, queries)
        print(
            f"close 1 period x {n:>4} scorecards (10 KPIs, {n * 20} values): "
            f"{elapsed * 1000:8.1f} ms total, {elapsed / n * 1000:6.2f} ms/scorecard, "
            f"{queries} queries ({(n + BATCH - 1) // BATCH} batch(es) of <= {BATCH})"
        )
    per_100 = results[100][0] / 100
    per_1000 = results[1000][0] / 1000
    print(f"per-scorecard time ratio 1000 vs 100: {per_1000 / per_100:.2f} (1.00 = linear)")

"""Closing one quarter for every scorecard of a generated portfolio, against the same rollups
computed by one plain SQL aggregate (issue 12: the close should come close to it).

``python -m bench.period_close`` (DATABASE_URL naming a generated portfolio) closes the
current, open quarter of every scorecard with the app's set-based close in batches of 500 (as
the hourly job does), times it, computes every period's overall score and coverage with one
SQL statement over the same measurements, compares the two for equality (overall and coverage
to the stored 4 decimals, rating and provisional flag) and rolls everything back, so the
database stays as generated. Prints JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from decimal import Decimal
from typing import Any

BATCH = 500

# KPI value = the KPI's aggregation over its accepted values (last = latest by date);
# KPI score = linear between threshold (0) and target (100), clamped; perspective = KPI-weighted
# mean over KPIs with a value; overall = perspective-weighted mean over scored perspectives;
# coverage = share of total weight carried by KPIs with a value. KPIs match by code within the
# scorecard's template, as the close matches them.
ROLLUP_SQL = """
WITH agg AS (
  SELECT m.period_id, ps.code AS pcode, k.code AS kcode, avg(m.value) AS mean,
         sum(m.value) AS total, min(m.value) AS lo, max(m.value) AS hi,
         (array_agg(m.value ORDER BY m.measured_on DESC, m.id DESC))[1] AS last
  FROM scorecards_measurement m
  JOIN scorecards_kpidefinition k ON k.id = m.kpi_id
  JOIN scorecards_perspective ps ON ps.id = k.perspective_id
  WHERE m.period_id = ANY(%(ids)s) AND m.status = 'accepted'
  GROUP BY 1, 2, 3
), kpis AS (
  SELECT pe.id AS period_id, ps.code AS pcode, ps.weight AS pweight, k.weight AS kweight,
         k.direction, k.target, k.threshold,
         CASE k.aggregation WHEN 'mean' THEN a.mean WHEN 'sum' THEN a.total
              WHEN 'min' THEN a.lo WHEN 'max' THEN a.hi ELSE a.last END AS value
  FROM scorecards_period pe
  JOIN scorecards_scorecard s ON s.id = pe.scorecard_id
  JOIN scorecards_perspective ps ON ps.template_id = s.template_id
  JOIN scorecards_kpidefinition k ON k.perspective_id = ps.id
  LEFT JOIN agg a ON a.period_id = pe.id AND a.pcode = ps.code AND a.kcode = k.code
  WHERE pe.id = ANY(%(ids)s)
), scored AS (
  SELECT *, CASE WHEN value IS NULL THEN NULL
                 WHEN direction = 'higher_is_better'
                   THEN greatest(0, least(100, (100 * (value - threshold))::numeric(60, 30)
                                                / (target - threshold)))
                 ELSE greatest(0, least(100, (100 * (threshold - value))::numeric(60, 30)
                                           / (threshold - target)))
            END AS score
  FROM kpis
), perspectives AS (
  SELECT period_id, pcode, pweight,
         sum(kweight * score)::numeric(60, 30)
           / nullif(sum(kweight) FILTER (WHERE score IS NOT NULL), 0) AS pscore,
         coalesce(sum(kweight) FILTER (WHERE value IS NOT NULL), 0)::numeric(60, 30)
           / sum(kweight) AS covered
  FROM scored GROUP BY 1, 2, 3
)
SELECT period_id,
       round(sum(pweight * pscore)::numeric(60, 30)
             / nullif(sum(pweight) FILTER (WHERE pscore IS NOT NULL), 0), 4) AS overall,
       round((100 * sum(pweight * covered))::numeric(60, 30) / sum(pweight), 4) AS coverage
FROM perspectives GROUP BY 1
"""


def _shown(scores: tuple[Any, ...]) -> tuple[Any, ...]:
    """Overall and coverage as a page shows them, with the rating and provisional flag the
    app derives from them (scorecards.scoring)."""
    # Django is set up by the caller.
    from scorecards.scoring import is_provisional, rating_for, round_score

    overall, coverage = scores[0], scores[1]
    rating = rating_for(overall)
    return (
        None if overall is None else round_score(overall),
        round_score(coverage),
        rating.value if rating else "",
        is_provisional(coverage),
    )


def sql_rollups(ids: list[int]) -> dict[int, tuple[Decimal | None, Decimal]]:
    """Overall score and coverage (4 decimals, as stored) of the given periods, by plain SQL."""
    # Django is set up by the caller.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, {"ids": ids})
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def compare() -> dict[str, Any]:
    """Close every open period and compute the same rollups in SQL; both timed, compared, and
    rolled back."""
    # Django is set up by the caller (main() or the test suite).
    from django.db import connection, transaction

    from bench import app_services

    result: dict[str, Any] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM scorecards_period WHERE status = 'open' ORDER BY id")
            ids = [row[0] for row in cursor.fetchall()]
            # Both sides read the same rows; warm the cache once so neither pays for the disk.
            cursor.execute(
                "SELECT count(*), sum(value) FROM scorecards_measurement WHERE period_id = ANY(%s)",
                [ids],
            )
        started = time.perf_counter()
        plain = sql_rollups(ids)
        sql_seconds = time.perf_counter() - started
        started = time.perf_counter()
        closed = 0
        for start in range(0, len(ids), BATCH):
            closed += app_services.periods_close(ids[start : start + BATCH])
        close_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, overall, coverage FROM scorecards_period WHERE id = ANY(%s)",
                [ids],
            )
            stored = {row[0]: row[1:] for row in cursor.fetchall()}
        mismatches = []
        last_digit = 0
        for period_id, (overall, coverage) in plain.items():
            closed_as = stored[period_id]
            # Equal as shown and judged: score and coverage to one decimal, rating, provisional.
            if _shown(closed_as) != _shown((overall, coverage)):
                mismatches.append({"period": period_id, "close": str(closed_as),
                                   "sql": str((overall, coverage))})  # fmt: skip
            elif tuple(closed_as[:2]) != (overall, coverage):
                # The engine divides in 28 significant digits, the SQL in 30 decimals, so a value
                # a hair from a rounding edge may be stored 0.0001 apart; never more.
                assert all(abs(a - b) <= Decimal("0.0001") for a, b in
                           zip(closed_as[:2], (overall, coverage), strict=True))  # fmt: skip
                last_digit += 1
        result = {
            "periods": len(ids),
            "closed": closed,
            "close_seconds": round(close_seconds, 3),
            "sql_seconds": round(sql_seconds, 3),
            "ratio": round(close_seconds / sql_seconds, 2) if sql_seconds else None,
            "compared": len(plain),
            "mismatches": len(mismatches),
            "differ_in_the_4th_decimal": last_digit,
            "mismatch_examples": mismatches[:5],
        }
        transaction.set_rollback(True)
    return result


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    import django

    django.setup()
    json.dump(compare(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

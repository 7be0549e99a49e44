"""Portfolio rollups (SPEC 3.12): the score distribution of every scorecard's latest score by
engagement model, Kraljic quadrant, category and executive sponsor, which dashboards read.

The rebuild runs in the background (scorecards.tasks). The task module imports these
services, so these services never import it: a write that changes scores defers the rebuild
by the task's registered name as an outbox job (:func:`rollups_refresh_after_commit`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from core.locks import advisory_xact_lock
from core.models import Actor
from core.outbox import job_defer
from core.roles import Capability, require
from partners.kraljic import EngagementModel, Quadrant
from scorecards import scoring
from scorecards.latest_scores import latest_scored_periods
from scorecards.models import Period, PortfolioRollup, RollupDimension

# The Celery name of scorecards.tasks.scorecards_refresh_rollups, which the outbox sweep runs.
ROLLUPS_REFRESH_TASK = "scorecards.tasks.scorecards_refresh_rollups"


def _rating_counts() -> dict[str, Any]:
    return {rating.value: Count("id", filter=Q(rating=rating.value)) for rating in scoring.Rating}


def rollups_refresh(*, actor: Actor) -> int:
    """Rebuild the portfolio rollups from the latest score of every scorecard: one aggregate
    query per dimension, then one delete and one bulk insert. Returns the number of rows."""
    require(actor, Capability.MANAGE_SCORECARDS)
    base = Period.objects.filter(pk__in=latest_scored_periods().values("pk")).order_by()
    aggregates = {"n": Count("id"), "avg": Avg("overall"), **_rating_counts()}
    rows: list[tuple[str, str, str, Any]] = []
    with transaction.atomic():
        advisory_xact_lock("scorecards.rollups_refresh")  # two rebuilds at once: one waits
        for row in base.values(key=F("scorecard__partner__engagement_model")).annotate(
            **aggregates
        ):
            label = EngagementModel(row["key"]).label
            rows.append((RollupDimension.ENGAGEMENT_MODEL, row["key"], label, row))
        for row in base.values(key=F("scorecard__partner__quadrant")).annotate(**aggregates):
            key = row["key"] or "unsegmented"
            label = Quadrant(key).label if row["key"] else "Not segmented"
            rows.append((RollupDimension.QUADRANT, key, label, row))
        # A scorecard kept for one category counts there; one for the whole partner counts in
        # each of the partner's categories.
        by_category: dict[str, dict[str, Any]] = {}
        for lookup in ("scorecard__category", "scorecard__partner__categories"):
            filters = (
                {"scorecard__category__isnull": False}
                if lookup == "scorecard__category"
                else {"scorecard__category__isnull": True, f"{lookup}__isnull": False}
            )
            for row in (
                base.filter(**filters)
                .values(key=F(f"{lookup}__code"), group=F(f"{lookup}__name"))
                .annotate(total=Count("id"), avg_sum=Sum("overall"), **_rating_counts())
            ):
                merged = by_category.setdefault(
                    row["key"],
                    {"label": row["group"], "n": 0, "sum": Decimal(0)}
                    | {r.value: 0 for r in scoring.Rating},
                )
                merged["n"] += row["total"]
                merged["sum"] += row["avg_sum"]
                counts: dict[str, Any] = dict(row)
                for rating in scoring.Rating:
                    merged[rating.value] += counts[rating.value]
        for key, merged in by_category.items():
            merged["avg"] = merged["sum"] / merged["n"]
            rows.append((RollupDimension.CATEGORY, key, merged["label"], merged))
        for row in (
            base.filter(scorecard__partner__executive_sponsor__isnull=False)
            .values(
                key=F("scorecard__partner__executive_sponsor_id"),
                first=F("scorecard__partner__executive_sponsor__first_name"),
                last=F("scorecard__partner__executive_sponsor__last_name"),
                username=F("scorecard__partner__executive_sponsor__username"),
            )
            .annotate(**aggregates)
        ):
            label = f"{row['first']} {row['last']}".strip() or row["username"]
            rows.append((RollupDimension.SPONSOR, str(row["key"]), label, row))
        now = timezone.now()
        PortfolioRollup.objects.all().delete()
        PortfolioRollup.objects.bulk_create(
            PortfolioRollup(
                dimension=dimension,
                key=key,
                label=label,
                scorecards=row["n"],
                average=row["avg"],
                excellent=row["excellent"],
                good=row["good"],
                needs_improvement=row["needs_improvement"],
                critical=row["critical"],
                refreshed_at=now,
            )
            for dimension, key, label, row in rows
        )
    return len(rows)


def rollups_refresh_after_commit(*, actor: Actor) -> None:
    """Have the rollups rebuilt once the current transaction commits (nothing happens if it
    rolls back); for writes that change a closed period's score. An outbox job written with
    the change, so it runs even when the broker is down; pending rebuilds merge into one."""
    require(actor, Capability.MANAGE_SCORECARDS)
    job_defer(ROLLUPS_REFRESH_TASK, dedupe_key="scorecards:rollups")

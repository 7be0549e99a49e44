"""The latest score, defined once. Every page, export, dashboard and job that shows "the
latest score" of a scorecard or of a partner reads it here.

- A *scored period* is a CLOSED period that has a score (``overall`` not null). A period
  closed with no data never replaces the last score.
- A scorecard's latest score is its most recently ended scored period.
- A partner's (headline) score is the latest of its scorecards' latest scores: the latest end
  date, ties going to the lowest scorecard id. Its trend compares it with the previous scored
  period of the same scorecard.

:func:`partner_latest_scores` and :func:`scorecard_latest_scores` answer for any number of
partners or scorecards in one query, so lists and dashboards never query per partner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, QuerySet, Subquery, Window
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import RowNumber

from partners.models import Partner
from scorecards.models import Period, PeriodStatus
from scorecards.scoring import round_score


def shown_overall() -> KeyTextTransform:
    """The score as shown, frozen at close and rounded once (Breakdown.overall in the stored
    JSON), as a query expression: no page rounds the stored four-place score again."""
    return KT("breakdown__overall")


def scored_periods() -> QuerySet[Period]:
    """Closed periods that have a score: the only periods a latest score comes from."""
    return Period.objects.filter(status=PeriodStatus.CLOSED, overall__isnull=False)


def latest_scored_periods() -> QuerySet[Period]:
    """Each scorecard's latest score: its most recently ended scored period."""
    return scored_periods().order_by("scorecard_id", "-end").distinct("scorecard_id")


@dataclass(frozen=True, slots=True)
class LatestScore:
    """A scorecard's (or a partner's) latest score and the one before it, for the trend."""

    partner_id: int
    scorecard_id: int
    period_id: int
    label: str
    end: date
    overall: Decimal  # exact
    shown: str  # as shown: frozen at close, one decimal
    rating: str
    provisional: bool
    previous_overall: Decimal | None = None  # the same scorecard's previous scored period
    previous_label: str | None = None

    @property
    def change(self) -> Decimal | None:
        """Against the previous scored period of the same scorecard."""
        if self.previous_overall is None:
            return None
        return self.overall - self.previous_overall

    @property
    def change_shown(self) -> str | None:
        change = self.change
        return None if change is None else str(round_score(change))


def _latest_two(periods: QuerySet[Period]) -> dict[int, LatestScore]:
    """Per scorecard among ``periods``' scorecards, its latest score with the previous one,
    in one query (a window over the scored periods)."""
    # The window ranks the scored periods by their own columns; the score as shown is read
    # from the frozen breakdown (a large JSON value) of the two kept per scorecard only.
    ranked = (
        periods.annotate(
            rank=Window(RowNumber(), partition_by=[F("scorecard_id")], order_by=F("end").desc())
        )
        .filter(rank__lte=2)
        .values("pk")
    )
    rows = (
        Period.objects.filter(pk__in=ranked)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("scorecard_id")], order_by=F("end").desc()),
            shown=shown_overall(),
        )
        .order_by("scorecard_id", "rank")
        .values_list(
            "scorecard__partner_id",
            "scorecard_id",
            "rank",
            "pk",
            "label",
            "end",
            "overall",
            "rating",
            "provisional",
            "shown",
        )
    )
    latest: dict[int, LatestScore] = {}
    for partner_id, scorecard_id, rank, pk, label, end, overall, rating, provisional, shown in rows:
        if overall is None:  # not a scored period; excluded by the callers' querysets
            continue
        if rank == 1:
            latest[scorecard_id] = LatestScore(
                partner_id=partner_id,
                scorecard_id=scorecard_id,
                period_id=pk,
                label=label,
                end=end,
                overall=overall,
                shown=shown or str(round_score(overall)),
                rating=rating,
                provisional=provisional,
            )
        elif scorecard_id in latest:
            latest[scorecard_id] = replace(
                latest[scorecard_id], previous_overall=overall, previous_label=label
            )
    return latest


def scorecard_latest_scores(scorecard_ids: Iterable[int]) -> dict[int, LatestScore]:
    """The latest score of each of the given scorecards (scorecard id → score; a scorecard
    without a scored period is absent). One query."""
    return _latest_two(scored_periods().filter(scorecard_id__in=list(scorecard_ids)))


def headline_score(scores: Iterable[LatestScore]) -> LatestScore | None:
    """A partner's headline among its scorecards' latest scores: the latest end date, ties
    going to the lowest scorecard id."""
    return min(scores, key=lambda s: (-s.end.toordinal(), s.scorecard_id), default=None)


def partner_latest_scores(partners: QuerySet[Partner] | Iterable[int]) -> dict[int, LatestScore]:
    """The headline score of each of the given partners (partner id → score; a partner
    without a scored period is absent), in one query whatever the number of partners."""
    periods = (
        scored_periods().filter(scorecard__partner__in=partners)
        if isinstance(partners, QuerySet)
        else scored_periods().filter(scorecard__partner_id__in=list(partners))
    )
    by_partner: dict[int, list[LatestScore]] = defaultdict(list)
    for score in _latest_two(periods).values():
        by_partner[score.partner_id].append(score)
    headlines = {partner_id: headline_score(scores) for partner_id, scores in by_partner.items()}
    return {partner_id: score for partner_id, score in headlines.items() if score is not None}


def latest_scored_field(field: str | KeyTextTransform) -> Subquery:
    """The latest score's ``field`` (a field name or an expression such as shown_overall()),
    to annotate a queryset of scorecards with."""
    latest = scored_periods().filter(scorecard=OuterRef("pk")).order_by("-end")
    if isinstance(field, str):
        return Subquery(latest.values(field)[:1])
    return Subquery(latest.annotate(value=field).values("value")[:1])

"""Reads of value entries, risk-reward events and health surveys, scoped through
partners.access like every other selector."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404

from core.roles import Capability
from partners.access import partners_visible_to
from partners.models import Agreement
from scorecards.ledger import EventKind
from scorecards.models import HealthSurvey, RiskRewardEvent, SurveyResponse, ValueEntry
from scorecards.surveys import Side, SurveyResult, side_score_of_totals
from scorecards.value import Entry

ZERO = Decimal("0.00")


def _internal(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(Capability.VIEW_PORTFOLIO))


def value_entries_visible_to(user: Any) -> QuerySet[ValueEntry]:
    """Value entries are internal: the buyer's investments are never shown to a supplier."""
    if not _internal(user):
        return ValueEntry.objects.none()
    return ValueEntry.objects.filter(partner__in=partners_visible_to(user))


def value_entries_of(partner_id: int) -> list[Entry]:
    return [
        Entry(kind, amount, occurred_on)
        for kind, amount, occurred_on in ValueEntry.objects.filter(partner_id=partner_id)
        .order_by("occurred_on", "pk")
        .values_list("kind", "amount", "occurred_on")
    ]


def risk_events_visible_to(user: Any) -> QuerySet[RiskRewardEvent]:
    """Events of the agreements the user may see (a supplier's own; the serializer and the
    portal show a supplier only its side)."""
    return RiskRewardEvent.objects.filter(agreement__partner__in=partners_visible_to(user))


def agreement_ledger(agreement: Agreement) -> dict[str, dict[str, Decimal]]:
    """Each side's total cost overruns and joint savings of one agreement, in one query."""
    totals = {
        side: {"cost_overruns": ZERO, "joint_savings": ZERO} for side in ("buyer", "supplier")
    }
    rows = (
        RiskRewardEvent.objects.filter(agreement=agreement)
        .order_by()
        .values("kind")
        .annotate(buyer=Sum("buyer_share"), supplier=Sum("supplier_share"))
    )
    names = {EventKind.COST_OVERRUN: "cost_overruns", EventKind.JOINT_SAVING: "joint_savings"}
    for row in rows:
        for side in ("buyer", "supplier"):
            totals[side][names[EventKind(row["kind"])]] = row[side] or ZERO
    return totals


def health_surveys_visible_to(user: Any) -> QuerySet[HealthSurvey]:
    return HealthSurvey.objects.filter(partner__in=partners_visible_to(user))


def health_survey_get(user: Any, survey_id: int | str) -> HealthSurvey:
    try:
        return health_surveys_visible_to(user).select_related("partner").get(pk=int(survey_id))
    except (HealthSurvey.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such survey.") from exc


_ANSWER_SUM = (
    F("trust")
    + F("communication")
    + F("joint_problem_solving")
    + F("responsiveness")
    + F("fairness")
)


def survey_results(survey_ids: Iterable[int]) -> dict[int, SurveyResult]:
    """Each survey's side scores, index and gap, in one query for any number of surveys."""
    ids = list(survey_ids)
    totals: dict[tuple[int, str], tuple[int, int]] = {}
    rows = (
        SurveyResponse.objects.filter(survey_id__in=ids)
        .order_by()
        .values("survey_id", "side")
        .annotate(total=Sum(_ANSWER_SUM), responses=Count("id"))
    )
    for row in rows:
        totals[(row["survey_id"], row["side"])] = (row["total"], row["responses"] * 5)
    return {
        survey_id: SurveyResult(
            side_score_of_totals(*totals.get((survey_id, Side.BUYER), (0, 0))),
            side_score_of_totals(*totals.get((survey_id, Side.SUPPLIER), (0, 0))),
        )
        for survey_id in ids
    }

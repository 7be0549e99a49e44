"""Reads of value entries, risk-reward events and health surveys, scoped through
partners.access like every other selector."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Capability
from partners.access import partners_visible_to
from partners.models import Agreement, Partner
from scorecards.ledger import EventKind
from scorecards.models import (
    EarnedIncentive,
    HealthSurvey,
    IncentiveRule,
    RiskRewardEvent,
    SurveyResponse,
    ValueEntry,
)
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


def ledger_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's risk-reward panel: each agreement with ratios, its two sides'
    totals and its latest events, in two queries."""
    agreements = list(
        Agreement.objects.filter(partner=partner, partner__in=partners_visible_to(user))
        .filter(Q(cost_overrun_share_buyer__isnull=False) | Q(gain_share_buyer__isnull=False))
        .order_by("start_date", "pk")
    )
    events = list(
        RiskRewardEvent.objects.filter(agreement__in=agreements).order_by("-occurred_on", "-pk")
    )
    rows = []
    for agreement in agreements:
        own = [e for e in events if e.agreement_id == agreement.pk]
        totals = {
            side: {
                kind: sum((getattr(e, f"{side}_share") for e in own if e.kind == kind), ZERO)
                for kind in (EventKind.COST_OVERRUN, EventKind.JOINT_SAVING)
            }
            for side in ("buyer", "supplier")
        }
        rows.append({"agreement": agreement, "totals": totals, "events": own[:10]})
    return {"rows": rows, "can_edit": bool(user.can(Capability.EDIT_PARTNERS))}


def survey_history(partner: Partner) -> list[dict[str, Any]]:
    """The partner's rounds, oldest first, each with its result: two queries."""
    rounds = list(HealthSurvey.objects.filter(partner=partner).order_by("opens_on", "pk"))
    results = survey_results(s.pk for s in rounds)
    return [{"survey": s, "result": results[s.pk]} for s in rounds]


def surveys_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's health-survey panel: history with a chart, and the open round."""
    history = survey_history(partner)
    today = timezone.localdate()

    def shown(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "history": list(reversed(history)),
        "open": [h for h in history if h["survey"].opens_on <= today <= h["survey"].closes_on],
        "chart": {
            "labels": [str(h["survey"].opens_on) for h in history],
            "buyer": [shown(h["result"].buyer_score) for h in history],
            "supplier": [shown(h["result"].supplier_score) for h in history],
            "index": [shown(h["result"].health_index) for h in history],
            "names": {
                "buyer": _("We rate them"),
                "supplier": _("They rate us"),
                "index": _("Health index"),
            },
        },
        "chart_id": f"survey-chart-{partner.pk}",
        "can_open": bool(user.can(Capability.MANAGE_GOVERNANCE)),
    }


def incentive_rules_visible_to(user: Any) -> QuerySet[IncentiveRule]:
    """Rules are internal."""
    if not _internal(user):
        return IncentiveRule.objects.none()
    return IncentiveRule.objects.filter(
        Q(partner__isnull=True) | Q(partner__in=partners_visible_to(user))
    )


def earned_incentives_visible_to(user: Any) -> QuerySet[EarnedIncentive]:
    """Earned incentives are internal until a supplier is told (outside SRM)."""
    if not _internal(user):
        return EarnedIncentive.objects.none()
    return EarnedIncentive.objects.filter(partner__in=partners_visible_to(user))


def surveys_to_answer(user: Any) -> list[HealthSurvey]:
    """Open rounds of the user's partners that the user has not answered yet."""
    today = timezone.localdate()
    return list(
        health_surveys_visible_to(user)
        .filter(opens_on__lte=today, closes_on__gte=today)
        .exclude(responses__respondent=user)
        .order_by("closes_on", "pk")[:10]
    )

"""Incentive rules and the incentives scorecards earn (SPEC 3.7): rules are set by scorecard
managers; after periods close, a job lists what was earned; each is approved or declined."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.roles import Capability, require, require_any
from core.services import audit_record
from partners.models import Partner
from scorecards.incentives import OVERALL, period_score, rule_errors
from scorecards.models import (
    EarnedIncentive,
    IncentiveRule,
    IncentiveStatus,
    Period,
    PeriodStatus,
)


@transaction.atomic
def incentive_rule_create(
    *,
    actor: Actor,
    name: str,
    threshold: Decimal,
    periods: int,
    reward_kind: str,
    reward_text: str,
    perspective: str = OVERALL,
    reward_amount: Decimal | None = None,
    reward_percent: Decimal | None = None,
    partner: Partner | None = None,
) -> IncentiveRule:
    """Set an incentive rule for one partner or every partner."""
    require(actor, Capability.MANAGE_SCORECARDS)
    errors = rule_errors(
        threshold=threshold,
        periods=periods,
        reward_kind=reward_kind,
        reward_amount=reward_amount,
        reward_percent=reward_percent,
        reward_text=reward_text,
    )
    if errors:
        raise FieldErrors(errors)
    rule = IncentiveRule(
        name=name,
        partner=partner,
        perspective=perspective,
        threshold=threshold,
        periods=periods,
        reward_kind=reward_kind,
        reward_amount=reward_amount if reward_kind == "amount" else None,
        reward_percent=reward_percent if reward_kind == "volume_share" else None,
        reward_text=reward_text,
    )
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action="incentive_rule.create", obj=rule)
    return rule


def _recent_periods(rule: IncentiveRule) -> dict[int, list[Period]]:
    """The last ``rule.periods`` closed periods of every scorecard in the rule's scope, newest
    first, in one query (a window function ranks them)."""
    periods = Period.objects.filter(status=PeriodStatus.CLOSED)
    if rule.partner_id is not None:
        periods = periods.filter(scorecard__partner_id=rule.partner_id)
    ranked = (
        periods.annotate(
            recency=Window(
                RowNumber(), partition_by=[F("scorecard_id")], order_by=F("start").desc()
            )
        )
        .filter(recency__lte=rule.periods)
        .select_related("scorecard")
        .order_by("scorecard_id", "-start")
    )
    by_scorecard: dict[int, list[Period]] = defaultdict(list)
    for period in ranked:
        by_scorecard[period.scorecard_id].append(period)
    return by_scorecard


@transaction.atomic
def incentives_evaluate(*, actor: Actor) -> list[EarnedIncentive]:
    """The post-close step: for every active rule, each scorecard whose latest closed period
    completes a streak of ``periods`` qualifying periods (with no incentive of the rule earned
    earlier in that streak) earns it, listed for approval. Safe to run again."""
    require(actor, Capability.MANAGE_SCORECARDS)
    earned: list[EarnedIncentive] = []
    for rule in IncentiveRule.objects.filter(active=True).order_by("pk"):
        recent = _recent_periods(rule)
        candidates = [p for rows in recent.values() for p in rows]
        awarded = set(
            EarnedIncentive.objects.filter(
                rule=rule, period__in=[p.pk for p in candidates]
            ).values_list("period_id", flat=True)
        )
        for rows in recent.values():
            if len(rows) < rule.periods:
                continue
            scores = [period_score(p.overall, p.breakdown or {}, rule.perspective) for p in rows]
            if any(s is None or s < rule.threshold for s in scores):
                continue
            if any(p.pk in awarded for p in rows):
                continue  # this streak has earned already
            latest = rows[0]
            incentive = EarnedIncentive.objects.create(
                rule=rule, partner_id=latest.scorecard.partner_id, period=latest, score=scores[0]
            )
            audit_record(actor=actor, action="incentive.earn", obj=incentive)
            earned.append(incentive)
    return earned


@transaction.atomic
def incentive_decide(
    *, actor: Actor, incentive: EarnedIncentive, approve: bool, note: str = ""
) -> EarnedIncentive:
    """Approve or decline an earned incentive (recorded with who and when)."""
    require_any(actor, Capability.SIGN_OFF, Capability.MANAGE_SCORECARDS)
    incentive = EarnedIncentive.objects.select_for_update().get(pk=incentive.pk)
    if incentive.status != IncentiveStatus.PENDING:
        raise ConflictError(
            _("This incentive was %(status)s already.")
            % {"status": str(incentive.get_status_display()).lower()}
        )
    incentive.status = IncentiveStatus.APPROVED if approve else IncentiveStatus.DECLINED
    incentive.decided_by = actor if isinstance(actor, User) else None
    incentive.decided_at = timezone.now()
    incentive.note = note
    incentive.save()
    audit_record(
        actor=actor,
        action="incentive.approve" if approve else "incentive.decline",
        obj=incentive,
        changes={"note": note},
    )
    return incentive

"""Performance improvement plans (SPEC 3.8): suggested after a period closes critical or
needs improvement twice running, opened or dismissed by the manager (recorded), worked
through actions with owners on either side and milestones, closed with an outcome."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import Lag, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record, notification_send
from governance.improvement import (
    CHOICE_LABELS,
    TRIGGER_LABELS,
    PlanOutcome,
    PlanStatus,
    PlanTrigger,
    RootCause,
    suggestion_trigger,
)
from governance.models import ImprovementAction, ImprovementPlan
from governance.services import actions
from governance.texts import recipient_language
from partners.models import Partner, SupplierContact
from scorecards.models import Period, PeriodStatus


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _due_periods() -> list[Period]:
    """Each scorecard's latest closed period that calls for a plan and has none yet: one
    query with window functions, whatever the number of scorecards."""
    ranked = (
        Period.objects.filter(status=PeriodStatus.CLOSED)
        .annotate(
            previous_rating=Window(
                Lag("rating"), partition_by=[F("scorecard_id")], order_by=F("start").asc()
            ),
            recency=Window(
                RowNumber(), partition_by=[F("scorecard_id")], order_by=F("start").desc()
            ),
        )
        .filter(recency=1)
        .filter(
            Q(rating="critical")
            | Q(rating="needs_improvement", previous_rating="needs_improvement")
        )
        .select_related("scorecard__partner__owner", "scorecard__partner__alliance_manager")
    )
    taken = set(
        ImprovementPlan.objects.filter(period__isnull=False).values_list("period_id", flat=True)
    )
    return [p for p in ranked if p.pk not in taken]


@transaction.atomic
def improvement_suggest_due(*, actor: Actor) -> list[ImprovementPlan]:
    """The post-close step (a scheduled job, apart from the set-based close): suggest a plan
    for every scorecard whose latest closed period calls for one, once per period, and tell
    the partnership's owner. Running it again suggests nothing new."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    suggested = []
    for period in _due_periods():
        previous = getattr(period, "previous_rating", None)
        trigger = suggestion_trigger(period.rating, previous)
        if trigger is None:
            continue
        partner = period.scorecard.partner
        plan = ImprovementPlan.objects.create(partner=partner, period=period, trigger=trigger)
        audit_record(actor=actor, action="improvement_plan.suggest", obj=plan)
        for user in {u for u in (partner.owner, partner.alliance_manager) if u is not None}:
            with translation.override(recipient_language(user)):
                subject = _(
                    "Improvement plan suggested for %(partner)s: %(trigger)s in %(period)s"
                ) % {
                    "partner": partner.short_name,
                    "trigger": TRIGGER_LABELS[trigger],
                    "period": period.label,
                }
            notification_send(
                recipient=user,
                key=f"improvement-suggested-{plan.pk}-{user.pk}",
                subject=subject,
                url=f"/governance/improvement-plans/{plan.pk}/",
                partner_id=partner.pk,
            )
        suggested.append(plan)
    return suggested


@transaction.atomic
def improvement_plan_create(
    *,
    actor: Actor,
    partner: Partner,
    root_cause: str,
    root_cause_detail: str = "",
    review_date: date | None = None,
) -> ImprovementPlan:
    """Open a plan by hand (no suggestion before it)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    plan = ImprovementPlan.objects.create(
        partner=partner,
        trigger=PlanTrigger.MANUAL,
        status=PlanStatus.OPEN,
        decided_by=_user(actor),
        decided_at=timezone.now(),
    )
    return _set_cause(actor, plan, root_cause, root_cause_detail, review_date, "create")


def _set_cause(
    actor: Actor,
    plan: ImprovementPlan,
    root_cause: str,
    detail: str,
    review_date: date | None,
    verb: str,
) -> ImprovementPlan:
    if root_cause not in RootCause.__members__.values():
        raise FieldErrors(
            {"root_cause": [_("Choose resources, incentives, communication or other.")]}
        )
    plan.root_cause = root_cause
    plan.root_cause_detail = detail
    plan.review_date = review_date
    plan.save()
    audit_record(
        actor=actor,
        action=f"improvement_plan.{verb}",
        obj=plan,
        changes={"root_cause": root_cause, "review_date": review_date},
    )
    risk_signals_refresh_after_commit([plan.partner_id])  # an open improvement plan
    return plan


def _locked(plan: ImprovementPlan, *expected: PlanStatus) -> ImprovementPlan:
    plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in expected:
        raise ConflictError(
            _("The plan's status is “%(status)s”.") % {"status": CHOICE_LABELS[plan.status]}
        )
    return plan


@transaction.atomic
def improvement_plan_open(
    *,
    actor: Actor,
    plan: ImprovementPlan,
    root_cause: str,
    root_cause_detail: str = "",
    review_date: date | None = None,
) -> ImprovementPlan:
    """The manager opens a suggested plan with its root cause and review date."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    plan = _locked(plan, PlanStatus.SUGGESTED)
    plan.status = PlanStatus.OPEN
    plan.decided_by = _user(actor)
    plan.decided_at = timezone.now()
    return _set_cause(actor, plan, root_cause, root_cause_detail, review_date, "open")


@transaction.atomic
def improvement_plan_dismiss(
    *, actor: Actor, plan: ImprovementPlan, reason: str
) -> ImprovementPlan:
    """The manager dismisses a suggestion, saying why (recorded)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not reason.strip():
        raise FieldErrors({"reason": [_("Say why the suggestion is dismissed.")]})
    plan = _locked(plan, PlanStatus.SUGGESTED)
    plan.status = PlanStatus.DISMISSED
    plan.dismissal_reason = reason
    plan.decided_by = _user(actor)
    plan.decided_at = timezone.now()
    plan.save()
    audit_record(
        actor=actor, action="improvement_plan.dismiss", obj=plan, changes={"reason": reason}
    )
    return plan


@transaction.atomic
def improvement_plan_close(*, actor: Actor, plan: ImprovementPlan, outcome: str) -> ImprovementPlan:
    """Close an open plan with its outcome: improved, moved to transactional or phased out."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if outcome not in PlanOutcome.__members__.values():
        raise FieldErrors(
            {"outcome": [_("Choose improved, moved to transactional or phased out.")]}
        )
    plan = _locked(plan, PlanStatus.OPEN)
    plan.status = PlanStatus.CLOSED
    plan.outcome = outcome
    plan.closed_at = timezone.now()
    plan.save()
    audit_record(
        actor=actor, action="improvement_plan.close", obj=plan, changes={"outcome": outcome}
    )
    risk_signals_refresh_after_commit([plan.partner_id])
    return plan


@transaction.atomic
def improvement_action_add(
    *,
    actor: Actor,
    plan: ImprovementPlan,
    title: str,
    milestone: str = "",
    owner_user: User | None = None,
    owner_contact: SupplierContact | None = None,
    due_date: date | None = None,
) -> ImprovementAction:
    """Add an action to an open plan: an action item (owned on the buyer's side by a user, or
    on the supplier's by a contact; shared, so the supplier sees it in the portal) with its
    milestone."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    plan = _locked(plan, PlanStatus.OPEN)
    created = actions.action_create(
        actor=actor,
        partner=plan.partner,
        title=title,
        description=_("Improvement plan milestone: %(milestone)s") % {"milestone": milestone}
        if milestone
        else "",
        owner_user=owner_user,
        owner_contact=owner_contact,
        due_date=due_date,
    )
    link = ImprovementAction.objects.create(plan=plan, action=created.action, milestone=milestone)
    audit_record(
        actor=actor,
        action="improvement_plan.action_add",
        obj=plan,
        changes={"action": created.action, "milestone": milestone},
    )
    return link

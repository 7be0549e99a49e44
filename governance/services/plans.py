"""Joint business plans (SPEC 2.7): per partnership and year, objectives with measurable
targets (linked to scorecard KPIs where possible) and milestones with owners."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from governance.access import require_valid_owner
from governance.models import (
    JointBusinessPlan,
    PlanMilestone,
    PlanObjective,
    Visibility,
)
from partners.models import Partner, SupplierContact
from scorecards.selectors import partner_kpi_choices


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    partner: Partner,
    year: int,
    title: str,
    summary: str = "",
    visibility: str = Visibility.SHARED,
) -> JointBusinessPlan:
    """Create the partnership's joint business plan for a year; one per partner and year."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if JointBusinessPlan.objects.filter(partner=partner, year=year).exists():
        raise FieldErrors(
            {
                "year": [
                    _("%(partner)s has a joint business plan for %(year)s already.")
                    % {"partner": partner, "year": year}
                ]
            }
        )
    plan = JointBusinessPlan(
        partner=partner, year=year, title=title, summary=summary, visibility=visibility
    )
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="plan.create", obj=plan)
    return plan


@transaction.atomic
def objective_add(
    *,
    actor: Actor,
    plan: JointBusinessPlan,
    title: str,
    target: str,
    kpi_reference: str = "",
    progress_percent: int = 0,
) -> PlanObjective:
    """Add an objective to a joint business plan, optionally tracked by a scorecard KPI (by
    code, which stays the same across template versions). Refuses an objective without a
    target and a KPI code none of the partner's scorecards has."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not target.strip():
        raise FieldErrors({"target": [_("Give a measurable target.")]})
    if kpi_reference:
        known = dict(partner_kpi_choices(plan.partner))
        if kpi_reference not in known:
            offered = ", ".join(known) or _("none yet: apply a scorecard template first")
            raise FieldErrors(
                {
                    "kpi_reference": [
                        _(
                            "No scorecard of %(partner)s has a KPI “%(code)s”. "
                            "Its KPIs: %(offered)s."
                        )
                        % {"partner": plan.partner, "code": kpi_reference, "offered": offered}
                    ]
                }
            )
    objective = PlanObjective(
        plan=plan,
        title=title,
        target=target,
        kpi_reference=kpi_reference,
        progress_percent=progress_percent,
    )
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action="plan.objective_add", obj=plan, changes={"objective": title})
    return objective


@transaction.atomic
def milestone_add(
    *,
    actor: Actor,
    plan: JointBusinessPlan,
    title: str,
    due_date: date,
    owner_user: User | None = None,
    owner_contact: SupplierContact | None = None,
    objective: PlanObjective | None = None,
    done_at: date | None = None,
) -> PlanMilestone:
    """Add a milestone with one owner (ours or the partner's) to a joint business plan,
    optionally under one of its objectives."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    require_valid_owner(plan.partner, owner_user, owner_contact)
    if objective is not None and objective.plan_id != plan.pk:
        raise FieldErrors({"objective": [_("Choose an objective of this plan.")]})
    milestone = PlanMilestone(
        plan=plan,
        title=title,
        due_date=due_date,
        owner_user=owner_user,
        owner_contact=owner_contact,
        objective=objective,
        done_at=done_at,
    )
    milestone.full_clean()
    milestone.save()
    audit_record(actor=actor, action="plan.milestone_add", obj=plan, changes={"milestone": title})
    return milestone


@transaction.atomic
def milestone_complete(
    *, actor: Actor, milestone: PlanMilestone, done_on: date | None = None
) -> PlanMilestone:
    """Mark a joint-plan milestone done (today unless a date is given); once (409 after)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ConflictError(_("This milestone is done already."))
    milestone.done_at = done_on or timezone.localdate()
    milestone.save(update_fields=["done_at"])
    audit_record(
        actor=actor,
        action="plan.milestone_done",
        obj=milestone.plan,
        changes={"milestone": milestone.title, "done_at": milestone.done_at},
    )
    return milestone

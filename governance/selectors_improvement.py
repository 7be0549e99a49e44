"""Reads of improvement plans, scoped through partners.access. Plans (root cause, trigger,
decisions) are internal; a supplier sees only the plan's actions, which are shared action
items and reach it through the portal's action pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.roles import Capability
from governance.escalation import ActionStatus
from governance.improvement import PlanStatus
from governance.models import ImprovementAction, ImprovementPlan
from partners.access import partners_visible_to
from partners.models import Partner


def improvement_plans_visible_to(user: Any) -> QuerySet[ImprovementPlan]:
    if not (getattr(user, "is_authenticated", False) and user.can(Capability.VIEW_PORTFOLIO)):
        return ImprovementPlan.objects.none()
    return ImprovementPlan.objects.filter(partner__in=partners_visible_to(user))


def improvement_actions_visible_to(user: Any) -> QuerySet[ImprovementAction]:
    """Actions of open plans: internal users see all, a supplier its own partner's."""
    return ImprovementAction.objects.filter(
        plan__partner__in=partners_visible_to(user), plan__status=PlanStatus.OPEN
    )


def _with_actions(plans: QuerySet[ImprovementPlan]) -> QuerySet[ImprovementPlan]:
    return plans.select_related("partner", "period", "decided_by").prefetch_related(
        Prefetch(
            "links",
            queryset=ImprovementAction.objects.select_related(
                "action__owner_user", "action__owner_contact"
            ).order_by("action__due_date", "pk"),
        )
    )


def improvement_plan_get(user: Any, plan_id: int | str) -> ImprovementPlan:
    try:
        return _with_actions(improvement_plans_visible_to(user)).get(pk=int(plan_id))
    except (ImprovementPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such improvement plan.") from exc


def improvement_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's improvement-plan panel: suggestions and open plans with their
    actions (three queries), and the latest decided ones."""
    plans = list(
        _with_actions(improvement_plans_visible_to(user).filter(partner=partner)).order_by(
            "-created_at", "-pk"
        )[:10]
    )
    return {
        "suggested": [p for p in plans if p.status == PlanStatus.SUGGESTED],
        "open": [p for p in plans if p.status == PlanStatus.OPEN],
        "decided": [p for p in plans if p.status in (PlanStatus.CLOSED, PlanStatus.DISMISSED)],
        "can_manage": bool(user.can(Capability.MANAGE_GOVERNANCE)),
    }


def open_improvement_actions(user: Any, *, limit: int = 20) -> list[ImprovementAction]:
    """Open plans' actions the user owns (the workspace) or its company owes (the portal)."""
    links = improvement_actions_visible_to(user).select_related(
        "plan__partner", "action__owner_user", "action__owner_contact"
    )
    if user.can(Capability.VIEW_PORTFOLIO):
        links = links.filter(action__owner_user=user)
    finished = (ActionStatus.DONE, ActionStatus.CANCELLED)
    return list(
        links.exclude(action__status__in=finished).order_by("action__due_date", "pk")[:limit]
    )

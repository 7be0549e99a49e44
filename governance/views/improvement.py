"""Improvement plan pages (SPEC 3.8): the plan with its suggestion decision, actions and
outcome; one URL per form. Internal only: a supplier sees the plan's actions in the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.roles import Capability
from governance.forms_improvement import (
    PlanActionForm,
    PlanCloseForm,
    PlanDismissForm,
    PlanOpenForm,
)
from governance.models import ImprovementPlan
from governance.selectors_improvement import improvement_plan_get
from governance.services import improvement
from governance.views.common import internal_partner, request_user
from partners.access import require_capability


def _page(request: HttpRequest, plan: ImprovementPlan, **forms_: forms.Form) -> HttpResponse:
    context: dict[str, Any] = {
        "plan": plan,
        "actions": [(link.action, link.milestone) for link in plan.links.all()],
        "open_form": forms_.get("open_form") or PlanOpenForm(),
        "dismiss_form": forms_.get("dismiss_form") or PlanDismissForm(),
        "close_form": forms_.get("close_form") or PlanCloseForm(),
        "action_form": forms_.get("action_form") or PlanActionForm(partner=plan.partner),
        "can_manage": request_user(request).can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/improvement_plan.html", context)


@login_required
def plan_view(request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return _page(request, improvement_plan_get(request.user, improvement_plan_id))


def _post(
    request: HttpRequest,
    improvement_plan_id: int,
    form_class: Any,
    key: str,
    call: Any,
    done: str,
) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_GOVERNANCE)
    plan = improvement_plan_get(request.user, improvement_plan_id)
    form = (
        form_class(request.POST, partner=plan.partner)
        if form_class is PlanActionForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            call(plan, form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("governance:improvement-plan", improvement_plan_id=plan.pk)
    return _page(request, plan, **{key: form})


@login_required
@require_POST
def plan_open(request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
    actor = request_user(request)
    return _post(
        request,
        improvement_plan_id,
        PlanOpenForm,
        "open_form",
        lambda plan, data: improvement.improvement_plan_open(actor=actor, plan=plan, **data),
        _("Plan opened."),
    )


@login_required
@require_POST
def plan_dismiss(request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
    actor = request_user(request)
    return _post(
        request,
        improvement_plan_id,
        PlanDismissForm,
        "dismiss_form",
        lambda plan, data: improvement.improvement_plan_dismiss(actor=actor, plan=plan, **data),
        _("Suggestion dismissed."),
    )


@login_required
@require_POST
def plan_close(request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
    actor = request_user(request)
    return _post(
        request,
        improvement_plan_id,
        PlanCloseForm,
        "close_form",
        lambda plan, data: improvement.improvement_plan_close(actor=actor, plan=plan, **data),
        _("Plan closed."),
    )


@login_required
@require_POST
def plan_action_add(request: HttpRequest, improvement_plan_id: int) -> HttpResponse:
    actor = request_user(request)
    return _post(
        request,
        improvement_plan_id,
        PlanActionForm,
        "action_form",
        lambda plan, data: improvement.improvement_action_add(actor=actor, plan=plan, **data),
        _("Action added."),
    )


@login_required
@require_POST
def plan_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_GOVERNANCE)
    partner = internal_partner(request, partner_id)
    form = PlanOpenForm(request.POST)
    if form.is_valid():
        try:
            plan = improvement.improvement_plan_create(
                actor=request_user(request), partner=partner, **form.cleaned_data
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            return redirect("governance:improvement-plan", improvement_plan_id=plan.pk)
    return render_page(
        request,
        "scorecards/accountability_form.html",
        {"title": _("Open an improvement plan"), "form": form, "back": f"/partners/{partner.pk}/"},
    )

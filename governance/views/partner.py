"""The governance page of one partnership: charter, cadences, joint business plans and the
innovation roadmap, and one view per form on it."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import add_field_errors, conflict_message, posted_version
from core.htmx import render_page
from core.roles import Capability
from governance import forms, selectors
from governance.models import InitiativeStage
from governance.services import cadences, charters, innovation, plans
from governance.texts import default_text
from governance.views.common import internal_partner, internal_record, request_user
from partners.models import Partner
from scorecards.selectors import partner_kpi_choices, partner_latest_kpi_results


def _page(
    request: HttpRequest,
    partner: Partner,
    *,
    posted_plan: int | None = None,
    **posted: django_forms.Form,
) -> HttpResponse:
    """The page, with ``posted`` forms (and their errors) in place of blank ones; the
    objective and milestone forms repeat per plan, ``posted_plan`` says under which."""
    user = request_user(request)
    page_forms: dict[str, django_forms.Form] = {
        "charter": forms.CharterForm(),
        "cadence": forms.CadenceForm(),
        "plan": forms.PlanForm(),
        "objective": forms.ObjectiveForm(),
        "milestone": forms.MilestoneForm(partner=partner),
        "initiative": forms.InitiativeForm(),
        **posted,
    }
    cadence_list = list(partner.cadences.all())
    milestone_fields = page_forms["milestone"].fields
    context = {
        "partner": partner,
        "charters": list(selectors.charters_visible_to(user).filter(partner=partner)),
        "cadences": cadence_list,
        # Offer the playbook only while it would add something.
        "missing_defaults": [
            d.kind.label
            for d in selectors.cadence_defaults_for_partner(partner)
            if d.kind not in {c.kind for c in cadence_list}
        ],
        "plans": list(selectors.plans_visible_to(user).filter(partner=partner)),
        "kpi_results": partner_latest_kpi_results(partner),
        "kpi_choices": partner_kpi_choices(partner),
        "initiatives": list(selectors.initiatives_visible_to(user).filter(partner=partner)),
        "lessons": list(selectors.lessons_visible_to(user).filter(partner=partner)),
        "today": timezone.localdate(),
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
        "forms": page_forms,
        "posted_plan": posted_plan,
        "stages": InitiativeStage.choices,
        # Evaluated once: the milestone form repeats under every plan.
        "owner_choices": list(milestone_fields["owner_user"].queryset),  # type: ignore[attr-defined]
        "contact_choices": list(milestone_fields["owner_contact"].queryset),  # type: ignore[attr-defined]
    }
    return render_page(request, "governance/partner.html", context)


def stage_label(stage: str) -> str:
    """An initiative stage as the reader says it (an unknown value as posted)."""
    return str(InitiativeStage(stage).label) if stage in InitiativeStage.values else stage


def _back(partner_id: int) -> HttpResponse:
    return redirect("governance:partner", partner_id=partner_id)


@login_required
def partner_governance(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Charter, cadences, joint plans and innovation of one partnership, with their forms."""
    return _page(request, internal_partner(request, partner_id))


@login_required
@require_POST
def charter_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = internal_partner(request, partner_id)
    form = forms.CharterForm(request.POST)
    if form.is_valid():
        try:
            charter = charters.charter_create_version(
                actor=request_user(request), partner=partner, **form.cleaned_data
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request, _("Charter version %(version)s saved.") % {"version": charter.version}
            )
            return _back(partner.pk)
    return _page(request, partner, charter=form)


@login_required
@require_POST
def cadence_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = internal_partner(request, partner_id)
    form = forms.CadenceForm(request.POST)
    if form.is_valid():
        user = request_user(request)
        try:
            cadence = cadences.cadence_create(actor=user, partner=partner, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            created = cadences.meetings_generate(actor=user, cadence=cadence, now=timezone.now())
            messages.success(
                request,
                ngettext(
                    "Cadence “%(name)s” added with %(count)d meeting scheduled.",
                    "Cadence “%(name)s” added with %(count)d meetings scheduled.",
                    created,
                )
                % {"name": default_text(cadence.name), "count": created},
            )
            return _back(partner.pk)
    return _page(request, partner, cadence=form)


@login_required
@require_POST
def cadence_defaults(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Add the playbook's default cadences the partner lacks and schedule 12 months."""
    partner = internal_partner(request, partner_id)
    user = request_user(request)
    created = cadences.cadences_apply_defaults(
        actor=user, partner=partner, anchor_date=timezone.localdate()
    )
    now = timezone.now()
    count = sum(cadences.meetings_generate(actor=user, cadence=c, now=now) for c in created)
    added = ngettext("%(count)d cadence added", "%(count)d cadences added", len(created)) % {
        "count": len(created)
    }
    scheduled = ngettext("%(count)d meeting scheduled.", "%(count)d meetings scheduled.", count) % {
        "count": count
    }
    messages.success(request, f"{added}, {scheduled}")
    return _back(partner.pk)


@login_required
@require_POST
def plan_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = internal_partner(request, partner_id)
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = plans.plan_create(
                actor=request_user(request), partner=partner, **form.cleaned_data
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request, _("Joint business plan %(year)s created.") % {"year": plan.year}
            )
            return _back(partner.pk)
    return _page(request, partner, plan=form)


@login_required
@require_POST
def objective_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = internal_record(request, selectors.plans_visible_to(request.user), plan_id)
    form = forms.ObjectiveForm(request.POST)
    if form.is_valid():
        try:
            plans.objective_add(actor=request_user(request), plan=plan, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Objective added."))
            return _back(plan.partner_id)
    return _page(request, plan.partner, objective=form, posted_plan=plan.pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = internal_record(request, selectors.plans_visible_to(request.user), plan_id)
    form = forms.MilestoneForm(request.POST, partner=plan.partner)
    if form.is_valid():
        try:
            plans.milestone_add(actor=request_user(request), plan=plan, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Milestone added."))
            return _back(plan.partner_id)
    return _page(request, plan.partner, milestone=form, posted_plan=plan.pk)


@login_required
@require_POST
def milestone_done(request: HttpRequest, milestone_id: int) -> HttpResponse:
    records = selectors.milestones_visible_to(request.user).select_related("plan")
    milestone = internal_record(request, records, milestone_id)
    plans.milestone_complete(actor=request_user(request), milestone=milestone)
    messages.success(request, _("Milestone “%(title)s” done.") % {"title": milestone.title})
    return _back(milestone.plan.partner_id)


@login_required
@require_POST
def initiative_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = internal_partner(request, partner_id)
    form = forms.InitiativeForm(request.POST)
    if form.is_valid():
        user = request_user(request)
        try:
            initiative = innovation.initiative_create(
                actor=user, partner=partner, owner=user, **form.cleaned_data
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request, _("Initiative “%(title)s” added.") % {"title": initiative.title}
            )
            return _back(partner.pk)
    return _page(request, partner, initiative=form)


# The stage and the realized value are one-field forms inside the roadmap's rows: a refusal
# comes back as a message above the page, which the redirect shows.


@login_required
@require_POST
def initiative_stage(request: HttpRequest, initiative_id: int) -> HttpResponse:
    records = selectors.initiatives_visible_to(request.user)
    initiative = internal_record(request, records, initiative_id)
    stage = request.POST.get("stage", "")
    try:
        innovation.initiative_update(
            actor=request_user(request),
            initiative=initiative,
            changes={"stage": stage},
            expected_version=posted_version(request),
        )
    except StaleEditError as error:
        messages.error(
            request, conflict_message(error, _("stage %(stage)s") % {"stage": stage_label(stage)})
        )
    except FieldErrors as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    else:
        messages.success(request, _("“%(title)s” moved on.") % {"title": initiative.title})
    return _back(initiative.partner_id)


@login_required
@require_POST
def initiative_value(request: HttpRequest, initiative_id: int) -> HttpResponse:
    records = selectors.initiatives_visible_to(request.user)
    initiative = internal_record(request, records, initiative_id)
    form = forms.RealizedValueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the realized value as a positive amount."))
        return _back(initiative.partner_id)
    value = form.cleaned_data["realized_value"]
    try:
        innovation.initiative_update(
            actor=request_user(request),
            initiative=initiative,
            changes={"realized_value": value},
            expected_version=posted_version(request),
        )
    except StaleEditError as error:
        messages.error(
            request,
            conflict_message(
                error, _("realized value %(value)s") % {"value": number_format(value, 2)}
            ),
        )
        return _back(initiative.partner_id)
    messages.success(
        request, _("Realized value of “%(title)s” saved.") % {"title": initiative.title}
    )
    return _back(initiative.partner_id)

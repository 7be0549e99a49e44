"""A partnership's escalation ladder and escalations, with one view per form: set the
ladder, raise an escalation, resolve one."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import add_field_errors, conflict_message, posted_version
from core.htmx import render_page
from core.roles import Capability
from governance import forms, selectors
from governance.services import escalations
from governance.views.common import internal_partner, internal_record, request_user
from partners.models import Partner


def _page(request: HttpRequest, partner: Partner, **posted: django_forms.Form) -> HttpResponse:
    """The escalations page, with ``posted`` forms (and their errors) in place of blank ones."""
    user = request_user(request)
    levels = list(partner.escalation_levels.all())
    ladder = "\n".join(f"{lv.name} | {lv.response_time_hours}" for lv in levels)
    context = {
        "partner": partner,
        "levels": levels,
        "escalations": selectors.escalations_visible_to(user)
        .filter(partner=partner)
        .prefetch_related("moves"),
        "ladder_form": forms.LadderForm(initial={"levels": ladder}),
        "raise_form": forms.EscalationForm(),
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
        "can_resolve": user.can(Capability.MANAGE_GOVERNANCE) or user.can(Capability.SIGN_OFF),
        **posted,
    }
    return render_page(request, "governance/escalations.html", context)


def _back(partner_id: int) -> HttpResponse:
    return redirect("governance:escalations", partner_id=partner_id)


@login_required
def partner_escalations(request: HttpRequest, partner_id: int) -> HttpResponse:
    return _page(request, internal_partner(request, partner_id))


@login_required
@require_POST
def escalation_ladder(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Replace the ladder: one level per line, ``name | response time in hours``."""
    partner = internal_partner(request, partner_id)
    form = forms.LadderForm(request.POST)
    if form.is_valid():
        try:
            escalations.escalation_ladder_set(
                actor=request_user(request), partner=partner, levels=form.level_rows()
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Escalation ladder saved."))
            return _back(partner.pk)
    return _page(request, partner, ladder_form=form)


@login_required
@require_POST
def escalation_raise(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = internal_partner(request, partner_id)
    form = forms.EscalationForm(request.POST)
    if form.is_valid():
        try:
            escalations.escalation_raise(
                actor=request_user(request), partner=partner, **form.cleaned_data
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Escalated to level 1; its people have been notified."))
            return _back(partner.pk)
    return _page(request, partner, raise_form=form)


@login_required
@require_POST
def escalation_resolve(request: HttpRequest, escalation_id: int) -> HttpResponse:
    """Resolve an escalation (governance managers, or executive sponsors signing off)."""
    records = selectors.escalations_visible_to(request.user)
    escalation = internal_record(request, records, escalation_id)
    form = forms.ResolutionForm(request.POST)
    if form.is_valid():
        resolution = form.cleaned_data["resolution"]
        try:
            escalations.escalation_resolve(
                actor=request_user(request),
                escalation=escalation,
                resolution=resolution,
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            messages.error(
                request,
                conflict_message(error, _("resolution “%(text)s”") % {"text": resolution}),
            )
        else:
            messages.success(request, _("Escalation resolved."))
        return _back(escalation.partner_id)
    # The resolution is typed inside the escalation's row: say what is missing above it.
    messages.error(request, _("Say how it was resolved."))
    return _page(request, escalation.partner)

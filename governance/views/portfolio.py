"""Pages across the portfolio: a partner's QBR, lessons learned, open innovation challenges
(publish one, decide on proposals) and my governance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.errors import ConflictError, FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.roles import Capability
from governance import forms, selectors
from governance.services import innovation
from governance.services import lessons as lesson_services
from governance.views.common import internal_partner, internal_record, request_user
from partners.access import partners_visible_to, require_capability


@login_required
def partner_qbr(request: HttpRequest, partner_id: int) -> HttpResponse:
    """The facts of a quarterly business review on one screen."""
    partner = internal_partner(request, partner_id)
    return render_page(request, "governance/qbr.html", selectors.qbr_context(request.user, partner))


@login_required
@vary_on_headers("HX-Request")
def lessons(request: HttpRequest) -> HttpResponse:
    """Lessons learned across the portfolio, searchable; the form records one."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    user = request_user(request)
    query = request.GET.get("q", "").strip()
    form = forms.LessonForm(request.POST or None, partners=partners_visible_to(user))
    if request.method == "POST" and form.is_valid():
        try:
            lesson_services.lesson_record(actor=user, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Lesson recorded."))
            return redirect("governance:lessons")
    context: dict[str, Any] = {
        "lessons": selectors.lesson_search(user, query)[:100],
        "q": query,
        "form": form,
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/lessons.html", context, partial="results")


def _challenges_page(request: HttpRequest, form: forms.ChallengeForm | None = None) -> HttpResponse:
    user = request_user(request)
    context = {
        "challenges": selectors.challenges_visible_to(user).prefetch_related("proposals__partner"),
        "form": form or forms.ChallengeForm(partners=partners_visible_to(user)),
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/challenges.html", context)


@login_required
def challenges(request: HttpRequest) -> HttpResponse:
    """Open innovation challenges with their proposals."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return _challenges_page(request)


@login_required
@require_POST
def challenge_publish(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    user = request_user(request)
    form = forms.ChallengeForm(request.POST, partners=partners_visible_to(user))
    if form.is_valid():
        try:
            innovation.challenge_publish(actor=user, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Challenge published to the chosen partners."))
            return redirect("governance:challenges")
    return _challenges_page(request, form)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Adopt a proposal (it becomes an initiative) or decline it with feedback."""
    records = selectors.proposals_visible_to(request.user)
    proposal = internal_record(request, records, proposal_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose adopt or decline."))
        return _challenges_page(request)
    try:
        innovation.proposal_decide(
            actor=request_user(request),
            proposal=proposal,
            adopt=form.adopt(),
            feedback=form.cleaned_data["feedback"],
        )
    # The decision is taken inside the proposal's row: a refusal, or a decision someone took
    # meanwhile, is said above the page like a form error.
    except (FieldErrors, ConflictError) as error:
        messages.error(request, _message(error))
        return _challenges_page(request)
    messages.success(request, _("Decision on “%(title)s” recorded.") % {"title": proposal.title})
    return redirect("governance:challenges")


def _message(error: FieldErrors | ConflictError) -> str:
    if isinstance(error, FieldErrors):
        return " ".join(m for ms in error.errors.values() for m in ms)
    return str(error)


@login_required
@vary_on_headers("HX-Request")
def my_governance(request: HttpRequest) -> HttpResponse:
    """My open actions and upcoming meetings; the workspace loads the lists from here."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {"governance": selectors.workspace_governance(request_user(request))}
    return render_page(request, "governance/my.html", context, partial="lists")

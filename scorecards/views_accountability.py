"""Pages of the risk-reward ledger and health surveys: forms posted from the partner page,
the survey page internal users answer on, and the portal's surveys and ledger side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners.access import access_partner, require_capability, supplier_partner
from scorecards import selectors_accountability as selectors
from scorecards.forms_accountability import (
    DecisionForm,
    IncentiveRuleForm,
    LedgerEventForm,
    SurveyAnswerForm,
    SurveyOpenForm,
)
from scorecards.models import HealthSurvey, SurveyResponse
from scorecards.services import incentives, ledger, surveys
from scorecards.surveys import DIMENSIONS


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _form_page(request: HttpRequest, title: str, form: forms.Form, back: str) -> HttpResponse:
    return render_page(
        request, "scorecards/accountability_form.html", {"title": title, "form": form, "back": back}
    )


@login_required
@require_POST
def ledger_event_add_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    form = LedgerEventForm(request.POST, partner=partner)
    if form.is_valid():
        try:
            ledger.risk_reward_event_record(actor=_user(request), **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Event recorded and split."))
            return redirect("partner-page", partner_id=partner.pk)
    return _form_page(
        request, _("Record a cost overrun or joint saving"), form, f"/partners/{partner.pk}/"
    )


@login_required
@require_POST
def survey_open_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_GOVERNANCE)
    partner = access_partner(request.user, partner_id)
    form = SurveyOpenForm(request.POST)
    if form.is_valid():
        try:
            surveys.health_survey_open(actor=_user(request), partner=partner, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Survey round opened; both sides have been asked."))
            return redirect("partner-page", partner_id=partner.pk)
    return _form_page(request, _("Open a survey round"), form, f"/partners/{partner.pk}/")


def _answer(request: HttpRequest, survey: HealthSurvey) -> tuple[SurveyAnswerForm, bool]:
    """The answer form, bound to the POST or to the user's earlier answer; True once saved."""
    mine = SurveyResponse.objects.filter(survey=survey, respondent=_user(request)).first()
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if mine is not None:
            initial = {key: getattr(mine, key) for key in DIMENSIONS} | {"comment": mine.comment}
        return SurveyAnswerForm(initial=initial), False
    form = SurveyAnswerForm(request.POST)
    if form.is_valid():
        try:
            surveys.survey_answer(
                actor=_user(request),
                survey=survey,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return form, True
    return form, False


@login_required
def survey_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """An internal user's page of one round: the results so far and their own answers."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    survey = selectors.health_survey_get(request.user, survey_id)
    form, saved = _answer(request, survey)
    if saved:
        return redirect("scorecards:survey", survey_id=survey.pk)
    today = timezone.localdate()
    return render_page(
        request,
        "scorecards/survey.html",
        {
            "survey": survey,
            "result": selectors.survey_results([survey.pk])[survey.pk],
            "form": form,
            "is_open": survey.opens_on <= today <= survey.closes_on,
            "responses": survey.responses.select_related("respondent").order_by("side", "pk"),
            "portal": False,
        },
    )


@login_required
def portal_surveys_view(request: HttpRequest) -> HttpResponse:
    """The supplier's survey rounds and its side of the risk-reward ledger."""
    partner = supplier_partner(request.user)
    today = timezone.localdate()
    rounds = list(selectors.health_surveys_visible_to(request.user).order_by("-opens_on"))
    answered = set(
        SurveyResponse.objects.filter(respondent=_user(request)).values_list("survey_id", flat=True)
    )
    return render_page(
        request,
        "scorecards/portal_surveys.html",
        {
            "partner": partner,
            "rounds": [
                {
                    "survey": s,
                    "is_open": s.opens_on <= today <= s.closes_on,
                    "answered": s.pk in answered,
                }
                for s in rounds
            ],
            "ledger": selectors.ledger_panel(request.user, partner)["rows"],
        },
    )


@login_required
def portal_survey_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A supplier user answers a round for the supplier's side (never sees the buyer's)."""
    supplier_partner(request.user)
    survey = selectors.health_survey_get(request.user, survey_id)
    form, saved = _answer(request, survey)
    if saved:
        return redirect("scorecards:portal-surveys")
    today = timezone.localdate()
    return render_page(
        request,
        "scorecards/survey.html",
        {
            "survey": survey,
            "form": form,
            "is_open": survey.opens_on <= today <= survey.closes_on,
            "portal": True,
        },
    )


def _incentives_page(
    request: HttpRequest, rule_form: IncentiveRuleForm | None = None
) -> HttpResponse:
    user = _user(request)
    earned = selectors.earned_incentives_visible_to(user).select_related(
        "partner", "period", "rule", "decided_by"
    )
    return render_page(
        request,
        "scorecards/incentives.html",
        {
            "rules": selectors.incentive_rules_visible_to(user).select_related("partner"),
            "pending": earned.filter(status="pending").order_by("created_at", "pk"),
            "decided": earned.exclude(status="pending").order_by("-decided_at", "-pk")[:20],
            "rule_form": rule_form or IncentiveRuleForm(),
            "can_set": user.can(Capability.MANAGE_SCORECARDS),
            "can_decide": user.can(Capability.MANAGE_SCORECARDS) or user.can(Capability.SIGN_OFF),
        },
    )


@login_required
def incentives_view(request: HttpRequest) -> HttpResponse:
    """Incentive rules, and the incentives earned after periods closed, for approval."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return _incentives_page(request)


@login_required
@require_POST
def incentive_rule_add_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    form = IncentiveRuleForm(request.POST)
    if form.is_valid():
        try:
            incentives.incentive_rule_create(actor=_user(request), **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Incentive rule saved."))
            return redirect("scorecards:incentives")
    return _incentives_page(request, form)


def _decide(request: HttpRequest, earned_incentive_id: int, approve: bool) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    incentive = get_object_or_404(
        selectors.earned_incentives_visible_to(request.user), pk=earned_incentive_id
    )
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    incentives.incentive_decide(
        actor=_user(request), incentive=incentive, approve=approve, note=note
    )
    messages.success(request, _("Approved.") if approve else _("Declined."))
    return redirect("scorecards:incentives")


@login_required
@require_POST
def incentive_approve_view(request: HttpRequest, earned_incentive_id: int) -> HttpResponse:
    return _decide(request, earned_incentive_id, True)


@login_required
@require_POST
def incentive_decline_view(request: HttpRequest, earned_incentive_id: int) -> HttpResponse:
    return _decide(request, earned_incentive_id, False)

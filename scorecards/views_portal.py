"""Partner-portal pages of the scorecards app: a supplier user's own scorecards, explained
and with their trend, self-reports with evidence, and disputes (SPEC 3.5, 5).

Every view starts with partners.access.supplier_partner: 403 without the portal, 404 while
the account is linked to no partner. Records are then read through the user's scope, so
another partner's record is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.models import User
from partners.access import supplier_partner
from scorecards import selectors
from scorecards.forms import DisputeForm, SelfReportForm
from scorecards.models import Period, Scorecard
from scorecards.services import disputes, measurements


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _kpis(period: Period | None) -> list[tuple[str, str]]:
    """(code, name) of the KPIs ``period`` was scored with, for the dispute form."""
    breakdown = period.score_breakdown if period is not None else None
    return breakdown.kpi_names() if breakdown else []


def _page(
    request: HttpRequest,
    scorecard: Scorecard,
    *,
    report_form: Form | None = None,
    dispute_form: Form | None = None,
) -> HttpResponse:
    context = selectors.scorecard_detail(request.user, scorecard, request.GET.get("period"))
    open_period = context["open_period"]
    context["report_form"] = report_form or (
        SelfReportForm(period=open_period) if open_period else None
    )
    selected = context.get("selected")
    context["dispute_form"] = dispute_form or DisputeForm(kpis=_kpis(selected))
    context["my_scorecards"] = selectors.scorecard_list(request.user)
    return render_page(request, "scorecards/portal_scorecard.html", context)


@login_required
def portal_scorecard_view(request: HttpRequest, scorecard_id: int | None = None) -> HttpResponse:
    """The supplier's scorecard (their first one unless another of theirs is named)."""
    supplier_partner(request.user)
    user = _user(request)
    if scorecard_id is None:
        first = selectors.scorecard_list(user).first()
        if first is None:
            return render_page(request, "scorecards/portal_scorecard.html", {"scorecard": None})
        return _page(request, first)
    return _page(request, selectors.scorecard_get(user, scorecard_id))


@login_required
@require_POST
def portal_self_report_view(request: HttpRequest, period_id: int) -> HttpResponse:
    supplier_partner(request.user)
    user = _user(request)
    period = selectors.period_get(user, period_id)
    form = SelfReportForm(request.POST, request.FILES, period=period)
    if form.is_valid():
        try:
            measurements.measurement_record(
                actor=user,
                period=period,
                kpi=form.cleaned_data["kpi"],
                value=form.cleaned_data["value"],
                measured_on=form.cleaned_data["measured_on"],
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request, _("Self-report submitted; it counts once your buyer accepts it.")
            )
            return redirect(
                reverse("scorecards:portal-scorecard-detail", args=[period.scorecard_id])
            )
    return _page(request, period.scorecard, report_form=form)


@login_required
@require_POST
def portal_dispute_view(request: HttpRequest, period_id: int) -> HttpResponse:
    supplier_partner(request.user)
    user = _user(request)
    period = selectors.period_get(user, period_id)
    form = DisputeForm(request.POST, kpis=_kpis(period))
    if form.is_valid():
        try:
            disputes.dispute_raise(
                actor=user,
                period=period,
                reason=form.cleaned_data["reason"],
                kpi_code=form.cleaned_data["kpi_code"],
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request,
                _("Your dispute of %(period)s was sent to your buyer.") % {"period": period.label},
            )
            url = reverse("scorecards:portal-scorecard-detail", args=[period.scorecard_id])
            return redirect(f"{url}?period={period.pk}")
    return _page(request, period.scorecard, dispute_form=form)

"""Partner-portal pages of the scorecards app: a supplier user's own scorecards, explained
and with their trend, self-reports with evidence, and disputes (SPEC 3.5, 5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners.access import partner_id_of_supplier, require_capability
from scorecards import selectors, services
from scorecards.forms import DisputeForm, SelfReportForm
from scorecards.models import Period, PeriodStatus, Scorecard


def _supplier(request: HttpRequest) -> User:
    require_capability(request.user, Capability.USE_PORTAL)
    if partner_id_of_supplier(request.user) is None:
        raise Http404("Your account is not linked to a partner yet.")
    assert isinstance(request.user, User)
    return request.user


def _own_period(request: HttpRequest, period_id: int) -> Period:
    # periods_visible_to scopes a supplier to their own partner: anything else is a 404.
    return selectors.period_get(_supplier(request), period_id)


def _page(request: HttpRequest, scorecard: Scorecard, **forms: object) -> HttpResponse:
    context = selectors.scorecard_detail(request.user, scorecard, request.GET.get("period"))
    open_period = context["open_period"]
    context["report_form"] = forms.get("report_form") or (
        SelfReportForm(period=open_period) if open_period else None
    )
    context["dispute_form"] = forms.get("dispute_form") or DisputeForm()
    context["my_scorecards"] = selectors.scorecard_list(request.user)
    return render_page(request, "scorecards/portal_scorecard.html", context)


@login_required
def portal_scorecard_view(request: HttpRequest, scorecard_id: int | None = None) -> HttpResponse:
    """The supplier's scorecard (their first one unless another of theirs is named)."""
    user = _supplier(request)
    if scorecard_id is None:
        first = selectors.scorecard_list(user).first()
        if first is None:
            return render_page(request, "scorecards/portal_scorecard.html", {"scorecard": None})
        scorecard = first
    else:
        scorecard = selectors.scorecard_get(user, scorecard_id)
    return _page(request, scorecard)


@login_required
@require_POST
def portal_self_report_view(request: HttpRequest, period_id: int) -> HttpResponse:
    user = _supplier(request)
    period = _own_period(request, period_id)
    form = SelfReportForm(request.POST, request.FILES, period=period)
    if form.is_valid():
        try:
            services.measurement_record(
                actor=user,
                period=period,
                kpi=form.cleaned_data["kpi"],
                value=form.cleaned_data["value"],
                measured_on=form.cleaned_data["measured_on"],
                comment=form.cleaned_data["comment"],
                evidence=form.cleaned_data["evidence"],
            )
        except FieldErrors as error:
            for field, errors in error.errors.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except (ConflictError, PermissionDeniedError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Self-report submitted; it counts once your buyer accepts it."
            )
            return redirect(
                reverse("scorecards:portal-scorecard-detail", args=[period.scorecard_id])
            )
    return _page(request, period.scorecard, report_form=form)


@login_required
@require_POST
def portal_dispute_view(request: HttpRequest, period_id: int) -> HttpResponse:
    user = _supplier(request)
    period = _own_period(request, period_id)
    form = DisputeForm(request.POST)
    if form.is_valid() and period.status == PeriodStatus.CLOSED:
        try:
            services.dispute_raise(
                actor=user,
                period=period,
                reason=form.cleaned_data["reason"],
                kpi_code=form.cleaned_data["kpi_code"],
            )
        except FieldErrors as error:
            for message in (m for ms in error.errors.values() for m in ms):
                form.add_error("reason", message)
        except (ConflictError, PermissionDeniedError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your dispute of {period.label} was sent to your buyer.")
            url = reverse("scorecards:portal-scorecard-detail", args=[period.scorecard_id])
            return redirect(f"{url}?period={period.pk}")
    elif form.is_valid():
        form.add_error(None, "Only a closed period's score can be disputed.")
    return _page(request, period.scorecard, dispute_form=form)

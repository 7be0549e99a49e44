"""Scorecard pages for internal users: list, explained scorecard, data-entry grid, import,
and the buyer's actions (close, reopen, review self-reports, resolve disputes). Template
pages are in views_templates.py, supplier pages in views_portal.py.

A service's ConflictError or PermissionDeniedError becomes its status page in
core.middleware; the actions posted from the scorecard page show a FieldErrors' messages
there (the page holds their forms), forms with a page of their own re-render with them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import conflict_message, posted_version
from core.htmx import render_page
from core.import_forms import ImportFileForm
from core.import_views import import_upload
from core.models import User
from core.roles import Capability
from partners.access import require_capability
from scorecards import exporting, selectors, selectors_templates
from scorecards.forms import (
    ReasonForm,
    ResolveForm,
    ReviewForm,
    kpi_value_from_input,
)
from scorecards.importing import MEASUREMENTS
from scorecards.models import Period, PeriodStatus
from scorecards.periods import early_close_question
from scorecards.scoring import ScorecardDict, ScoringInputError
from scorecards.services import disputes, measurements, periods, scorecards
from scorecards.template_input import scoring_preview


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _back(
    request: HttpRequest, scorecard_id: int, period_id: int | None, error: FieldErrors | None
) -> HttpResponse:
    """Back to the scorecard page (at ``period_id``), showing a field error's messages."""
    if error is not None:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    url = reverse("scorecards:detail", args=[scorecard_id])
    return redirect(f"{url}?period={period_id}" if period_id else url)


@login_required
def scorecard_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    # Paged like the partner list: a page reads its 50 scorecards' latest scores, not 5,000.
    page = Paginator(selectors.scorecard_list(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "scorecards": page.object_list,
        "pending": selectors.pending_self_reports(request.user)[:50],
    }
    return render_page(request, "scorecards/list.html", context)


@login_required
def scorecard_list_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The scorecard list as CSV or XLSX, formula-safe."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    if fmt not in {"csv", "xlsx"}:
        raise Http404(_("Export as .csv or .xlsx."))
    return exporting.scorecard_list_response(selectors.scorecard_list(request.user), fmt)


@login_required
def scorecard_detail_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)
    context = selectors.scorecard_detail(request.user, scorecard, request.GET.get("period"))
    breakdown = context["breakdown"]
    context["resolve_form"] = ResolveForm(kpi_codes=breakdown.kpi_names() if breakdown else [])
    context["can_manage"] = _user(request).can(Capability.MANAGE_SCORECARDS)
    context["can_enter"] = _user(request).can(Capability.ENTER_MEASUREMENTS)
    context["newer_template"] = selectors_templates.template_newer_than(scorecard.template)
    return render_page(request, "scorecards/detail.html", context)


@login_required
@require_POST
def scorecard_upgrade_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Move the scorecard to its template's latest version from the open period on."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)
    try:
        upgraded = scorecards.scorecard_upgrade_template(actor=_user(request), scorecard=scorecard)
    except FieldErrors as error:
        return _back(request, scorecard.pk, None, error)
    messages.success(
        request,
        _("Now using %(template)s; closed periods keep their version.")
        % {"template": upgraded.template},
    )
    return _back(request, scorecard.pk, None, None)


@login_required
@require_POST
def period_close_view(request: HttpRequest, period_id: int) -> HttpResponse:
    """Close and score a period. One that has not ended yet first shows a confirmation step
    naming its end date; the close itself happens only with ``confirm_early`` posted."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    period = selectors.period_get(request.user, period_id)
    try:
        closed = periods.period_close(
            actor=_user(request), period=period, confirm_early="confirm_early" in request.POST
        )
    except FieldErrors as error:
        if "confirm_early" not in error.errors:
            raise
        context = {
            "period": period,
            "scorecard": period.scorecard,
            "question": early_close_question(period.end),
        }
        return render(request, "scorecards/period_close_confirm.html", context)
    breakdown = closed.score_breakdown
    overall = breakdown.overall if breakdown else None
    shown = number_format(Decimal(overall)) if overall else _("no data")
    messages.success(
        request, _("%(period)s closed: %(score)s.") % {"period": closed.label, "score": shown}
    )
    return _back(request, period.scorecard_id, period.pk, None)


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, period_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    period = selectors.period_get(request.user, period_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        periods.period_reopen(actor=_user(request), period=period, reason=reason)
    except FieldErrors as error:
        return _back(request, period.scorecard_id, period.pk, error)
    messages.success(request, _("%(period)s reopened.") % {"period": period.label})
    return _back(request, period.scorecard_id, period.pk, None)


@login_required
@require_POST
def measurement_review_view(request: HttpRequest, measurement_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    measurement = selectors.measurement_get(request.user, measurement_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    accept = form.cleaned_data.get("decision") == "accept"
    scorecard_id = measurement.period.scorecard_id
    try:
        measurements.measurement_review(
            actor=_user(request),
            measurement=measurement,
            accept=accept,
            comment=form.cleaned_data.get("comment", ""),
        )
    except FieldErrors as error:
        return _back(request, scorecard_id, None, error)
    messages.success(request, _("Self-report accepted.") if accept else _("Self-report rejected."))
    return _back(request, scorecard_id, None, None)


@login_required
@require_POST
def dispute_resolve_view(request: HttpRequest, dispute_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    dispute = selectors.dispute_get(request.user, dispute_id)
    breakdown = dispute.period.score_breakdown
    form = ResolveForm(request.POST, kpi_codes=breakdown.kpi_names() if breakdown else [])
    back = (dispute.period.scorecard_id, dispute.period_id)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return _back(request, *back, FieldErrors(errors))
    try:
        disputes.dispute_resolve(
            actor=_user(request),
            dispute=dispute,
            outcome=form.cleaned_data["outcome"],
            explanation=form.cleaned_data["explanation"],
            corrections=form.corrections(),
        )
    except FieldErrors as error:
        return _back(request, *back, error)
    messages.success(request, _("Dispute resolved."))
    return _back(request, *back, None)


@login_required
def evidence_view(request: HttpRequest, measurement_id: int) -> FileResponse:
    """An evidence file, for users who may see its partner only."""
    measurement = selectors.measurement_get(request.user, measurement_id)
    if not measurement.evidence:
        raise Http404(_("No such evidence."))
    return FileResponse(measurement.evidence.open("rb"), as_attachment=True)


@login_required
def scorecard_export_view(request: HttpRequest, scorecard_id: int, fmt: str) -> HttpResponse:
    """Export for internal users and for the partner's own users alike (both see the
    breakdown); the scorecard is looked up through the user's partner scope."""
    user = _user(request)
    if not (user.can(Capability.VIEW_PORTFOLIO) or user.can(Capability.USE_PORTAL)):
        require_capability(user, Capability.VIEW_PORTFOLIO)
    if fmt not in {"csv", "xlsx"}:
        raise Http404(_("Export as .csv or .xlsx."))
    scorecard = selectors.scorecard_get(user, scorecard_id)
    return exporting.scorecard_export_response(scorecard, fmt, request.GET.get("period"))


# --- data entry ------------------------------------------------------------------------------


def _grid_rows(
    period: Period, data: dict[str, str] | None
) -> tuple[list[dict[str, Any]], dict[int, Decimal | None]]:
    """The grid's rows (one per KPI, with the buyer value) and the parsed posted values."""
    current, others = selectors.grid_values(period)
    rows: list[dict[str, Any]] = []
    parsed: dict[int, Decimal | None] = {}
    for perspective in selectors_templates.template_kpis(period.scorecard.template):
        for kpi in perspective.kpis.all():
            field = f"kpi-{kpi.pk}"
            raw = data.get(field, "").strip() if data is not None else None
            error = ""
            if raw == "":
                parsed[kpi.pk] = None
            elif raw is not None:
                try:
                    parsed[kpi.pk] = kpi_value_from_input(raw)
                except ValidationError as invalid:
                    error = " ".join(invalid.messages)
            saved = current.get(kpi.pk)
            shown = (
                raw if raw is not None else (None if saved is None else f"{saved.normalize():f}")
            )
            rows.append(
                {
                    "perspective": perspective,
                    "kpi": kpi,
                    "field": field,
                    "value": "" if shown is None else shown,
                    "error": error,
                    "others": others.get(kpi.pk, 0),
                }
            )
    return rows, parsed


def _projection(
    rows: list[dict[str, Any]], parsed: dict[int, Decimal | None]
) -> ScorecardDict | None:
    """The score the grid's values alone would give (buyer values only; a preview)."""
    perspectives: dict[int, dict[str, Any]] = {}
    for row in rows:
        perspective, kpi = row["perspective"], row["kpi"]
        entry = perspectives.setdefault(
            perspective.pk, {"code": perspective.code, "weight": perspective.weight, "kpis": []}
        )
        entry["kpis"].append(
            {
                "code": kpi.code,
                "direction": kpi.direction,
                "target": kpi.target,
                "threshold": kpi.threshold,
                "weight": kpi.weight,
                "value": parsed.get(kpi.pk),
            }
        )
    try:
        return scoring_preview(list(perspectives.values()))
    except ScoringInputError:
        return None


@login_required
@vary_on_headers("HX-Request")
def period_grid_view(request: HttpRequest, period_id: int) -> HttpResponse:
    """One grid for all KPIs of a period; HTMX validates each change and shows the score the
    values would give, saving happens on submit."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    require_capability(request.user, Capability.ENTER_MEASUREMENTS)
    period = selectors.period_get(request.user, period_id)
    data = request.POST.dict() if request.method == "POST" else None
    rows, parsed = _grid_rows(period, data)
    valid = not any(r["error"] for r in rows)
    version = (data is not None and posted_version(request)) or period.version
    status = 200
    if data is not None and valid and "save" in data:
        try:
            changed = measurements.measurements_record_grid(
                actor=_user(request),
                period=period,
                values=parsed,
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            messages.error(request, conflict_message(error, _("your values are still in the grid")))
            version, status = error.current_version, 409
        except FieldErrors as error:
            messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
        else:
            messages.success(
                request,
                ngettext(
                    "Saved %(count)s value for %(period)s.",
                    "Saved %(count)s values for %(period)s.",
                    changed,
                )
                % {"count": changed, "period": period.label},
            )
            return redirect("scorecards:grid", period_id=period.pk)
    context = {
        "period": period,
        "scorecard": period.scorecard,
        "rows": rows,
        "projected": _projection(rows, parsed) if data is not None and valid else None,
        "editable": period.status == PeriodStatus.OPEN,
        "version": version,
        "can_close": _user(request).can(Capability.MANAGE_SCORECARDS),
    }
    return render_page(request, "scorecards/grid.html", context, partial="feedback", status=status)


@login_required
def import_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Import measurements from CSV/XLSX: all rows or none, errors by row and column; a
    large file is checked (and, once confirmed, written) by a worker (core.import_views)."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    require_capability(request.user, Capability.ENTER_MEASUREMENTS)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        outcome = import_upload(
            request, kind=MEASUREMENTS.kind, params={"scorecard": scorecard.pk},
            upload=form.cleaned_data["file"],
        )  # fmt: skip
        if isinstance(outcome, HttpResponse):
            return outcome
        if not outcome.errors:
            count = outcome.counts.get("measurements", 0)
            messages.success(
                request,
                ngettext(
                    "Imported %(count)s measurement.", "Imported %(count)s measurements.", count
                )
                % {"count": count},
            )
            return redirect("scorecards:detail", scorecard_id=scorecard.pk)
        issues = outcome.errors
    context = {"scorecard": scorecard, "form": form, "issues": issues}
    return render_page(request, "scorecards/import.html", context)

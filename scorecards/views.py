"""Scorecard pages for internal users: list, explained scorecard, data-entry grid, import,
what-if preview, and the buyer's actions (close, reopen, review self-reports, resolve
disputes). Supplier pages are in views_portal.py."""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners.access import require_capability
from scorecards import exporting, selectors, services
from scorecards.forms import (
    KPI_FIELDS,
    ImportForm,
    ReasonForm,
    ResolveForm,
    ReviewForm,
    template_draft_from_post,
)
from scorecards.importing import ImportFileError, read_rows
from scorecards.models import DataSource, MeasurementStatus, PeriodStatus, ScorecardTemplate
from scorecards.scoring import Aggregation, KpiDirection, ScoringInputError


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _back(scorecard_id: int, period_id: int | None = None) -> HttpResponse:
    url = reverse("scorecards:detail", args=[scorecard_id])
    return redirect(f"{url}?period={period_id}" if period_id else url)


@login_required
def scorecard_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {
        "scorecards": selectors.scorecard_list(request.user),
        "pending": selectors.pending_self_reports(request.user)[:50],
    }
    return render_page(request, "scorecards/list.html", context)


@login_required
def scorecard_list_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The scorecard list as CSV or XLSX, formula-safe."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Export as .csv or .xlsx.")
    return exporting.scorecard_list_response(selectors.scorecard_list(request.user), fmt)


@login_required
def template_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {
        "templates": selectors.template_list(),
        "can_manage": _user(request).can(Capability.MANAGE_SCORECARDS),
    }
    return render_page(request, "scorecards/templates.html", context)


@login_required
def scorecard_detail_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)
    context = selectors.scorecard_detail(request.user, scorecard, request.GET.get("period"))
    kpi_codes = [
        (k["code"], k["name"])
        for p in (context["breakdown"] or {}).get("perspectives", [])
        for k in p["kpis"]
    ]
    context["resolve_form"] = ResolveForm(kpi_codes=kpi_codes)
    context["can_manage"] = _user(request).can(Capability.MANAGE_SCORECARDS)
    context["can_enter"] = _user(request).can(Capability.ENTER_MEASUREMENTS)
    context["newer_template"] = selectors.template_newer_than(scorecard.template)
    return render_page(request, "scorecards/detail.html", context)


@login_required
@require_POST
def scorecard_upgrade_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Move the scorecard to its template's latest version from the open period on."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)

    def do() -> str:
        upgraded = services.scorecard_upgrade_template(actor=_user(request), scorecard=scorecard)
        return f"Now using {upgraded.template}; closed periods keep their version."

    return _action(request, scorecard.pk, None, do)


def _action(
    request: HttpRequest, scorecard_id: int, period_id: int | None, do: Any
) -> HttpResponse:
    try:
        message = do()
    except FieldErrors as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
    except (ConflictError, PermissionDeniedError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return _back(scorecard_id, period_id)


@login_required
@require_POST
def period_close_view(request: HttpRequest, period_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    period = selectors.period_get(request.user, period_id)

    def do() -> str:
        closed = services.period_close(actor=_user(request), period=period)
        return f"{closed.label} closed: {closed.breakdown.get('overall') or 'no data'}."

    return _action(request, period.scorecard_id, period.pk, do)


@login_required
@require_POST
def period_reopen_view(request: HttpRequest, period_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    period = selectors.period_get(request.user, period_id)
    form = ReasonForm(request.POST)

    def do() -> str:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.period_reopen(actor=_user(request), period=period, reason=reason)
        return f"{period.label} reopened."

    return _action(request, period.scorecard_id, period.pk, do)


@login_required
@require_POST
def measurement_review_view(request: HttpRequest, measurement_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    measurement = (
        selectors.measurements_visible_to(request.user)
        .select_related("period")
        .filter(pk=measurement_id)
        .first()
    )
    if measurement is None:
        raise Http404("No such measurement.")
    form = ReviewForm(request.POST)
    form.is_valid()
    accept = form.cleaned_data.get("decision") == "accept"

    def do() -> str:
        services.measurement_review(
            actor=_user(request),
            measurement=measurement,
            accept=accept,
            comment=form.cleaned_data.get("comment", ""),
        )
        return "Self-report accepted." if accept else "Self-report rejected."

    return _action(request, measurement.period.scorecard_id, None, do)


@login_required
@require_POST
def dispute_resolve_view(request: HttpRequest, dispute_id: int) -> HttpResponse:
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    dispute = (
        selectors.disputes_visible_to(request.user)
        .select_related("period")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Http404("No such dispute.")
    codes = [
        (k["code"], k["name"])
        for p in dispute.period.breakdown.get("perspectives", [])
        for k in p["kpis"]
    ]
    form = ResolveForm(request.POST, kpi_codes=codes)
    valid = form.is_valid()

    def do() -> str:
        if not valid:
            raise FieldErrors({k: [str(m) for m in v] for k, v in form.errors.items()})
        services.dispute_resolve(
            actor=_user(request),
            dispute=dispute,
            outcome=form.cleaned_data["outcome"],
            explanation=form.cleaned_data["explanation"],
            corrections=form.corrections(),
        )
        return "Dispute resolved."

    return _action(request, dispute.period.scorecard_id, dispute.period_id, do)


@login_required
def evidence_view(request: HttpRequest, measurement_id: int) -> FileResponse:
    """An evidence file, for users who may see its partner only."""
    measurement = selectors.measurements_visible_to(request.user).filter(pk=measurement_id).first()
    if measurement is None or not measurement.evidence:
        raise Http404("No such evidence.")
    return FileResponse(measurement.evidence.open("rb"), as_attachment=True)


# --- export --------------------------------------------------------------------------------


@login_required
def scorecard_export_view(request: HttpRequest, scorecard_id: int, fmt: str) -> HttpResponse:
    """Export for internal users and for the partner's own users alike (both see the
    breakdown); the scorecard is looked up through the user's partner scope."""
    user = _user(request)
    if not (user.can(Capability.VIEW_PORTFOLIO) or user.can(Capability.USE_PORTAL)):
        require_capability(user, Capability.VIEW_PORTFOLIO)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Export as .csv or .xlsx.")
    scorecard = selectors.scorecard_get(user, scorecard_id)
    return exporting.scorecard_export_response(scorecard, fmt, request.GET.get("period"))


# --- template editor -------------------------------------------------------------------------

_PATH = re.compile(r"^perspectives\[(\d+)\](?:\.kpis\[(\d+)\])?(?:\.(\w+))?$")
_BLANK_KPI = dict.fromkeys(KPI_FIELDS, "") | {
    "direction": "higher_is_better",
    "data_source": "buyer",
    "aggregation": "mean",
}


def _editor_rows(draft: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """The draft with each field's errors beside it, a summary of every error in words, the
    weight total, and blank rows to add a KPI to each perspective or a new perspective."""
    perspectives = [
        {**p, "errors": {}, "kpis": [{**k, "errors": {}} for k in p["kpis"]]}
        for p in draft["perspectives"]
    ]
    general: list[str] = []
    summary: list[str] = []
    for path, messages_ in errors.items():
        match = _PATH.match(path)
        if match is None or int(match[1]) >= len(perspectives):
            general.extend(
                messages_ if path == "perspectives" else [f"{path}: {m}" for m in messages_]
            )
            continue
        perspective = perspectives[int(match[1])]
        where = perspective["name"] or perspective["code"] or f"Perspective {int(match[1]) + 1}"
        target = perspective
        if match[2] is not None and int(match[2]) < len(perspective["kpis"]):
            target = perspective["kpis"][int(match[2])]
            where += f" / {target['name'] or target['code'] or f'KPI {int(match[2]) + 1}'}"
        field = match[3] or "row"
        target["errors"].setdefault(field, []).extend(messages_)
        summary.extend(f"{where} · {field.replace('_', ' ')}: {m}" for m in messages_)
    for perspective in perspectives:
        perspective["kpis"].append({**_BLANK_KPI, "errors": {}})
    perspectives.append(
        {"code": "", "name": "", "weight": "", "errors": {}, "kpis": [{**_BLANK_KPI, "errors": {}}]}
    )
    total = Decimal(0)
    for perspective in draft["perspectives"]:
        with contextlib.suppress(InvalidOperation):
            total += Decimal(str(perspective["weight"]).replace(",", "."))
    return {
        **draft,
        "perspectives": perspectives,
        "general_errors": general,
        "summary": general + summary,
        "weight_total": f"{total.normalize():f}" if total.is_finite() else "?",
    }


@login_required
@vary_on_headers("HX-Request")
def template_edit_view(request: HttpRequest) -> HttpResponse:
    """Edit a template as a draft, checked by the scoring engine as you type; saving makes
    the next version (or version 1 of a new code). Scorecards keep their version until
    upgraded, and closed periods keep the version they were scored with."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    source = request.GET.get("from", "")
    start = ScorecardTemplate.objects.filter(pk=source).first() if source.isdigit() else None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        draft = template_draft_from_post(request.POST)
        errors = services.scorecard_template_errors(draft["perspectives"])
        if "save" in request.POST:
            try:
                saved = services.scorecard_template_create(actor=_user(request), **draft)
            except FieldErrors as error:
                errors = error.errors
            else:
                messages.success(request, f"Saved {saved.name} version {saved.version}.")
                return redirect(f"{reverse('scorecards:templates')}#template-{saved.pk}")
    else:
        draft = selectors.template_draft(start)
    latest = ScorecardTemplate.objects.filter(code=draft["code"]).aggregate(v=Max("version"))["v"]
    context = {
        "draft": _editor_rows(draft, errors),
        "start": start,
        "next_version": (latest or 0) + 1,
        "directions": [d.value for d in KpiDirection],
        "sources": [(DataSource.BUYER, "Buyer"), (DataSource.SUPPLIER, "Supplier self-report")],
        "aggregations": [a.value for a in Aggregation],
        "templates": ScorecardTemplate.objects.order_by("code", "-version"),
    }
    return render_page(request, "scorecards/template_edit.html", context, partial="check")


# --- data entry ------------------------------------------------------------------------------


def _grid_rows(period: Any, data: Any | None) -> tuple[list[dict[str, Any]], dict[int, Any]]:
    """The grid's rows (one per KPI, with the buyer value) and the parsed posted values."""
    perspectives = selectors.template_kpis(period.scorecard.template)
    current = {
        m.kpi_id: m.value
        for m in period.measurements.filter(source="buyer", measured_on=period.end)
    }
    # Values that count besides the grid's: dated sub-period values and accepted self-reports.
    others = dict(
        period.measurements.filter(status=MeasurementStatus.ACCEPTED)
        .exclude(source="buyer", measured_on=period.end)
        .values("kpi_id")
        .annotate(n=Count("id"))
        .values_list("kpi_id", "n")
    )
    rows: list[dict[str, Any]] = []
    parsed: dict[int, Decimal | None] = {}
    for perspective in perspectives:
        for kpi in perspective.kpis.all():
            field = f"kpi-{kpi.pk}"
            raw = data.get(field, "").strip() if data is not None else None
            error = ""
            if raw is not None:
                if raw == "":
                    parsed[kpi.pk] = None
                else:
                    try:
                        value = Decimal(raw.replace(",", "."))
                    except InvalidOperation:
                        value = Decimal("NaN")
                    error = services.number_error(value) or ""
                    if not error:
                        parsed[kpi.pk] = value
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


@login_required
@vary_on_headers("HX-Request")
def period_grid_view(request: HttpRequest, period_id: int) -> HttpResponse:
    """One grid for all KPIs of a period; HTMX validates each change and shows the score the
    values would give, saving happens on submit."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    require_capability(request.user, Capability.ENTER_MEASUREMENTS)
    period = selectors.period_get(request.user, period_id)
    data = request.POST if request.method == "POST" else None
    rows, parsed = _grid_rows(period, data)
    errors = any(r["error"] for r in rows)
    projected = None
    if data is not None and not errors:
        projected = _projection(rows, parsed)
    if request.method == "POST" and "save" in request.POST and not errors:
        try:
            changed = services.measurements_record_grid(
                actor=_user(request), period=period, values=parsed
            )
        except (ConflictError, PermissionDeniedError, FieldErrors) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Saved {changed} value(s) for {period.label}.")
            return redirect("scorecards:grid", period_id=period.pk)
    context = {
        "period": period,
        "scorecard": period.scorecard,
        "rows": rows,
        "projected": projected,
        "editable": period.status == PeriodStatus.OPEN,
    }
    return render_page(request, "scorecards/grid.html", context, partial="feedback")


def _projection(rows: list[dict[str, Any]], parsed: dict[int, Decimal | None]) -> Any:
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
        return services.scoring_preview(list(perspectives.values()))
    except ScoringInputError:
        return None


@login_required
def import_view(request: HttpRequest, scorecard_id: int) -> HttpResponse:
    """Import measurements from CSV/XLSX: all rows or none, errors by row and column."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    require_capability(request.user, Capability.ENTER_MEASUREMENTS)
    scorecard = selectors.scorecard_get(request.user, scorecard_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_rows(upload, upload.name or "")
            count = services.measurements_import(
                actor=_user(request), scorecard=scorecard, rows=rows
            )
        except services.MeasurementImportError as error:
            issues = error.issues
        except ImportFileError as error:
            for message in error.errors["file"]:
                form.add_error("file", message)
        except (ConflictError, FieldErrors) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Imported {count} measurement(s).")
            return redirect("scorecards:detail", scorecard_id=scorecard.pk)
    context = {"scorecard": scorecard, "form": form, "issues": issues}
    return render_page(request, "scorecards/import.html", context)


# --- what-if preview -------------------------------------------------------------------------


def _preview_data(post: Any) -> list[dict[str, Any]]:
    """Perspectives and KPIs (with values) posted by the preview form or by the template
    editor's "try it" button; rows left blank in the editor are skipped."""
    perspectives = []
    p_index = 0
    while f"p{p_index}-code" in post:
        kpis = []
        k_index = 0
        while f"p{p_index}-k{k_index}-code" in post:
            prefix = f"p{p_index}-k{k_index}-"
            kpi = {
                name: post.get(prefix + name, "").strip()
                for name in ("code", "name", "direction", "target", "threshold", "weight", "value")
            }
            if any(kpi[n] for n in ("code", "name", "target", "threshold", "weight", "value")):
                kpis.append(kpi)
            k_index += 1
        code = post.get(f"p{p_index}-code", "").strip()
        weight = post.get(f"p{p_index}-weight", "").strip()
        if code or weight or kpis:
            perspectives.append(
                {
                    "code": code,
                    "name": post.get(f"p{p_index}-name", "").strip() or code,
                    "weight": weight,
                    "kpis": kpis,
                }
            )
        p_index += 1
    return perspectives


def _preview_rows(template: ScorecardTemplate | None) -> list[dict[str, Any]]:
    """A template's perspectives and KPIs as the preview form's rows, values empty."""
    if template is None:
        return []
    draft = selectors.template_draft(template)
    return [{**p, "kpis": [{**k, "value": ""} for k in p["kpis"]]} for p in draft["perspectives"]]


@login_required
@vary_on_headers("HX-Request")
def preview_view(request: HttpRequest) -> HttpResponse:
    """Try weights and values against the scoring engine before changing a template."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    templates = ScorecardTemplate.objects.order_by("code", "-version")
    chosen = request.GET.get("template")
    # Without a choice, start from the template most scorecards use.
    template = (
        templates.filter(pk=chosen).first()
        if chosen and chosen.isdigit()
        else templates.annotate(n=Count("scorecards")).order_by("-n", "code", "-version").first()
    )
    result = None
    errors: dict[str, list[str]] = {}
    rows = _preview_rows(template)
    if request.method == "POST":
        # The posted draft is what is scored and shown (it may come from the template editor).
        rows = _preview_data(request.POST)
        try:
            result = services.scoring_preview(rows)
        except ScoringInputError as error:
            errors = error.errors
    # The editor's wording: "Cost / Defects · threshold: ...", not field paths.
    summary = _editor_rows({"perspectives": rows}, errors)["summary"] if errors else []
    context = {
        "templates": templates,
        "template": template,
        "error_summary": summary,
        "draft": request.method == "POST" and "template" not in request.GET,
        "perspectives": rows,
        "result": result,
        "errors": errors,
    }
    return render_page(request, "scorecards/preview.html", context, partial="result")

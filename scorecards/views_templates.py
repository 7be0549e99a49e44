"""Scorecard template pages for internal users: the versions, the editor (checked by the
scoring engine as you type) and the what-if preview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners.access import access_partner, require_capability
from scorecards import selectors_templates
from scorecards.forms import (
    ScorecardAddForm,
    preview_draft_from_post,
    template_draft_from_post,
    template_editor_rows,
)
from scorecards.models import DataSource, ScorecardTemplate
from scorecards.scoring import Aggregation, KpiDirection, ScoringInputError
from scorecards.services import scorecards as scorecard_services
from scorecards.services import templates
from scorecards.template_input import scorecard_template_errors, scoring_preview


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def template_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {
        "templates": selectors_templates.template_list(),
        "can_manage": _user(request).can(Capability.MANAGE_SCORECARDS),
    }
    return render_page(request, "scorecards/templates.html", context)


@login_required
def scorecard_add_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Add a scorecard from a chosen template to a partner (from the partner page); a
    template the partner already has a scorecard from is refused at the field."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    partner = access_partner(request.user, partner_id)
    form = ScorecardAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard = scorecard_services.scorecard_add_from_template(
                actor=_user(request),
                partner=partner,
                template_code=form.cleaned_data["template_code"],
                frequency=form.cleaned_data["frequency"],
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request,
                _("%(partner)s now has a %(template)s scorecard.")
                % {"partner": partner.short_name, "template": scorecard.template.name},
            )
            return redirect("scorecards:detail", scorecard_id=scorecard.pk)
    context = {"partner": partner, "form": form}
    return render_page(request, "scorecards/scorecard_add.html", context)


# --- template editor -------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def template_edit_view(request: HttpRequest) -> HttpResponse:
    """Edit a template as a draft, checked by the scoring engine as you type; saving makes
    the next version (or version 1 of a new code). Scorecards keep their version until
    upgraded, and closed periods keep the version they were scored with."""
    require_capability(request.user, Capability.MANAGE_SCORECARDS)
    start = selectors_templates.template_version_get(request.GET.get("from"))
    errors: dict[str, list[str]] = {}
    if request.method != "POST":
        draft = selectors_templates.template_draft(start)
    else:
        draft = template_draft_from_post(request.POST)
        errors = scorecard_template_errors(draft["perspectives"])
        if "save" in request.POST:
            try:
                saved = templates.scorecard_template_create(
                    actor=_user(request),
                    code=draft["code"],
                    name=draft["name"],
                    description=draft["description"],
                    perspectives=draft["perspectives"],
                )
            except FieldErrors as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    _("Saved %(name)s version %(version)s.")
                    % {"name": saved.name, "version": saved.version},
                )
                return redirect(f"{reverse('scorecards:templates')}#template-{saved.pk}")
    context = {
        "draft": template_editor_rows(draft, errors),
        "start": start,
        "next_version": selectors_templates.template_next_version(draft["code"]),
        "directions": [d.value for d in KpiDirection],
        "sources": [
            (DataSource.BUYER, DataSource.BUYER.label),
            (DataSource.SUPPLIER, DataSource.SUPPLIER.label),
        ],
        "aggregations": [a.value for a in Aggregation],
        "templates": selectors_templates.template_versions(),
    }
    return render_page(request, "scorecards/template_edit.html", context, partial="check")


# --- what-if preview -------------------------------------------------------------------------


def _preview_rows(template: ScorecardTemplate | None) -> list[dict[str, Any]]:
    """A template's perspectives and KPIs as the preview form's rows, values empty."""
    if template is None:
        return []
    draft = selectors_templates.template_draft(template)
    return [{**p, "kpis": [{**k, "value": ""} for k in p["kpis"]]} for p in draft["perspectives"]]


@login_required
@vary_on_headers("HX-Request")
def preview_view(request: HttpRequest) -> HttpResponse:
    """Try weights and values against the scoring engine before changing a template."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    chosen = request.GET.get("template")
    # Without a choice, start from the template most scorecards use.
    template = (
        selectors_templates.template_version_get(chosen)
        if chosen and chosen.isdigit()
        else selectors_templates.template_most_used()
    )
    result = None
    errors: dict[str, list[str]] = {}
    rows = _preview_rows(template)
    if request.method == "POST":
        # The posted draft is what is scored and shown (it may come from the template editor).
        rows = preview_draft_from_post(request.POST)
        try:
            result = scoring_preview(rows)
        except ScoringInputError as error:
            errors = error.errors
    # The editor's wording: "Cost / Defects · threshold: ...", not field paths.
    summary = template_editor_rows({"perspectives": rows}, errors)["summary"] if errors else []
    context = {
        "templates": selectors_templates.template_versions(),
        "template": template,
        "error_summary": summary,
        "draft": request.method == "POST" and "template" not in request.GET,
        "perspectives": rows,
        "result": result,
        "errors": errors,
    }
    return render_page(request, "scorecards/preview.html", context, partial="result")

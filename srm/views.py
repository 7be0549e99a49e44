"""Top-level pages: landing by role, the workspace, the executive dashboard, the portal home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from core.roles import Capability, Role
from governance.selectors import escalations_on_me
from governance.selectors_improvement import open_improvement_actions
from partners.access import access_partner, partner_id_of_supplier, require_capability
from scorecards.latest_scores import partner_latest_scores
from scorecards.selectors import disputes_to_resolve
from scorecards.selectors_accountability import surveys_to_answer
from srm import dashboards
from srm.playbooks import partner_playbook_apply
from srm.workspace import workspace_partners, workspace_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to the page it starts its day on."""
    role = request.user.role_enum  # type: ignore[union-attr]
    if role is Role.SUPPLIER_USER:
        return redirect("portal:home")
    if role is Role.EXECUTIVE_SPONSOR:
        return redirect("executive-dashboard")
    return redirect("workspace")


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    my_partners = workspace_partners(request.user)
    context = {
        "my_partners": my_partners,
        "latest_scores": partner_latest_scores(my_partners),
        "summary": workspace_summary(request.user),
        "scorecard_work": dashboards.workspace_scorecard_work(request.user, my_partners),
        "disputes_to_resolve": disputes_to_resolve(request.user),
        "escalations_on_me": escalations_on_me(request.user),
        "improvement_actions": open_improvement_actions(request.user),
    }
    return render(request, "srm/workspace.html", context)


@login_required
@vary_on_headers("HX-Request")
def executive_dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard; its filter form swaps the body (``#dashboard-body``) over HTMX."""
    require_capability(request.user, Capability.VIEW_EXECUTIVE_DASHBOARD)
    context = dashboards.executive_dashboard_data(
        request.user, request.GET, at_risk_page=request.GET.get("at_risk_page")
    )
    if not request.htmx or request.htmx.history_restore_request:  # type: ignore[attr-defined]
        return render(request, "srm/executive_dashboard.html", context)
    response = render(request, "srm/executive_dashboard.html#dashboard-body", context)
    # The address keeps the filters that apply, without the empty ones of the form.
    page = request.GET.get("at_risk_page")
    query = context["filters"].query(**({"at_risk_page": page} if page else {}))
    return push_url(response, request.path + (f"?{query}" if query else ""))


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.USE_PORTAL)
    partner_id = partner_id_of_supplier(request.user)
    if partner_id is None:
        raise Http404("Your account is not linked to a partner yet.")
    partner = access_partner(request.user, partner_id)
    context = dashboards.portal_home_data(partner)
    context["improvement_actions"] = open_improvement_actions(request.user)
    context["surveys_to_answer"] = surveys_to_answer(request.user)
    return render(request, "portal/home.html", context)


@login_required
@require_POST
def partner_playbook_apply_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Apply the partner's engagement-model playbook: its cadences and its scorecard."""
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    applied = partner_playbook_apply(actor=request.user, partner=partner)  # type: ignore[arg-type]
    counts = {"series": applied.cadences_added, "meetings": applied.meetings_scheduled}
    if applied.scorecard:
        summary = _(
            "Playbook applied: %(series)d meeting series added (%(meetings)d meetings "
            "scheduled); scorecard “%(scorecard)s” in place."
        ) % {**counts, "scorecard": applied.scorecard}
    else:
        summary = (
            _(
                "Playbook applied: %(series)d meeting series added (%(meetings)d meetings "
                "scheduled)."
            )
            % counts
        )
    messages.success(request, summary)
    for problem in applied.problems:
        messages.warning(request, problem)
    return redirect("partner-page", partner_id=partner.pk)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the Django admin's)."""
    return redirect(static("favicon.svg"), permanent=True)

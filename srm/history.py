"""The read-only history panel of a record page: who changed what, when, from → to.

One URL for every record users edit (``/history/<kind>/<id>/``), loaded lazily by the panel
(``templates/core/_history_panel.html``) when it is opened, so busy pages do not pay for it.
It lives in the top layer because it loads records of every app, each through its app's
access check; the reading itself is ``core.history.audit_history_for``. History is for
internal users only (audit events carry internal fields): supplier users get 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.vary import vary_on_headers

from core.history import audit_history_for
from core.htmx import render_page
from core.models import User
from governance import selectors as governance_selectors
from partners.access import access_partner, partners_visible_to
from partners.models import Agreement, SupplierContact
from scorecards import selectors as scorecard_selectors

Loader = Callable[[User, int], Model]

LOADERS: dict[str, Loader] = {
    "partner": access_partner,
    "agreement": lambda user, pk: get_object_or_404(
        Agreement, pk=pk, partner__in=partners_visible_to(user)
    ),
    "contact": lambda user, pk: get_object_or_404(
        SupplierContact, pk=pk, partner__in=partners_visible_to(user)
    ),
    "scorecard": lambda user, pk: get_object_or_404(
        scorecard_selectors.scorecards_visible_to(user), pk=pk
    ),
    "period": lambda user, pk: get_object_or_404(
        scorecard_selectors.periods_visible_to(user), pk=pk
    ),
    "meeting": lambda user, pk: get_object_or_404(
        governance_selectors.meetings_visible_to(user), pk=pk
    ),
    "action": lambda user, pk: get_object_or_404(
        governance_selectors.actions_visible_to(user), pk=pk
    ),
    "escalation": lambda user, pk: get_object_or_404(
        governance_selectors.escalations_visible_to(user), pk=pk
    ),
    "plan": lambda user, pk: get_object_or_404(governance_selectors.plans_visible_to(user), pk=pk),
}


@login_required
@vary_on_headers("HX-Request")
def record_history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """The history of one record (the panel's fragment for HTMX, else a page)."""
    user = request.user
    if not isinstance(user, User) or not user.is_internal or kind not in LOADERS:
        raise Http404("No such record.")
    record = LOADERS[kind](user, object_id)
    context = {"record": record, "history": audit_history_for(record, user)}
    return render_page(request, "core/history.html", context, partial="entries")

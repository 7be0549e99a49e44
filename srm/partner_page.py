"""The partner page: everything about one partnership on one page (SPEC 4).

It lives in the top layer because it gathers every app's view of the partner. Each app
contributes a panel: a function ``(user, partner) -> context dict`` and a template
``<app>/_partner_panel.html``; the panels render in the order listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.roles import Capability
from governance import selectors as governance_selectors
from partners.access import require_capability
from partners.models import Partner
from partners.selectors import partner_get
from scorecards import selectors as scorecard_selectors

PanelContext = Callable[[Any, Partner], dict[str, Any]]

# (template, context function); apps add their panel here.
PANELS: list[tuple[str, PanelContext]] = [
    ("scorecards/_partner_panel.html", scorecard_selectors.partner_panel),
    ("governance/_partner_panel.html", governance_selectors.partner_panel),
]


@login_required
def partner_page(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    partner = partner_get(request.user, partner_id)
    panels = [(template, context(request.user, partner)) for template, context in PANELS]
    context = {
        "partner": partner,
        "panels": panels,
        "can_edit_partners": request.user.can(Capability.EDIT_PARTNERS),  # type: ignore[union-attr]
        "can_manage_scorecards": request.user.can(  # type: ignore[union-attr]
            Capability.MANAGE_SCORECARDS
        ),
    }
    return render(request, "srm/partner_page.html", context)

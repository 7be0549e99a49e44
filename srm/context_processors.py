"""Navigation by role, for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from srm.core.roles import Capability

# (label, url name, capability needed); later features add their entries here.
NAVIGATION: list[tuple[str, str, Capability]] = [
    ("Workspace", "workspace", Capability.VIEW_PORTFOLIO),
    ("Partners", "partners:list", Capability.VIEW_PORTFOLIO),
    ("Scorecards", "scorecards:list", Capability.VIEW_PORTFOLIO),
    ("Executive dashboard", "executive-dashboard", Capability.VIEW_EXECUTIVE_DASHBOARD),
    ("My company", "portal:home", Capability.USE_PORTAL),
    ("Our scorecard", "scorecards:portal-scorecard", Capability.USE_PORTAL),
    ("API", "api-docs", Capability.VIEW_PORTFOLIO),
    ("Admin", "admin:index", Capability.ADMINISTER),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for label, name, capability in NAVIGATION:
        if user.can(capability):
            url = reverse(name)
            items.append(
                {"label": label, "url": url, "active": path.startswith(url) and url != "/"}
            )
    return {"nav_items": items}

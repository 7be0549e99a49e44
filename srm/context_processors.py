"""Navigation by role, for the base layout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from core.roles import Capability

# (label, url name, capability needed); later features add their entries here.
NAVIGATION: list[tuple[str, str, Capability]] = [
    ("Workspace", "workspace", Capability.VIEW_PORTFOLIO),
    ("Partners", "partners:list", Capability.VIEW_PORTFOLIO),
    ("Kraljic matrix", "partners:matrix", Capability.VIEW_PORTFOLIO),
    ("Scorecards", "scorecards:list", Capability.VIEW_PORTFOLIO),
    ("Executive dashboard", "executive-dashboard", Capability.VIEW_EXECUTIVE_DASHBOARD),
    ("Lessons learned", "governance:lessons", Capability.VIEW_PORTFOLIO),
    ("Challenges", "governance:challenges", Capability.VIEW_PORTFOLIO),
    ("My calendar", "governance:calendar", Capability.VIEW_PORTFOLIO),
    ("My company", "portal:home", Capability.USE_PORTAL),
    ("Action items", "governance:portal-actions", Capability.USE_PORTAL),
    ("Meetings", "governance:portal-meetings", Capability.USE_PORTAL),
    ("Innovation", "governance:portal-challenges", Capability.USE_PORTAL),
    ("Our scorecard", "scorecards:portal-scorecard", Capability.USE_PORTAL),
    ("API", "api-docs", Capability.VIEW_PORTFOLIO),
    ("Operations", "operations-outbox", Capability.ADMINISTER),
    ("Admin", "admin:index", Capability.ADMINISTER),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Signed in but still owing the second factor: nothing to navigate to yet.
    pending = getattr(request, "srm_second_factor_pending", False)
    if user is None or not user.is_authenticated or pending:
        return {"nav_items": [], "reporting_currency": settings.SRM_REPORTING_CURRENCY}
    path = request.path
    items = []
    for label, name, capability in NAVIGATION:
        if user.can(capability):
            url = reverse(name)
            items.append(
                {"label": label, "url": url, "active": path.startswith(url) and url != "/"}
            )
    return {"nav_items": items, "reporting_currency": settings.SRM_REPORTING_CURRENCY}

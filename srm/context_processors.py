"""Navigation by role, for the base layout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.roles import Capability

# (label, url name, capability needed); later features add their entries here. The portal's
# entries (USE_PORTAL) are also the portal's sub-tabs (governance/_portal_tabs.html), so the
# top bar and the tabs always agree.
NAVIGATION: list[tuple[str | Promise, str, Capability]] = [
    (_("Workspace"), "workspace", Capability.VIEW_PORTFOLIO),
    (_("Partners"), "partners:list", Capability.VIEW_PORTFOLIO),
    (_("Kraljic matrix"), "partners:matrix", Capability.VIEW_PORTFOLIO),
    (_("Playbooks"), "partners:playbooks", Capability.VIEW_PORTFOLIO),
    (_("Scorecards"), "scorecards:list", Capability.VIEW_PORTFOLIO),
    (_("Executive dashboard"), "executive-dashboard", Capability.VIEW_EXECUTIVE_DASHBOARD),
    (_("Lessons learned"), "governance:lessons", Capability.VIEW_PORTFOLIO),
    (_("Challenges"), "governance:challenges", Capability.VIEW_PORTFOLIO),
    (_("My calendar"), "governance:calendar", Capability.VIEW_PORTFOLIO),
    (_("My company"), "portal:home", Capability.USE_PORTAL),
    (_("Charter"), "governance:portal-charter", Capability.USE_PORTAL),
    (_("Scorecard"), "scorecards:portal-scorecard", Capability.USE_PORTAL),
    (_("Meetings"), "governance:portal-meetings", Capability.USE_PORTAL),
    (_("Action items"), "governance:portal-actions", Capability.USE_PORTAL),
    (_("Innovation"), "governance:portal-challenges", Capability.USE_PORTAL),
    (_("API"), "api-docs", Capability.VIEW_PORTFOLIO),
    (_("Operations"), "operations-outbox", Capability.ADMINISTER),
    (_("Admin"), "admin:index", Capability.ADMINISTER),
]

# Internal links grouped into a few menus, so the top bar fits one line on a 1280 px laptop
# and a tablet; an entry not named here stays a link of its own.
NAV_GROUPS: dict[str, str | Promise] = {
    "partners:list": _("Partners"),
    "partners:matrix": _("Partners"),
    "partners:playbooks": _("Partners"),
    "governance:calendar": _("Governance"),
    "governance:lessons": _("Governance"),
    "governance:challenges": _("Governance"),
    "api-docs": _("More"),
    "operations-outbox": _("More"),
    "admin:index": _("More"),
}


def _grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Top-level entries in order: a link, or a menu (``children``) where its first member
    stood. A menu of one entry is shown as that link."""
    entries: list[dict[str, Any]] = []
    menus: dict[str, dict[str, Any]] = {}
    for item in items:
        group = NAV_GROUPS.get(item["name"])
        if group is None:
            entries.append(item)
            continue
        key = str(group)
        if key not in menus:
            menus[key] = {"label": group, "children": [], "active": False}
            entries.append(menus[key])
        menus[key]["children"].append(item)
        menus[key]["active"] = menus[key]["active"] or item["active"]
    return [e["children"][0] if len(e.get("children", ())) == 1 else e for e in entries]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Signed in but still owing the second factor: nothing to navigate to yet.
    pending = getattr(request, "srm_second_factor_pending", False)
    if user is None or not user.is_authenticated or pending:
        return {
            "nav_items": [],
            "nav_entries": [],
            "portal_nav_items": [],
            "reporting_currency": settings.SRM_REPORTING_CURRENCY,
        }
    path = request.path
    items = []
    portal = []
    for label, name, capability in NAVIGATION:
        if user.can(capability):
            url = reverse(name)
            item = {
                "label": label,
                "name": name,
                "url": url,
                "active": path.startswith(url) and url != "/",
            }
            items.append(item)
            if capability == Capability.USE_PORTAL:
                portal.append(item)
    return {
        "nav_items": items,
        "nav_entries": _grouped(items),
        "portal_nav_items": portal,
        "reporting_currency": settings.SRM_REPORTING_CURRENCY,
    }

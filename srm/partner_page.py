"""The partner page: everything about one partnership, in tabs (SPEC 4).

It lives in the top layer because it gathers every app's view of the partner. Each app
contributes a panel: a function ``(user, partner) -> context dict`` and a template
``<app>/_partner_panel.html``; the panels render in the order listed here, in their tab.

The page shows the record's header and the tab list, and renders only the chosen tab
(``?tab=governance``; ``#governance`` in the address works too, through
``static/js/partner-tabs.js``). Clicking a tab loads it with HTMX from
``/partners/<id>/tabs/<tab>/`` and puts ``?tab=`` in the address, so each tab is a link of
its own. A tab runs only its own panels' queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers

from core.roles import Capability
from governance import selectors as governance_selectors
from partners.access import access_partner, require_capability
from partners.models import Partner
from partners.selectors import partner_get
from scorecards import selectors as scorecard_selectors
from srm import accountability_panels, value

PanelContext = Callable[[Any, Partner], dict[str, Any]]

# (template, context function); apps add their panel here.
PANELS: list[tuple[str, PanelContext]] = [
    ("scorecards/_partner_panel.html", scorecard_selectors.partner_panel),
    ("governance/_partner_panel.html", governance_selectors.partner_panel),
    ("srm/_value_panel.html", value.value_panel),
    ("scorecards/_ledger_panel.html", accountability_panels.ledger_panel),
    ("scorecards/_surveys_panel.html", accountability_panels.surveys_panel),
    ("governance/_improvement_panel.html", accountability_panels.improvement_panel),
]


@dataclass(frozen=True)
class Tab:
    key: str
    label: str | Promise
    # Sections of the record (templates/partners/_record.html) this tab shows.
    record_sections: tuple[str, ...] = ()


TABS: tuple[Tab, ...] = (
    Tab("overview", _("Overview"), ("people", "playbook", "notes", "lifecycle")),
    Tab("risk", _("Risk"), ("flags", "segmentation", "readiness", "supply")),
    Tab("agreements", _("Agreements"), ("agreements",)),
    Tab("scorecards", _("Scorecards")),
    Tab("governance", _("Governance")),
    Tab("value", _("Value")),
)
DEFAULT_TAB = "overview"

# The tab a panel shows in, when its template does not say it by its app (below).
PANEL_TABS: dict[str, str] = {}
# Words in a panel's template name that place it in a tab, checked in this order; else the
# panel shows in the tab named like its app, else in the overview.
PANEL_TAB_WORDS: tuple[tuple[str, str], ...] = (
    ("value", "value"),
    ("ledger", "value"),
    ("roi", "value"),
    ("survey", "scorecards"),
    ("plan", "governance"),
    ("agreement", "agreements"),
    ("risk", "risk"),
)


def panel_tab(template: str) -> str:
    """The tab of a registered panel: named in PANEL_TABS, else by a word of its template
    name, else its app's tab (``scorecards/…`` → scorecards), else the overview."""
    if template in PANEL_TABS:
        return PANEL_TABS[template]
    name = template.rsplit("/", 1)[-1]
    for word, tab in PANEL_TAB_WORDS:
        if word in name:
            return tab
    app = template.split("/", 1)[0]
    return app if any(t.key == app for t in TABS) else DEFAULT_TAB


def tabs_shown() -> list[Tab]:
    """The tabs with something in them: record sections or at least one registered panel."""
    with_panels = {panel_tab(template) for template, _ in PANELS}
    return [t for t in TABS if t.record_sections or t.key in with_panels]


def _tab(key: str | None) -> Tab:
    shown = {t.key: t for t in tabs_shown()}
    if key in (None, ""):
        return shown[DEFAULT_TAB]
    if key not in shown:
        raise Http404("No such tab.")
    return shown[key]


def _context(request: HttpRequest, partner: Partner, tab: Tab) -> dict[str, Any]:
    panels = [
        (template, context(request.user, partner))
        for template, context in PANELS
        if panel_tab(template) == tab.key
    ]
    page_url = reverse("partner-page", args=[partner.pk])
    return {
        "partner": partner,
        "tab": tab,
        "can_edit_partners": request.user.can(Capability.EDIT_PARTNERS),  # type: ignore[union-attr]
        "can_manage_scorecards": request.user.can(  # type: ignore[union-attr]
            Capability.MANAGE_SCORECARDS
        ),
        "tabs": [
            {
                "key": t.key,
                "label": t.label,
                "url": f"{page_url}?tab={t.key}",
                "load_url": reverse("partner-tab", args=[partner.pk, t.key]),
                "sections": " ".join(t.record_sections),
                "active": t.key == tab.key,
            }
            for t in tabs_shown()
        ],
        "sections": tab.record_sections,
        "panels": panels,
    }


def _partner(request: HttpRequest, partner_id: int, tab: Tab) -> Partner:
    """The partner with what the tab's record sections show prefetched; a tab of panels
    alone needs only the record's own fields (the header), and each panel loads its own."""
    if tab.record_sections:
        return partner_get(request.user, partner_id)
    return access_partner(request.user, partner_id)


@login_required
def partner_page(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    tab = _tab(request.GET.get("tab"))
    partner = _partner(request, partner_id, tab)
    return render(request, "srm/partner_page.html", _context(request, partner, tab))


@login_required
@vary_on_headers("HX-Request")
def partner_tab(request: HttpRequest, partner_id: int, tab: str) -> HttpResponse:
    """One tab with the tab list, for HTMX; without HTMX, the page open at that tab."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    chosen = _tab(tab)
    if not getattr(request, "htmx", False):
        return redirect(f"{reverse('partner-page', args=[partner_id])}?tab={chosen.key}")
    partner = _partner(request, partner_id, chosen)
    return render(request, "srm/_partner_tabs.html", _context(request, partner, chosen))

"""The partner page's tabs: one tab rendered per request (page or HTMX), deep links, a
constant number of queries per tab, and tabs generic over the panel registry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from governance.services import plans
from srm import partner_page
from tests.governance.test_views import _fill
from tests.partners.factories import furnish

pytestmark = pytest.mark.django_db

TABS = ("overview", "risk", "agreements", "scorecards", "governance", "value")


def _tab_html(client, partner, tab: str, *, htmx: bool = False) -> str:
    if htmx:
        url = reverse("partner-tab", args=[partner.pk, tab])
        response = client.get(url, headers={"HX-Request": "true"})
    else:
        response = client.get(reverse("partner-page", args=[partner.pk]), {"tab": tab})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_opens_on_the_overview_and_lists_the_tabs(
    partner_a, client_for, procurement_manager
) -> None:
    furnish(partner_a, procurement_manager)
    html = client_for(procurement_manager).get(reverse("partner-page", args=[partner_a.pk]))
    html = html.content.decode()
    for tab in TABS:
        assert f'data-tab="{tab}"' in html
    assert 'id="tab-overview" role="tab"' in html
    assert 'data-testid="tab-overview"' in html
    assert 'id="lifecycle"' in html and 'id="notes"' in html
    # Other tabs are not rendered (nor queried) until asked for.
    assert 'id="agreements"' not in html and 'id="governance-panel"' not in html
    assert 'id="value-panel"' not in html


@pytest.mark.parametrize(
    ("tab", "shown", "hidden"),
    [
        ("risk", ['id="flags"', 'id="segmentation"', 'id="readiness"'], ['id="notes"']),
        ("agreements", ['id="agreements"'], ['id="flags"']),
        ("scorecards", ["scorecards-heading"], ['id="governance-panel"']),
        ("governance", ['id="governance-panel"'], ["scorecards-heading", 'id="lifecycle"']),
    ],
)
def test_each_tab_is_a_link_of_its_own_and_loads_with_htmx(
    partner_a, client_for, procurement_manager, tab, shown, hidden
) -> None:
    furnish(partner_a, procurement_manager)
    client = client_for(procurement_manager)
    page = _tab_html(client, partner_a, tab)
    fragment = _tab_html(client, partner_a, tab, htmx=True)
    assert "<html" in page and "<html" not in fragment
    for html in (page, fragment):
        assert f'id="tab-{tab}" role="tab"' in html
        assert f'aria-selected="true"{" aria-current"}' in html.split(f'id="tab-{tab}"', 1)[1]
        for marker in shown:
            assert marker in html
        for marker in hidden:
            assert marker not in html
    # The tab link pushes ?tab= into the address, so reloading or sharing it comes back here.
    assert f'hx-push-url="{reverse("partner-page", args=[partner_a.pk])}?tab={tab}"' in page


def test_unknown_tabs_and_tabs_without_htmx(partner_a, client_for, procurement_manager) -> None:
    client = client_for(procurement_manager)
    page = reverse("partner-page", args=[partner_a.pk])
    assert client.get(page, {"tab": "nonsense"}).status_code == 404
    response = client.get(reverse("partner-tab", args=[partner_a.pk, "governance"]))
    assert response.status_code == 302 and response["Location"] == f"{page}?tab=governance"


def test_suppliers_get_no_tab(partner_a, partner_b, client_for, supplier_b) -> None:
    client = client_for(supplier_b)
    for partner in (partner_a, partner_b):
        url = reverse("partner-tab", args=[partner.pk, "governance"])
        assert client.get(url, headers={"HX-Request": "true"}).status_code in (403, 404)


def test_a_newly_registered_panel_appears_in_its_tab(
    partner_a, client_for, procurement_manager, monkeypatch
) -> None:
    assert partner_page.panel_tab("scorecards/_value_panel.html") == "value"
    assert partner_page.panel_tab("scorecards/_partner_ledger.html") == "value"
    assert partner_page.panel_tab("governance/_plans_panel.html") == "governance"
    assert partner_page.panel_tab("partners/_something.html") == "overview"
    # Register an existing panel template as a value panel: the Value tab appears with it.
    # Only the scorecard panel and the governance panel, so no Value tab to begin with.
    value_panel = ("governance/_partner_panel.html", partner_page.PANELS[1][1])
    monkeypatch.setattr(partner_page, "PANELS", [partner_page.PANELS[0]])
    html = _tab_html(client_for(procurement_manager), partner_a, "overview")
    assert 'data-tab="value"' not in html and 'data-tab="governance"' not in html
    monkeypatch.setattr(partner_page, "PANELS", [partner_page.PANELS[0], value_panel])
    monkeypatch.setitem(partner_page.PANEL_TABS, "governance/_partner_panel.html", "value")
    html = _tab_html(client_for(procurement_manager), partner_a, "value")
    assert 'data-tab="value"' in html and 'id="governance-panel"' in html
    assert 'data-tab="governance"' not in html  # its only panel moved


# A constant count per tab, at 2 and at 20 rows of everything. The record tabs load the
# record with its prefetches (partners.selectors.partner_get); the panel tabs only the partner.
# The record tabs' 19th query is the contacts' portal invitations (issue 13).
CEILINGS = {
    "overview": 19,
    "risk": 19,
    "agreements": 19,
    "scorecards": 6,
    "governance": 9,
    "value": 12,
}


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("tab", TABS)
def test_every_tab_keeps_a_constant_query_count(
    partner_a, client_for, procurement_manager, django_assert_max_num_queries, rows, tab
) -> None:
    furnish(partner_a, procurement_manager)
    _fill(partner_a, rows)
    for year in range(2000, 2000 + rows):
        plan = plans.plan_create(actor=SYSTEM, partner=partner_a, year=year, title="JBP")
        plans.objective_add(actor=SYSTEM, plan=plan, title="TCO", target="-5 %")
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(CEILINGS[tab]):
        _tab_html(client, partner_a, tab)
    with django_assert_max_num_queries(CEILINGS[tab]):
        _tab_html(client, partner_a, tab, htmx=True)

"""One portal navigation: the top bar and the portal's sub-tabs list the same sections;
internal links are grouped into a few menus."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_the_portal_top_bar_and_its_tabs_agree(client_for, supplier_a) -> None:
    html = client_for(supplier_a).get(reverse("governance:portal-meetings")).content.decode()
    top = _links(html.split('class="container-fluid site-header"', 1)[1].split("</nav>", 1)[0])
    tabs = _links(html.split('aria-label="Working with us"', 1)[1].split("</nav>", 1)[0])
    assert tabs == [link for link in top if link in tabs]
    for name in ("governance:portal-charter", "scorecards:portal-scorecard", "portal:home"):
        assert reverse(name) in tabs and reverse(name) in top
    assert len(tabs) == 6


def test_internal_links_are_grouped_into_menus(client_for, administrator) -> None:
    html = client_for(administrator).get(reverse("workspace")).content.decode()
    header = html.split('class="container-fluid site-header"', 1)[1].split("</nav>", 1)[0]
    first = header.split("</ul>", 1)[0]
    # Top-level entries: links and menus (their children are nested lists).
    top_level = re.findall(r"\n          <li>", first)
    assert len(top_level) <= 7
    assert header.count('class="dropdown nav-menu"') == 3
    for name in ("governance:lessons", "partners:matrix", "admin:index"):
        assert reverse(name) in header

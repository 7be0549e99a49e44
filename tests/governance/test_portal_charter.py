"""The charter on the partner portal: the supplier's own partner's version in force only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import SYSTEM
from governance.services import charters

pytestmark = pytest.mark.django_db

URL = "/governance/portal/charter/"


def _charter(partner, scope: str, effective_from: date, **fields):
    return charters.charter_create_version(
        actor=SYSTEM, partner=partner, effective_from=effective_from, scope=scope, **fields
    )


def test_a_supplier_reads_the_charter_in_force_of_its_own_partner(
    partner_a, partner_b, supplier_a, client_for, alliance_manager
) -> None:
    today = timezone.localdate()
    _charter(partner_a, "Cells for the 2026 platform", today - timedelta(days=400))
    _charter(
        partner_a,
        "Cells and modules for the 2027 platform",
        today - timedelta(days=10),
        roles="Sponsors: CPO and CEO",
    )
    _charter(partner_a, "Draft scope for 2028", today + timedelta(days=60))
    _charter(partner_b, "Beta packaging secrets", today)
    assert reverse("governance:portal-charter") == URL
    response = client_for(supplier_a).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cells and modules for the 2027 platform" in html and "Sponsors: CPO and CEO" in html
    assert "Version 2" in html
    assert "2026 platform" not in html and "Draft scope" not in html
    assert "Beta packaging secrets" not in html
    assert str(alliance_manager) not in html


def test_another_partners_supplier_sees_only_their_own_or_none(
    partner_a, supplier_b, client_for
) -> None:
    _charter(partner_a, "Alpha only", timezone.localdate())
    response = client_for(supplier_b).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alpha only" not in html
    assert "No charter has been agreed yet." in html


def test_the_charter_api_gives_a_supplier_its_own_partners_charters_only(
    partner_a, partner_b, supplier_b, api_for
) -> None:
    alpha = _charter(partner_a, "Alpha only", timezone.localdate())
    _charter(partner_b, "Beta scope", timezone.localdate())
    api = api_for(supplier_b)
    rows = api.get("/api/v1/governance/charters/").json()["results"]
    assert [r["scope"] for r in rows] == ["Beta scope"]
    assert api.get(f"/api/v1/governance/charters/{alpha.pk}/").status_code == 404


def test_internal_users_use_the_governance_page_not_the_portal(
    client_for, alliance_manager
) -> None:
    assert client_for(alliance_manager).get(URL).status_code in (403, 404)


def test_portal_pages_link_to_each_other(supplier_a, client_for) -> None:
    html = client_for(supplier_a).get(reverse("governance:portal-meetings")).content.decode()
    assert f'href="{URL}"' in html

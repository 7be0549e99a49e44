"""Suppliers see only their own company: every partner route, as another partner's user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.access import partners_visible_to

pytestmark = pytest.mark.django_db


def test_internal_roles_see_the_whole_portfolio(
    procurement_manager, alliance_manager, executive, administrator, partner_a, partner_b
) -> None:
    for user in (procurement_manager, alliance_manager, executive, administrator):
        assert set(partners_visible_to(user)) == {partner_a, partner_b}


def test_a_supplier_sees_only_its_own_partner(supplier_a, partner_a, partner_b) -> None:
    assert list(partners_visible_to(supplier_a)) == [partner_a]


def test_a_supplier_linked_to_no_partner_sees_nothing(db, partner_a) -> None:
    from core.roles import Role
    from tests.factories import UserFactory

    orphan = UserFactory(username="orphan", role=Role.SUPPLIER_USER)
    assert list(partners_visible_to(orphan)) == []


def test_portal_home_shows_own_company_and_nothing_of_another(
    client_for, supplier_a, supplier_b, partner_a, partner_b
) -> None:
    body = client_for(supplier_a).get(reverse("portal:home")).content.decode()
    assert partner_a.legal_name in body
    assert partner_b.legal_name not in body


@pytest.mark.parametrize("route", ["workspace", "executive-dashboard", "partners:list"])
def test_internal_pages_are_closed_to_suppliers(client_for, supplier_a, route) -> None:
    assert client_for(supplier_a).get(reverse(route)).status_code == 403


def test_partner_page_of_another_partner_is_not_found_for_a_supplier(
    client_for, supplier_b, partner_a
) -> None:
    response = client_for(supplier_b).get(reverse("partner-page", args=[partner_a.pk]))
    assert response.status_code in (403, 404)


def test_api_lists_only_the_suppliers_own_partner(
    api_for, supplier_a, partner_a, partner_b
) -> None:
    response = api_for(supplier_a).get("/api/v1/partners/")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["results"]] == [partner_a.pk]


def test_api_hides_another_partner_from_a_supplier(api_for, supplier_b, partner_a) -> None:
    response = api_for(supplier_b).get(f"/api/v1/partners/{partner_a.pk}/")
    assert response.status_code == 404


def test_api_refuses_writes_by_a_supplier(api_for, supplier_a, partner_a) -> None:
    response = api_for(supplier_a).patch(
        f"/api/v1/partners/{partner_a.pk}/", {"short_name": "Hacked"}, format="json"
    )
    assert response.status_code == 403
    partner_a.refresh_from_db()
    assert partner_a.short_name == "Alpha Cells"


def test_api_requires_authentication(client, partner_a) -> None:
    assert client.get("/api/v1/partners/").status_code in (401, 403)

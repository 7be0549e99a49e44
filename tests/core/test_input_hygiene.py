"""Each input that answered 500 on main: now a 400 naming the field, or a form error."""

from __future__ import annotations

import json

import pytest

from partners.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/partners/?q=a%00b", "/governance/lessons/?q=a%00b"])
def test_a_nul_byte_in_a_search_box_is_a_400_naming_the_field(
    client_for, procurement_manager, url
) -> None:
    PartnerFactory()
    response = client_for(procurement_manager).get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please check your input" in body
    assert "q: Null characters are not allowed." in body


def test_an_over_long_filter_value_is_a_400(client_for, procurement_manager) -> None:
    response = client_for(procurement_manager).get("/partners/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()


def test_a_nul_byte_in_a_json_list_is_a_400_with_the_field_error(
    api_for, procurement_manager
) -> None:
    partner = PartnerFactory()
    before = list(partner.categories.values_list("code", flat=True))
    response = api_for(procurement_manager).patch(
        f"/api/v1/partners/{partner.pk}/", {"categories": ["a\u0000b"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"categories": ["Null characters are not allowed."]}
    assert list(partner.categories.values_list("code", flat=True)) == before


def test_an_unpaired_surrogate_in_json_is_a_400(client_for, procurement_manager) -> None:
    partner = PartnerFactory()
    response = client_for(procurement_manager).patch(
        f"/api/v1/partners/{partner.pk}/",
        '{"short_name": "bad \\ud800 name"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(json.loads(response.content)) == ["short_name"]


def test_a_nul_byte_in_a_form_field_is_a_400_and_nothing_is_saved(
    client_for, procurement_manager
) -> None:
    response = client_for(procurement_manager).post(
        "/partners/new/",
        {"legal_name": "Nul\x00 Ltd", "short_name": "Nul", "country": "DE", "currency": "EUR"},
    )
    assert response.status_code == 400
    assert "legal_name: Null characters are not allowed." in response.content.decode()
    assert not Partner.objects.filter(short_name="Nul").exists()


def test_an_unknown_engagement_model_on_the_new_partner_form_is_a_form_error(
    client_for, procurement_manager
) -> None:
    response = client_for(procurement_manager).post(
        "/partners/new/",
        {
            "legal_name": "Choice Ltd",
            "short_name": "Choice",
            "country": "DE",
            "currency": "EUR",
            "engagement_model": "x",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Partner.objects.filter(short_name="Choice").exists()

"""Form choices and defaults: ISO country and currency pickers, the people a partner may be
given, the readiness date of today."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _options(html: str, field: str) -> str:
    return html.split(f'name="{field}"', 1)[1].split("</select>", 1)[0]


def test_the_partner_form_offers_iso_lists_and_the_right_people(
    client_for, procurement_manager
) -> None:
    marco = UserFactory(role=Role.ALLIANCE_MANAGER, first_name="Marco", last_name="Rossi")
    helena = UserFactory(role=Role.EXECUTIVE_SPONSOR, first_name="Helena", last_name="Berg")
    admin = UserFactory(role=Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    html = client_for(procurement_manager).get(reverse("partners:create")).content.decode()
    country = _options(html, "country")
    assert '<option value="DE">Germany</option>' in country
    assert '<option value="SE">Sweden</option>' in country
    assert len(re.findall(r"<option value=\"[A-Z]{2}\"", country)) == 249
    currency = _options(html, "currency")
    assert '<option value="EUR" selected>EUR — Euro</option>' in currency
    assert '<option value="SEK">SEK — Swedish Krona</option>' in currency
    owner = _options(html, "owner")
    assert "Marco Rossi" in owner and str(procurement_manager.pk) in owner
    assert "Helena Berg" not in owner and "Ada Admin" not in owner
    sponsor = _options(html, "executive_sponsor")
    assert "Helena Berg" in sponsor and "Marco Rossi" not in sponsor
    assert admin.pk and marco.pk and helena.pk


def test_a_country_not_in_the_list_is_refused(client_for, procurement_manager) -> None:
    response = client_for(procurement_manager).post(
        reverse("partners:create"),
        {
            "legal_name": "Nowhere Ltd",
            "short_name": "Nowhere",
            "country": "XX",
            "currency": "EUR",
            "engagement_model": "transactional",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_owner_of_another_role_stays_selectable_on_their_record(
    client_for, procurement_manager
) -> None:
    admin = UserFactory(role=Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    partner = PartnerFactory(owner=admin)
    html = client_for(procurement_manager).get(reverse("partners:edit", args=[partner.pk]))
    assert "Ada Admin" in _options(html.content.decode(), "owner")


def test_the_readiness_date_is_today(client_for, procurement_manager) -> None:
    partner = PartnerFactory()
    html = client_for(procurement_manager).get(reverse("partners:readiness", args=[partner.pk]))
    today = timezone.localdate().isoformat()
    assert f'name="assessed_on" value="{today}"' in html.content.decode()

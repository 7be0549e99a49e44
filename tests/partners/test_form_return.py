"""A form opened from a tab of the partner page returns to that tab after saving."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from partners.models import Agreement, Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _record(partner: Partner) -> dict[str, str]:
    return {
        "legal_name": partner.legal_name,
        "short_name": partner.short_name,
        "country": "DE",
        "currency": "EUR",
        "engagement_model": partner.engagement_model,
    }


def test_saving_the_record_opened_from_a_tab_returns_to_that_tab(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory()
    client = client_for(procurement_manager)
    page = reverse("partner-page", args=[partner.pk])
    url = reverse("partners:edit", args=[partner.pk]) + "?tab=agreements"

    form = client.get(url).content.decode()
    # The form posts back with the tab, and Cancel goes back to it too.
    assert f'hx-post="{url}"' in form
    assert f'href="{page}?tab=agreements" class="secondary">Cancel' in form

    response = client.post(url, {**_record(partner), "description": "Edited on a tab."})
    assert response.status_code == 302 and response["Location"] == f"{page}?tab=agreements"
    partner.refresh_from_db()
    assert partner.description == "Edited on a tab."
    # Through HTMX (the form's usual way) the same.
    response = client.post(url, _record(partner), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"{page}?tab=agreements"
    opened = client.get(response["HX-Redirect"]).content.decode()
    assert 'data-testid="tab-agreements"' in opened

    # Opened from the overview (no tab), it returns to the overview as before.
    plain = reverse("partners:edit", args=[partner.pk])
    assert client.post(plain, _record(partner))["Location"] == page


@pytest.mark.parametrize(
    "tab", ["https://evil.example/", "//evil.example", "risk?next=/admin/", "Risk", "a b", ""]
)
def test_anything_but_a_tab_name_returns_to_the_plain_partner_page(
    client_for, procurement_manager, tab: str
) -> None:
    partner = PartnerFactory()
    url = reverse("partners:edit", args=[partner.pk])
    query = urlencode({"tab": tab})
    response = client_for(procurement_manager).post(f"{url}?{query}", _record(partner))
    assert response["Location"] == reverse("partner-page", args=[partner.pk])


def test_an_agreement_edited_on_the_agreements_tab_returns_there(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory()
    client = client_for(procurement_manager)
    url = reverse("partners:agreement-create", args=[partner.pk]) + "?tab=agreements"
    response = client.post(
        url,
        {
            "title": "Framework agreement",
            "kind": "framework",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "notice_period_days": 90,
            "confidentiality_level": "internal",
        },
    )
    assert Agreement.objects.filter(partner=partner, title="Framework agreement").exists()
    page = reverse("partner-page", args=[partner.pk])
    assert response["Location"] == f"{page}?tab=agreements"


def test_a_value_recorded_on_the_value_tab_returns_there(client_for, procurement_manager):
    partner = PartnerFactory()
    page = client_for(procurement_manager).get(
        reverse("partner-page", args=[partner.pk]), {"tab": "value"}
    )
    add = reverse("partner-value-add", args=[partner.pk])
    assert f'action="{add}?tab=value"' in page.content.decode()
    response = client_for(procurement_manager).post(
        f"{add}?tab=value",
        {
            "kind": "value",
            "category": "cost_savings",
            "amount": "1000",
            "occurred_on": "2026-01-15",
            "description": "Saving",
        },
    )
    assert response["Location"] == reverse("partner-page", args=[partner.pk]) + "?tab=value"

"""Every save says so, page or HTMX; a file chosen on a form that did not save is named and
the user is told to attach it again."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Agreement
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _messages(client, url: str) -> str:
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("route", "data", "message"),
    [
        (
            "partners:edit",
            {
                "legal_name": "Alpha Cells AB",
                "short_name": "Alpha Cells",
                "country": "SE",
                "currency": "EUR",
                "engagement_model": "transactional",
            },
            "Saved Alpha Cells.",
        ),
        (
            "partners:contact-create",
            {"name": "Lena Berg", "email": "lena@alpha.example", "role": "Key account"},
            "Contact saved.",
        ),
        (
            "partners:transition",
            {"to_stage": "under_review", "reason": "Quarterly review"},
            "lifecycle move recorded.",
        ),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_save_shows_a_saved_message(
    partner_a, client_for, procurement_manager, route, data, message, htmx
) -> None:
    client = client_for(procurement_manager)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(reverse(route, args=[partner_a.pk]), data, headers=headers)
    assert response.status_code in (204, 302), response.content.decode()[:2000]
    target = response["HX-Redirect"] if htmx else response["Location"]
    assert message in _messages(client, target)


def test_an_htmx_partial_carries_its_message_out_of_band(
    partner_a, client_for, alliance_manager
) -> None:
    from tests.governance.factories import MeetingFactory

    meeting = MeetingFactory(partner=partner_a)
    response = client_for(alliance_manager).post(
        reverse("governance:meeting-attendees", args=[meeting.pk]),
        {"attendees": [], "contacts": []},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert '<section id="messages" class="messages" aria-live="polite" hx-swap-oob="true">' in html
    assert "Attendees saved." in html


def test_the_agreement_form_says_to_attach_the_document_again(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory()
    response = client_for(procurement_manager).post(
        reverse("partners:agreement-create", args=[partner.pk]),
        {
            "kind": "msa",
            "title": "",  # missing: the form does not save
            "start_date": date(2026, 1, 1).isoformat(),
            "document": SimpleUploadedFile("terms.pdf", b"%PDF-1.4 terms"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“terms.pdf” was not attached because the form has errors" in html
    assert "choose the file again before saving" in html
    assert not Agreement.objects.filter(partner=partner).exists()

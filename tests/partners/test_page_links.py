"""The partner page offers each role only the links it may open; segmentation shows history."""

from __future__ import annotations

import re

import pytest

from partners.services import segmentation
from partners.services.agreements import agreement_create
from tests.factories import PartnerFactory
from tests.partners.factories import all_ratings, furnish

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/partners/[^"]*)"')


@pytest.mark.parametrize("role", ["executive", "procurement_manager", "administrator"])
def test_every_partner_link_on_the_partner_page_opens_for_the_viewer(
    request, client_for, procurement_manager, role
) -> None:
    partner = PartnerFactory(engagement_model="strategic_partnership")
    furnish(partner, procurement_manager)
    client = client_for(request.getfixturevalue(role))
    page = client.get(f"/partners/{partner.pk}/")
    assert page.status_code == 200
    links = set(HREF.findall(page.content.decode()))
    assert links, "the page links to nothing"
    broken = {link: client.get(link).status_code for link in links}
    assert {k: v for k, v in broken.items() if v != 200} == {}


def test_an_executive_gets_no_edit_links_and_no_note_form(
    client_for, executive, procurement_manager
) -> None:
    partner = PartnerFactory()
    furnish(partner, procurement_manager)
    body = client_for(executive).get(f"/partners/{partner.pk}/?tab=risk").content.decode()
    for path in ("/edit/", "/readiness/", "/segmentation/", "/notes/", "/spend/", "/new/"):
        assert f"/partners/{partner.pk}{path}" not in body
    assert "Add my ratings" not in body
    body = client_for(procurement_manager).get(f"/partners/{partner.pk}/?tab=risk").content.decode()
    assert f"/partners/{partner.pk}/edit/" in body
    assert "Add my ratings" in body


def test_the_segmentation_page_lists_the_history_with_overrides(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory()
    segmentation.segmentation_assess(
        actor=procurement_manager, partner=partner, ratings=all_ratings(2)
    )
    segmentation.segmentation_assess(
        actor=procurement_manager,
        partner=partner,
        ratings=all_ratings(2),
        override_quadrant="bottleneck",
        override_justification="Sole EU source of the coating.",
    )
    body = client_for(procurement_manager).get(f"/partners/{partner.pk}/segmentation/")
    text = body.content.decode()
    assert 'id="segmentation-history"' in text
    history = text.split('id="segmentation-history"')[1]
    assert history.count("<tr>") == 3  # header + two assessments
    assert "Sole EU source of the coating." in history
    assert "weight" in text  # the factor weights are shown next to each rating


def test_agreements_say_how_much_notice_they_need(client_for, procurement_manager) -> None:
    from datetime import date

    partner = PartnerFactory()
    for title, days in (("Mutual NDA", 0), ("Supply contract", 90)):
        agreement_create(
            actor=procurement_manager,
            partner=partner,
            fields={
                "kind": "nda" if days == 0 else "contract",
                "title": title,
                "start_date": date(2026, 1, 1),
                "end_date": date(2028, 12, 31),
                "notice_period_days": days,
            },
        )
    page = client_for(procurement_manager).get(f"/partners/{partner.pk}/?tab=agreements")
    agreements = page.content.decode().split('id="agreements"')[1]
    assert "no notice period" in agreements
    assert "90 days&#x27; notice" in agreements or "90 days' notice" in agreements
    assert ">0 days" not in agreements

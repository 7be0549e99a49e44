"""A partner gets a further scorecard from a chosen template on its page; a template it
already has a scorecard from is refused clearly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scorecards.models import Scorecard
from tests.scorecards.factories import default_template, scorecard_for

pytestmark = pytest.mark.django_db


def test_a_scorecard_is_added_from_the_partner_page(
    partner_a, client_for, procurement_manager
) -> None:
    template = default_template()
    client = client_for(procurement_manager)
    page = client.get(reverse("partner-page", args=[partner_a.pk]), {"tab": "scorecards"})
    page = page.content.decode()
    add_url = reverse("scorecards:partner-add", args=[partner_a.pk])
    assert f'href="{add_url}"' in page and "Add a scorecard from a template" in page
    form = client.get(add_url).content.decode()
    assert f'<option value="{template.code}">' in form
    response = client.post(
        add_url, {"template_code": template.code, "frequency": "quarterly"}, follow=True
    )
    scorecard = Scorecard.objects.get(partner=partner_a)
    assert scorecard.template == template
    assert scorecard.periods.filter(status="open").exists()
    assert f"now has a {template.name} scorecard" in response.content.decode()


def test_a_template_already_applied_is_refused_clearly(
    partner_a, client_for, procurement_manager
) -> None:
    existing = scorecard_for(partner_a)
    response = client_for(procurement_manager).post(
        reverse("scorecards:partner-add", args=[partner_a.pk]),
        {"template_code": existing.template.code, "frequency": "quarterly"},
    )
    assert response.status_code == 200
    assert (
        f"{partner_a.short_name} already has a scorecard from “{existing.template.name}”."
        in response.content.decode()
    )
    assert Scorecard.objects.filter(partner=partner_a).count() == 1

"""Moving a partner to another engagement model offers to apply the new playbook."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Cadence
from partners.kraljic import EngagementModel
from partners.selectors import playbook_for
from partners.services.partners import partner_update
from scorecards.models import Scorecard
from tests.scorecards.factories import default_template

pytestmark = pytest.mark.django_db


def test_applying_the_playbook_adds_its_cadences_and_scorecard_once(
    client_for, procurement_manager, partner_a
) -> None:
    partner_update(
        actor=procurement_manager,
        partner=partner_a,
        changes={"engagement_model": EngagementModel.PREFERRED_SUPPLIER},
    )
    playbook = playbook_for(partner_a)
    default_template(playbook.scorecard_template_code)
    client = client_for(procurement_manager)
    page = client.get(reverse("partner-page", args=[partner_a.pk])).content.decode()
    assert "Apply this playbook" in page

    response = client.post(reverse("partner-playbook-apply", args=[partner_a.pk]), follow=True)
    body = response.content.decode()
    assert "Playbook applied: 2 meeting series added" in body
    kinds = set(Cadence.objects.filter(partner=partner_a).values_list("kind", flat=True))
    assert kinds == {c["kind"] for c in playbook.cadences}
    assert Scorecard.objects.filter(partner=partner_a).count() == 1

    # Applying again adds nothing.
    again = client.post(reverse("partner-playbook-apply", args=[partner_a.pk]), follow=True)
    assert "Playbook applied: 0 meeting series added" in again.content.decode()
    assert Cadence.objects.filter(partner=partner_a).count() == len(kinds)
    assert Scorecard.objects.filter(partner=partner_a).count() == 1


def test_a_missing_scorecard_template_is_reported_not_a_crash(
    client_for, procurement_manager, partner_a
) -> None:
    response = client_for(procurement_manager).post(
        reverse("partner-playbook-apply", args=[partner_a.pk]), follow=True
    )
    assert response.status_code == 200
    assert "No scorecard template" in response.content.decode()
    assert Cadence.objects.filter(partner=partner_a).exists()


def test_only_partner_editors_may_apply_a_playbook(client_for, executive, supplier_a, partner_a):
    url = reverse("partner-playbook-apply", args=[partner_a.pk])
    assert client_for(executive).post(url).status_code == 403
    assert client_for(supplier_a).post(url).status_code == 403
    assert not Cadence.objects.filter(partner=partner_a).exists()

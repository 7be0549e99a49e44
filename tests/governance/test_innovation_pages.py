"""Innovation challenge pages: publish, portal proposals, adopt or decline with feedback."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from governance.models import (
    ChallengeProposal,
    InitiativeStage,
    InnovationChallenge,
    InnovationInitiative,
    ProposalStatus,
)
from governance.services import innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def challenge(partner_a) -> InnovationChallenge:
    return innovation.challenge_publish(
        actor=SYSTEM,
        title="Recyclable trays",
        problem_statement="No more PS foam.",
        partners=[partner_a],
    )


def test_publishing_names_only_the_chosen_partners(
    partner_a, partner_b, client_for, alliance_manager, supplier_a, supplier_b
) -> None:
    response = client_for(alliance_manager).post(
        reverse("governance:challenge-publish"),
        {
            "title": "Cold chain -20 %",
            "problem_statement": "Energy",
            "partners": [partner_a.pk],
        },
    )
    assert response.status_code == 302
    challenge = InnovationChallenge.objects.get()
    assert list(challenge.published_to.all()) == [partner_a]
    portal = reverse("governance:portal-challenges")
    assert "Cold chain -20 %" in client_for(supplier_a).get(portal).content.decode()
    assert "Cold chain -20 %" not in client_for(supplier_b).get(portal).content.decode()


def test_publishing_to_a_partner_out_of_reach_is_a_form_error(
    partner_a, client_for, supplier_a
) -> None:
    # A supplier may not publish at all.
    response = client_for(supplier_a).post(
        reverse("governance:challenge-publish"),
        {"title": "X", "problem_statement": "Y", "partners": [partner_a.pk]},
    )
    assert response.status_code in (403, 404)
    assert not InnovationChallenge.objects.exists()


def test_a_supplier_submits_a_proposal_through_the_portal(
    challenge, partner_a, client_for, supplier_a
) -> None:
    response = client_for(supplier_a).post(
        reverse("governance:portal-challenges"),
        {
            "challenge": challenge.pk,
            "title": "Moulded fibre trays",
            "description": "Bagasse, home-compostable.",
            "expected_value": "120000",
        },
    )
    assert response.status_code == 302
    proposal = ChallengeProposal.objects.get()
    assert (proposal.partner, proposal.submitted_by, proposal.status) == (
        partner_a,
        supplier_a,
        ProposalStatus.SUBMITTED,
    )
    html = client_for(supplier_a).get(reverse("governance:portal-challenges")).content.decode()
    assert "Moulded fibre trays" in html


def test_a_proposal_without_description_reshows_the_form_under_that_challenge(
    challenge, partner_a, client_for, supplier_a
) -> None:
    other = innovation.challenge_publish(
        actor=SYSTEM, title="Fewer pallets", problem_statement="Stack higher.", partners=[partner_a]
    )
    response = client_for(supplier_a).post(
        reverse("governance:portal-challenges"),
        {"challenge": challenge.pk, "title": "Moulded fibre", "description": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("This field is required.") == 1
    assert html.count("<details open>") == 1
    [posted] = [a for a in html.split("<article>") if "Recyclable trays" in a]
    [untouched] = [a for a in html.split("<article>") if other.title in a]
    assert "This field is required." in posted and "Moulded fibre" in posted
    assert "This field is required." not in untouched and "Moulded fibre" not in untouched
    assert not ChallengeProposal.objects.exists()


def test_a_supplier_of_a_partner_not_invited_neither_sees_nor_answers_it(
    challenge, client_for, supplier_b
) -> None:
    client = client_for(supplier_b)
    html = client.get(reverse("governance:portal-challenges")).content.decode()
    assert "Recyclable trays" not in html
    assert "No more PS foam." not in html
    response = client.post(
        reverse("governance:portal-challenges"),
        {"challenge": challenge.pk, "title": "Sneaky", "description": "Let me in"},
    )
    assert response.status_code == 404
    api = reverse("proposal-list")
    from rest_framework.test import APIClient

    api_client = APIClient()
    api_client.force_authenticate(supplier_b)
    response = api_client.post(
        api, {"challenge": challenge.pk, "title": "Sneaky", "description": "x"}, format="json"
    )
    assert response.status_code == 400
    assert not ChallengeProposal.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "1.5", "99999999999999999999"])
def test_a_malformed_challenge_id_is_a_404_not_a_500(
    challenge, client_for, supplier_a, value
) -> None:
    response = client_for(supplier_a).post(
        reverse("governance:portal-challenges"),
        {"challenge": value, "title": "T", "description": "D"},
    )
    assert response.status_code == 404


def _proposal(challenge, partner, supplier) -> ChallengeProposal:
    return innovation.proposal_submit(
        actor=supplier,
        challenge=challenge,
        partner=partner,
        title="Moulded fibre trays",
        description="Bagasse.",
    )


def test_adopting_a_proposal_makes_an_initiative_on_the_partners_roadmap(
    challenge, partner_a, supplier_a, client_for, alliance_manager
) -> None:
    proposal = _proposal(challenge, partner_a, supplier_a)
    response = client_for(alliance_manager).post(
        reverse("governance:proposal-decide", args=[proposal.pk]),
        {"decision": "adopt", "feedback": "Let's pilot in Q3."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    initiative = InnovationInitiative.objects.get()
    assert (initiative.partner, initiative.stage, initiative.title) == (
        partner_a,
        InitiativeStage.EVALUATING,
        "Moulded fibre trays",
    )
    assert proposal.initiative == initiative
    governance_page = client_for(alliance_manager).get(
        reverse("governance:partner", args=[partner_a.pk])
    )
    assert "Moulded fibre trays" in governance_page.content.decode()
    portal = client_for(supplier_a).get(reverse("governance:portal-challenges")).content.decode()
    assert "Adopted" in portal and "Let&#x27;s pilot in Q3." in portal


def test_declining_needs_feedback_which_the_supplier_then_reads(
    challenge, partner_a, supplier_a, client_for, alliance_manager
) -> None:
    proposal = _proposal(challenge, partner_a, supplier_a)
    client = client_for(alliance_manager)
    url = reverse("governance:proposal-decide", args=[proposal.pk])
    response = client.post(url, {"decision": "decline", "feedback": ""})
    assert response.status_code == 200
    assert "Tell the partner why the proposal is declined." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    response = client.post(url, {"decision": "decline", "feedback": "Too costly per unit."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert not InnovationInitiative.objects.exists()
    portal = client_for(supplier_a).get(reverse("governance:portal-challenges")).content.decode()
    assert "Declined" in portal and "Too costly per unit." in portal
    # Deciding twice is refused with a message, not a crash.
    response = client.post(url, {"decision": "adopt"})
    assert response.status_code == 200
    assert "decided already" in response.content.decode()


def test_a_decision_needs_a_clear_choice(
    challenge, partner_a, supplier_a, client_for, alliance_manager
) -> None:
    proposal = _proposal(challenge, partner_a, supplier_a)
    response = client_for(alliance_manager).post(
        reverse("governance:proposal-decide", args=[proposal.pk]), {"feedback": "Hmm"}
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("value", ["abc", "", "1.5"])
def test_a_malformed_proposal_id_is_a_404_not_a_500(client_for, alliance_manager, value) -> None:
    response = client_for(alliance_manager).post(
        f"/governance/proposals/{value}/decide/", {"decision": "adopt"}
    )
    assert response.status_code == 404


def test_a_supplier_cannot_decide_on_proposals(
    challenge, partner_a, supplier_a, client_for
) -> None:
    proposal = _proposal(challenge, partner_a, supplier_a)
    response = client_for(supplier_a).post(
        reverse("governance:proposal-decide", args=[proposal.pk]), {"decision": "adopt"}
    )
    assert response.status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_challenge_past_its_closing_date_takes_no_more_proposals(
    partner_a, client_for, supplier_a
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    closed = innovation.challenge_publish(
        actor=SYSTEM,
        title="Last year's call",
        problem_statement="Over.",
        partners=[partner_a],
        closes_on=timezone.localdate() - timedelta(days=1),
    )
    client = client_for(supplier_a)
    html = client.get(reverse("governance:portal-challenges")).content.decode()
    assert "Closed for proposals." in html and "Submit a proposal" not in html
    response = client.post(
        reverse("governance:portal-challenges"),
        {"challenge": closed.pk, "title": "Late", "description": "Too late"},
    )
    assert response.status_code == 200
    assert "The challenge is closed." in response.content.decode()
    assert not ChallengeProposal.objects.exists()

"""What schemathesis found when it joined the suite (issue 15), each now a test of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.models import User
from partners.models import AnnualSpend, Partner
from scorecards.models import Scorecard
from tests.partners.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/partner-spend/", {"year": 2026, "amount": "5.00", "category": "cells\x00"}),
        ("/api/v1/scorecards/", {"template_code": "strategic-balanced", "category": "\x00x"}),
        ("/api/v1/partner-supply-items/", {"name": "Cell", "category": "a\x00"}),
    ],
)
def test_a_code_with_a_nul_character_is_an_unknown_code_not_a_500(
    api_for: Callable[[User], APIClient],
    administrator: User,
    partner_a: Partner,
    url: str,
    body: dict[str, object],
) -> None:
    answer = api_for(administrator).post(url, {**body, "partner": partner_a.pk}, format="json")
    assert answer.status_code == 400, answer.content
    assert "category" in answer.json()
    assert not AnnualSpend.objects.exists() and not Scorecard.objects.exists()


def test_the_schema_allows_the_supplier_shapes_of_partners_and_agreements(
    api_for: Callable[[User], APIClient], supplier_a: User, partner_a: Partner
) -> None:
    """A supplier's partner and agreement answers leave internal fields out; the schema says
    they may, and still requires them of nobody else's shape."""
    AgreementFactory(partner=partner_a, internal_notes="walk-away price")
    answer = api_for(supplier_a).get("/api/schema/", {"format": "json"})
    components = answer.json()["components"]["schemas"]
    partner = components["Partner"]
    assert "quadrant" in partner["properties"] and "quadrant" not in partner["required"]
    assert "legal_name" in partner["required"]
    assert "Supplier users get this without: " in partner["description"]
    agreement = components["Agreement"]
    assert "internal_notes" not in agreement["required"] and "title" in agreement["required"]
    own = api_for(supplier_a).get("/api/v1/partner-agreements/").json()["results"]
    assert own and "internal_notes" not in own[0]

"""Malformed ids and choices posted to governance pages: 404 or a message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("governance:partner", {"step": "initiative_stage", "initiative": "abc", "stage": "x"}),
        ("governance:partner", {"step": "milestone_done", "milestone": "1.5"}),
        ("governance:escalations", {"step": "resolve", "escalation": "abc", "resolution": "r"}),
    ],
)
def test_a_malformed_record_id_is_a_404(
    partner_a, client_for, alliance_manager, page, data
) -> None:
    response = client_for(alliance_manager).post(reverse(page, args=[partner_a.pk]), data)
    assert response.status_code == 404

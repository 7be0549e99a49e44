"""Malformed ids and choices posted to governance pages: 404 or a message, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/governance/initiatives/abc/stage/", {"stage": "x"}),
        ("/governance/milestones/1.5/done/", {}),
        ("/governance/escalations/abc/resolve/", {"resolution": "r"}),
        # Well-formed but beyond any record: the same answer.
        ("/governance/initiatives/99999999999999999999/stage/", {"stage": "x"}),
    ],
)
def test_a_malformed_record_id_is_a_404(partner_a, client_for, alliance_manager, url, data) -> None:
    response = client_for(alliance_manager).post(url, data)
    assert response.status_code == 404

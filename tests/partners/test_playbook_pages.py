"""Administrators view and edit the four engagement-model playbooks on a page (SPEC 1.3)."""

from __future__ import annotations

import pytest

from core.models import AuditEvent
from partners.models import EngagementPlaybook

pytestmark = pytest.mark.django_db

URL = "/partners/playbooks/strategic_partnership/"


def _post(playbook: EngagementPlaybook, **overrides: str) -> dict[str, str]:
    data = {
        "cadences-TOTAL_FORMS": str(len(playbook.cadences) + 1),
        "cadences-INITIAL_FORMS": str(len(playbook.cadences)),
        "scorecard_template_code": playbook.scorecard_template_code,
        "sponsor_level": playbook.sponsor_level,
        "survey_frequency_months": str(playbook.survey_frequency_months),
        "description": "",
    }
    for index, cadence in enumerate(playbook.cadences):
        for key in ("kind", "frequency", "interval", "duration_minutes"):
            data[f"cadences-{index}-{key}"] = str(cadence[key])
    data.update(overrides)
    return data


def test_internal_users_see_all_four_playbooks(client_for, executive) -> None:
    page = client_for(executive).get("/partners/playbooks/")
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("Transactional", "Preferred supplier", "Strategic partnership", "Joint venture"):
        assert label in text
    assert "strategic-balanced" in text
    assert URL not in text  # only administrators get the edit link


def test_only_administrators_edit_and_suppliers_see_nothing(
    client_for, procurement_manager, supplier_a, administrator
) -> None:
    assert client_for(procurement_manager).get(URL).status_code == 403
    assert client_for(supplier_a).get("/partners/playbooks/").status_code in (403, 404)
    page = client_for(administrator).get("/partners/playbooks/")
    assert URL in page.content.decode()


def test_an_administrator_edits_a_playbook_and_adds_a_cadence(client_for, administrator) -> None:
    playbook = EngagementPlaybook.objects.get(engagement_model="strategic_partnership")
    new = len(playbook.cadences)
    data = _post(
        playbook,
        survey_frequency_months="3",
        sponsor_level="board",
        scorecard_template_code="strategic-v2",
        **{
            "cadences-0-DELETE": "on",
            f"cadences-{new}-kind": playbook.cadences[0]["kind"],
            f"cadences-{new}-frequency": "weekly",
            f"cadences-{new}-interval": "2",
            f"cadences-{new}-duration_minutes": "30",
        },
    )
    response = client_for(administrator).post(URL, data)
    assert response.status_code == 302
    playbook.refresh_from_db()
    assert playbook.survey_frequency_months == 3
    assert playbook.sponsor_level == "board"
    assert playbook.scorecard_template_code == "strategic-v2"
    assert playbook.cadences[-1] == {
        "kind": "monthly_operational",
        "frequency": "weekly",
        "interval": 2,
        "duration_minutes": 30,
    }
    assert len(playbook.cadences) == new
    assert AuditEvent.objects.filter(action="playbook.update").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"survey_frequency_months": "0"}, "survey_frequency_months", "greater than or equal to 1"),
        ({"scorecard_template_code": "not a slug"}, "scorecard_template_code", "valid"),
        ({"cadences-0-duration_minutes": "2000"}, "duration_minutes", "less than or equal"),
        ({"cadences-1-kind": "monthly_operational"}, None, "listed twice"),
        ({"cadences-0-frequency": ""}, "frequency", "how often"),
    ],
)
def test_bad_input_re_renders_with_field_errors(
    client_for, administrator, overrides, field, message
) -> None:
    playbook = EngagementPlaybook.objects.get(engagement_model="strategic_partnership")
    before = list(playbook.cadences)
    response = client_for(administrator).post(URL, _post(playbook, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    playbook.refresh_from_db()
    assert playbook.cadences == before
    assert not AuditEvent.objects.filter(action="playbook.update").exists()


def test_an_unknown_playbook_is_404(client_for, administrator) -> None:
    assert client_for(administrator).get("/partners/playbooks/barter/").status_code == 404

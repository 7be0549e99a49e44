"""Inputs schemathesis found to answer 500; each must now be a 400 with a field error."""

from __future__ import annotations

import pytest

from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tags", [None, {"a": 1}, "x", [1, None], [""], ["x" * 61]])
def test_partner_tags_must_be_a_list_of_short_strings(api_for, procurement_manager, tags) -> None:
    partner = PartnerFactory(tags=["keep"])
    api = api_for(procurement_manager)
    body = {
        "legal_name": partner.legal_name,
        "short_name": partner.short_name,
        "country": partner.country,
        "tags": tags,
    }
    response = api.put(f"/api/v1/partners/{partner.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert "tags" in response.json()
    partner.refresh_from_db()
    assert partner.tags == ["keep"]
    ok = api.patch(f"/api/v1/partners/{partner.pk}/", {"tags": ["a", "b"]}, format="json")
    assert ok.status_code == 200
    assert ok.json()["tags"] == ["a", "b"]


@pytest.mark.parametrize("tags", [True, {"a": 1}, "x", [1]])
def test_the_service_refuses_tags_that_are_not_a_list_of_text(procurement_manager, tags) -> None:
    from core.errors import FieldErrors
    from partners.services import partners as partner_services

    partner = PartnerFactory(tags=["keep"])
    with pytest.raises(FieldErrors) as refused:
        partner_services.partner_update(
            actor=procurement_manager, partner=partner, changes={"tags": tags}
        )
    assert list(refused.value.errors) == ["tags"]
    partner.refresh_from_db()
    assert partner.tags == ["keep"]


def test_xlsx_export_drops_control_characters_and_still_quotes_formulas(
    api_for, procurement_manager
) -> None:
    import io

    from openpyxl import load_workbook

    PartnerFactory(legal_name="\x01=1+1 Ltd", short_name="Ctl\x0bname", tags=["\x1f@x"])
    response = api_for(procurement_manager).get("/api/v1/partners/export/", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=1+1 Ltd"
    assert sheet["B2"].value == "Ctlname"
    assert sheet["J2"].value == "'@x"

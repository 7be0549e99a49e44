"""The API's conditional writes: ETag on detail responses, If-Match on PUT/PATCH (412 when
stale), a body ``version`` (409 when stale); both optional (issue 9)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from core.models import AuditEvent
from governance.services import innovation
from partners.services import agreements, records
from tests.factories import PartnerFactory, SupplierContactFactory
from tests.governance.factories import ActionItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_partner_etag_if_match_and_412(api_for, procurement_manager, alliance_manager) -> None:
    partner = PartnerFactory(short_name="Voltaris", website="")
    url = f"/api/v1/partners/{partner.pk}/"
    priya, marco = api_for(procurement_manager), api_for(alliance_manager)

    read = priya.get(url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert etag == f'"partners.partner:{partner.pk}:v1"'
    assert read.json()["version"] == 1
    assert marco.get(url)["ETag"] == etag

    first = priya.patch(url, {"short_name": "Voltaris AG"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'"partners.partner:{partner.pk}:v2"'
    assert first.json()["version"] == 2

    second = marco.patch(
        url, {"website": "https://voltaris.example"}, format="json", HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    assert "changed since you read it" in second.json()["detail"]
    partner.refresh_from_db()
    assert (partner.short_name, partner.website) == ("Voltaris AG", "")
    # Only the first write is in the audit trail.
    assert list(
        AuditEvent.objects.filter(object_id=str(partner.pk), action="partner.update").values_list(
            "changes", flat=True
        )
    ) == [{"short_name": ["Voltaris", "Voltaris AG"]}]

    # A tag of another record, or garbage, is no match either.
    assert marco.patch(url, {}, format="json", HTTP_IF_MATCH='"x"').status_code == 412
    # Read again, and the write with the new tag goes through.
    fresh = marco.get(url)["ETag"]
    again = marco.patch(
        url, {"website": "https://voltaris.example"}, format="json", HTTP_IF_MATCH=fresh
    )
    assert again.status_code == 200
    assert again.json()["short_name"] == "Voltaris AG"


def test_a_stale_body_version_is_409_and_no_version_is_allowed(
    api_for, procurement_manager
) -> None:
    partner = PartnerFactory(short_name="GreenPack")
    url = f"/api/v1/partners/{partner.pk}/"
    client = api_for(procurement_manager)
    assert client.patch(url, {"website": "https://a.example"}, format="json").status_code == 200
    stale = client.patch(url, {"short_name": "GP", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    current = client.patch(url, {"short_name": "GP", "version": 2}, format="json")
    assert current.status_code == 200
    assert current.json()["version"] == 3
    assert client.patch(url, {}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_if_match_on_agreement_contact_meeting_and_action(
    api_for, procurement_manager, partner_a
) -> None:
    agreement = agreements.agreement_create(
        actor=procurement_manager,
        partner=partner_a,
        fields={
            "kind": "contract",
            "title": "Supply",
            "start_date": datetime(2026, 1, 1).date(),
            "end_date": datetime(2027, 1, 1).date(),
            "notice_period_days": 30,
            "confidentiality_level": "confidential",
        },
    )
    start = datetime.now(UTC) + timedelta(days=3)
    meeting = MeetingFactory(partner=partner_a, start=start, end=start + timedelta(hours=1))
    records = {
        f"/api/v1/partner-agreements/{agreement.pk}/": {"title": "Supply 2026"},
        f"/api/v1/partner-contacts/{SupplierContactFactory(partner=partner_a).pk}/": {
            "role": "CFO"
        },
        f"/api/v1/governance/meetings/{meeting.pk}/": {"location": "Gothenburg"},
        f"/api/v1/governance/actions/{ActionItemFactory(partner=partner_a).pk}/": {
            "title": "Send the forecast"
        },
    }
    client = api_for(procurement_manager)
    for url, change in records.items():
        etag = client.get(url)["ETag"]
        assert etag.endswith(':v1"'), url
        assert client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
        stale = client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
        assert stale.status_code == 412, url


def test_if_match_on_supply_items_benchmarks_initiatives_and_playbooks(
    api_for, procurement_manager, administrator, partner_a
) -> None:
    item = records.supply_item_save(
        actor=procurement_manager, partner=partner_a, changes={"name": "Cells"}
    )
    benchmark = records.benchmark_save(
        actor=procurement_manager,
        partner=partner_a,
        changes={
            "item": "Cells",
            "partner_price": Decimal(10),
            "market_price": Decimal(10),
            "as_of": date(2026, 6, 1),
        },
    )
    initiative = innovation.initiative_create(
        actor=procurement_manager, partner=partner_a, title="Dry electrode"
    )
    records_and_changes = {
        f"/api/v1/partner-supply-items/{item.pk}/": {"qualified_second_sources": 1},
        f"/api/v1/partner-benchmarks/{benchmark.pk}/": {"source": "Index"},
        f"/api/v1/governance/initiatives/{initiative.pk}/": {"description": "Pilot line"},
    }
    client = api_for(administrator)
    for url, change in {
        **records_and_changes,
        "/api/v1/partner-playbooks/strategic_partnership/": {"description": "Reviewed"},
    }.items():
        etag = client.get(url)["ETag"]
        assert client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
        assert client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 412

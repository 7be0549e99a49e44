"""Two people editing the same record: the second save, based on what the first one changed,
is refused (409) instead of silently reverting it, nothing is lost, and the audit trail shows
no revert (issue 9, optimistic concurrency)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from core.concurrency import StaleEditError
from core.models import AuditEvent
from governance.services import actions, meetings
from partners.models import Agreement, Partner, SupplierContact
from partners.services import agreements, partners, records
from scorecards.models import Measurement
from tests.factories import PartnerFactory, SupplierContactFactory
from tests.governance.factories import ActionItemFactory, MeetingFactory
from tests.scorecards.factories import kpis_by_code, open_period, scorecard_for

pytestmark = pytest.mark.django_db


def _version_in(html: str) -> int:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match, "the edit form carries the version it was read at"
    return int(match.group(1))


def _partner_form(partner: Partner, **changes: str) -> dict[str, str]:
    return {
        "legal_name": partner.legal_name,
        "short_name": partner.short_name,
        "country": partner.country,
        "currency": partner.currency,
        "engagement_model": partner.engagement_model,
        "tags": "",
        **changes,
    }


def test_two_sessions_editing_a_partner_the_second_save_is_refused_and_nothing_is_lost(
    client_for, procurement_manager, alliance_manager
) -> None:
    partner = PartnerFactory(short_name="Voltaris", description="")
    url = reverse("partners:edit", args=[partner.pk])
    priya, marco = client_for(procurement_manager), client_for(alliance_manager)
    # Both open the form.
    priya_version = _version_in(priya.get(url).content.decode())
    marco_version = _version_in(marco.get(url).content.decode())
    assert priya_version == marco_version == partner.version

    first = priya.post(
        url, {**_partner_form(partner, short_name="Voltaris AG"), "version": priya_version}
    )
    assert first.status_code == 302
    second = marco.post(
        url,
        {
            **_partner_form(partner, description="Cell supply for the 2027 platform"),
            "version": marco_version,
        },
    )

    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else saved this partner after you opened it" in body
    # What changed meanwhile: the field, the value Marco saw → the current one, and who.
    assert "Short name: Voltaris → Voltaris AG" in body
    assert str(procurement_manager) in body
    # Marco's input is still in the form, and it now carries the current version.
    assert "Cell supply for the 2027 platform" in body
    assert _version_in(body) == priya_version + 1
    partner.refresh_from_db()
    assert (partner.short_name, partner.description) == ("Voltaris AG", "")

    # Saving again is deliberate: Marco keeps Priya's name and adds his description.
    third = marco.post(
        url,
        {
            **_partner_form(
                partner, short_name="Voltaris AG", description="Cell supply for the 2027 platform"
            ),
            "version": _version_in(body),
        },
    )
    assert third.status_code == 302
    partner.refresh_from_db()
    assert (partner.short_name, partner.description) == (
        "Voltaris AG",
        "Cell supply for the 2027 platform",
    )
    # The audit trail: two edits, each with what it changed; no revert of the name.
    events = AuditEvent.objects.filter(
        object_type="partners.partner", object_id=str(partner.pk), action="partner.update"
    ).order_by("at", "id")
    assert [sorted(e.changes) for e in events] == [["short_name"], ["description"]]
    assert all(e.changes.get("short_name", ["", "Voltaris AG"])[1] == "Voltaris AG" for e in events)


def test_a_stale_partner_save_with_htmx_is_swapped_in_with_409(
    client_for, procurement_manager, alliance_manager
) -> None:
    partner = PartnerFactory(short_name="GreenPack")
    url = reverse("partners:edit", args=[partner.pk])
    stale = partner.version
    partners.partner_update(
        actor=procurement_manager, partner=partner, changes={"website": "https://green.example"}
    )
    response = client_for(alliance_manager).post(
        url,
        {**_partner_form(partner, short_name="GreenPack BV"), "version": stale},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" not in body
    assert "Website: — → https://green.example" in body
    assert 'value="GreenPack BV"' in body


def _agreement_form(agreement: Agreement, **changes: str) -> dict[str, str]:
    return {
        "kind": agreement.kind,
        "title": agreement.title,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
        "notice_period_days": str(agreement.notice_period_days),
        "confidentiality_level": agreement.confidentiality_level,
        **changes,
    }


def test_two_sessions_editing_an_agreement(
    client_for, procurement_manager, alliance_manager, partner_a
) -> None:
    agreement = agreements.agreement_create(
        actor=procurement_manager,
        partner=partner_a,
        fields={
            "kind": "contract",
            "title": "Cell supply",
            "start_date": datetime(2026, 1, 1).date(),
            "end_date": datetime(2028, 12, 31).date(),
            "notice_period_days": 90,
            "confidentiality_level": "confidential",
        },
    )
    url = reverse("partners:agreement-edit", args=[partner_a.pk, agreement.pk])
    priya, marco = client_for(procurement_manager), client_for(alliance_manager)
    version = _version_in(priya.get(url).content.decode())
    assert _version_in(marco.get(url).content.decode()) == version

    assert (
        priya.post(
            url, {**_agreement_form(agreement, notice_period_days="180"), "version": version}
        ).status_code
        == 302
    )
    second = marco.post(
        url, {**_agreement_form(agreement, title="Cell supply 2026-28"), "version": version}
    )
    assert second.status_code == 409
    body = second.content.decode()
    assert "Notice period days: 90 → 180" in body
    assert 'value="Cell supply 2026-28"' in body
    agreement.refresh_from_db()
    assert (agreement.notice_period_days, agreement.title) == (180, "Cell supply")


def test_two_sessions_recording_minutes_of_the_same_meeting(
    client_for, procurement_manager, alliance_manager, partner_a
) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    meeting = MeetingFactory(partner=partner_a, start=start, end=start + timedelta(hours=1))
    page = reverse("governance:meeting", args=[meeting.pk])
    url = reverse("governance:meeting-minutes", args=[meeting.pk])
    priya, marco = client_for(procurement_manager), client_for(alliance_manager)
    version = _version_in(priya.get(page).content.decode())
    assert _version_in(marco.get(page).content.decode()) == version

    first = priya.post(url, {"minutes": "Agreed the ramp-up plan.", "version": version})
    assert first.status_code == 302
    second = marco.post(url, {"minutes": "Discussed pricing only.", "version": version})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Someone else saved this meeting after you opened it" in body
    assert "Minutes: — → Agreed the ramp-up plan." in body
    assert "Discussed pricing only." in body  # Marco's minutes are kept in his form
    meeting.refresh_from_db()
    assert meeting.minutes == "Agreed the ramp-up plan."
    assert not AuditEvent.objects.filter(
        object_type="governance.meeting", changes__minutes__1="Discussed pricing only."
    ).exists()


def test_services_refuse_a_stale_version_and_accept_the_current_one(
    procurement_manager, partner_a
) -> None:
    contact = SupplierContactFactory(partner=partner_a, name="Ana")
    records.contact_save(
        actor=procurement_manager, partner=partner_a, contact=contact, changes={"role": "CFO"}
    )
    stale = SupplierContact.objects.get(pk=contact.pk)
    stale_version = contact.version - 1
    with pytest.raises(StaleEditError):
        records.contact_save(
            actor=procurement_manager,
            partner=partner_a,
            contact=stale,
            changes={"name": "Ana B."},
            expected_version=stale_version,
        )
    saved = records.contact_save(
        actor=procurement_manager,
        partner=partner_a,
        contact=stale,
        changes={"name": "Ana B."},
        expected_version=contact.version,
    )
    assert (saved.name, saved.role, saved.version) == ("Ana B.", "CFO", contact.version + 1)

    meeting = MeetingFactory(partner=partner_a)
    with pytest.raises(StaleEditError):
        meetings.meeting_cancel(
            actor=procurement_manager,
            meeting=meeting,
            reason="Clash",
            expected_version=meeting.version + 1,
        )


def test_a_stale_action_status_is_refused_with_what_changed(
    client_for, procurement_manager, alliance_manager, partner_a
) -> None:
    action = ActionItemFactory(partner=partner_a, title="Send forecast")
    stale = action.version
    actions.action_update(actor=procurement_manager, action=action, changes={"status": "done"})
    response = client_for(alliance_manager).post(
        reverse("governance:action-status", args=[action.pk]),
        {"status": "in_progress", "version": stale},
        follow=True,
    )
    body = response.content.decode()
    assert "Status: open → done" in body
    assert "Yours was not saved (status In progress)" in body
    action.refresh_from_db()
    assert action.status == "done"


def test_two_sessions_saving_the_same_scorecard_grid(
    client_for, procurement_manager, alliance_manager, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    url = reverse("scorecards:grid", args=[period.pk])
    priya, marco = client_for(procurement_manager), client_for(alliance_manager)
    version = _version_in(priya.get(url).content.decode())
    assert _version_in(marco.get(url).content.decode()) == version

    ppv, ppm = f"kpi-{kpis['ppv'].pk}", f"kpi-{kpis['ppm'].pk}"
    first = priya.post(url, {ppv: "2.5", "save": "1", "version": version})
    assert first.status_code == 302
    # Marco's grid still shows ppv empty; saving it would drop Priya's value.
    second = marco.post(url, {ppv: "", ppm: "140", "save": "1", "version": version})
    assert second.status_code == 409
    body = second.content.decode()
    assert "Ppv: — → 2.5" in body
    assert 'value="140"' in body  # his input is kept
    assert _version_in(body) == version + 1
    values = dict(Measurement.objects.filter(period=period).values_list("kpi__code", "value"))
    assert values == {"ppv": Decimal("2.5")}

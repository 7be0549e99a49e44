"""Record pages show a read-only history (who, when, which fields from → to), internal users
only; the Django admin cannot add, change or delete audit events (issue 9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from core.models import AuditEvent
from governance.services import actions, escalations, meetings, plans
from partners.services import agreements, partners, records
from tests.factories import PartnerFactory, SupplierContactFactory
from tests.governance.factories import ActionItemFactory, MeetingFactory, standard_ladder
from tests.scorecards.factories import scorecard_for

pytestmark = pytest.mark.django_db


def _history(client, kind: str, pk: int) -> str:
    response = client.get(reverse("record-history", args=[kind, pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_partner_history_shows_who_changed_which_field_from_what_to_what(
    client_for, procurement_manager, alliance_manager
) -> None:
    partner = PartnerFactory(short_name="Voltaris", country="SE")
    partners.partner_update(
        actor=procurement_manager, partner=partner, changes={"short_name": "Voltaris AG"}
    )
    partners.partner_update(actor=alliance_manager, partner=partner, changes={"country": "DE"})
    client = client_for(procurement_manager)
    page = client.get(reverse("partner-page", args=[partner.pk])).content.decode()
    history_url = reverse("record-history", args=["partner", partner.pk])
    assert f'hx-get="{history_url}"' in page  # loaded when the panel is opened

    body = _history(client, "partner", partner.pk)
    assert "<html" not in body
    assert body.index("Country: SE → DE") < body.index("Short name: Voltaris → Voltaris AG")
    assert str(alliance_manager) in body and str(procurement_manager) in body
    # Without HTMX it is a page of its own.
    full = client.get(history_url).content.decode()
    assert "<html" in full and "Short name: Voltaris → Voltaris AG" in full


def test_every_edited_record_page_offers_its_history(
    client_for, procurement_manager, partner_a
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
    agreements.agreement_update(
        actor=procurement_manager, agreement=agreement, changes={"notice_period_days": 60}
    )
    contact = SupplierContactFactory(partner=partner_a, role="Buyer")
    records.contact_save(
        actor=procurement_manager, partner=partner_a, contact=contact, changes={"role": "CFO"}
    )
    start = datetime.now(UTC) - timedelta(days=1)
    meeting = MeetingFactory(partner=partner_a, start=start, end=start + timedelta(hours=1))
    meetings.meeting_record(actor=procurement_manager, meeting=meeting, minutes="Agreed.")
    action = ActionItemFactory(partner=partner_a)
    actions.action_update(actor=procurement_manager, action=action, changes={"status": "done"})
    standard_ladder(partner_a, 24)
    escalation = escalations.escalation_raise(
        actor=procurement_manager, partner=partner_a, title="Late cells", description=""
    )
    escalations.escalation_resolve(
        actor=procurement_manager, escalation=escalation, resolution="Expedited"
    )
    plan = plans.plan_create(actor=procurement_manager, partner=partner_a, year=2026, title="JBP")
    scorecard = scorecard_for(partner_a)
    period = scorecard.periods.get()

    client = client_for(procurement_manager)
    pages = {
        ("agreement", agreement.pk): reverse(
            "partners:agreement-edit", args=[partner_a.pk, agreement.pk]
        ),
        ("contact", contact.pk): reverse("partners:contact-edit", args=[partner_a.pk, contact.pk]),
        ("meeting", meeting.pk): reverse("governance:meeting", args=[meeting.pk]),
        ("action", action.pk): reverse("governance:actions", args=[partner_a.pk]),
        ("escalation", escalation.pk): reverse("governance:escalations", args=[partner_a.pk]),
        ("plan", plan.pk): reverse("governance:partner", args=[partner_a.pk]),
        ("scorecard", scorecard.pk): reverse("scorecards:detail", args=[scorecard.pk]),
        ("period", period.pk): reverse("scorecards:detail", args=[scorecard.pk]),
    }
    for (kind, pk), page in pages.items():
        html = client.get(page).content.decode()
        assert f'hx-get="{reverse("record-history", args=[kind, pk])}"' in html, (kind, page)

    assert "Notice period days: 30 → 60" in _history(client, "agreement", agreement.pk)
    assert "Role: Buyer → CFO" in _history(client, "contact", contact.pk)
    assert "Minutes: — → Agreed." in _history(client, "meeting", meeting.pk)
    assert "Status: open → done" in _history(client, "action", action.pk)
    assert "Resolution: — → Expedited" in _history(client, "escalation", escalation.pk)
    assert "plan.create" in _history(client, "plan", plan.pk)
    assert "scorecard" in _history(client, "scorecard", scorecard.pk)


def test_history_is_for_internal_users_only(
    client_for, procurement_manager, supplier_a, partner_a
) -> None:
    partners.partner_update(
        actor=procurement_manager, partner=partner_a, changes={"annual_revenue": 1000}
    )
    supplier = client_for(supplier_a)
    url = reverse("record-history", args=["partner", partner_a.pk])
    assert supplier.get(url).status_code == 404
    assert supplier.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert (
        client_for(procurement_manager)
        .get(reverse("record-history", args=["nonsense", partner_a.pk]))
        .status_code
        == 404
    )


def test_the_audit_admin_is_read_only_even_for_superusers(
    client_for, administrator, procurement_manager, partner_a
) -> None:
    partners.partner_update(
        actor=procurement_manager, partner=partner_a, changes={"short_name": "Alpha"}
    )
    event = AuditEvent.objects.get(action="partner.update")
    client = client_for(administrator)
    listing = client.get("/admin/core/auditevent/")
    assert listing.status_code == 200
    assert "Add audit event" not in listing.content.decode()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post("/admin/core/auditevent/add/", {"action": "x"}).status_code == 403
    change_url = f"/admin/core/auditevent/{event.pk}/change/"
    assert client.get(change_url).status_code == 200  # viewable
    client.post(change_url, {"action": "forged"})
    assert (
        client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(
        "/admin/core/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.action == "partner.update"

"""In-app notifications as people use them: the bell, the inbox, preferences, the workspace
sections, the operations page and the REST API; query counts; supplier scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationPreference, OutboxMessage, User
from core.notifications import NotificationKind
from core.roles import SYSTEM
from core.services import notification_send
from governance.services import escalations as governance_escalations
from scorecards.services import disputes as scorecard_disputes
from scorecards.services import periods as scorecard_periods
from tests.factories import PartnerFactory, UserFactory
from tests.governance.factories import standard_ladder
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db


def _notes(user: User, n: int, **kw) -> None:
    for i in range(n):
        notification_send(
            recipient=user,
            key=f"t:{user.pk}:{i}:{kw}",
            subject=f"Note {i}",
            url="/workspace/",
            **kw,
        )


def _closed_period(partner):
    period = enter_values(scorecard_for(partner), HAND_VALUES)
    return scorecard_periods.period_close(actor=SYSTEM, period=period)


def test_a_supplier_dispute_reaches_the_managers_bell_inbox_and_workspace(
    procurement_manager, supplier_a, partner_a, client_for
) -> None:
    partner_a.owner = procurement_manager
    partner_a.save()
    period = _closed_period(partner_a)
    scorecard_disputes.dispute_raise(
        actor=supplier_a, period=period, reason="Yield data was late", today=period.end
    )
    client = client_for(procurement_manager)
    bell = client.get(reverse("notifications-bell"), HTTP_HX_REQUEST="true")
    assert 'data-unread="1"' in bell.content.decode()
    inbox = client.get(reverse("notifications")).content.decode()
    assert f"{partner_a} disputes its {period.label} score" in inbox
    note = Notification.objects.get(recipient=procurement_manager)
    assert note.kind == NotificationKind.DISPUTE_RAISED
    opened = client.get(reverse("notification-open", args=[note.pk]))
    assert opened["Location"] == f"/scorecards/{period.scorecard_id}/"
    assert Notification.objects.get(pk=note.pk).read_at is not None
    workspace = client.get(reverse("workspace")).content.decode()
    section = workspace.split('id="disputes-to-resolve"')[1].split("</section>")[0]
    assert "Yield data was late" in section and partner_a.short_name in section


def test_escalations_on_me_follow_the_ladder_level(
    procurement_manager, alliance_manager, partner_a, client_for
) -> None:
    standard_ladder(partner_a)
    partner_a.alliance_manager = alliance_manager
    partner_a.save()
    governance_escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Cells late")
    other = PartnerFactory(owner=procurement_manager)
    standard_ladder(other)
    governance_escalations.escalation_raise(actor=SYSTEM, partner=other, title="Boxes damaged")
    page = client_for(alliance_manager).get(reverse("workspace")).content.decode()
    section = page.split('id="escalations-on-me"')[1].split("</section>")[0]
    assert "Cells late" in section and "Boxes damaged" not in section
    mine = client_for(procurement_manager).get(reverse("workspace")).content.decode()
    assert "Boxes damaged" in mine.split('id="escalations-on-me"')[1].split("</section>")[0]


@pytest.mark.parametrize("n", [2, 20])
def test_the_bell_and_the_inbox_keep_a_constant_query_count(
    n, procurement_manager, supplier_a, partner_a, client_for, django_assert_max_num_queries
) -> None:
    _notes(procurement_manager, n)
    _notes(supplier_a, n, partner_id=partner_a.pk, shared=True)
    for user, bell_queries in ((procurement_manager, 3), (supplier_a, 4)):
        client = client_for(user)
        with django_assert_max_num_queries(bell_queries):
            assert client.get(reverse("notifications-bell")).status_code == 200
        with django_assert_max_num_queries(bell_queries + 2):
            page = client.get(reverse("notifications"))
        assert page.content.decode().count('<tr id="notification-') == n


def test_the_inbox_filters_by_kind_and_unread_and_marks_read(procurement_manager, client_for):
    _notes(procurement_manager, 2, kind=NotificationKind.DISPUTE_RAISED)
    _notes(procurement_manager, 3, kind=NotificationKind.ACTION_OVERDUE)
    client = client_for(procurement_manager)
    page = client.get(reverse("notifications"), {"kind": "dispute_raised"}).content.decode()
    assert page.count('<tr id="notification-') == 2
    first = Notification.objects.filter(kind="action_overdue").first()
    row = client.post(reverse("notification-mark-read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and 'class="read"' in row.content.decode()
    assert "<html" not in row.content.decode()
    unread = client.get(reverse("notifications"), {"unread": "1"}).content.decode()
    assert unread.count('<tr id="notification-') == 4
    client.post(reverse("notifications-read-all"), {"kind": "action_overdue"})
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("notifications-read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    bad = client.get(reverse("notifications"), {"kind": "nonsense", "page": "x"})
    assert bad.status_code == 200


def test_another_users_notification_is_not_found(procurement_manager, alliance_manager, client_for):
    _notes(alliance_manager, 1)
    note = Notification.objects.get()
    client = client_for(procurement_manager)
    assert client.get(reverse("notification-open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notification-mark-read", args=[note.pk])).status_code == 404
    assert Notification.objects.get().read_at is None


def test_opening_never_redirects_off_site(procurement_manager, client_for) -> None:
    note = notification_send(
        recipient=procurement_manager, key="x", subject="Odd", url="//evil.example.com/"
    )
    response = client_for(procurement_manager).get(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == reverse("notifications")


def test_preferences_are_saved_and_govern_what_comes(procurement_manager, client_for) -> None:
    client = client_for(procurement_manager)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert "Meeting reminder" in page and "Dispute resolved" not in page
    data = {"language": "de", "time_zone": "America/New_York"}
    for kind in NotificationKind:
        if kind.spec.for_internal:
            data[f"{kind}_in_app"] = "on"
            if kind.spec.is_reminder:
                data[f"{kind}_lead"] = str(kind.spec.default_lead)
    data["meeting_reminder_lead"] = "24"
    data["meeting_reminder_email"] = "on"
    response = client.post(reverse("notification-preferences"), data)
    assert response.status_code == 302
    procurement_manager.refresh_from_db()
    assert (procurement_manager.language, procurement_manager.time_zone) == (
        "de",
        "America/New_York",
    )
    meeting = NotificationPreference.objects.get(user=procurement_manager, kind="meeting_reminder")
    assert (meeting.email, meeting.in_app, meeting.lead) == (True, True, 24)
    assert not NotificationPreference.objects.get(user=procurement_manager, kind="general").email
    data["meeting_reminder_lead"] = "999"
    again = client.post(reverse("notification-preferences"), data)
    assert again.status_code == 200 and "336" in again.content.decode()


def test_a_supplier_sees_only_its_own_companys_shared_notifications(
    supplier_a, partner_a, partner_b, client_for
) -> None:
    _notes(supplier_a, 1, partner_id=partner_a.pk, shared=True)
    # Written straight to the table: notification_send refuses both for a supplier.
    Notification.objects.create(
        key="leak-1", recipient=supplier_a, subject="Internal remark", partner_ref=partner_a.pk
    )
    Notification.objects.create(
        key="leak-2", recipient=supplier_a, subject="Other company", partner_ref=partner_b.pk,
        shared=True,
    )  # fmt: skip
    client = client_for(supplier_a)
    page = client.get(reverse("notifications")).content.decode()
    assert "Note 0" in page and "Internal remark" not in page and "Other company" not in page
    assert 'data-unread="1"' in client.get(reverse("notifications-bell")).content.decode()
    for key in ("leak-1", "leak-2"):
        pk = Notification.objects.get(key=key).pk
        assert client.get(reverse("notification-open", args=[pk])).status_code == 404
        assert client.get(f"/api/v1/notifications/{pk}/").status_code == 404
    prefs = client.get(reverse("notification-preferences")).content.decode()
    assert "Dispute resolved" in prefs and "Score disputed" not in prefs


def test_the_operations_page_is_for_administrators(
    administrator, procurement_manager, supplier_a, client_for, settings
) -> None:
    user = UserFactory(email="ann@example.com")
    _notes(user, 2)
    OutboxMessage.objects.filter(pk=OutboxMessage.objects.first().pk).update(
        state="failed", last_error="550 Mailbox unknown", attempts=10
    )
    admin = client_for(administrator)
    page = admin.get(reverse("operations-outbox")).content.decode()
    assert "550 Mailbox unknown" in page and "Retry selected" in page
    failed = OutboxMessage.objects.get(state="failed")
    admin.post(reverse("operations-outbox-retry"), {"message": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)
    for user in (procurement_manager, supplier_a):
        assert client_for(user).get(reverse("operations-outbox")).status_code == 403
        assert client_for(user).post(reverse("operations-outbox-retry")).status_code == 403
        assert client_for(user).get(reverse("operations-outbox-json")).status_code == 403


def test_the_monitoring_json_needs_an_administrator_or_the_token(
    administrator, client_for, settings
) -> None:
    settings.SRM_MONITORING_TOKEN = "s3cret-token"
    url = reverse("operations-outbox-json")
    assert Client().get(url).status_code == 403
    assert Client().get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    body = Client().get(url, HTTP_AUTHORIZATION="Bearer s3cret-token").json()
    assert body["status"] == "ok" and body["counts"]["email"]["pending"] == 0
    _notes(UserFactory(email="ann@example.com"), 1)
    OutboxMessage.objects.update(state="failed")
    degraded = client_for(administrator).get(url)
    assert degraded.status_code == 503 and degraded.json()["failed"] == 1
    settings.SRM_MONITORING_TOKEN = ""
    assert Client().get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 403


# --------------------------------------------------------------------------- REST API


def test_the_api_lists_filters_and_marks_read(procurement_manager, alliance_manager, api_for):
    _notes(procurement_manager, 2, kind=NotificationKind.DISPUTE_RAISED)
    _notes(procurement_manager, 1, kind=NotificationKind.ACTION_OVERDUE)
    _notes(alliance_manager, 1)
    api = api_for(procurement_manager)
    listing = api.get("/api/v1/notifications/").json()
    assert listing["count"] == 3 and listing["results"][0]["unread"] is True
    disputes = api.get("/api/v1/notifications/", {"kind": "dispute_raised"}).json()
    assert disputes["count"] == 2
    assert api.get("/api/v1/notifications/", {"kind": "bogus"}).json()["count"] == 0
    first = listing["results"][0]["id"]
    assert api.post(f"/api/v1/notifications/{first}/read/").json()["unread"] is False
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 2
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    other = Notification.objects.get(recipient=alliance_manager).pk
    assert api.post(f"/api/v1/notifications/{other}/read/").status_code == 404


def test_the_api_reads_and_changes_preferences(procurement_manager, supplier_a, api_for) -> None:
    api = api_for(procurement_manager)
    prefs = {p["kind"]: p for p in api.get("/api/v1/notification-preferences/").json()}
    assert prefs["meeting_reminder"] == {
        "kind": "meeting_reminder",
        "name": "Meeting reminder",
        "email": True,
        "in_app": True,
        "lead": 48,
        "lead_unit": "hours",
        "max_lead": 336,
    }
    changed = api.patch(
        "/api/v1/notification-preferences/meeting_reminder/", {"lead": 12, "email": False}
    )
    assert changed.status_code == 200 and (changed.json()["lead"], changed.json()["email"]) == (
        12,
        False,
    )
    too_far = api.patch("/api/v1/notification-preferences/meeting_reminder/", {"lead": 9999})
    assert too_far.status_code == 400 and "meeting_reminder.lead" in too_far.json()
    assert api.patch("/api/v1/notification-preferences/nope/", {"email": False}).status_code == 404
    supplier = api_for(supplier_a)
    assert supplier.get("/api/v1/notification-preferences/dispute_raised/").status_code == 404
    assert supplier.get("/api/v1/notification-preferences/dispute_resolved/").status_code == 200


def test_the_api_is_scoped_like_the_inbox(supplier_a, supplier_b, partner_a, partner_b, api_for):
    _notes(supplier_a, 2, partner_id=partner_a.pk, shared=True)
    _notes(supplier_b, 1, partner_id=partner_b.pk, shared=True)
    body = api_for(supplier_b).get("/api/v1/notifications/").json()
    assert body["count"] == 1 and body["results"][0]["partner"] == partner_b.pk
    for note in Notification.objects.filter(recipient=supplier_a):
        assert api_for(supplier_b).get(f"/api/v1/notifications/{note.pk}/").status_code == 404


def test_a_recent_notification_shows_its_event_in_the_readers_zone(
    procurement_manager, client_for
) -> None:
    procurement_manager.time_zone = "Asia/Tokyo"
    procurement_manager.save()
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
    notification_send(
        recipient=procurement_manager,
        key="m",
        subject="QBR",
        kind=NotificationKind.MEETING_REMINDER,
        event_at=start,
    )
    page = client_for(procurement_manager).get(reverse("notifications")).content.decode()
    assert "10:00 JST" in page

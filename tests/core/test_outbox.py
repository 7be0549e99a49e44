"""The transactional outbox against PostgreSQL and a real local SMTP server: rows written
with the change, preferences and lead times honoured, one send per row, backoff and
failure, the fenced claim, and two sweeps or two rollup rebuilds at once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core import outbox
from core.mailer import ClaimLostError, open_mailer
from core.models import Notification, NotificationPreference, OutboxMessage, User
from core.notifications import NotificationKind
from core.roles import SYSTEM
from core.services import notification_send, outbox_discard, outbox_retry
from governance.services import reminders as governance_reminders
from scorecards.models import PortfolioRollup
from scorecards.services import periods as scorecard_periods
from scorecards.services import rollups as scorecard_rollups
from tests.factories import PartnerFactory, UserFactory
from tests.faults import SmtpSink, smtp_sink
from tests.governance.factories import MeetingFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, manager, scorecard_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _smtp(settings, sink: SmtpSink) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
        }
    }


def _notify(user: User, n: int, **kw) -> list[Notification]:
    sent = [
        notification_send(recipient=user, key=f"test:{user.pk}:{i}", subject=f"Item {i}", **kw)
        for i in range(n)
    ]
    return [s for s in sent if s is not None]


# --------------------------------------------------------------------------- writing rows


def test_the_email_is_a_row_of_the_same_transaction() -> None:
    user = UserFactory(email="ann@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_send(recipient=user, key="k1", subject="Rolled back")
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the change fails")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()
    notification_send(recipient=user, key="k1", subject="Committed")
    message = OutboxMessage.objects.get()
    assert (message.channel, message.state, message.notification.subject) == (
        "email",
        "pending",
        "Committed",
    )


def test_preferences_decide_inbox_email_or_nothing() -> None:
    user = UserFactory(email="ann@example.com")
    kind = NotificationKind.DISPUTE_RAISED
    NotificationPreference.objects.create(user=user, kind=kind, email=False, in_app=True)
    in_app_only = notification_send(recipient=user, key="a", subject="A", kind=kind)
    assert in_app_only is not None and in_app_only.show_in_app
    assert not OutboxMessage.objects.exists()
    NotificationPreference.objects.filter(user=user).update(email=True, in_app=False)
    email_only = notification_send(recipient=user, key="b", subject="B", kind=kind)
    assert email_only is not None and not email_only.show_in_app
    assert OutboxMessage.objects.get().notification == email_only
    NotificationPreference.objects.filter(user=user).update(email=False, in_app=False)
    assert notification_send(recipient=user, key="c", subject="C", kind=kind) is None


def test_no_address_means_in_app_only() -> None:
    user = UserFactory(email="")
    assert notification_send(recipient=user, key="a", subject="A") is not None
    assert not OutboxMessage.objects.exists()


def test_a_supplier_never_gets_an_internal_notification(supplier_a, partner_a) -> None:
    internal = notification_send(
        recipient=supplier_a, key="i", subject="Internal", partner_id=partner_a.pk
    )
    assert internal is None
    shared = notification_send(
        recipient=supplier_a, key="s", subject="Shared", partner_id=partner_a.pk, shared=True
    )
    assert shared is not None


def test_meeting_reminders_honour_each_attendees_lead_time(partner_a) -> None:
    eager = UserFactory(username="eager", email="e@example.com")
    late = UserFactory(username="late", email="l@example.com", time_zone="Asia/Tokyo")
    NotificationPreference.objects.create(
        user=eager, kind=NotificationKind.MEETING_REMINDER, lead=24 * 7
    )
    NotificationPreference.objects.create(user=late, kind=NotificationKind.MEETING_REMINDER, lead=6)
    meeting = MeetingFactory(partner=partner_a, start=NOW + timedelta(days=3))
    meeting.attendees.set([eager, late])
    assert (
        governance_reminders.reminders_send(actor=SYSTEM, now=NOW) == 1
    )  # only the one who asked a week
    assert (
        governance_reminders.reminders_send(actor=SYSTEM, now=meeting.start - timedelta(hours=5))
        == 1
    )
    assert (
        governance_reminders.reminders_send(actor=SYSTEM, now=meeting.start - timedelta(hours=1))
        == 0
    )
    note = Notification.objects.get(recipient=late)
    assert note.event_at == meeting.start and "UTC" not in note.subject


# --------------------------------------------------------------------------- sending


def test_the_sweep_sends_in_the_recipients_language_and_zone(settings) -> None:
    settings.SRM_BASE_URL = "https://srm.example.com"
    berlin = UserFactory(email="b@example.com", language="de", time_zone="Europe/Berlin")
    tokyo = UserFactory(email="t@example.com", language="en", time_zone="Asia/Tokyo")
    start = datetime(2026, 5, 5, 8, 0, tzinfo=UTC)
    for user in (berlin, tokyo):
        notification_send(
            recipient=user,
            key=f"m:{user.pk}",
            subject="QBR with Voltaris",
            url="/governance/meetings/7/",
            kind=NotificationKind.MEETING_REMINDER,
            event_at=start,
            now=start - timedelta(hours=2),
        )
    result = outbox.sweep()
    assert result.sent == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    german = by_address["b@example.com"]
    assert german.subject == "[SRM] QBR with Voltaris — Dienstag, 5. Mai 2026, 10:00 CEST"
    assert "Wann: Dienstag, 5. Mai 2026, 10:00 CEST" in german.body
    assert "https://srm.example.com/governance/meetings/7/" in german.body
    english = by_address["t@example.com"]
    assert english.subject.endswith("Tuesday, 5 May 2026, 17:00 JST")
    assert english.extra_headers["Message-ID"].startswith("<srm-notification-")
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert outbox.sweep().sent == 0  # stamped: nothing twice


def test_every_email_goes_out_once_over_one_smtp_connection(settings) -> None:
    user = UserFactory(email="ann@example.com")
    _notify(user, 250)
    with smtp_sink() as sink:
        _smtp(settings, sink)
        settings.SRM_OUTBOX_BATCH = 100
        result = outbox.sweep()
    assert result.sent == 250
    counts = sink.counts()
    assert len(counts) == 250 and set(counts.values()) == {1}
    assert not OutboxMessage.objects.exclude(state="sent").exists()


def test_smtp_down_for_five_minutes_then_up_every_email_arrives_once(settings) -> None:
    """The outage is fast-forwarded: the sweep's clock is advanced a minute at a time, as
    beat would run it, instead of waiting five real minutes."""
    user = UserFactory(email="ann@example.com")
    _notify(user, 20)
    sink = SmtpSink()  # not started: the port refuses connections
    _smtp(settings, sink)
    t0 = timezone.now()
    for minute in range(6):
        assert outbox.sweep(now=t0 + timedelta(minutes=minute)).sent == 0
    assert OutboxMessage.objects.filter(state="pending").count() == 20
    assert "Cannot reach the mail server" in OutboxMessage.objects.first().last_error
    sink.start()
    try:
        sent = sum(outbox.sweep(now=t0 + timedelta(minutes=m)).sent for m in range(5, 20))
    finally:
        sink.stop()
    assert sent == 20
    counts = sink.counts()
    assert len(counts) == 20 and set(counts.values()) == {1}
    assert OutboxMessage.objects.filter(state="sent").count() == 20


def test_backoff_grows_and_ends_in_failed_then_an_administrator_retries(
    settings, administrator
) -> None:
    settings.SRM_OUTBOX_MAX_ATTEMPTS = 3
    user = UserFactory(email="ann@example.com")
    _notify(user, 1)
    row = OutboxMessage.objects.get()
    with smtp_sink() as sink:
        _smtp(settings, sink)
        sink.recorder.refuse_with = "451 4.3.0 Try again later"
        t = timezone.now()
        waits = []
        for _ in range(3):
            outbox.sweep(now=t)
            row.refresh_from_db()
            waits.append(row.due_at - t)
            t = row.due_at
        assert waits[:2] == [timedelta(seconds=30), timedelta(seconds=60)]
        assert row.state == "failed" and "451" in row.last_error
        stats = outbox.outbox_stats()
        assert stats["status"] == "degraded" and stats["failed"] == 1
        sink.recorder.refuse_with = None
        assert outbox_retry(actor=administrator, message_ids=[row.pk]) == 1
        assert outbox.sweep().sent == 1
    assert sink.count == 1
    assert outbox.outbox_stats()["status"] == "ok"


def test_a_permanent_refusal_fails_at_once_and_can_be_discarded(settings, administrator) -> None:
    _notify(UserFactory(email="gone@example.com"), 1)
    with smtp_sink() as sink:
        _smtp(settings, sink)
        sink.recorder.refuse_with = "550 5.1.1 Mailbox unknown"
        outbox.sweep()
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts) == ("failed", 1) and "550" in row.last_error
    assert row.notification.emailed_at is None  # the stamp made before the dot is taken back
    assert outbox_discard(actor=administrator, message_ids=[row.pk]) == 1
    assert outbox.outbox_stats()["failed"] == 0


def test_only_administrators_retry(procurement_manager) -> None:
    from core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        outbox_retry(actor=procurement_manager, message_ids=[1])


def test_a_sender_whose_claim_was_taken_over_abandons_the_message(settings) -> None:
    """The stamp is committed before the final dot and only under the current claim: a
    sender that lost its claim drops the connection, and the server discards the message."""
    user = UserFactory(email="ann@example.com")
    (note,) = _notify(user, 1)
    with smtp_sink() as sink:
        _smtp(settings, sink)
        mailer = open_mailer()
        with pytest.raises(ClaimLostError):
            mailer.send(outbox.render_email(note), lambda: False)
        mailer.close()
        mailer = open_mailer()
        mailer.send(outbox.render_email(note), lambda: True)
        mailer.close()
    assert sink.count == 1


def test_a_stale_claim_is_taken_again_and_the_old_token_cannot_stamp(settings) -> None:
    user = UserFactory(email="ann@example.com")
    _notify(user, 3)
    now = timezone.now()
    token, rows = outbox._claim("email", now, 10)  # a sender that then dies
    assert len(rows) == 3
    assert outbox.sweep(now=now).sent == 0  # still leased
    later = now + timedelta(seconds=settings.SRM_OUTBOX_LEASE_SECONDS + 1)
    assert outbox.sweep(now=later).sent == 3
    assert not outbox._stamp(rows[0], token, later)
    assert OutboxMessage.objects.filter(state="sent", attempts=2).count() == 3


def test_a_job_runs_once_and_pending_jobs_with_one_key_coalesce(partner_a) -> None:
    period = enter_values(scorecard_for(partner_a), HAND_VALUES)
    scorecard_periods.period_close(actor=manager(), period=period)
    outbox.job_defer("scorecards.tasks.scorecards_refresh_rollups", dedupe_key="scorecards:rollups")
    rollups = OutboxMessage.objects.filter(channel="job", dedupe_key="scorecards:rollups")
    assert rollups.count() == 1
    assert outbox.sweep().jobs == 2  # the rollups once, and the partner's at-risk verdict
    assert PortfolioRollup.objects.exists()
    assert outbox.sweep().jobs == 0


def test_an_unknown_job_fails_visibly() -> None:
    outbox.job_defer("nowhere.tasks.nothing")
    outbox.sweep()
    row = OutboxMessage.objects.get()
    assert row.state == "failed" and "No task named" in row.last_error


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_email_once(settings) -> None:
    user = UserFactory(email="ann@example.com")
    _notify(user, 300)
    settings.SRM_OUTBOX_BATCH = 20
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)
    with smtp_sink() as sink:
        _smtp(settings, sink)

        def run() -> None:
            try:
                barrier.wait()
                outbox.sweep()
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    counts = sink.counts()
    assert len(counts) == 300 and set(counts.values()) == {1}
    assert OutboxMessage.objects.filter(state="sent").count() == 300


@pytest.mark.django_db(transaction=True)
def test_two_rollup_rebuilds_at_once_neither_fails_nor_duplicates() -> None:
    for _ in range(6):
        partner = PartnerFactory(engagement_model="strategic_partnership", quadrant="strategic")
        period = enter_values(scorecard_for(partner), HAND_VALUES)
        scorecard_periods.period_close(actor=manager(), period=period)
    expected = scorecard_rollups.rollups_refresh(actor=SYSTEM)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                scorecard_rollups.rollups_refresh(actor=SYSTEM)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert PortfolioRollup.objects.count() == expected


def test_stats_report_counts_by_state_and_the_oldest_pending_age(settings) -> None:
    user = UserFactory(email="ann@example.com")
    _notify(user, 2)
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    stats = outbox.outbox_stats()
    assert stats["counts"]["email"]["pending"] == 2
    assert stats["oldest_pending_age_seconds"] >= 20 * 60
    assert stats["status"] == "degraded"
    assert "waits" in stats["problems"][0]


def test_dated_reminders_use_the_jobs_today(partner_a) -> None:
    """The agreement job passes its own ``today``; the lead time is counted from it."""
    user = UserFactory(email="ann@example.com")
    kind = NotificationKind.AGREEMENT_NOTICE
    far = notification_send(recipient=user, key="f", subject="F", kind=kind,
                            due=date(2026, 9, 1), today=date(2026, 5, 1))  # fmt: skip
    near = notification_send(recipient=user, key="n", subject="N", kind=kind,
                             due=date(2026, 6, 1), today=date(2026, 5, 1))  # fmt: skip
    assert far is None and near is not None

"""The transactional outbox: what must happen because a change was committed.

A service that notifies someone, or that needs a background job after its change, writes
an :class:`~core.models.OutboxMessage` row in its own transaction (:func:`email_add`,
:func:`job_defer`). The row exists exactly when the change does. Then:

- **The sweep** (:func:`sweep`, the task ``core.tasks.outbox_sweep``; celery beat runs it
  every minute) claims due rows with ``SELECT … FOR UPDATE SKIP LOCKED``, marks them taken
  for a lease, sends the e-mails over one SMTP connection (core.mailer) and runs the jobs,
  and stamps each row. A failure backs off exponentially (30 s, 1 min, 2 min, … up to an
  hour); after ``SRM_OUTBOX_MAX_ATTEMPTS`` the row shows as failed on the operations page.
  A row whose sender died is taken again once its lease has run out.
- **The wake-up** (core.wakeup) asks the broker for a sweep right after the commit, so
  e-mails go out in seconds instead of at the next minute. It is only an optimisation and
  never costs a request anything (see core.wakeup); if Redis is down or frozen the
  scheduled sweep sends the rows later.
"""

from __future__ import annotations

import functools
import logging
import smtplib
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Count, F, Min
from django.template.loader import select_template
from django.utils import timezone, translation

from core.mailer import ClaimLostError, Mailer, open_mailer
from core.models import Notification, OutboxChannel, OutboxMessage, OutboxState
from core.notifications import LANGUAGES, format_when
from core.wakeup import wake_after_commit

logger = logging.getLogger(__name__)

ACTIVE = (OutboxState.PENDING, OutboxState.SENDING)


def _setting(name: str) -> int:
    return int(getattr(settings, name))


# --------------------------------------------------------------------------- writing rows


def email_add(notification: Notification) -> OutboxMessage:
    """Queue ``notification`` for e-mail. Call inside the transaction that created it."""
    message = OutboxMessage.objects.create(
        channel=OutboxChannel.EMAIL, notification=notification, due_at=timezone.now()
    )
    wake_after_commit()
    return message


def emails_add(notifications: Sequence[Notification]) -> list[OutboxMessage]:
    """``email_add`` for many notifications in one insert."""
    if not notifications:
        return []
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(channel=OutboxChannel.EMAIL, notification=notification, due_at=now)
            for notification in notifications
        ]
    )
    wake_after_commit()
    return messages


def job_defer(task_name: str, *, args: Sequence[Any] = (), dedupe_key: str = "") -> None:
    """Run the Celery task ``task_name`` (by name: the base layer imports no app) once this
    transaction commits, by the outbox sweep. With ``dedupe_key``, a job already pending
    with that key absorbs this one: ten period closes in a minute rebuild the rollups once.
    """
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                channel=OutboxChannel.JOB,
                task_name=task_name,
                task_args=list(args),
                dedupe_key=dedupe_key,
                due_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    wake_after_commit()


# --------------------------------------------------------------------------- the sweep


@dataclass
class SweepResult:
    sent: int = 0
    jobs: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "jobs": self.jobs,
            "retried": self.retried,
            "failed": self.failed,
        }


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base * 2^(attempts - 1), at most an hour."""
    base = _setting("SRM_OUTBOX_BACKOFF_SECONDS")
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(channel: str, now: datetime, limit: int) -> tuple[uuid.UUID, list[OutboxMessage]]:
    """Take up to ``limit`` due rows (pending and due, or taken by a sender whose lease ran
    out) for this sender: rows other sweeps hold are skipped, not waited for."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(channel=channel, state__in=ACTIVE, due_at__lte=now)
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return token, []
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxState.SENDING,
            claim_token=token,
            due_at=now + timedelta(seconds=_setting("SRM_OUTBOX_LEASE_SECONDS")),
            attempts=F("attempts") + 1,
        )
    rows = OutboxMessage.objects.filter(pk__in=ids).select_related("notification__recipient")
    return token, list(rows.order_by("id"))


def _stamp(row: OutboxMessage, token: uuid.UUID, now: datetime) -> bool:
    """Mark ``row`` sent if this sender still holds it (its claim token is current).

    The commit does not wait for the WAL flush (``synchronous_commit`` off, for this
    transaction only): the stamp sits between the message and its final dot, once per
    e-mail, and a flush per e-mail made sending ten times slower. A killed worker loses
    nothing by it (the database server has the commit); only a crash of the database
    server itself could forget the last fraction of a second of stamps, whose e-mails
    would then be sent again.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        done = OutboxMessage.objects.filter(
            pk=row.pk, claim_token=token, state=OutboxState.SENDING
        ).update(state=OutboxState.SENT, sent_at=now, last_error="")
        if done and row.notification_id is not None:
            Notification.objects.filter(pk=row.notification_id).update(emailed_at=now)
    return bool(done)


def _stamp_now(row: OutboxMessage, token: uuid.UUID, clock: Callable[[], datetime]) -> bool:
    return _stamp(row, token, clock())


def _give_back(
    row: OutboxMessage, token: uuid.UUID, now: datetime, error: str, *, permanent: bool = False
) -> bool:
    """Return a row this sender could not deliver: to be retried after a backoff, or failed
    when the error is permanent or its attempts are used up. Takes back a stamp made just
    before a server refused the message. True when it failed for good."""
    failed = permanent or row.attempts >= _setting("SRM_OUTBOX_MAX_ATTEMPTS")
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=row.pk, claim_token=token).update(
            state=OutboxState.FAILED if failed else OutboxState.PENDING,
            due_at=now + backoff(row.attempts),
            sent_at=None,
            last_error=error[:2000],
        )
        if row.notification_id is not None:
            Notification.objects.filter(pk=row.notification_id).update(emailed_at=None)
    return failed


def _permanent(exc: Exception) -> bool:
    """A 5xx answer about this message (not the connection): retrying will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def render_email(notification: Notification) -> EmailMessage:
    """The e-mail for ``notification`` in its recipient's language, with any time in their
    time zone as it is now (rendered when sent, not when the notification was written)."""
    recipient = notification.recipient
    language = recipient.language if recipient.language in LANGUAGES else "en"
    when = (
        format_when(notification.event_at, recipient.time_zone, language)
        if notification.event_at
        else ""
    )
    base_url = settings.SRM_BASE_URL
    context = {
        "notification": notification,
        "recipient": recipient,
        "when": when,
        "link": f"{base_url}{notification.url}" if notification.url else "",
        "preferences_link": f"{base_url}/notifications/preferences/",
        "kind_label": notification.kind_enum.label,
    }
    with translation.override(language):
        body = select_template(
            [f"core/email/notification.{language}.txt", "core/email/notification.en.txt"]
        ).render(context)
        subject = f"[SRM] {notification.subject}" + (f" — {when}" if when else "")
    host = base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "srm"
    return EmailMessage(
        subject=subject.replace("\n", " ")[:250],
        body=body,
        to=[recipient.email],
        headers={"Message-ID": f"<srm-notification-{notification.pk}@{host}>"},
    )


def _send_emails(
    rows: list[OutboxMessage],
    token: uuid.UUID,
    mailer: Mailer,
    clock: Callable[[], datetime],
    result: SweepResult,
) -> bool:
    """Send one claimed batch; False when the mail server is unreachable (stop the sweep)."""
    for index, row in enumerate(rows):
        assert row.notification is not None  # the check constraint guarantees it
        recipient = row.notification.recipient
        if not recipient.email or not recipient.is_active:
            error = "The recipient has no e-mail address or is inactive."
            result.failed += _give_back(row, token, clock(), error, permanent=True)
            continue
        try:
            mailer.send(
                render_email(row.notification), functools.partial(_stamp_now, row, token, clock)
            )
        except ClaimLostError:
            logger.warning("Outbox: row %s was taken over by another sender.", row.pk)
            return True
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
            # The server answered about this message: retry it later (4xx) or give up (5xx).
            error = f"{type(exc).__name__}: {exc}"
            failed = _give_back(row, token, clock(), error, permanent=_permanent(exc))
            result.failed += failed
            result.retried += not failed
        except OSError as exc:  # the connection broke (smtplib's errors are OSErrors too)
            error = f"{type(exc).__name__}: {exc}"
            result.errors.append(error)
            for rest in rows[index:]:
                failed = _give_back(rest, token, clock(), error)
                result.failed += failed
                result.retried += not failed
            return False
        else:
            result.sent += 1
    return True


def _task(name: str) -> Any:
    """The registered task ``name``; outside a worker the apps' tasks modules are imported on
    first need (Celery autodiscovers them only when a worker starts)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(name)


def _run_jobs(
    rows: list[OutboxMessage], token: uuid.UUID, clock: Callable[[], datetime], result: SweepResult
) -> None:
    for row in rows:
        task = _task(row.task_name)
        if task is None:
            error = f"No task named {row.task_name}."
            result.failed += _give_back(row, token, clock(), error, permanent=True)
            continue
        try:
            task(*row.task_args)
        except Exception as exc:  # a job's failure is recorded on its row and retried
            logger.exception("Outbox: job %s (row %s) failed.", row.task_name, row.pk)
            failed = _give_back(row, token, clock(), f"{type(exc).__name__}: {exc}")
            result.failed += failed
            result.retried += not failed
        else:
            _stamp(row, token, clock())
            result.jobs += 1


def sweep(*, now: datetime | None = None, time_budget: float | None = None) -> SweepResult:
    """Send every due e-mail and run every due job, batch by batch, until none is due or
    ``time_budget`` seconds have passed (then the caller queues another sweep).

    ``now`` fixes the sweep's clock (an operator replaying, or a test that fast-forwards a
    mail-server outage instead of waiting for it); by default it is the real time.
    """
    clock: Callable[[], datetime] = (lambda: now) if now is not None else timezone.now
    budget = time_budget if time_budget is not None else _setting("SRM_OUTBOX_TIME_BUDGET")
    started = time.monotonic()
    batch = _setting("SRM_OUTBOX_BATCH")
    result = SweepResult()
    while time.monotonic() - started < budget:
        token, jobs = _claim(OutboxChannel.JOB, clock(), batch)
        _run_jobs(jobs, token, clock, result)
        if not jobs:
            break
    mailer: Mailer | None = None
    try:
        while time.monotonic() - started < budget:
            token, rows = _claim(OutboxChannel.EMAIL, clock(), batch)
            if not rows:
                break
            if mailer is None:
                try:
                    mailer = open_mailer()
                except OSError as exc:  # refused, timed out, TLS or login failed
                    error = f"Cannot reach the mail server: {type(exc).__name__}: {exc}"
                    result.errors.append(error)
                    for row in rows:
                        failed = _give_back(row, token, clock(), error)
                        result.failed += failed
                        result.retried += not failed
                    break
            if not _send_emails(rows, token, mailer, clock, result):
                break
    finally:
        if mailer is not None:
            mailer.close()
    if result.sent or result.failed or result.jobs:
        logger.info("Outbox sweep: %s", result.as_dict())
    return result


def more_due(now: datetime | None = None) -> bool:
    """True when rows are due right now (a sweep that ran out of time queues another)."""
    return OutboxMessage.objects.filter(
        state__in=ACTIVE, due_at__lte=now or timezone.now()
    ).exists()


# --------------------------------------------------------------------------- monitoring


def outbox_stats(now: datetime | None = None) -> dict[str, Any]:
    """Counts by channel and state, the oldest pending row's age and the failed count: what
    the operations page shows and the monitoring JSON answers."""
    now = now or timezone.now()
    counts: dict[str, dict[str, int]] = {
        channel.value: {state.value: 0 for state in OutboxState} for channel in OutboxChannel
    }
    for row in OutboxMessage.objects.values("channel", "state").annotate(n=Count("id")).order_by():
        counts[row["channel"]][row["state"]] = row["n"]
    oldest = OutboxMessage.objects.filter(state__in=ACTIVE).aggregate(at=Min("created_at"))["at"]
    age = int((now - oldest).total_seconds()) if oldest else 0
    failed = sum(by_state[OutboxState.FAILED] for by_state in counts.values())
    problems = []
    if age > _setting("SRM_OUTBOX_ALERT_AGE_SECONDS"):
        problems.append(f"the oldest unsent item waits for {age} s")
    if failed:
        problems.append(f"{failed} item(s) failed")
    return {
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "counts": counts,
        "pending": sum(c[OutboxState.PENDING] + c[OutboxState.SENDING] for c in counts.values()),
        "failed": failed,
        "oldest_pending_age_seconds": age,
        "checked_at": now.isoformat(),
    }

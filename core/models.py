"""The base every app may use: the user and its role, audit events, notifications."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from core.notifications import NotificationKind
from core.roles import Capability, Role, SystemActor, role_can


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            gettext("%(zone)r is not a known time zone (e.g. Europe/Berlin).") % {"zone": value}
        )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """Anyone who signs in. Supplier users are bound to one partner in partners.PartnerUser."""

    role = models.CharField(
        max_length=32,
        choices=[(role.value, role.label) for role in Role],
        default=Role.PROCUREMENT_MANAGER,
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    job_title = models.CharField(max_length=120, blank=True)
    # The language of the user's e-mails (and, with the German interface, of their pages).
    language = models.CharField(
        max_length=8, choices=[("en", "English"), ("de", "Deutsch")], default="en"
    )

    class Meta:
        ordering = ("last_name", "first_name", "username")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_internal(self) -> bool:
        return self.role_enum.is_internal

    @property
    def is_supplier(self) -> bool:
        return self.role_enum is Role.SUPPLIER_USER

    def can(self, capability: Capability) -> bool:
        return self.is_active and role_can(self.role, capability)


# Whoever a service acts for: a signed-in user, or the named system actor of a scheduled job.
type Actor = User | SystemActor


class AuditEvent(models.Model):
    """Who changed what and when. Written by services in the same transaction as the change."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    # Who acted when it was no user: the name of a scheduled job's system actor.
    actor_label = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # The record's version after the change (core.concurrency.Versioned), so "what changed
    # since version N" is the events above N.
    object_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class Notification(models.Model):
    """Something a user is told, once per ``key``: shown in their in-app inbox and, when they
    want it by e-mail, sent through the outbox (an :class:`OutboxMessage` written in the
    same transaction). ``key`` makes sending idempotent: a job that runs twice notifies once.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices(), default="general")
    # The partner it is about (partners.Partner's id; no foreign key, because the base layer
    # may not depend on partners). A supplier user's inbox shows only their own partner's.
    partner_ref = models.PositiveBigIntegerField(null=True, blank=True)
    # Shared with the partner's supplier users; internal notifications never reach them.
    shared = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The moment a reminder is about (a meeting's start), shown in the reader's time zone.
    event_at = models.DateTimeField(null=True, blank=True)
    # False when the user wants this kind by e-mail only: kept as the idempotency record.
    show_in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(show_in_app=True),
                name="notification_inbox",
            ),
            models.Index(
                fields=["recipient", "kind"],
                condition=Q(show_in_app=True, read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "url": self.url, "created_at": self.created_at}

    @property
    def kind_enum(self) -> NotificationKind:
        return NotificationKind(self.kind)


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification; no row means the kind's defaults
    (core.notifications.KIND_SPECS)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices())
    email = models.BooleanField(default=True)
    in_app = models.BooleanField(default=True)
    # Reminders only: how far ahead, in the kind's unit (hours or days).
    lead = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class OutboxChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    JOB = "job", "Background job"


class OutboxState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    DISCARDED = "discarded", "Discarded"


class OutboxMessage(models.Model):
    """Work that must happen because a change was committed: an e-mail to send or a job to
    run. Written in the same transaction as the change, so it exists exactly when the change
    does; the outbox sweep (core.outbox) claims due rows, does the work and stamps them.

    ``due_at`` is when the sweep may take the row: for a pending row its next attempt, for a
    row being sent the end of its sender's lease (so a row whose sender died comes back).
    ``claim_token`` fences a claim: only the sender holding the current token may stamp the
    row, so a sender whose lease ran out can never send it a second time.
    """

    channel = models.CharField(max_length=8, choices=OutboxChannel.choices)
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    task_name = models.CharField(max_length=200, blank=True)
    task_args = models.JSONField(default=list, blank=True)
    # Jobs with one key coalesce while pending (ten closes → one rollup rebuild).
    dedupe_key = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    claim_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["pending", "sending"]),
                name="outbox_due",
            ),
            models.Index(fields=["state", "channel"], name="outbox_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(state="pending") & ~Q(dedupe_key=""),
                name="outbox_one_pending_job_per_key",
            ),
            models.CheckConstraint(
                condition=Q(channel="email", notification__isnull=False)
                | Q(channel="job", notification__isnull=True) & ~Q(task_name=""),
                name="outbox_email_has_notification_job_has_task",
            ),
        ]

    def __str__(self) -> str:
        what = self.task_name if self.channel == OutboxChannel.JOB else f"e-mail {self.pk}"
        return f"{what} ({self.state})"


class ApiToken(models.Model):
    """A personal API token a user created for a script or integration.

    Only a SHA-256 digest of the token is stored: the token itself is shown once, when it is
    created. ``prefix`` (the token's first characters) lets its owner tell tokens apart.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RoleSecurityPolicy(models.Model):
    """What an administrator requires of every user of one role at sign-in.

    A role without a row requires nothing beyond the password.
    """

    role = models.CharField(
        max_length=32, unique=True, choices=[(role.value, role.label) for role in Role]
    )
    two_factor_required = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "role security policies"

    def __str__(self) -> str:
        state = "required" if self.two_factor_required else "optional"
        return f"{Role(self.role).label}: two-factor {state}"


class ImportStatus(models.TextChoices):
    """Where an import job stands (core.importing): checked first, written on confirmation."""

    QUEUED = "queued", "Waiting for a worker"
    CHECKING = "checking", "Checking"
    READY = "ready", "Checked, waiting for confirmation"
    INVALID = "invalid", "Has errors; nothing was written"
    WRITING = "writing", "Writing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed; nothing was written"


class ImportJob(models.Model):
    """One uploaded spreadsheet on its way in: a worker checks every row and reports its
    progress here, the user sees the errors (or confirms), and a worker writes it all or
    nothing. The file sits in the default storage until the job is finished."""

    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_jobs")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # The rows of the current phase done so far, of rows_total (0 while still counting).
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)  # data rows in the file, once read
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first errors: [row, column, text]
    counts = models.JSONField(default=dict, blank=True)  # what was (or will be) written
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING)

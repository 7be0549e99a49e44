"""The base every app may use: the user and its role, audit events, notifications."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from core.roles import Capability, Role, SystemActor, role_can


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Berlin).")


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

    class Meta:
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class Notification(models.Model):
    """An in-app notification, mirrored by e-mail. ``key`` makes sending idempotent."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.subject

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "url": self.url, "created_at": self.created_at}


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

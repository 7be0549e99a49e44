"""Writes every app may use: the audit trail and notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, models, transaction

from core.models import Actor, AuditEvent, Notification, User
from core.roles import SystemActor
from core.tasks import notification_email


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record who did what to which record. Call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        actor_label=actor.name if isinstance(actor, SystemActor) else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
    )


def model_changes(instance: models.Model, data: Mapping[str, Any]) -> dict[str, Any]:
    """Apply ``data`` to ``instance`` and return ``{field: [old, new]}`` for what changed."""
    changed: dict[str, Any] = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changed[field] = [_jsonable(old), _jsonable(new)]
            setattr(instance, field, new)
    return changed


def notification_send(
    *, recipient: User, key: str, subject: str, body: str = "", url: str = ""
) -> Notification | None:
    """Create an in-app notification once per ``key`` and e-mail it after commit.

    Returns None when a notification with that key exists already, so a job that runs twice
    notifies once.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:200], recipient=recipient, subject=subject[:200], body=body, url=url
            )
    except IntegrityError:
        return None
    notification_email.delay_on_commit(notification.pk)  # type: ignore[attr-defined]
    return notification

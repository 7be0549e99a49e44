"""Writes every app may use: the audit trail, notifications and their preferences, and the
administrator's outbox actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.errors import FieldErrors, NotFoundError
from core.models import (
    Actor,
    AuditEvent,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxState,
    User,
)
from core.notifications import (
    LANGUAGES,
    NotificationKind,
    Preference,
    kinds_for,
    lead_error,
    reminder_due,
)
from core.roles import Capability, SystemActor, require
from core.selectors import notification_preference, notification_preferences, preference_of
from core.timezones import is_valid_tz_name
from core.wakeup import wake_after_commit


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
    """Record who did what to which record. Call inside the service's transaction, after the
    save: a versioned record's new version is stored with the event. ``changes`` holds
    ``{field: [before, after]}`` for an edit (see :func:`model_changes`)."""
    version = getattr(obj, "version", None)
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        actor_label=actor.name if isinstance(actor, SystemActor) else "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _jsonable(v) for k, v in (changes or {}).items()},
        object_version=version if isinstance(version, int) else None,
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
    *,
    recipient: User,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    kind: NotificationKind = NotificationKind.GENERAL,
    partner_id: int | None = None,
    shared: bool = False,
    event_at: datetime | None = None,
    due: datetime | date | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> Notification | None:
    """Notify ``recipient`` once per ``key``: in-app and/or by e-mail, as they chose for
    ``kind``. The e-mail is an outbox row written in this transaction, so it is sent exactly
    when the change that caused it is committed, whatever the broker does.

    ``partner_id`` is the partner it is about; ``shared`` makes it visible to that partner's
    supplier users (internal notifications never reach a supplier). ``event_at`` is the
    moment a reminder is about (shown in the reader's time zone); ``due`` (defaults to
    ``event_at``) is what the recipient's lead time for the kind is measured against (a
    datetime against ``now``, a date against ``today``; both default to the present), so a
    reminder job may look as far ahead as any user wants and call this for everyone.

    Returns None, writing nothing, when a notification with that key exists already (a job
    that runs twice notifies once), when the recipient wants neither e-mail nor in-app for
    the kind, when a reminder is not due yet by their lead time, or when it is internal and
    the recipient is a supplier user.
    """
    if recipient.is_supplier and not (shared and partner_id):
        return None
    preference = notification_preference(recipient, kind)
    now = now or timezone.now()
    if not preference.wanted or not reminder_due(
        preference,
        due=due if due is not None else event_at,
        now=now,
        today=today or timezone.localdate(now),
    ):
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key[:200],
                recipient=recipient,
                kind=kind,
                partner_ref=partner_id,
                shared=shared,
                subject=subject[:200],
                body=body,
                url=url,
                event_at=event_at,
                show_in_app=preference.in_app,
            )
            if preference.email and recipient.email:
                outbox.email_add(notification)
    except IntegrityError:
        return None
    return notification


@dataclass(frozen=True)
class NotificationDraft:
    """One notification for ``notifications_send_many``: the arguments of
    ``notification_send``."""

    recipient: User
    key: str
    subject: str
    body: str = ""
    url: str = ""
    kind: NotificationKind = NotificationKind.GENERAL
    partner_id: int | None = None
    shared: bool = False
    event_at: datetime | None = None
    due: datetime | date | None = None
    now: datetime | None = None
    today: date | None = None


def notifications_send_many(drafts: Sequence[NotificationDraft]) -> int:
    """``notification_send`` for many at once, with the same rules, in a few queries: one
    for the recipients' preferences, one for the keys sent already, one insert of the
    notifications and one of their e-mails' outbox rows. A reminder job of 10,000
    notifications made 50,000 round trips one by one. Returns how many were written.

    If a concurrent run wrote one of the keys meanwhile, the batch falls back to one at a
    time, where each duplicate is skipped on its own.
    """
    drafts = [
        d for d in drafts if not (d.recipient.is_supplier and not (d.shared and d.partner_id))
    ]
    if not drafts:
        return 0
    preferences = {
        (row.user_id, row.kind): row
        for row in NotificationPreference.objects.filter(
            user_id__in={d.recipient.pk for d in drafts}, kind__in={d.kind.value for d in drafts}
        )
    }
    sent_already = set(
        Notification.objects.filter(key__in={d.key[:200] for d in drafts}).values_list(
            "key", flat=True
        )
    )
    chosen: list[tuple[NotificationDraft, Preference]] = []
    for draft in drafts:
        key = draft.key[:200]
        if key in sent_already:
            continue
        preference = preference_of(
            draft.kind, preferences.get((draft.recipient.pk, draft.kind.value))
        )
        now = draft.now or timezone.now()
        if not preference.wanted or not reminder_due(
            preference,
            due=draft.due if draft.due is not None else draft.event_at,
            now=now,
            today=draft.today or timezone.localdate(now),
        ):
            continue
        sent_already.add(key)  # the same key twice in one batch is sent once
        chosen.append((draft, preference))
    if not chosen:
        return 0
    try:
        with transaction.atomic():
            notifications = Notification.objects.bulk_create(
                [
                    Notification(
                        key=draft.key[:200],
                        recipient=draft.recipient,
                        kind=draft.kind,
                        partner_ref=draft.partner_id,
                        shared=draft.shared,
                        subject=draft.subject[:200],
                        body=draft.body,
                        url=draft.url,
                        event_at=draft.event_at,
                        show_in_app=preference.in_app,
                    )
                    for draft, preference in chosen
                ]
            )
            outbox.emails_add(
                [
                    notification
                    for notification, (draft, preference) in zip(notifications, chosen, strict=True)
                    if preference.email and draft.recipient.email
                ]
            )
    except IntegrityError:
        return sum(
            1
            for draft, _preference in chosen
            if notification_send(
                recipient=draft.recipient,
                key=draft.key,
                subject=draft.subject,
                body=draft.body,
                url=draft.url,
                kind=draft.kind,
                partner_id=draft.partner_id,
                shared=draft.shared,
                event_at=draft.event_at,
                due=draft.due,
                now=draft.now,
                today=draft.today,
            )
        )
    return len(notifications)


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (again: no change)."""
    if notification.recipient_id != actor.pk:
        raise NotFoundError(_("No such notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User, kind: str | None = None) -> int:
    """Mark every unread notification of the actor read (of one kind, if given)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


class ProfileChanges(TypedDict, total=False):
    language: str
    time_zone: str


def notification_preferences_save(
    *,
    actor: User,
    preferences: Sequence[Preference],
    profile: ProfileChanges | None = None,
) -> list[Preference]:
    """Save the actor's own choices per kind (e-mail, in-app, lead time) and, optionally,
    the language and time zone their e-mails are written in. Refuses kinds the actor cannot
    receive, lead times out of range, unknown languages and time zones (400)."""
    allowed = set(kinds_for(is_supplier=actor.is_supplier))
    errors: dict[str, list[str]] = {}
    for preference in preferences:
        if preference.kind not in allowed:
            errors.setdefault(preference.kind.value, []).append("You do not receive these.")
        elif (problem := lead_error(preference.kind, preference.lead)) is not None:
            errors.setdefault(f"{preference.kind.value}.lead", []).append(problem)
    profile = profile or {}
    unknown = set(profile) - {"language", "time_zone"}
    if unknown:
        errors["profile"] = [f"Unknown fields: {', '.join(sorted(unknown))}."]
    if "language" in profile and profile["language"] not in LANGUAGES:
        errors["language"] = [_("Choose English (en) or German (de).")]
    if "time_zone" in profile and not is_valid_tz_name(profile["time_zone"]):
        errors["time_zone"] = [_("Choose a time zone like Europe/Berlin.")]
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        for preference in preferences:
            NotificationPreference.objects.update_or_create(
                user=actor,
                kind=preference.kind,
                defaults={
                    "email": preference.email,
                    "in_app": preference.in_app,
                    "lead": preference.lead,
                },
            )
        changes = model_changes(actor, dict(profile))
        if changes:
            actor.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="notification_preferences.save",
            obj=actor,
            changes={
                **changes,
                **{
                    p.kind.value: f"email={p.email} in_app={p.in_app} lead={p.lead}"
                    for p in preferences
                },
            },
        )
    return notification_preferences(actor)


def outbox_retry(*, actor: Actor, message_ids: Sequence[int]) -> int:
    """An administrator sends failed outbox items again: they become due now with a fresh
    count of attempts. Items in any other state are left alone."""
    require(actor, Capability.ADMINISTER)
    with transaction.atomic():
        retried = OutboxMessage.objects.filter(
            pk__in=list(message_ids), state=OutboxState.FAILED
        ).update(state=OutboxState.PENDING, attempts=0, due_at=timezone.now(), claim_token=None)
        for pk in message_ids[:100]:
            audit_record(actor=actor, action="outbox.retry", obj=OutboxMessage(pk=pk))
        wake_after_commit()
    return retried


def outbox_discard(*, actor: Actor, message_ids: Sequence[int]) -> int:
    """An administrator gives up on failed items (e.g. an address that no longer exists),
    so they stop counting as failed on the operations page and in monitoring."""
    require(actor, Capability.ADMINISTER)
    with transaction.atomic():
        discarded = OutboxMessage.objects.filter(
            pk__in=list(message_ids), state=OutboxState.FAILED
        ).update(state=OutboxState.DISCARDED)
        for pk in message_ids[:100]:
            audit_record(actor=actor, action="outbox.discard", obj=OutboxMessage(pk=pk))
    return discarded

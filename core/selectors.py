"""Reads of the base layer: a user's notifications and notification preferences.

Which notifications a *supplier* may see also depends on their partner, which the base layer
does not know; callers pass it (srm.inbox does, from partners.access).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import Notification, NotificationPreference, OutboxMessage, OutboxState, User
from core.notifications import NotificationKind, Preference, kinds_for


def inbox_notifications(
    user: User,
    *,
    supplier_partner_id: int | None = None,
    kind: str | None = None,
    unread: bool = False,
) -> QuerySet[Notification]:
    """The notifications ``user`` sees in their inbox, newest first.

    A supplier user sees only notifications shared with their own partner
    (``supplier_partner_id``; none without it), never internal ones.
    """
    notifications = Notification.objects.filter(recipient=user, show_in_app=True)
    if user.is_supplier:
        if supplier_partner_id is None:
            return notifications.none()
        notifications = notifications.filter(shared=True, partner_ref=supplier_partner_id)
    if kind:
        notifications = notifications.filter(kind=kind)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def inbox_unread_count(user: User, *, supplier_partner_id: int | None = None) -> int:
    return inbox_notifications(user, supplier_partner_id=supplier_partner_id, unread=True).count()


def notification_preference(user: User, kind: NotificationKind) -> Preference:
    """The user's choice for ``kind``, or the kind's defaults."""
    return preference_of(kind, NotificationPreference.objects.filter(user=user, kind=kind).first())


def preference_of(kind: NotificationKind, row: NotificationPreference | None) -> Preference:
    """The choice ``row`` stores for ``kind``, or the kind's defaults when there is none."""
    if row is None:
        return Preference.default(kind)
    return Preference(kind, row.email, row.in_app, row.lead if kind.spec.is_reminder else None)


def notification_preferences(user: User) -> list[Preference]:
    """One preference per kind the user may receive (their own choices over the defaults)."""
    rows = {row.kind: row for row in NotificationPreference.objects.filter(user=user)}
    result = []
    for kind in kinds_for(is_supplier=user.is_supplier):
        row = rows.get(kind.value)
        result.append(
            Preference.default(kind)
            if row is None
            else Preference(
                kind, row.email, row.in_app, row.lead if kind.spec.is_reminder else None
            )
        )
    return result


def outbox_failed(limit: int = 50) -> QuerySet[OutboxMessage]:
    """Failed outbox items, newest first, with what the operations page shows of them."""
    return (
        OutboxMessage.objects.filter(state=OutboxState.FAILED)
        .select_related("notification__recipient")
        .order_by("-due_at", "-id")[:limit]
    )

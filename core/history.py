"""Reads of the audit trail for record pages: a record's history (who, when, which fields from
→ to) and what changed since a version a user read (the conflict message of an edit form).

History is for internal users only: audit events carry internal fields (notes, owners,
confidential terms) that a supplier may not see, so :func:`audit_history_for` returns nothing
to a supplier user whatever the record. The caller has already loaded ``obj`` through the
app's access check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from core.models import AuditEvent, User

HISTORY_LIMIT = 50


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None  # None: the value was set (a create), not changed from something
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str
    version: int | None
    changes: list[FieldChange]


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _field_changes(event: AuditEvent) -> list[FieldChange]:
    created = event.action.endswith(".create")
    changes: list[FieldChange] = []
    for field, value in (event.changes or {}).items():
        if not created and isinstance(value, list) and len(value) == 2:
            changes.append(FieldChange(_label(field), _text(value[0]), _text(value[1])))
        else:
            changes.append(FieldChange(_label(field), None, _text(value)))
    return changes


def _who(event: AuditEvent) -> str:
    if event.actor is not None:
        return str(event.actor)
    return event.actor_label or "SRM"


def _events(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def audit_history_for(obj: models.Model, user: User) -> list[HistoryEntry]:
    """The latest changes of ``obj``, newest first (at most 50), for an internal ``user``;
    nothing for a supplier user (history panels are internal only)."""
    if not user.is_authenticated or not user.is_internal:
        return []
    return [
        HistoryEntry(
            at=event.at,
            who=_who(event),
            action=event.action,
            version=event.object_version,
            changes=_field_changes(event),
        )
        for event in _events(obj).order_by("-at", "-id")[:HISTORY_LIMIT]
    ]


@dataclass(frozen=True)
class MeanwhileChange:
    field: str
    yours: str  # the value when the user opened the form
    current: str
    who: str


def changes_since(obj: models.Model, version: int) -> list[MeanwhileChange]:
    """Per field, what the saves after ``version`` changed: the value at ``version`` → the
    current value, and who changed it last. For the conflict message of a stale edit."""
    merged: dict[str, MeanwhileChange] = {}
    events = _events(obj).filter(object_version__gt=version).order_by("at", "id")
    for event in events[:HISTORY_LIMIT]:
        for change in _field_changes(event):
            first = merged.get(change.field)
            merged[change.field] = MeanwhileChange(
                field=change.field,
                yours=first.yours if first else (change.before or "—"),
                current=change.after,
                who=_who(event),
            )
    return [c for c in merged.values() if c.yours != c.current]

"""Ending a user's access at once: every session signed out, every API token revoked.

Whenever a user is deactivated — in the Django admin, by a service (a supplier contact's
portal access taken away, a partner exited) or in a shell — :func:`user_access_end` runs in
the same transaction (a ``post_save`` receiver connected in ``core.apps``). Django already
refuses an inactive user's session and the token authentication an inactive user's token; this
makes it final: sessions are deleted and tokens revoked, so reactivating the account later
brings none of them back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.models import Actor, ApiToken, User
from core.services import audit_record


def user_sessions_end(user_id: int) -> int:
    """Delete every stored session signed in as ``user_id``; the number deleted.

    Database sessions are read one by one (a session is no larger than a few keys and lives
    at most ``SRM_SESSION_MAX_HOURS``). Other session engines cannot be searched; there the
    sessions end because Django refuses an inactive user's session on its next request.
    """
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if data.get(SESSION_KEY) == str(user_id) and HASH_SESSION_KEY in data:
            doomed.append(session.session_key)
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


def user_access_end(user: User) -> None:
    """Sign ``user`` out everywhere and revoke their live API tokens."""
    user_sessions_end(user.pk)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_deactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Deactivate ``user`` (the caller has checked the actor may): audited, and their sessions
    and tokens end (through the ``post_save`` receiver)."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="user.deactivate", obj=user, changes={"reason": reason})
    return user


def _remember_active(sender: Any, instance: User, **kwargs: Any) -> None:
    """``pre_save``: note whether the stored user was active, when ``is_active`` may change."""
    fields = kwargs.get("update_fields")
    if instance.pk is None or (fields is not None and "is_active" not in fields):
        instance._was_active = None  # type: ignore[attr-defined]
        return
    stored = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._was_active = stored  # type: ignore[attr-defined]


def _end_access_when_deactivated(sender: Any, instance: User, **kwargs: Any) -> None:
    """``post_save``: a user who was active and no longer is loses sessions and tokens."""
    if getattr(instance, "_was_active", None) and not instance.is_active:
        user_access_end(instance)

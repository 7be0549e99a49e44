"""Personal API tokens: created, named, expired and revoked by their owner (SPEC 7).

A token is ``srm_`` plus 43 random URL-safe characters (256 bits). The database keeps its
SHA-256 digest, never the token: a token that random needs no slow hash, and a leaked table
gives no usable token. Every token expires; revoking one takes effect on the next request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import FieldErrors, NotFoundError
from core.models import ApiToken, User
from core.services import audit_record

TOKEN_PREFIX = "srm_"  # noqa: S105 (a marker, not a secret)
# How long a new token may live: the owner picks one of these (days).
LIFETIME_CHOICES_DAYS = (7, 30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
# Live (unrevoked, unexpired) tokens one user may hold at once.
MAX_LIVE_TOKENS = 20
# last_used_at is refreshed at most this often, so a busy script does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(Exception):
    """The presented token does not authenticate anyone; the message says why."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_status(token: ApiToken, *, now: datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked``, as the owner's list shows it."""
    moment = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= moment:
        return "expired"
    return "active"


@dataclass(frozen=True)
class CreatedToken:
    """A token just created: ``secret`` is the only time the token itself is available."""

    token: ApiToken
    secret: str


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (nobody sees another user's tokens)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another user's token is NotFoundError, like an unknown id."""
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise NotFoundError(_("No such token."))
    return token


def api_token_create(*, actor: User, name: str, lifetime_days: int) -> CreatedToken:
    """Create a token for ``actor`` itself, valid for ``lifetime_days``.

    Refuses an empty or over-long name, a lifetime not in LIFETIME_CHOICES_DAYS and more than
    MAX_LIVE_TOKENS live tokens (FieldErrors).
    """
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the script that uses it.")]
    elif len(name) > 100:
        errors["name"] = [_("Use at most 100 characters.")]
    if lifetime_days not in LIFETIME_CHOICES_DAYS:
        allowed = ", ".join(str(d) for d in LIFETIME_CHOICES_DAYS)
        errors["lifetime_days"] = [_("Choose one of %(allowed)s days.") % {"allowed": allowed}]
    if errors:
        raise FieldErrors(errors)
    now = timezone.now()
    with transaction.atomic():
        # Serialise this user's creations so two requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        live = api_tokens_of(actor).filter(revoked_at__isnull=True, expires_at__gt=now).count()
        if live >= MAX_LIVE_TOKENS:
            raise FieldErrors(
                {
                    "name": [
                        _("You have %(live)d live tokens; revoke one you no longer use first.")
                        % {"live": live}
                    ]
                }
            )
        secret = token_generate()
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 8],
            digest=token_digest(secret),
            expires_at=now + timedelta(days=lifetime_days),
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            changes={"name": name, "expires_at": token.expires_at.isoformat()},
        )
    return CreatedToken(token=token, secret=secret)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of ``actor``'s own tokens; revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise NotFoundError(_("No such token."))
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


def api_token_authenticate(presented: str) -> tuple[User, ApiToken]:
    """The active user a presented token belongs to; TokenRefused says why not."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        raise TokenRefused(_("Invalid token."))
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(presented)).first()
    if token is None or not token.user.is_active:
        raise TokenRefused(_("Invalid token."))
    now = timezone.now()
    status = token_status(token, now=now)
    if status == "revoked":
        raise TokenRefused(_("This token was revoked."))
    if status == "expired":
        raise TokenRefused(_("This token has expired."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token

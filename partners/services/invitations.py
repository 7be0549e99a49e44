"""Supplier invitations and the end of portal access.

``invitation_send``: an internal user who may edit partners invites a supplier contact by
e-mail; earlier pending invitations of that contact are revoked (re-inviting sends a new link).
``invitation_accept``: the invitee's link and password create (or reactivate) a supplier user
bound to the contact's partner. ``portal_access_end``: a contact's portal access taken away, or
a partner exited, deactivates their portal users, which ends their sessions and API tokens at
once (core.user_access).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import outbox
from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.roles import Capability, Role, SystemActor, require
from core.services import audit_record
from core.user_access import user_deactivate
from partners.invitations import (
    INVITATION_EMAIL_TASK,
    INVITATION_LIFETIME,
    invitation_digest,
    invitation_status,
    invitation_token,
    portal_users_of,
)
from partners.models import Partner, PartnerInvitation, PartnerUser, SupplierContact

# Who accepts an invitation: the invitee has no account until they do.
INVITEE = SystemActor("supplier invitation")


class InvitationUnusable(Exception):
    """The link's invitation cannot be accepted; ``reason`` is ``unknown``, ``expired``,
    ``revoked`` or ``accepted``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SentInvitation:
    invitation: PartnerInvitation
    token: str  # e-mailed, never stored


def invitation_send(
    *, actor: Actor, contact: SupplierContact, now: datetime | None = None
) -> SentInvitation:
    """Invite ``contact`` to the portal of their partner by e-mail (a new link, 7 days)."""
    require(actor, Capability.EDIT_PARTNERS)
    email = contact.email.strip().lower()
    if not email:
        raise FieldErrors({"email": [gettext("Give the contact an e-mail address first.")]})
    existing = User.objects.filter(username__iexact=email, is_active=True).first()
    if existing is not None:
        raise FieldErrors(
            {"email": [gettext("%(email)s has a portal account already.") % {"email": email}]}
        )
    now = now or timezone.now()
    token = invitation_token()
    with transaction.atomic():
        PartnerInvitation.objects.filter(
            contact=contact, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = PartnerInvitation.objects.create(
            partner=contact.partner,
            contact=contact,
            email=email,
            token_digest=invitation_digest(token),
            invited_by=actor if isinstance(actor, User) else None,
            expires_at=now + INVITATION_LIFETIME,
        )
        audit_record(
            actor=actor,
            action="invitation.send",
            obj=invitation,
            changes={"email": email, "contact": contact.name},
        )
        outbox.job_defer(INVITATION_EMAIL_TASK, args=[invitation.pk, token])
    return SentInvitation(invitation=invitation, token=token)


def invitation_revoke(*, actor: Actor, invitation: PartnerInvitation) -> PartnerInvitation:
    """Stop a pending invitation's link; an accepted one is ended by deactivating the user."""
    require(actor, Capability.EDIT_PARTNERS)
    with transaction.atomic():
        invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ConflictError(
                gettext("This invitation was accepted; take the portal access away.")
            )
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action="invitation.revoke", obj=invitation)
    return invitation


def _password_errors(password: str, password_again: str, user: User) -> list[str]:
    if password != password_again:
        return [gettext("The two passwords differ.")]
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def invitation_accept(
    *, actor: Actor, token: str, password: str, password_again: str, now: datetime | None = None
) -> User:
    """The invitee's password: create (or reactivate) their supplier user bound to the
    invitation's partner and use up the invitation. InvitationUnusable when the link is
    unknown, expired, revoked or used; FieldErrors when the password fails the rules."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            PartnerInvitation.objects.select_for_update()
            .select_related("partner", "contact")
            .filter(token_digest=invitation_digest(token))
            .first()
        )
        if invitation is None:
            raise InvitationUnusable("unknown")
        status = invitation_status(invitation, now=now)
        if status != "pending":
            raise InvitationUnusable(status)
        user = User.objects.filter(username__iexact=invitation.email).first()
        if user is not None:
            link = PartnerUser.objects.filter(user=user).first()
            if user.is_active or link is None or link.partner_id != invitation.partner_id:
                raise FieldErrors({"__all__": [gettext("This e-mail has an SRM account already.")]})
        else:
            first, _, last = invitation.contact.name.partition(" ")
            user = User(
                username=invitation.email,
                email=invitation.email,
                first_name=first[:150],
                last_name=last[:150],
                role=Role.SUPPLIER_USER,
            )
        errors = _password_errors(password, password_again, user)
        if errors:
            raise FieldErrors({"new_password1": errors})
        user.set_password(password)
        user.is_active = True
        user.save()
        PartnerUser.objects.get_or_create(user=user, defaults={"partner": invitation.partner})
        invitation.accepted_at = now
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        SupplierContact.objects.filter(pk=invitation.contact_id).update(is_portal_user=True)
        audit_record(
            actor=actor,
            action="invitation.accept",
            obj=invitation,
            changes={"user": user.username, "partner": invitation.partner},
        )
    return user


def portal_access_end(
    *, actor: Actor, partner: Partner, contact: SupplierContact | None = None, reason: str
) -> list[User]:
    """Deactivate the portal users of ``partner`` (or of one ``contact``): their sessions end
    and their API tokens are revoked at once; pending invitations are revoked too."""
    require(actor, Capability.EDIT_PARTNERS)
    with transaction.atomic():
        users = portal_users_of(partner, contact)
        for user in users:
            user_deactivate(actor=actor, user=user, reason=reason)
        pending = PartnerInvitation.objects.filter(
            partner=partner, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if contact is not None:
            pending = pending.filter(contact=contact)
        pending.update(revoked_at=timezone.now())
    return users

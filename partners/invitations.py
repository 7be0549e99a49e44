"""Supplier invitations, the reading side: tokens, status, who may see which, the e-mail.

An internal user invites a supplier contact by e-mail (partners.services.invitations); the
e-mail carries a single-use link valid for :data:`INVITATION_LIFETIME`. Only the token's
SHA-256 digest is stored on the invitation. The e-mail itself is an outbox job
(``partners.tasks.invitation_email_send``) written in the invitation's transaction, so it is
sent once the invitation is committed, and retried from the database if the mail server is
away; the job's arguments hold the link until it has been sent.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from core.models import User
from core.roles import Capability
from partners.access import partners_visible_to
from partners.models import Partner, PartnerInvitation, SupplierContact

INVITATION_LIFETIME = timedelta(days=7)
INVITATION_EMAIL_TASK = "partners.tasks.invitation_email_send"


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_status(invitation: PartnerInvitation, *, now: datetime | None = None) -> str:
    """``accepted``, ``revoked``, ``expired`` or ``pending``."""
    return invitation.status_at(now or timezone.now())


def invitations_visible_to(user: Any) -> QuerySet[PartnerInvitation]:
    """Invitations of the partners ``user`` may see, for internal users only: a supplier user
    sees no invitation, not even of their own company."""
    if not (isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO)):
        return PartnerInvitation.objects.none()
    return PartnerInvitation.objects.filter(partner__in=partners_visible_to(user))


def invitation_by_token(token: str) -> PartnerInvitation | None:
    """The invitation a link's token belongs to, if any."""
    if not token or len(token) > 100:
        return None
    return (
        PartnerInvitation.objects.select_related("partner", "contact")
        .filter(token_digest=invitation_digest(token))
        .first()
    )


def invitation_link(token: str) -> str:
    return settings.SRM_BASE_URL + reverse("invitation-accept", args=[token])


def invitation_email(invitation: PartnerInvitation, token: str) -> EmailMessage:
    """The invitation e-mail with its link."""
    inviter = invitation.invited_by
    expires_at = timezone.localtime(invitation.expires_at)
    # In the inviting user's language (the invitee has no account, so no language, yet).
    values = {
        "name": invitation.contact.name,
        "inviter": (inviter.get_full_name() or inviter.username) if inviter else "",
        "company": invitation.partner.legal_name,
        "link": invitation_link(token),
        "email": invitation.email,
        "expires": f"{date_format(expires_at)}, {expires_at:%H:%M %Z}",
    }
    invites = (
        gettext("%(inviter)s invites you to the SRM partner portal of %(company)s.")
        if inviter
        else gettext("You are invited to the SRM partner portal of %(company)s.")
    )
    body = (
        gettext("Hello %(name)s,") % values
        + "\n\n"
        + invites % values
        + "\n\n"
        + gettext("Open this link to choose your password:\n%(link)s") % values
        + "\n\n"
        + gettext("Your user name will be %(email)s. The link works once, until %(expires)s.")
        % values
        + "\n"
        + gettext("If you did not expect this e-mail, ignore it.")
        + "\n"
    )
    return EmailMessage(
        subject=gettext("[SRM] Your invitation to the %(partner)s partner portal")
        % {"partner": invitation.partner.short_name},
        body=body,
        to=[invitation.email],
    )


def portal_users_of(partner: Partner, contact: SupplierContact | None = None) -> list[User]:
    """The active portal users of ``partner`` (of one ``contact``: those it invited)."""
    users = User.objects.filter(is_active=True, partner_link__partner=partner)
    if contact is not None:
        users = users.filter(invitations_accepted__contact=contact)
    return list(users.distinct())


def contacts_with_invitation(
    contacts: QuerySet[SupplierContact],
) -> QuerySet[SupplierContact]:
    """``contacts`` with their latest invitation's ``invitation_id``, ``invitation_status``
    (as :meth:`PartnerInvitation.status_at` decides it, in SQL) and
    ``invitation_expires_at``, in the same query (the partner page's contact rows)."""
    latest = PartnerInvitation.objects.filter(contact=OuterRef("pk")).order_by("-created_at", "-id")
    state = latest.annotate(
        state=Case(
            When(accepted_at__isnull=False, then=Value("accepted")),
            When(revoked_at__isnull=False, then=Value("revoked")),
            When(expires_at__lte=Now(), then=Value("expired")),
            default=Value("pending"),
        )
    )
    return contacts.annotate(
        invitation_id=Subquery(latest.values("pk")[:1]),
        invitation_status=Subquery(state.values("state")[:1]),
        invitation_expires_at=Subquery(latest.values("expires_at")[:1]),
    )

"""Subscribable calendar feeds (SPEC 2.3): every user has one (all their meetings) and one
per partnership, each at a secret, revocable URL."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDeniedError
from core.models import User
from core.roles import Capability, require_any
from core.services import audit_record
from governance.models import CalendarFeed
from partners.models import Partner


def calendar_feed_for(*, actor: User, partner: Partner | None = None) -> CalendarFeed:
    """The actor's own feed (all their meetings, or one partnership's); created on first use.

    A supplier has one feed only: the shared meetings of their own partner.
    """
    require_any(actor, Capability.VIEW_PORTFOLIO, Capability.USE_PORTAL)
    if actor.is_supplier:
        partner = None
    feed, _ = CalendarFeed.objects.get_or_create(owner=actor, partner=partner)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    """Issue a new secret for one of the actor's own feeds; the old URL stops working at
    once."""
    require_any(actor, Capability.VIEW_PORTFOLIO, Capability.USE_PORTAL)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    if feed.owner_id != actor.pk:
        raise PermissionDeniedError(_("You can only renew your own calendar URLs."))
    feed.token = secrets.token_urlsafe()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    audit_record(actor=actor, action="calendar_feed.revoke", obj=feed)
    return feed

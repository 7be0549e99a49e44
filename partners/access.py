"""Who may see which partner. Every queryset a user can reach is scoped through here.

Internal roles see the whole portfolio; a supplier user sees exactly the one partner their
account is bound to, and nothing at all if it is bound to none.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from core.roles import Capability
from partners.models import Partner


def partners_visible_to(user: Any) -> QuerySet[Partner]:
    """The partners ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Partner.objects.none()
    if user.can(Capability.VIEW_PORTFOLIO):
        return Partner.objects.all()
    if user.can(Capability.USE_PORTAL):
        return Partner.objects.filter(users__user=user)
    return Partner.objects.none()


def partner_id_of_supplier(user: Any) -> int | None:
    """The partner a supplier user belongs to, or None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_supplier:
        return None
    link = getattr(user, "partner_link", None)
    return link.partner_id if link is not None else None


def access_partner(user: Any, partner_id: int | str) -> Partner:
    """The partner with ``partner_id`` if ``user`` may see it; 404 otherwise.

    A partner the user may not see answers 404, not 403, so its existence is not revealed.
    """
    try:
        return partners_visible_to(user).get(pk=int(partner_id))
    except (Partner.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(gettext("No such partner.")) from exc


def require_capability(user: Any, capability: Capability) -> None:
    """Raise PermissionDenied (403) unless the user's role grants ``capability``."""
    if not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise PermissionDenied(gettext("Your role does not allow this."))


def supplier_partner(user: Any) -> Partner:
    """The portal's "this supplier and their company": the partner a supplier user belongs
    to. 403 for anyone without the portal; 404 while the account is linked to no partner."""
    require_capability(user, Capability.USE_PORTAL)
    partner_id = partner_id_of_supplier(user)
    if partner_id is None:
        raise Http404(gettext("Your account is not linked to a partner yet."))
    return access_partner(user, partner_id)

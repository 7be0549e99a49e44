"""Who may see which partner. Every queryset a user can reach is scoped through here.

Internal roles see the whole portfolio; a supplier user sees exactly the one partner their
account is bound to, and nothing at all if it is bound to none.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import ForeignObject, Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from core.roles import Capability
from partners.models import Partner


def sees_every_partner(user: Any) -> bool:
    """Whether ``user`` may see the whole portfolio (partners_visible_to is every partner)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.can(Capability.VIEW_PORTFOLIO)
    )


def partners_visible_to(user: Any) -> QuerySet[Partner]:
    """The partners ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Partner.objects.none()
    if sees_every_partner(user):
        return Partner.objects.all()
    if user.can(Capability.USE_PORTAL):
        return Partner.objects.filter(users__user=user)
    return Partner.objects.none()


def visible_partners_only[M: Model](
    queryset: QuerySet[M], user: Any, path: str = "partner"
) -> QuerySet[M]:
    """``queryset`` narrowed to rows whose partner (reached through ``path``, e.g.
    ``period__scorecard__partner``) ``user`` may see: the same rows as
    ``filter(<path>__in=partners_visible_to(user))``.

    For a user who sees the whole portfolio that filter holds for every row with a partner,
    so none is added (only ``<path>__isnull=False`` where the path may be empty): a list then
    sorts and counts through its own indexes instead of joining all partners first.
    """
    if sees_every_partner(user):
        if _may_be_empty(queryset.model, path):
            return queryset.filter(**{f"{path}__isnull": False})
        return queryset
    return queryset.filter(**{f"{path}__in": partners_visible_to(user)})


def _may_be_empty(model: type[Model], path: str) -> bool:
    """Whether a row of ``model`` can reach no partner through ``path`` (a nullable foreign
    key on the way)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not isinstance(field, ForeignObject) or field.many_to_many or field.one_to_many:
            return True  # not a plain foreign key: be safe, keep rows with a partner only
        if field.null:
            return True
        model = field.related_model
    return False


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

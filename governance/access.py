"""Who may take part in a partnership's governance, beyond partners.access (which partners a
user sees) and core.roles (what a role may do).

People on a partner's records come from our side or from that partner's own side, never from
another partner's; and a supplier updates only the shared actions its own side owes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.errors import FieldErrors
from core.models import User
from governance.models import ActionItem, Visibility
from partners.access import partner_id_of_supplier
from partners.models import Partner, SupplierContact


def require_own_contacts(partner: Partner, contacts: Iterable[SupplierContact], field: str) -> None:
    """Refuse (field errors on ``field``) supplier contacts of another partner."""
    if any(contact.partner_id != partner.pk for contact in contacts):
        raise FieldErrors({field: [_("Choose contacts of this partner.")]})


def require_own_attendees(partner: Partner, users: Iterable[User], field: str) -> None:
    """Internal users, or supplier users of this very partner: nobody else may attend."""
    if any(u.is_supplier and partner_id_of_supplier(u) != partner.pk for u in users):
        raise FieldErrors({field: [_("Supplier users of another partner cannot attend.")]})


def require_valid_owner(
    partner: Partner, owner_user: User | None, owner_contact: SupplierContact | None
) -> None:
    """One owner at most: one of our users, a portal user of this partner or its contact."""
    if owner_user is not None and owner_contact is not None:
        raise FieldErrors({"owner_contact": [_("Give one owner: a user or a supplier contact.")]})
    if owner_contact is not None and owner_contact.partner_id != partner.pk:
        raise FieldErrors({"owner_contact": [_("Choose a contact of this partner.")]})
    if (
        owner_user is not None
        and owner_user.is_supplier
        and partner_id_of_supplier(owner_user) != partner.pk
    ):
        raise FieldErrors({"owner_user": [_("That supplier user belongs to another partner.")]})


def supplier_may_update_action(user: User, action: ActionItem) -> bool:
    """Suppliers update the shared actions their own side owes, nothing else."""
    return (
        partner_id_of_supplier(user) == action.partner_id
        and action.visibility == Visibility.SHARED
        and action.owned_by_supplier
    )

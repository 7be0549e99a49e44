"""Action items (SPEC 2.4): owed by someone on our side or the partner's, from a meeting or
standalone. Suppliers update the status of what their side owes through the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import version_check
from core.errors import FieldErrors, PermissionDeniedError
from core.models import Actor, User
from core.roles import Capability, require, require_any
from core.services import audit_record, model_changes
from governance.access import require_valid_owner, supplier_may_update_action
from governance.escalation import ActionStatus, due_date_warning
from governance.models import ActionItem, Meeting, Priority, Visibility
from partners.models import Partner, SupplierContact


@dataclass(frozen=True)
class ActionCreated:
    """A created action and a warning for the user (saved anyway)."""

    action: ActionItem
    warning: str | None


class ActionChanges(TypedDict, total=False):
    """What may change on an action; a supplier may change ``status`` only."""

    title: str
    description: str
    meeting: Meeting | None
    owner_user: User | None
    owner_contact: SupplierContact | None
    due_date: date | None
    status: str
    priority: str
    visibility: str


def _require_meeting_of(partner: Partner, meeting: Meeting | None) -> None:
    if meeting is not None and meeting.partner_id != partner.pk:
        raise FieldErrors({"meeting": [_("Choose a meeting of this partner.")]})


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    partner: Partner,
    title: str,
    description: str = "",
    meeting: Meeting | None = None,
    owner_user: User | None = None,
    owner_contact: SupplierContact | None = None,
    due_date: date | None = None,
    status: str = ActionStatus.OPEN,
    priority: str = Priority.MEDIUM,
    visibility: str = Visibility.SHARED,
    today: date | None = None,
) -> ActionCreated:
    """Create an action item. A due date in the past earns a warning, not an error; an
    action the supplier owes is always shared with it."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    require_valid_owner(partner, owner_user, owner_contact)
    _require_meeting_of(partner, meeting)
    action = ActionItem(
        partner=partner,
        title=title,
        description=description,
        meeting=meeting,
        owner_user=owner_user,
        owner_contact=owner_contact,
        due_date=due_date,
        status=status,
        priority=priority,
        visibility=visibility,
    )
    if action.owned_by_supplier:
        # Whatever a supplier owes, the supplier must be able to see.
        action.visibility = Visibility.SHARED
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="action.create",
        obj=action,
        changes={"due_date": due_date, "priority": priority, "visibility": action.visibility},
    )
    return ActionCreated(action, due_date_warning(action.due_date, today or timezone.localdate()))


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: ActionItem,
    changes: ActionChanges,
    expected_version: int | None = None,
) -> ActionItem:
    """Change an action. Governance managers change anything; a supplier user (the portal)
    changes only the status, and only of shared actions its own side owes. Marking it done
    stamps ``completed_at``. Refuses (409) a change based on an older version."""
    require_any(actor, Capability.MANAGE_GOVERNANCE, Capability.USE_PORTAL)
    unknown = set(changes) - ActionChanges.__optional_keys__
    if unknown:
        raise FieldErrors(
            {key: [_("This field cannot be changed here.")] for key in sorted(unknown)}
        )
    version_check(action, expected_version)
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("owner_user", "owner_contact")
        .get(pk=action.pk)
    )
    if not actor.can(Capability.MANAGE_GOVERNANCE):
        if not isinstance(actor, User) or not supplier_may_update_action(actor, action):
            raise PermissionDeniedError(_("You can only update actions assigned to your company."))
        if set(changes) - {"status"}:
            raise FieldErrors({"status": [_("Suppliers may only change the status.")]})
    fields = dict(changes)
    if "status" in changes:
        try:
            status = ActionStatus(changes["status"])
        except ValueError as exc:
            raise FieldErrors(
                {"status": [_("Unknown status “%(value)s”.") % {"value": changes["status"]}]}
            ) from exc
        fields["completed_at"] = timezone.now() if status == ActionStatus.DONE else None
    require_valid_owner(
        action.partner,
        changes.get("owner_user", action.owner_user),
        changes.get("owner_contact", action.owner_contact),
    )
    _require_meeting_of(action.partner, changes.get("meeting"))
    audited = model_changes(action, fields)
    if action.owned_by_supplier:
        action.visibility = Visibility.SHARED
    action.full_clean()
    action.save()
    if audited:
        audited.pop("completed_at", None)
        audit_record(actor=actor, action="action.update", obj=action, changes=audited)
    return action

"""Roles and what each may do. The single place that maps a role to capabilities, and the one
function every service calls to check its actor: :func:`require`.

Which *partners* a user may see is decided in partners.access (the tenant is the partner);
this module decides which *kinds of thing* a role may see or change.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import PermissionDeniedError


class Role(StrEnum):
    PROCUREMENT_MANAGER = "procurement_manager"
    ALLIANCE_MANAGER = "alliance_manager"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    ADMINISTRATOR = "administrator"
    SUPPLIER_USER = "supplier_user"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def is_internal(self) -> bool:
        return self is not Role.SUPPLIER_USER


ROLE_LABELS: dict[Role, str | Promise] = {
    Role.PROCUREMENT_MANAGER: _("Procurement manager"),
    Role.ALLIANCE_MANAGER: _("Alliance manager"),
    Role.EXECUTIVE_SPONSOR: _("Executive sponsor"),
    Role.ADMINISTRATOR: _("Administrator"),
    Role.SUPPLIER_USER: _("Supplier user"),
}


class Capability(StrEnum):
    """Things a user may do. Later issues add to this list and to CAPABILITIES."""

    VIEW_PORTFOLIO = "view_portfolio"  # every partner, internal notes, benchmarks
    EDIT_PARTNERS = "edit_partners"  # partner records, segmentation, agreements, imports
    RUN_ASSESSMENTS = "run_assessments"
    MANAGE_GOVERNANCE = "manage_governance"  # charters, cadences, meetings, escalations, plans
    MANAGE_SCORECARDS = "manage_scorecards"  # templates, periods, accepting measurements
    ENTER_MEASUREMENTS = "enter_measurements"
    VIEW_EXECUTIVE_DASHBOARD = "view_executive_dashboard"
    SIGN_OFF = "sign_off"  # escalations and annual reviews
    ADMINISTER = "administer"  # users, roles, templates, imports, backups
    USE_PORTAL = "use_portal"  # the partner portal: own company only


_INTERNAL_READ = {Capability.VIEW_PORTFOLIO, Capability.VIEW_EXECUTIVE_DASHBOARD}

CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.PROCUREMENT_MANAGER: frozenset(
        _INTERNAL_READ
        | {
            Capability.EDIT_PARTNERS,
            Capability.RUN_ASSESSMENTS,
            Capability.MANAGE_GOVERNANCE,
            Capability.MANAGE_SCORECARDS,
            Capability.ENTER_MEASUREMENTS,
        }
    ),
    Role.ALLIANCE_MANAGER: frozenset(
        _INTERNAL_READ
        | {
            Capability.EDIT_PARTNERS,
            Capability.RUN_ASSESSMENTS,
            Capability.MANAGE_GOVERNANCE,
            Capability.ENTER_MEASUREMENTS,
        }
    ),
    Role.EXECUTIVE_SPONSOR: frozenset(_INTERNAL_READ | {Capability.SIGN_OFF}),
    Role.ADMINISTRATOR: frozenset(set(Capability) - {Capability.USE_PORTAL}),
    Role.SUPPLIER_USER: frozenset({Capability.USE_PORTAL, Capability.ENTER_MEASUREMENTS}),
}


def role_can(role: Role | str, capability: Capability) -> bool:
    """True when the role grants the capability."""
    return capability in CAPABILITIES[Role(role)]


class CapabilityHolder(Protocol):
    """What :func:`require` needs of an actor: a user, or the system actor of a job."""

    def can(self, capability: Capability) -> bool: ...


class SystemActor:
    """A scheduled job acting on its own behalf (period close, escalations, reminders).

    It holds every internal capability and none of the portal's, and the audit trail records
    it by name instead of a user. Services take it where a job calls them, never from a request.
    """

    is_authenticated = True
    is_active = True
    is_internal = True
    is_supplier = False
    pk = None
    id = None
    role = "system"

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"SRM ({self.name})"

    def __repr__(self) -> str:
        return f"SystemActor({self.name!r})"

    def can(self, capability: Capability) -> bool:
        return capability is not Capability.USE_PORTAL


SYSTEM = SystemActor("scheduled job")


def require(actor: CapabilityHolder, capability: Capability) -> None:
    """Raise PermissionDeniedError (403) unless ``actor`` holds ``capability``.

    Every service calls this with its own actor before it writes: what a role may *do* is
    checked here, in one place, whichever page, API view or job calls the service.
    """
    if not actor.can(capability):
        raise PermissionDeniedError(gettext("Your role does not allow this."))


def require_any(actor: CapabilityHolder, *capabilities: Capability) -> None:
    """Like :func:`require`, for a write that any one of several capabilities allows."""
    if not any(actor.can(capability) for capability in capabilities):
        raise PermissionDeniedError(gettext("Your role does not allow this."))

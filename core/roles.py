"""Roles and what each may do. The single place that maps a role to capabilities.

Which *partners* a user may see is decided in partners.access (the tenant is the partner);
this module decides which *kinds of thing* a role may see or change.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PROCUREMENT_MANAGER = "procurement_manager"
    ALLIANCE_MANAGER = "alliance_manager"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    ADMINISTRATOR = "administrator"
    SUPPLIER_USER = "supplier_user"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_internal(self) -> bool:
        return self is not Role.SUPPLIER_USER


ROLE_LABELS: dict[Role, str] = {
    Role.PROCUREMENT_MANAGER: "Procurement manager",
    Role.ALLIANCE_MANAGER: "Alliance manager",
    Role.EXECUTIVE_SPONSOR: "Executive sponsor",
    Role.ADMINISTRATOR: "Administrator",
    Role.SUPPLIER_USER: "Supplier user",
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

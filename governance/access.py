"""Who may do what in governance, beyond partners.access (which partners) and roles."""

from __future__ import annotations

from typing import Any

from core.roles import Capability
from partners.access import require_capability


def require_escalation_capability(user: Any, step: str | None) -> None:
    """Managers run escalations; executive sponsors may also sign them off (resolve)."""
    if (
        step == "resolve"
        and getattr(user, "is_authenticated", False)
        and user.can(Capability.SIGN_OFF)
    ):
        return
    require_capability(user, Capability.MANAGE_GOVERNANCE)

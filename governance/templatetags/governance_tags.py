"""Template tags that let top-layer pages (the workspace) show governance lists."""

from __future__ import annotations

from typing import Any

from django import template

from governance import selectors

register = template.Library()


@register.simple_tag
def workspace_governance(user: Any) -> dict[str, Any]:
    """My open actions and upcoming meetings: ``{% workspace_governance user as governance %}``."""
    return selectors.workspace_governance(user)

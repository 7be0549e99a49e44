"""Template helpers for the partner record: derived facts computed from prefetched rows."""

from __future__ import annotations

from typing import Any

from django import template

from core.roles import Capability
from partners.models import Partner
from partners.selectors import partner_insights, playbook_for

register = template.Library()


@register.simple_tag
def partner_facts(partner: Partner) -> dict[str, Any]:
    """Recommendation, exit readiness, readiness comparison and playbook of a partner."""
    insights = partner_insights(partner)
    return {
        "recommendation": insights.recommendation,
        "exit": insights.exit_readiness,
        "comparison": insights.readiness_comparison,
        "playbook": playbook_for(partner),
    }


@register.filter
def code_label(value: str) -> str:
    """``quarterly_business_review`` → ``Quarterly business review``."""
    return str(value).replace("_", " ").capitalize()


@register.filter
def user_can(user: object, capability: str) -> bool:
    """``{% if user|user_can:"run_assessments" %}``: show only the links the role may open."""
    can = getattr(user, "can", None)
    return bool(can and can(Capability(capability)))

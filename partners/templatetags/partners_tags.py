"""Template helpers for the partner record: derived facts computed from prefetched rows."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from core.cadences import CadenceKind, Frequency
from core.roles import Capability
from partners import risk
from partners.kraljic import Quadrant
from partners.labels import in_sentence
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


def _enum_label(enum: type[CadenceKind] | type[Frequency] | type[Quadrant], value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return code_label(value)


@register.filter
def cadence_label(value: str) -> str:
    """A cadence kind's label in the user's language (``quarterly_business_review`` → …)."""
    return _enum_label(CadenceKind, value)


@register.filter
def frequency_label(value: str) -> str:
    """A cadence frequency's label in the user's language."""
    return _enum_label(Frequency, value)


@register.filter
def quadrant_label(value: str) -> str:
    """A Kraljic quadrant's label in the user's language."""
    return _enum_label(Quadrant, value)


@register.filter
def severity_label(value: str) -> str:
    """A risk flag's severity (``high``) as the user reads it."""
    try:
        return str(risk.Severity(value).label)
    except ValueError:
        return code_label(value)


@register.filter
def flag_message(flag: dict[str, Any]) -> str:
    """A stored risk flag's message in the user's language."""
    return risk.stored_flag_message(flag)


@register.filter
def criterion_label(label: str) -> str:
    """A readiness criterion's stored label: the default template's in the user's language,
    one an administrator wrote as written."""
    return _(label) if label else ""


@register.filter
def midsentence(label: str) -> str:
    """A label inside a sentence (see ``partners.labels.in_sentence``)."""
    return in_sentence(label)


@register.simple_tag
def kraljic_chart_labels() -> dict[str, str]:
    """The words the Kraljic chart draws on its canvas (static/js/kraljic.js reads them)."""
    return {
        **{q.value: str(q.label) for q in Quadrant},
        "x": _("Supply risk"),
        "y": _("Profit impact"),
        "impact": _("impact"),
        "risk": _("risk"),
        "spend": _("spend"),
        "mean": _("(mean)"),
    }


@register.filter
def user_can(user: object, capability: str) -> bool:
    """``{% if user|user_can:"run_assessments" %}``: show only the links the role may open."""
    can = getattr(user, "can", None)
    return bool(can and can(Capability(capability)))

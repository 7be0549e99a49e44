"""Governance meeting series, named once: the kinds of cadence and how often they repeat.

Playbooks (partners) name them as defaults and governance runs them, so the one definition
sits below both. Pure: no Django.
"""

from __future__ import annotations

from enum import StrEnum


class CadenceKind(StrEnum):
    """The kinds of recurring governance meeting series."""

    MONTHLY_OPERATIONAL = "monthly_operational"
    QUARTERLY_BUSINESS_REVIEW = "quarterly_business_review"
    STEERING_COMMITTEE = "steering_committee"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    ANNUAL_STRATEGIC_REVIEW = "annual_strategic_review"

    @property
    def label(self) -> str:
        return _CADENCE_KIND_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


_CADENCE_KIND_LABELS: dict[CadenceKind, str] = {
    CadenceKind.MONTHLY_OPERATIONAL: "Monthly operational call",
    CadenceKind.QUARTERLY_BUSINESS_REVIEW: "Quarterly business review (QBR)",
    CadenceKind.STEERING_COMMITTEE: "Steering committee",
    CadenceKind.EXECUTIVE_SPONSOR: "Executive-sponsor meeting",
    CadenceKind.ANNUAL_STRATEGIC_REVIEW: "Annual strategic review",
}


class Frequency(StrEnum):
    """How often a cadence repeats (multiplied by the rule's interval)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def label(self) -> str:
        return _FREQUENCY_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


_FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.WEEKLY: "Weekly",
    Frequency.MONTHLY: "Monthly",
    Frequency.QUARTERLY: "Quarterly",
    Frequency.HALF_YEARLY: "Half-yearly",
    Frequency.YEARLY: "Yearly",
}

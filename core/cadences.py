"""Governance meeting series, named once: the kinds of cadence and how often they repeat.

Playbooks (partners) name them as defaults and governance runs them, so the one definition
sits below both. Pure, but for the labels: translated lazily (English and German UI).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CadenceKind(StrEnum):
    """The kinds of recurring governance meeting series."""

    MONTHLY_OPERATIONAL = "monthly_operational"
    QUARTERLY_BUSINESS_REVIEW = "quarterly_business_review"
    STEERING_COMMITTEE = "steering_committee"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    ANNUAL_STRATEGIC_REVIEW = "annual_strategic_review"

    @property
    def label(self) -> StrOrPromise:
        return _CADENCE_KIND_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


_CADENCE_KIND_LABELS: dict[CadenceKind, StrOrPromise] = {
    CadenceKind.MONTHLY_OPERATIONAL: _("Monthly operational call"),
    CadenceKind.QUARTERLY_BUSINESS_REVIEW: _("Quarterly business review (QBR)"),
    CadenceKind.STEERING_COMMITTEE: _("Steering committee"),
    CadenceKind.EXECUTIVE_SPONSOR: _("Executive-sponsor meeting"),
    CadenceKind.ANNUAL_STRATEGIC_REVIEW: _("Annual strategic review"),
}


class Frequency(StrEnum):
    """How often a cadence repeats (multiplied by the rule's interval)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def label(self) -> StrOrPromise:
        return _FREQUENCY_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


_FREQUENCY_LABELS: dict[Frequency, StrOrPromise] = {
    Frequency.WEEKLY: _("Weekly"),
    Frequency.MONTHLY: _("Monthly"),
    Frequency.QUARTERLY: _("Quarterly"),
    Frequency.HALF_YEARLY: _("Half-yearly"),
    Frequency.YEARLY: _("Yearly"),
}

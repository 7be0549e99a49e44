"""Engagement-model playbooks (SPEC 1.3): what a partnership of each kind gets by default.

Governance reads the cadences and scorecards read the scorecard template code; partners
only stores and validates them (it must not import either app). Pure rules, no ORM.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

from core.cadences import CadenceKind, Frequency
from partners.kraljic import EngagementModel, RuleValidationError


class PlaybookValidationError(RuleValidationError):
    """Invalid playbook (cadence kind, frequency, interval, duration)."""


class SponsorLevel(StrEnum):
    NONE = "none"
    DIRECTOR = "director"
    VP = "vp"
    BOARD = "board"

    @property
    def label(self) -> str:
        return str(SPONSOR_LEVEL_LABELS[self])


SPONSOR_LEVEL_LABELS: Final[Mapping[SponsorLevel, StrPromise]] = {
    SponsorLevel.NONE: gettext_lazy("No executive sponsor"),
    SponsorLevel.DIRECTOR: gettext_lazy("Director"),
    SponsorLevel.VP: gettext_lazy("Vice president"),
    SponsorLevel.BOARD: gettext_lazy("Board member"),
}


@dataclass(frozen=True)
class Playbook:
    cadences: tuple[dict[str, Any], ...]
    scorecard_template_code: str
    sponsor_level: SponsorLevel
    survey_frequency_months: int


def cadence(kind: CadenceKind, frequency: Frequency, duration_minutes: int) -> dict[str, Any]:
    """One cadence entry as stored in ``EngagementPlaybook.cadences``."""
    return {
        "kind": kind.value,
        "frequency": frequency.value,
        "interval": 1,
        "duration_minutes": duration_minutes,
    }


_ANNUAL = cadence(CadenceKind.ANNUAL_STRATEGIC_REVIEW, Frequency.YEARLY, 180)
_QBR = cadence(CadenceKind.QUARTERLY_BUSINESS_REVIEW, Frequency.QUARTERLY, 120)
_MONTHLY = cadence(CadenceKind.MONTHLY_OPERATIONAL, Frequency.MONTHLY, 60)
_SPONSOR = cadence(CadenceKind.EXECUTIVE_SPONSOR, Frequency.QUARTERLY, 60)

DEFAULT_PLAYBOOKS: Final[Mapping[EngagementModel, Playbook]] = {
    EngagementModel.TRANSACTIONAL: Playbook(
        (_ANNUAL,), "transactional-basic", SponsorLevel.NONE, 24
    ),
    EngagementModel.PREFERRED_SUPPLIER: Playbook(
        (_QBR, _ANNUAL), "preferred-supplier", SponsorLevel.DIRECTOR, 12
    ),
    EngagementModel.STRATEGIC_PARTNERSHIP: Playbook(
        (
            _MONTHLY,
            _QBR,
            cadence(CadenceKind.STEERING_COMMITTEE, Frequency.QUARTERLY, 120),
            _SPONSOR,
            _ANNUAL,
        ),
        "strategic-balanced",
        SponsorLevel.VP,
        6,
    ),
    EngagementModel.JOINT_VENTURE: Playbook(
        (
            _MONTHLY,
            _QBR,
            cadence(CadenceKind.STEERING_COMMITTEE, Frequency.MONTHLY, 120),
            _SPONSOR,
            _ANNUAL,
        ),
        "joint-venture-balanced",
        SponsorLevel.BOARD,
        6,
    ),
}


def validate_cadences(cadences: object) -> None:
    """A list of ``{kind, frequency, interval >= 1, duration_minutes 1-1440}``; kinds unique.

    Errors are keyed ``cadences`` so forms and the API show them on that field.
    """
    messages: list[str] = []
    if not isinstance(cadences, Sequence) or isinstance(cadences, str | bytes):
        raise PlaybookValidationError({"cadences": [_("Cadences must be a list.")]})
    kinds = {kind.value for kind in CadenceKind}
    frequencies = {frequency.value for frequency in Frequency}
    seen: set[str] = set()
    for index, entry in enumerate(cadences, start=1):
        if not isinstance(entry, Mapping):
            messages.append(_("Cadence %(index)s must be an object.") % {"index": index})
            continue
        kind = entry.get("kind")
        if kind not in kinds:
            messages.append(
                _("Cadence %(index)s: unknown kind %(kind)s.")
                % {"index": index, "kind": repr(kind)}
            )
        elif kind in seen:
            messages.append(
                _("Cadence %(index)s: %(kind)s is listed twice.") % {"index": index, "kind": kind}
            )
        seen.add(str(kind))
        if entry.get("frequency") not in frequencies:
            messages.append(
                _("Cadence %(index)s: unknown frequency %(frequency)s.")
                % {"index": index, "frequency": repr(entry.get("frequency"))}
            )
        interval: Any = entry.get("interval", 1)
        if not (_is_int(interval) and interval >= 1):
            messages.append(
                _("Cadence %(index)s: interval must be a whole number of at least 1.")
                % {"index": index}
            )
        duration: Any = entry.get("duration_minutes")
        if not (_is_int(duration) and 1 <= duration <= 1440):
            messages.append(
                _("Cadence %(index)s: duration must be 1 to 1440 minutes.") % {"index": index}
            )
    if messages:
        raise PlaybookValidationError({"cadences": messages})


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

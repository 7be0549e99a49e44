"""What a notification is about, and the rules for who gets it how and when.

Pure rules, no ORM: the kinds of notification, the defaults a user may change per kind
(e-mail, in-app, how far ahead a reminder comes), whether a reminder is due for a user
given their lead time, and how a time is written for its recipient (their zone, their
language). Services in core.services and the outbox use them; the preference page shows
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.timezones import is_valid_tz_name, to_user_local


class LeadUnit(StrEnum):
    HOURS = "hours"
    DAYS = "days"


class NotificationKind(StrEnum):
    """What a notification is about. Users choose per kind how they are told."""

    DISPUTE_RAISED = "dispute_raised"
    DISPUTE_RESOLVED = "dispute_resolved"
    SELF_REPORT_SUBMITTED = "self_report_submitted"
    ESCALATION_RAISED = "escalation_raised"
    ESCALATION_MOVED = "escalation_moved"
    ACTION_OVERDUE = "action_overdue"
    MEETING_REMINDER = "meeting_reminder"
    CHARTER_REVIEW = "charter_review"
    AGREEMENT_NOTICE = "agreement_notice"
    KPI_DATA_DUE = "kpi_data_due"
    GENERAL = "general"

    @property
    def spec(self) -> KindSpec:
        return KIND_SPECS[self]

    @property
    def label(self) -> str:
        return str(self.spec.label)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(kind.value, kind.label) for kind in cls]


@dataclass(frozen=True)
class KindSpec:
    """One kind: its label, who may receive it and, for reminders, how far ahead they come.

    ``lead_unit`` is None for notifications that tell of something that happened (a dispute
    raised); reminders have a default lead and the most a user may ask for (the reminder
    jobs look that far ahead and leave out what is not yet due for each user).
    """

    label: str | Promise
    description: str | Promise
    for_suppliers: bool = False
    for_internal: bool = True
    lead_unit: LeadUnit | None = None
    default_lead: int = 0
    max_lead: int = 0
    email: bool = True
    in_app: bool = True

    @property
    def is_reminder(self) -> bool:
        return self.lead_unit is not None

    def lead(self, amount: int) -> timedelta:
        return timedelta(hours=amount) if self.lead_unit is LeadUnit.HOURS else timedelta(amount)

    @property
    def lead_unit_label(self) -> str:
        """The unit of the lead time as people read it ("hours", "Stunden")."""
        if self.lead_unit is None:
            return ""
        return str(_("hours") if self.lead_unit is LeadUnit.HOURS else _("days"))

    @property
    def max_ahead(self) -> timedelta:
        """How far ahead a reminder job must look so every user's lead time is honoured."""
        return self.lead(self.max_lead)


KIND_SPECS: dict[NotificationKind, KindSpec] = {
    NotificationKind.DISPUTE_RAISED: KindSpec(
        _("Score disputed"), _("A supplier disputes a closed period's score.")
    ),
    NotificationKind.DISPUTE_RESOLVED: KindSpec(
        _("Dispute resolved"),
        _("A buyer corrected or rejected your dispute of a score."),
        for_suppliers=True,
        for_internal=False,
    ),
    NotificationKind.SELF_REPORT_SUBMITTED: KindSpec(
        _("Self-report to accept"), _("A supplier reported a KPI value that awaits acceptance.")
    ),
    NotificationKind.ESCALATION_RAISED: KindSpec(
        _("Escalation raised"), _("An escalation was raised to your level of the ladder.")
    ),
    NotificationKind.ESCALATION_MOVED: KindSpec(
        _("Escalation moved up"),
        _("An escalation passed its response time and moved up to you, or is overdue at the top."),
    ),
    NotificationKind.ACTION_OVERDUE: KindSpec(
        _("Action overdue"), _("An action item you own is past its due date."), for_suppliers=True
    ),
    NotificationKind.MEETING_REMINDER: KindSpec(
        _("Meeting reminder"),
        _("A meeting you attend is coming up."),
        for_suppliers=True,
        lead_unit=LeadUnit.HOURS,
        default_lead=48,
        max_lead=14 * 24,
    ),
    NotificationKind.CHARTER_REVIEW: KindSpec(
        _("Charter review due"),
        _("A partnership charter is due for its yearly review."),
        lead_unit=LeadUnit.DAYS,
        default_lead=30,
        max_lead=90,
    ),
    NotificationKind.AGREEMENT_NOTICE: KindSpec(
        _("Agreement notice or expiry"),
        _("An agreement's notice deadline or expiry is coming up."),
        lead_unit=LeadUnit.DAYS,
        default_lead=60,
        max_lead=180,
    ),
    NotificationKind.KPI_DATA_DUE: KindSpec(
        _("KPI data due"),
        _("A scorecard period of a partnership you own is about to end with KPI values missing."),
        lead_unit=LeadUnit.DAYS,
        default_lead=7,
        max_lead=30,
    ),
    NotificationKind.GENERAL: KindSpec(
        _("Other"), _("Anything else SRM tells you."), for_suppliers=True
    ),
}


def kinds_for(*, is_supplier: bool) -> list[NotificationKind]:
    """The kinds a user of this side may receive (what their preference page lists)."""
    return [
        kind
        for kind, spec in KIND_SPECS.items()
        if (spec.for_suppliers if is_supplier else spec.for_internal)
    ]


@dataclass(frozen=True)
class Preference:
    """A user's choice for one kind: e-mail, in-app, and a reminder's lead time."""

    kind: NotificationKind
    email: bool
    in_app: bool
    lead: int | None

    @classmethod
    def default(cls, kind: NotificationKind) -> Preference:
        spec = kind.spec
        return cls(kind, spec.email, spec.in_app, spec.default_lead if spec.is_reminder else None)

    @property
    def wanted(self) -> bool:
        return self.email or self.in_app


def lead_error(kind: NotificationKind, lead: int | None) -> str | None:
    """Why ``lead`` is not a valid lead time for ``kind``, or None when it is."""
    spec = kind.spec
    if not spec.is_reminder:
        return (
            None if lead is None else gettext("This kind is not a reminder; it has no lead time.")
        )
    if lead is None:
        return gettext("Say how many %(unit)s ahead you want to be reminded.") % {
            "unit": spec.lead_unit_label
        }
    if not 0 <= lead <= spec.max_lead:
        return gettext("Choose from 0 to %(max)d %(unit)s.") % {
            "max": spec.max_lead,
            "unit": spec.lead_unit_label,
        }
    return None


def reminder_due(
    preference: Preference, *, due: datetime | date | None, now: datetime, today: date
) -> bool:
    """True when a reminder about ``due`` should go out now for this preference.

    Not a reminder (or no due moment given): always. A datetime is compared with ``now``,
    a date with ``today`` (the recipient is told ``lead`` days before the day). Something
    already past is still reminded: a late reminder beats none.
    """
    spec = preference.kind.spec
    if due is None or not spec.is_reminder or preference.lead is None:
        return True
    if isinstance(due, datetime):
        return due - now <= spec.lead(preference.lead)
    return (due - today).days <= (
        preference.lead if spec.lead_unit is LeadUnit.DAYS else preference.lead // 24
    )


LANGUAGES = ("en", "de")


def format_when(moment: datetime, tz_name: str, language: str) -> str:
    """``moment`` as its recipient reads it: their wall time, zone and language.

    "Tuesday, 5 May 2026, 10:00 CEST" in English, "Dienstag, 5. Mai 2026, 10:00 CEST" in
    German (day and month names from Django's catalogues); an unknown zone falls back to UTC.
    """
    local = to_user_local(moment, tz_name if is_valid_tz_name(tz_name) else "UTC")
    with translation.override(language if language in LANGUAGES else "en"):
        day = formats.date_format(local, "l, j F Y" if language != "de" else "l, j. F Y")
        return f"{day}, {local:%H:%M} {local.tzname()}"

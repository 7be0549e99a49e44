"""Agreement terms: sharing ratios, term dates, notice deadlines, reminders, renewal (SPEC 1.6).

Decisions:

* A ratio is buyer:supplier, each share >= 0 and the two summing to exactly 100; decimal
  shares such as "62.5:37.5" are accepted.
* An end date equal to the start date is a valid one-day agreement; only an end date
  before the start date is an error.
* A reminder is due when its date is between today and today + window inclusive
  (0 <= days left <= window). Past dates are no longer reminders; they are overdue and
  belong to another report. With a notice period of 0 days there is no notice deadline
  distinct from expiry, so only the expiry reminder is produced.
* Renewal adds whole years to the end date; 29 February maps to 28 February in a common
  year so the renewed term never runs past the anniversary that was agreed. Repeated
  renewals count from the original end date, so a 29 February end date returns to the
  29th in leap years instead of drifting to the 28th forever.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrPromise

from partners.kraljic import RuleValidationError


class AgreementTermsError(RuleValidationError):
    """Invalid agreement terms (ratio, dates, periods)."""


class ReminderKind(StrEnum):
    NOTICE_DEADLINE = "notice_deadline"
    EXPIRY = "expiry"

    @property
    def label(self) -> str:
        return str(REMINDER_KIND_LABELS[self])


REMINDER_KIND_LABELS: Final[Mapping[ReminderKind, StrPromise]] = {
    ReminderKind.NOTICE_DEADLINE: gettext_lazy("Notice deadline"),
    ReminderKind.EXPIRY: gettext_lazy("Expiry"),
}

RATIO_TOTAL: Final = Decimal(100)
# The sharing ratios an agreement records, each as "<name>_buyer" and "<name>_supplier".
RATIO_FIELDS: Final = ("gain_share", "cost_overrun_share", "ip_share")
DEFAULT_REMINDER_WINDOW_DAYS: Final = 60
# Marked here, translated where raised (``_(RATIO_FORMAT_MESSAGE)``).
RATIO_FORMAT_MESSAGE: Final = gettext_noop("Enter the ratio as buyer:supplier, for example 60:40.")


@dataclass(frozen=True)
class SharingRatio:
    """Buyer and supplier shares in percent; build it with ``make_ratio`` or ``parse_ratio``."""

    buyer: Decimal
    supplier: Decimal

    def __str__(self) -> str:
        return f"{_plain(self.buyer)}:{_plain(self.supplier)}"


@dataclass(frozen=True)
class AgreementTerms:
    start_date: date
    end_date: date
    notice_period_days: int = 0

    def __post_init__(self) -> None:
        validate_dates(self.start_date, self.end_date, self.notice_period_days)

    @property
    def notice_deadline(self) -> date:
        return notice_deadline(self.end_date, self.notice_period_days)


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    date: date
    days_left: int


def make_ratio(buyer: Decimal | int, supplier: Decimal | int, field: str = "ratio") -> SharingRatio:
    """Both shares >= 0 and summing to exactly 100, else an error keyed ``field``."""
    buyer_share, supplier_share = Decimal(buyer), Decimal(supplier)
    if not (buyer_share.is_finite() and supplier_share.is_finite()):
        raise AgreementTermsError({field: [_(RATIO_FORMAT_MESSAGE)]})
    if buyer_share < 0 or supplier_share < 0:
        raise AgreementTermsError({field: [_("Ratio shares cannot be negative.")]})
    total = buyer_share + supplier_share
    if total != RATIO_TOTAL:
        raise AgreementTermsError(
            {
                field: [
                    _("Ratio shares must add up to 100 (they add up to %(total)s).")
                    % {"total": _plain(total)}
                ]
            }
        )
    return SharingRatio(buyer=buyer_share, supplier=supplier_share)


def parse_ratio(text: str, field: str = "ratio") -> SharingRatio:
    """Parse "buyer:supplier" such as "60:40" (spaces allowed), then apply ``make_ratio``."""
    parts = text.split(":")
    if len(parts) != 2:
        raise AgreementTermsError({field: [_(RATIO_FORMAT_MESSAGE)]})
    try:
        buyer, supplier = (Decimal(part.strip()) for part in parts)
    except InvalidOperation:
        raise AgreementTermsError({field: [_(RATIO_FORMAT_MESSAGE)]}) from None
    return make_ratio(buyer, supplier, field)


def validate_dates(start_date: date, end_date: date, notice_period_days: int = 0) -> None:
    """End date must not be before the start date; the notice period must not be negative."""
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    if notice_period_days < 0:
        errors["notice_period_days"] = [_("The notice period cannot be negative.")]
    if errors:
        raise AgreementTermsError(errors)


def parse_ratio_fields(texts: Mapping[str, str | None]) -> dict[str, Decimal | None]:
    """Turn ``{"gain_share": "60:40"}`` into the stored shares ``{"gain_share_buyer": 60,
    "gain_share_supplier": 40}``; blank text clears a ratio (both shares None).

    Only the names of RATIO_FIELDS present in ``texts`` are read. Every bad ratio is
    reported at once, keyed by its name.
    """
    shares: dict[str, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for name in RATIO_FIELDS:
        if name not in texts:
            continue
        text = (texts[name] or "").strip()
        if not text:
            shares[f"{name}_buyer"] = shares[f"{name}_supplier"] = None
            continue
        try:
            ratio = parse_ratio(text, name)
        except AgreementTermsError as exc:
            errors.update(exc.errors)
            continue
        shares[f"{name}_buyer"], shares[f"{name}_supplier"] = ratio.buyer, ratio.supplier
    if errors:
        raise AgreementTermsError(errors)
    return shares


def validate_agreement(
    start_date: date | None,
    end_date: date | None,
    notice_period_days: int | None,
    *,
    auto_renewal: bool,
    term_years: int | None,
) -> None:
    """An agreement's dates (when both are given) and renewal: an auto-renewing agreement
    needs a term in years. Missing dates are the model's to report."""
    errors: dict[str, list[str]] = {}
    if start_date and end_date:
        try:
            validate_dates(start_date, end_date, notice_period_days or 0)
        except AgreementTermsError as exc:
            errors.update(exc.errors)
    if auto_renewal and not term_years:
        errors.setdefault("term_years", []).append(
            _("An auto-renewing agreement needs a term in years.")
        )
    if errors:
        raise AgreementTermsError(errors)


def notice_deadline(end_date: date, notice_period_days: int) -> date:
    """Last day to give notice = end date - notice period in days."""
    if notice_period_days < 0:
        raise AgreementTermsError(
            {"notice_period_days": [_("The notice period cannot be negative.")]}
        )
    return end_date - timedelta(days=notice_period_days)


def upcoming_reminders(
    terms: AgreementTerms, today: date, window_days: int = DEFAULT_REMINDER_WINDOW_DAYS
) -> tuple[Reminder, ...]:
    """Notice deadline and expiry falling within ``window_days`` (default 60) of today.

    Due when 0 <= days left <= window; earliest first. No notice reminder when the notice
    period is 0 days, since it would duplicate the expiry.
    """
    if window_days < 0:
        raise AgreementTermsError({"window_days": [_("The reminder window cannot be negative.")]})
    candidates: list[tuple[ReminderKind, date]] = []
    if terms.notice_period_days > 0:
        candidates.append((ReminderKind.NOTICE_DEADLINE, terms.notice_deadline))
    candidates.append((ReminderKind.EXPIRY, terms.end_date))
    reminders = [
        Reminder(kind=kind, date=when, days_left=(when - today).days)
        for kind, when in candidates
        if 0 <= (when - today).days <= window_days
    ]
    return tuple(sorted(reminders, key=lambda reminder: reminder.date))


def renewed_end_date(end_date: date, term_years: int) -> date:
    """End date after one auto-renewal: ``term_years`` later, 29 Feb -> 28 Feb if needed."""
    if term_years < 1:
        raise AgreementTermsError(
            {"renewal_term_years": [_("The renewal term must be at least 1 year.")]}
        )
    return _add_years(end_date, term_years)


def current_end_date(end_date: date, term_years: int, today: date) -> date:
    """For an auto-renewing agreement, the first end date on or after today.

    Renewals are counted from the original end date (end + k x term years), not chained,
    so a 29 February anniversary is kept in leap years.
    """
    renewals = 0
    current = end_date
    while current < today:
        renewals += 1
        current = renewed_end_date(end_date, term_years * renewals)
    return current


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        # Only 29 February can fail: the target year is not a leap year.
        return day.replace(year=day.year + years, day=28)


def _plain(value: Decimal) -> str:
    # normalize() drops trailing zeros (60.0 -> 60); "f" avoids exponent form (1E+2).
    return format(value.normalize(), "f")

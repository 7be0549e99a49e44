"""Value and ROI of a partnership (SPEC 3.10): pure rules over dated entries.

Investments (meeting time, travel, workshops, shared technology, dedicated staff, other) and
value (cost savings, avoided costs, co-innovation revenue, TCO reduction, other), all in the
reporting currency. No Django, no database: the same rules serve the partner page, the API
and the executive dashboard's tests.

- ROI % = (total value - total investment) / total investment x 100, one decimal half up;
  none when nothing is invested.
- Months run from the month of the first entry to the later of the last entry's month and the
  current month, empty months included.
- Payback month = the first month whose cumulative value ≥ cumulative investment, with
  cumulative investment > 0.
- Not paid back, and the current month at least 18 months after the first investment's
  month → flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

CENT = Decimal("0.01")
PERCENT_QUANTUM = Decimal("0.1")
NOT_PAID_BACK_AFTER_MONTHS = 18


class EntryKind(StrEnum):
    INVESTMENT = "investment"
    VALUE = "value"


INVESTMENT_CATEGORIES: dict[str, StrOrPromise] = {
    "meeting_time": gettext_lazy("Time in meetings"),
    "travel": gettext_lazy("Travel"),
    "workshops": gettext_lazy("Workshops"),
    "shared_technology": gettext_lazy("Shared technology"),
    "dedicated_staff": gettext_lazy("Dedicated staff"),
    "other": gettext_lazy("Other"),
}
VALUE_CATEGORIES: dict[str, StrOrPromise] = {
    "cost_savings": gettext_lazy("Cost savings"),
    "avoided_costs": gettext_lazy("Avoided costs"),
    "co_innovation_revenue": gettext_lazy("Revenue from co-innovation"),
    "tco_reduction": gettext_lazy("TCO reduction"),
    "other": gettext_lazy("Other"),
}
CATEGORIES: dict[str, dict[str, StrOrPromise]] = {
    EntryKind.INVESTMENT: INVESTMENT_CATEGORIES,
    EntryKind.VALUE: VALUE_CATEGORIES,
}


def category_errors(kind: str, category: str, amount: Decimal) -> dict[str, list[str]]:
    """Field errors of an entry's kind, category and amount (empty when all are valid)."""
    errors: dict[str, list[str]] = {}
    if kind not in CATEGORIES:
        errors["kind"] = [_("Choose investment or value.")]
    elif category not in CATEGORIES[kind]:
        allowed = ", ".join(CATEGORIES[kind])
        message = (
            _("An investment is one of: %(allowed)s.")
            if kind == EntryKind.INVESTMENT
            else _("A value is one of: %(allowed)s.")
        )
        errors["category"] = [message % {"allowed": allowed}]
    if amount <= 0:
        errors["amount"] = [_("Enter an amount greater than zero.")]
    return errors


@dataclass(frozen=True)
class Entry:
    kind: str
    amount: Decimal
    occurred_on: date


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    invested: Decimal
    value: Decimal
    cumulative_invested: Decimal
    cumulative_value: Decimal

    @property
    def label(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"

    @property
    def cumulative_net(self) -> Decimal:
        return self.cumulative_value - self.cumulative_invested


@dataclass(frozen=True)
class ValueSummary:
    invested: Decimal
    value: Decimal
    roi_percent: Decimal | None
    payback_month: date | None
    not_paid_back: bool
    months: tuple[MonthFigures, ...]

    @property
    def net(self) -> Decimal:
        return self.value - self.invested

    @property
    def payback_label(self) -> str | None:
        if self.payback_month is None:
            return None
        return f"{self.payback_month.year:04d}-{self.payback_month.month:02d}"


def month_index(day: date) -> int:
    """Months since year 0, so two dates' month distance is a subtraction."""
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def roi_percent(invested: Decimal, value: Decimal) -> Decimal | None:
    """(value - invested) / invested x 100, one decimal half up; None when nothing is invested."""
    if invested <= 0:
        return None
    return ((value - invested) / invested * 100).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def value_summary(entries: Iterable[Entry], *, today: date) -> ValueSummary:
    """Totals, ROI, month-by-month cumulative figures, payback month and the 18-month flag."""
    rows = list(entries)
    zero = Decimal("0.00")
    if not rows:
        return ValueSummary(zero, zero, None, None, False, ())
    invested_by_month: dict[int, Decimal] = {}
    value_by_month: dict[int, Decimal] = {}
    for entry in rows:
        target = invested_by_month if entry.kind == EntryKind.INVESTMENT else value_by_month
        index = month_index(entry.occurred_on)
        target[index] = target.get(index, zero) + entry.amount
    indexes = [month_index(entry.occurred_on) for entry in rows]
    first, last = min(indexes), max(max(indexes), month_index(today))
    months: list[MonthFigures] = []
    cumulative_invested = cumulative_value = zero
    payback: date | None = None
    for index in range(first, last + 1):
        invested = invested_by_month.get(index, zero)
        value = value_by_month.get(index, zero)
        cumulative_invested += invested
        cumulative_value += value
        figures = MonthFigures(
            _month_start(index), invested, value, cumulative_invested, cumulative_value
        )
        months.append(figures)
        if payback is None and cumulative_invested > 0 and cumulative_value >= cumulative_invested:
            payback = figures.month
    investment_months = list(invested_by_month)
    flag = (
        payback is None
        and bool(investment_months)
        and month_index(today) - min(investment_months) >= NOT_PAID_BACK_AFTER_MONTHS
    )
    return ValueSummary(
        invested=cumulative_invested,
        value=cumulative_value,
        roi_percent=roi_percent(cumulative_invested, cumulative_value),
        payback_month=payback,
        not_paid_back=flag,
        months=tuple(months),
    )

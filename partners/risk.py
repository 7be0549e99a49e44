"""Dependency risk (SPEC 1.7) and cost discipline (SPEC 1.8) rules.

Each check is a pure function returning a ``RiskFlag`` or None, so callers evaluate only
the checks they have data for and combine them with ``collect_flags``.

Percentages (shares and premiums) are rounded half-up to 2 decimals and thresholds are
compared against that rounded value, so a flag always agrees with the number shown in
its message. Thresholds are exclusive: a value exactly at the threshold is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrPromise

from partners.kraljic import EngagementModel, RuleValidationError


class RiskValidationError(RuleValidationError):
    """Invalid risk or cost input (spend, revenue, price, period)."""


class FlagCode(StrEnum):
    SINGLE_SOURCE_CRITICAL = "single_source_critical"
    SPEND_CONCENTRATION = "spend_concentration"
    NO_EXIT_CLAUSE = "no_exit_clause"
    REVERSE_DEPENDENCY = "reverse_dependency"
    UNJUSTIFIED_PREMIUM = "unjustified_premium"

    @property
    def label(self) -> str:
        return str(FLAG_CODE_LABELS[self])


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return str(SEVERITY_LABELS[self])


class ExitElement(StrEnum):
    EXIT_CLAUSE = "exit_clause"
    TRANSITION_PERIOD = "transition_period"
    ALTERNATIVE_SOURCE = "alternative_source"

    @property
    def label(self) -> str:
        return str(EXIT_ELEMENT_LABELS[self])


FLAG_CODE_LABELS: Final[Mapping[FlagCode, StrPromise]] = {
    FlagCode.SINGLE_SOURCE_CRITICAL: gettext_lazy("Single source for a critical item"),
    FlagCode.SPEND_CONCENTRATION: gettext_lazy("High share of category spend"),
    FlagCode.NO_EXIT_CLAUSE: gettext_lazy("Strategic partnership without exit clause"),
    FlagCode.REVERSE_DEPENDENCY: gettext_lazy("Partner depends on our revenue"),
    FlagCode.UNJUSTIFIED_PREMIUM: gettext_lazy("Unjustified price premium"),
}

SEVERITY_LABELS: Final[Mapping[Severity, StrPromise]] = {
    Severity.LOW: gettext_lazy("Low"),
    Severity.MEDIUM: gettext_lazy("Medium"),
    Severity.HIGH: gettext_lazy("High"),
}

EXIT_ELEMENT_LABELS: Final[Mapping[ExitElement, StrPromise]] = {
    ExitElement.EXIT_CLAUSE: gettext_lazy("Exit clause"),
    ExitElement.TRANSITION_PERIOD: gettext_lazy("Transition period"),
    ExitElement.ALTERNATIVE_SOURCE: gettext_lazy("Named alternative source"),
}

# A flag's message per code, filled from the flag's params when it is shown, so each user
# reads it in their own language and number format (see ``flag_text``).
FLAG_MESSAGES: Final[Mapping[FlagCode, str]] = {
    FlagCode.SINGLE_SOURCE_CRITICAL: gettext_noop(
        "Critical item '%(item)s' is single-sourced: 1 qualified source, "
        "no qualified second source."
    ),
    FlagCode.SPEND_CONCENTRATION: gettext_noop(
        "Partner holds %(share)s%% of category spend (%(spend)s of %(total)s), "
        "above the %(threshold)s%% threshold."
    ),
    FlagCode.NO_EXIT_CLAUSE: gettext_noop("%(model)s has no exit clause."),
    FlagCode.REVERSE_DEPENDENCY: gettext_noop(
        "We account for %(share)s%% of the partner's revenue (%(spend)s of %(revenue)s), "
        "above the %(threshold)s%% threshold."
    ),
    FlagCode.UNJUSTIFIED_PREMIUM: gettext_noop(
        "Price %(price)s is %(premium)s%% above the market price %(market)s "
        "(tolerance %(tolerance)s%%) with no recorded justification."
    ),
}
_PLAIN_NUMBERS: Final = ("share", "threshold", "premium", "tolerance", "price", "market")
_WHOLE_AMOUNTS: Final = ("spend", "total", "revenue")

_SEVERITY_ORDER: Final[Mapping[Severity, int]] = {
    Severity.HIGH: 0,
    Severity.MEDIUM: 1,
    Severity.LOW: 2,
}

# The two flags that can stop supply outright are high; the others erode our position
# (bargaining power, price) or the partner's resilience and are medium.
FLAG_SEVERITY: Final[Mapping[FlagCode, Severity]] = {
    FlagCode.SINGLE_SOURCE_CRITICAL: Severity.HIGH,
    FlagCode.NO_EXIT_CLAUSE: Severity.HIGH,
    FlagCode.SPEND_CONCENTRATION: Severity.MEDIUM,
    FlagCode.REVERSE_DEPENDENCY: Severity.MEDIUM,
    FlagCode.UNJUSTIFIED_PREMIUM: Severity.MEDIUM,
}

SPEND_SHARE_THRESHOLD: Final = Decimal(70)
# Above ~30 % of its revenue coming from us, the partner's survival hinges on our orders:
# a volume cut or exit could push it into distress (supply failure for us) and it loses
# the independence to say no or to invest on its own. Common procurement guidance puts
# customer-concentration concern at 25-35 %; 30 % is the middle of that range.
REVERSE_DEPENDENCY_THRESHOLD: Final = Decimal(30)
PREMIUM_TOLERANCE: Final = Decimal(5)
PERCENT_PLACES: Final = Decimal("0.01")

STRATEGIC_MODELS: Final = frozenset(
    {EngagementModel.STRATEGIC_PARTNERSHIP, EngagementModel.JOINT_VENTURE}
)


@dataclass(frozen=True)
class RiskFlag:
    """``message`` is the English text (stored for the API and exports); ``params`` fill
    ``FLAG_MESSAGES[code]`` again in the reader's language (``flag_text``)."""

    code: FlagCode
    severity: Severity
    message: str
    params: Mapping[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ExitReadiness:
    """``missing`` lists absent elements in the order clause, transition, alternative."""

    missing: tuple[ExitElement, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


def share_percent(part: Decimal, total: Decimal, *, part_key: str, total_key: str) -> Decimal:
    """part / total x 100, rounded half-up to 2 decimals; total > 0 and 0 <= part <= total."""
    errors: dict[str, list[str]] = {}
    if not total > 0:
        errors[total_key] = [_("Must be greater than 0.")]
    if part < 0:
        errors[part_key] = [_("Cannot be negative.")]
    elif total > 0 and part > total:
        errors[part_key] = [_("Cannot exceed the total.")]
    if errors:
        raise RiskValidationError(errors)
    return _percent(part / total * 100)


def spend_share(partner_spend: Decimal, category_spend: Decimal) -> Decimal:
    """Partner's share of category spend in percent: partner spend / category spend x 100."""
    return share_percent(
        partner_spend, category_spend, part_key="partner_spend", total_key="category_spend"
    )


def single_source_flag(
    item: str, is_critical: bool, qualified_second_sources: int
) -> RiskFlag | None:
    """Flag a critical item that has no qualified second source besides this partner."""
    if qualified_second_sources < 0:
        raise RiskValidationError({"qualified_second_sources": [_("Cannot be negative.")]})
    if not is_critical or qualified_second_sources > 0:
        return None
    return _flag(FlagCode.SINGLE_SOURCE_CRITICAL, item=item)


def spend_concentration_flag(
    partner_spend: Decimal,
    category_spend: Decimal,
    threshold: Decimal = SPEND_SHARE_THRESHOLD,
) -> RiskFlag | None:
    """Flag a partner whose share of category spend is above the threshold (default 70 %)."""
    share = spend_share(partner_spend, category_spend)
    if share <= threshold:
        return None
    return _flag(
        FlagCode.SPEND_CONCENTRATION,
        share=share,
        spend=partner_spend,
        total=category_spend,
        threshold=threshold,
    )


def exit_clause_flag(engagement_model: EngagementModel, has_exit_clause: bool) -> RiskFlag | None:
    """Flag a strategic partnership or joint venture that has no exit clause."""
    if engagement_model not in STRATEGIC_MODELS or has_exit_clause:
        return None
    return _flag(FlagCode.NO_EXIT_CLAUSE, model=engagement_model.value)


def reverse_dependency_flag(
    our_spend: Decimal,
    partner_revenue: Decimal,
    threshold: Decimal = REVERSE_DEPENDENCY_THRESHOLD,
) -> RiskFlag | None:
    """Flag when our spend is above the threshold share (default 30 %) of partner revenue."""
    share = share_percent(
        our_spend, partner_revenue, part_key="our_spend", total_key="partner_revenue"
    )
    if share <= threshold:
        return None
    return _flag(
        FlagCode.REVERSE_DEPENDENCY,
        share=share,
        spend=our_spend,
        revenue=partner_revenue,
        threshold=threshold,
    )


def exit_readiness(
    has_exit_clause: bool,
    transition_period_months: int | None,
    alternative_source: str | None,
) -> ExitReadiness:
    """Exit-ready = exit clause + transition period of more than 0 months + a named alternative.

    A blank alternative-source name counts as missing.
    """
    if transition_period_months is not None and transition_period_months < 0:
        raise RiskValidationError({"transition_period_months": [_("Cannot be negative.")]})
    missing: list[ExitElement] = []
    if not has_exit_clause:
        missing.append(ExitElement.EXIT_CLAUSE)
    if not transition_period_months:
        missing.append(ExitElement.TRANSITION_PERIOD)
    if alternative_source is None or not alternative_source.strip():
        missing.append(ExitElement.ALTERNATIVE_SOURCE)
    return ExitReadiness(missing=tuple(missing))


def price_premium(partner_price: Decimal, market_price: Decimal) -> Decimal:
    """Premium in percent = (partner price - market price) / market price x 100.

    Market price must be > 0 and partner price >= 0; a negative premium is a discount.
    Rounded half-up to 2 decimals.
    """
    errors: dict[str, list[str]] = {}
    if not market_price > 0:
        errors["market_price"] = [_("Market price must be greater than 0.")]
    if partner_price < 0:
        errors["partner_price"] = [_("Price cannot be negative.")]
    if errors:
        raise RiskValidationError(errors)
    return _percent((partner_price - market_price) / market_price * 100)


def premium_flag(
    partner_price: Decimal,
    market_price: Decimal,
    justification: str = "",
    tolerance: Decimal = PREMIUM_TOLERANCE,
) -> RiskFlag | None:
    """Flag a premium above tolerance (default 5 %) that has no recorded justification."""
    premium = price_premium(partner_price, market_price)
    if premium <= tolerance or justification.strip():
        return None
    return _flag(
        FlagCode.UNJUSTIFIED_PREMIUM,
        price=partner_price,
        premium=premium,
        market=market_price,
        tolerance=tolerance,
    )


def collect_flags(flags: Iterable[RiskFlag | None]) -> tuple[RiskFlag, ...]:
    """Drop the checks that did not fire; most severe first, otherwise in input order."""
    raised = [flag for flag in flags if flag is not None]
    return tuple(sorted(raised, key=lambda flag: _SEVERITY_ORDER[flag.severity]))


def whole_amount(amount: Decimal) -> Decimal:
    """Drop ".00" from whole amounts so flag messages read 182000000, not 182000000.00."""
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def price_in_cents(price: Decimal) -> Decimal:
    """Show a 4-place price with 2 places when that loses nothing (54.5000 -> 54.50)."""
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price


def flags_snapshot(flags: Iterable[RiskFlag]) -> list[dict[str, Any]]:
    """Flags as a partner stores them (``Partner.risk_flags``): the English message, and
    the params that show it in another language (``stored_flag_message``)."""
    return [
        {
            "code": f.code.value,
            "severity": f.severity.value,
            "message": f.message,
            **({"params": dict(f.params)} if f.params else {}),
        }
        for f in flags
    ]


def flag_text(code: FlagCode, params: Mapping[str, str]) -> str:
    """The message of a flag in the active language, numbers formatted for it. A ``category``
    param (the spend category of a concentration flag) goes in front."""
    values: dict[str, str] = dict(params)
    for key in _PLAIN_NUMBERS:
        if key in values:
            values[key] = number_format(Decimal(values[key]))
    for key in _WHOLE_AMOUNTS:
        if key in values:
            whole = Decimal(values[key]).quantize(Decimal(1))
            values[key] = number_format(whole, decimal_pos=0, force_grouping=True)
    if "model" in values:
        values["model"] = EngagementModel(values["model"]).label
    text = _(FLAG_MESSAGES[code]) % values
    category = params.get("category")
    return f"{category}: {text}" if category else text


def stored_flag_message(flag: Mapping[str, Any]) -> str:
    """A stored flag (``Partner.risk_flags``) as the user reads it: rebuilt in the active
    language from its params; flags stored without params keep their English message."""
    params = flag.get("params")
    if isinstance(params, Mapping):
        try:
            return flag_text(FlagCode(flag["code"]), params)
        except (KeyError, ValueError, TypeError, InvalidOperation):
            pass
    return str(flag.get("message", ""))


def _flag(code: FlagCode, **params: object) -> RiskFlag:
    values = {key: str(value) for key, value in params.items()}
    with translation.override("en"):
        message = flag_text(code, values)
    return RiskFlag(code=code, severity=FLAG_SEVERITY[code], message=message, params=values)


def _percent(value: Decimal) -> Decimal:
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)

"""Dependency risk (SPEC 1.7) and cost discipline (SPEC 1.8); expectations computed by hand."""

from decimal import Decimal

import pytest

from partners.kraljic import EngagementModel
from partners.risk import (
    PREMIUM_TOLERANCE,
    REVERSE_DEPENDENCY_THRESHOLD,
    SPEND_SHARE_THRESHOLD,
    ExitElement,
    FlagCode,
    RiskFlag,
    RiskValidationError,
    Severity,
    collect_flags,
    exit_clause_flag,
    exit_readiness,
    flags_snapshot,
    premium_flag,
    price_in_cents,
    price_premium,
    reverse_dependency_flag,
    single_source_flag,
    spend_concentration_flag,
    spend_share,
    whole_amount,
)

D = Decimal


def test_defaults_and_enums() -> None:
    assert D(70) == SPEND_SHARE_THRESHOLD
    assert D(30) == REVERSE_DEPENDENCY_THRESHOLD
    assert D(5) == PREMIUM_TOLERANCE
    assert [c.value for c in FlagCode] == [
        "single_source_critical",
        "spend_concentration",
        "no_exit_clause",
        "reverse_dependency",
        "unjustified_premium",
    ]
    assert [s.value for s in Severity] == ["low", "medium", "high"]
    assert ExitElement.ALTERNATIVE_SOURCE.label == "Named alternative source"
    assert FlagCode.NO_EXIT_CLAUSE.label == "Strategic partnership without exit clause"


@pytest.mark.parametrize(
    ("partner", "total", "expected"),
    [
        ("725", "1000", D("72.50")),
        ("1", "3", D("33.33")),
        ("2", "3", D("66.67")),
        ("0", "500", D("0.00")),
        ("500", "500", D("100.00")),
    ],
)
def test_spend_share(partner: str, total: str, expected: Decimal) -> None:
    assert spend_share(D(partner), D(total)) == expected


@pytest.mark.parametrize(
    ("partner", "total", "expected_errors"),
    [
        ("10", "0", {"category_spend": ["Must be greater than 0."]}),
        ("10", "-5", {"category_spend": ["Must be greater than 0."]}),
        ("-1", "100", {"partner_spend": ["Cannot be negative."]}),
        ("101", "100", {"partner_spend": ["Cannot exceed the total."]}),
    ],
)
def test_spend_share_invalid(
    partner: str, total: str, expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(RiskValidationError) as excinfo:
        spend_share(D(partner), D(total))
    assert excinfo.value.errors == expected_errors


@pytest.mark.parametrize(
    ("partner", "flagged"),
    [
        ("700", False),  # exactly 70 % is not above
        ("700.04", False),  # 70.004 % rounds to 70.00
        ("700.05", True),  # 70.005 % rounds to 70.01
        ("701", True),
        ("100", False),
    ],
)
def test_spend_concentration_threshold(partner: str, flagged: bool) -> None:
    flag = spend_concentration_flag(D(partner), D(1000))
    assert (flag is not None) is flagged


def test_spend_concentration_flag_message() -> None:
    assert spend_concentration_flag(D(725), D(1000)) == RiskFlag(
        FlagCode.SPEND_CONCENTRATION,
        Severity.MEDIUM,
        "Partner holds 72.50% of category spend (725 of 1,000), above the 70% threshold.",
    )


def test_spend_concentration_custom_threshold() -> None:
    assert spend_concentration_flag(D(500), D(1000), threshold=D(50)) is None
    flag = spend_concentration_flag(D(510), D(1000), threshold=D(50))
    assert flag is not None
    assert flag.message.endswith("above the 50% threshold.")


@pytest.mark.parametrize(
    ("critical", "second_sources", "flagged"),
    [(True, 0, True), (True, 1, False), (True, 3, False), (False, 0, False)],
)
def test_single_source_flag(critical: bool, second_sources: int, flagged: bool) -> None:
    flag = single_source_flag("Titanium housing", critical, second_sources)
    if flagged:
        assert flag == RiskFlag(
            FlagCode.SINGLE_SOURCE_CRITICAL,
            Severity.HIGH,
            "Critical item 'Titanium housing' is single-sourced: 1 qualified source, "
            "no qualified second source.",
        )
    else:
        assert flag is None


def test_single_source_negative_count() -> None:
    with pytest.raises(RiskValidationError) as excinfo:
        single_source_flag("x", True, -1)
    assert excinfo.value.errors == {"qualified_second_sources": ["Cannot be negative."]}


@pytest.mark.parametrize(
    ("model", "has_clause", "flagged"),
    [
        (EngagementModel.STRATEGIC_PARTNERSHIP, False, True),
        (EngagementModel.JOINT_VENTURE, False, True),
        (EngagementModel.STRATEGIC_PARTNERSHIP, True, False),
        (EngagementModel.JOINT_VENTURE, True, False),
        (EngagementModel.PREFERRED_SUPPLIER, False, False),
        (EngagementModel.TRANSACTIONAL, False, False),
    ],
)
def test_exit_clause_flag(model: EngagementModel, has_clause: bool, flagged: bool) -> None:
    flag = exit_clause_flag(model, has_clause)
    assert (flag is not None) is flagged
    if flag is not None:
        assert flag.code is FlagCode.NO_EXIT_CLAUSE
        assert flag.severity is Severity.HIGH


def test_exit_clause_flag_message() -> None:
    flag = exit_clause_flag(EngagementModel.JOINT_VENTURE, False)
    assert flag is not None
    assert flag.message == "Joint venture / equity has no exit clause."


@pytest.mark.parametrize(
    ("our_spend", "flagged"),
    [("300", False), ("300.04", False), ("301", True), ("1000", True), ("0", False)],
)
def test_reverse_dependency_threshold(our_spend: str, flagged: bool) -> None:
    assert (reverse_dependency_flag(D(our_spend), D(1000)) is not None) is flagged


def test_reverse_dependency_message() -> None:
    assert reverse_dependency_flag(D(450), D(1200)) == RiskFlag(
        FlagCode.REVERSE_DEPENDENCY,
        Severity.MEDIUM,
        "We account for 37.50% of the partner's revenue (450 of 1,200), above the 30% threshold.",
    )


def test_reverse_dependency_invalid_revenue() -> None:
    with pytest.raises(RiskValidationError) as excinfo:
        reverse_dependency_flag(D(10), D(0))
    assert excinfo.value.errors == {"partner_revenue": ["Must be greater than 0."]}


@pytest.mark.parametrize(
    ("clause", "months", "alternative", "missing"),
    [
        (True, 6, "Acme GmbH", ()),
        (False, 6, "Acme GmbH", (ExitElement.EXIT_CLAUSE,)),
        (True, 0, "Acme GmbH", (ExitElement.TRANSITION_PERIOD,)),
        (True, None, "Acme GmbH", (ExitElement.TRANSITION_PERIOD,)),
        (True, 1, "", (ExitElement.ALTERNATIVE_SOURCE,)),
        (True, 1, "   ", (ExitElement.ALTERNATIVE_SOURCE,)),
        (True, 1, None, (ExitElement.ALTERNATIVE_SOURCE,)),
        (
            False,
            None,
            None,
            (
                ExitElement.EXIT_CLAUSE,
                ExitElement.TRANSITION_PERIOD,
                ExitElement.ALTERNATIVE_SOURCE,
            ),
        ),
    ],
)
def test_exit_readiness(
    clause: bool, months: int | None, alternative: str | None, missing: tuple[ExitElement, ...]
) -> None:
    result = exit_readiness(clause, months, alternative)
    assert result.missing == missing
    assert result.ready is (missing == ())


def test_exit_readiness_negative_transition() -> None:
    with pytest.raises(RiskValidationError) as excinfo:
        exit_readiness(True, -3, "Acme")
    assert excinfo.value.errors == {"transition_period_months": ["Cannot be negative."]}


@pytest.mark.parametrize(
    ("partner", "market", "expected"),
    [
        ("105", "100", D("5.00")),
        ("110", "100", D("10.00")),
        ("95", "100", D("-5.00")),
        ("100", "100", D("0.00")),
        ("3.5", "3", D("16.67")),
        ("0", "40", D("-100.00")),
    ],
)
def test_price_premium(partner: str, market: str, expected: Decimal) -> None:
    assert price_premium(D(partner), D(market)) == expected


@pytest.mark.parametrize(
    ("partner", "market", "expected_errors"),
    [
        ("10", "0", {"market_price": ["Market price must be greater than 0."]}),
        ("10", "-1", {"market_price": ["Market price must be greater than 0."]}),
        ("-1", "10", {"partner_price": ["Price cannot be negative."]}),
    ],
)
def test_price_premium_invalid(
    partner: str, market: str, expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(RiskValidationError) as excinfo:
        price_premium(D(partner), D(market))
    assert excinfo.value.errors == expected_errors


@pytest.mark.parametrize(
    ("partner", "justification", "flagged"),
    [
        ("105", "", False),  # exactly 5 % is not above
        ("105.004", "", False),  # 5.004 % rounds to 5.00
        ("105.01", "", True),
        ("120", "", True),
        ("120", "   ", True),
        ("120", "Includes on-site calibration service.", False),
        ("90", "", False),
    ],
)
def test_premium_flag(partner: str, justification: str, flagged: bool) -> None:
    flag = premium_flag(D(partner), D(100), justification)
    assert (flag is not None) is flagged


def test_premium_flag_message_and_custom_tolerance() -> None:
    assert premium_flag(D("112.50"), D(100), tolerance=D(10)) == RiskFlag(
        FlagCode.UNJUSTIFIED_PREMIUM,
        Severity.MEDIUM,
        "Price 112.50 is 12.50% above the market price 100 (tolerance 10%) "
        "with no recorded justification.",
    )
    assert premium_flag(D(110), D(100), tolerance=D(10)) is None


def test_collect_flags_orders_by_severity() -> None:
    medium = spend_concentration_flag(D(800), D(1000))
    high = exit_clause_flag(EngagementModel.STRATEGIC_PARTNERSHIP, False)
    flags = collect_flags([medium, None, high, premium_flag(D(100), D(100))])
    assert [f.code for f in flags] == [FlagCode.NO_EXIT_CLAUSE, FlagCode.SPEND_CONCENTRATION]
    assert collect_flags([None, None]) == ()


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("182000000.00", "182000000"), ("70.01", "70.01"), ("0.00", "0")],
)
def test_whole_amounts_lose_their_cents_in_flag_messages(amount: str, shown: str) -> None:
    assert str(whole_amount(Decimal(amount))) == shown


@pytest.mark.parametrize(
    ("price", "shown"), [("54.5000", "54.50"), ("54.1234", "54.1234"), ("1", "1.00")]
)
def test_prices_show_cents_unless_that_loses_digits(price: str, shown: str) -> None:
    assert str(price_in_cents(Decimal(price))) == shown


def test_flags_are_stored_as_code_severity_message_and_params() -> None:
    flag = single_source_flag("Magnet", True, 0)
    assert flag is not None
    assert flags_snapshot([flag]) == [
        {
            "code": flag.code.value,
            "severity": flag.severity.value,
            "message": flag.message,
            # The params show the message again in each reader's language.
            "params": {"item": "Magnet"},
        }
    ]

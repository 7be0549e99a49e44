"""Agreement terms (SPEC 1.6); expectations computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from partners.agreement_terms import (
    DEFAULT_REMINDER_WINDOW_DAYS,
    AgreementTerms,
    AgreementTermsError,
    Reminder,
    ReminderKind,
    current_end_date,
    make_ratio,
    notice_deadline,
    parse_ratio,
    parse_ratio_fields,
    renewed_end_date,
    upcoming_reminders,
    validate_agreement,
    validate_dates,
)
from partners.kraljic import RuleValidationError

D = Decimal
FORMAT_ERROR = "Enter the ratio as buyer:supplier, for example 60:40."
NOTICE = ReminderKind.NOTICE_DEADLINE
EXPIRY = ReminderKind.EXPIRY


@pytest.mark.parametrize(
    ("text", "buyer", "supplier", "shown"),
    [
        ("60:40", D(60), D(40), "60:40"),
        (" 60 : 40 ", D(60), D(40), "60:40"),
        ("100:0", D(100), D(0), "100:0"),
        ("0:100", D(0), D(100), "0:100"),
        ("62.5:37.5", D("62.5"), D("37.5"), "62.5:37.5"),
        ("50.0:50.0", D(50), D(50), "50:50"),
    ],
)
def test_parse_valid_ratio(text: str, buyer: Decimal, supplier: Decimal, shown: str) -> None:
    ratio = parse_ratio(text)
    assert (ratio.buyer, ratio.supplier) == (buyer, supplier)
    assert str(ratio) == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("60:30", "Ratio shares must add up to 100 (they add up to 90)."),
        ("70:40", "Ratio shares must add up to 100 (they add up to 110)."),
        ("60.5:30", "Ratio shares must add up to 100 (they add up to 90.5)."),
        ("0:0", "Ratio shares must add up to 100 (they add up to 0)."),
        ("-10:110", "Ratio shares cannot be negative."),
        ("110:-10", "Ratio shares cannot be negative."),
        ("60", FORMAT_ERROR),
        ("60/40", FORMAT_ERROR),
        ("60:40:0", FORMAT_ERROR),
        ("a:b", FORMAT_ERROR),
        (":", FORMAT_ERROR),
        ("", FORMAT_ERROR),
        ("NaN:100", FORMAT_ERROR),
        ("Infinity:0", FORMAT_ERROR),
    ],
)
def test_parse_invalid_ratio(text: str, message: str) -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        parse_ratio(text)
    assert excinfo.value.errors == {"ratio": [message]}
    assert isinstance(excinfo.value, RuleValidationError)


@pytest.mark.parametrize(
    ("buyer", "supplier"),
    [(60, 40), (D("33.3"), D("66.7")), (0, 100)],
)
def test_make_ratio_from_numbers(buyer: Decimal | int, supplier: Decimal | int) -> None:
    ratio = make_ratio(buyer, supplier)
    assert ratio.buyer + ratio.supplier == D(100)


@pytest.mark.parametrize(
    ("buyer", "supplier", "message"),
    [
        (60, 30, "Ratio shares must add up to 100 (they add up to 90)."),
        (-1, 101, "Ratio shares cannot be negative."),
        (D("33.3"), D("66.6"), "Ratio shares must add up to 100 (they add up to 99.9)."),
    ],
)
def test_make_ratio_invalid(buyer: Decimal | int, supplier: Decimal | int, message: str) -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        make_ratio(buyer, supplier, field="gain_share_ratio")
    assert excinfo.value.errors == {"gain_share_ratio": [message]}


@pytest.mark.parametrize(
    ("start", "end", "notice", "expected_errors"),
    [
        (
            date(2025, 1, 1),
            date(2024, 12, 31),
            0,
            {"end_date": ["The end date cannot be before the start date."]},
        ),
        (
            date(2025, 1, 1),
            date(2025, 12, 31),
            -1,
            {"notice_period_days": ["The notice period cannot be negative."]},
        ),
    ],
)
def test_invalid_dates(
    start: date, end: date, notice: int, expected_errors: dict[str, list[str]]
) -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        validate_dates(start, end, notice)
    assert excinfo.value.errors == expected_errors
    with pytest.raises(AgreementTermsError):
        AgreementTerms(start, end, notice)


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2025, 1, 1), date(2025, 1, 1)), (date(2025, 1, 1), date(2027, 12, 31))],
)
def test_valid_dates(start: date, end: date) -> None:
    validate_dates(start, end, 30)


@pytest.mark.parametrize(
    ("end", "days", "expected"),
    [
        (date(2025, 3, 31), 90, date(2024, 12, 31)),
        (date(2024, 3, 1), 1, date(2024, 2, 29)),
        (date(2025, 3, 1), 1, date(2025, 2, 28)),
        (date(2025, 1, 15), 30, date(2024, 12, 16)),
        (date(2025, 6, 30), 0, date(2025, 6, 30)),
    ],
)
def test_notice_deadline(end: date, days: int, expected: date) -> None:
    assert notice_deadline(end, days) == expected


def test_notice_deadline_negative_period() -> None:
    with pytest.raises(AgreementTermsError):
        notice_deadline(date(2025, 6, 30), -1)


# Ends 2025-06-30 with 90 days' notice: notice deadline 2025-04-01.
TERMS = AgreementTerms(date(2024, 1, 1), date(2025, 6, 30), notice_period_days=90)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 1, 30), ()),  # deadline 61 days away
        (date(2025, 1, 31), (Reminder(NOTICE, date(2025, 4, 1), 60),)),
        (date(2025, 3, 15), (Reminder(NOTICE, date(2025, 4, 1), 17),)),
        (date(2025, 4, 1), (Reminder(NOTICE, date(2025, 4, 1), 0),)),
        (date(2025, 4, 2), ()),  # deadline passed, expiry 89 days away
        (date(2025, 5, 1), (Reminder(EXPIRY, date(2025, 6, 30), 60),)),
        (date(2025, 6, 30), (Reminder(EXPIRY, date(2025, 6, 30), 0),)),
        (date(2025, 7, 1), ()),
    ],
)
def test_upcoming_reminders(today: date, expected: tuple[Reminder, ...]) -> None:
    assert TERMS.notice_deadline == date(2025, 4, 1)
    assert upcoming_reminders(TERMS, today) == expected


def test_both_reminders_due_earliest_first() -> None:
    terms = AgreementTerms(date(2024, 1, 1), date(2025, 6, 30), notice_period_days=30)
    assert upcoming_reminders(terms, date(2025, 5, 15)) == (
        Reminder(NOTICE, date(2025, 5, 31), 16),
        Reminder(EXPIRY, date(2025, 6, 30), 46),
    )


def test_no_notice_reminder_without_notice_period() -> None:
    terms = AgreementTerms(date(2024, 1, 1), date(2025, 6, 30))
    assert upcoming_reminders(terms, date(2025, 6, 1)) == (Reminder(EXPIRY, date(2025, 6, 30), 29),)


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (30, ()),
        (31, (Reminder(EXPIRY, date(2025, 6, 30), 31),)),
    ],
)
def test_custom_reminder_window(window: int, expected: tuple[Reminder, ...]) -> None:
    assert DEFAULT_REMINDER_WINDOW_DAYS == 60
    terms = AgreementTerms(date(2024, 1, 1), date(2025, 6, 30))
    assert upcoming_reminders(terms, date(2025, 5, 30), window_days=window) == expected


def test_negative_reminder_window() -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        upcoming_reminders(TERMS, date(2025, 1, 1), window_days=-1)
    assert excinfo.value.errors == {"window_days": ["The reminder window cannot be negative."]}


@pytest.mark.parametrize(
    ("end", "years", "expected"),
    [
        (date(2025, 6, 30), 1, date(2026, 6, 30)),
        (date(2023, 12, 31), 2, date(2025, 12, 31)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 3, date(2027, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2025, 2, 28), 1, date(2026, 2, 28)),
        (date(2023, 2, 28), 1, date(2024, 2, 28)),
    ],
)
def test_renewed_end_date(end: date, years: int, expected: date) -> None:
    assert renewed_end_date(end, years) == expected


@pytest.mark.parametrize("years", [0, -1])
def test_renewal_term_must_be_positive(years: int) -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        renewed_end_date(date(2025, 6, 30), years)
    assert excinfo.value.errors == {
        "renewal_term_years": ["The renewal term must be at least 1 year."]
    }


@pytest.mark.parametrize(
    ("end", "years", "today", "expected"),
    [
        (date(2025, 6, 30), 1, date(2025, 1, 1), date(2025, 6, 30)),  # not yet expired
        (date(2025, 6, 30), 1, date(2025, 6, 30), date(2025, 6, 30)),  # last day in force
        (date(2025, 6, 30), 1, date(2025, 7, 1), date(2026, 6, 30)),
        (date(2023, 6, 30), 2, date(2024, 1, 1), date(2025, 6, 30)),
        (date(2024, 2, 29), 1, date(2025, 3, 1), date(2026, 2, 28)),
        # counted from the original date, so the leap-day anniversary comes back
        (date(2024, 2, 29), 1, date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_current_end_date(end: date, years: int, today: date, expected: date) -> None:
    assert current_end_date(end, years, today) == expected


def test_ratio_fields_become_buyer_and_supplier_shares_and_blank_clears() -> None:
    shares = parse_ratio_fields({"gain_share": "60:40", "ip_share": " ", "other": "1:1"})
    assert shares == {
        "gain_share_buyer": D(60),
        "gain_share_supplier": D(40),
        "ip_share_buyer": None,
        "ip_share_supplier": None,
    }


def test_every_bad_ratio_field_is_reported_at_once() -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        parse_ratio_fields({"gain_share": "70:40", "cost_overrun_share": "x", "ip_share": "50:50"})
    assert set(excinfo.value.errors) == {"gain_share", "cost_overrun_share"}


def test_an_agreement_ending_early_and_renewing_without_a_term_has_two_errors() -> None:
    with pytest.raises(AgreementTermsError) as excinfo:
        validate_agreement(
            date(2026, 1, 1), date(2025, 1, 1), None, auto_renewal=True, term_years=None
        )
    assert set(excinfo.value.errors) == {"end_date", "term_years"}
    validate_agreement(None, date(2025, 1, 1), 30, auto_renewal=True, term_years=1)

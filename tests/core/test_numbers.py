"""The one number parser: what grid, portal and imports accept, and what they refuse."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.numbers import NumberFormatError, decimal_separator_for, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1,5", "1.5"),
        ("1234,56", "1234.56"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234.5", "1234.5"),
        ("1'234.5", "1234.5"),
        ("-0,75", "-0.75"),
        ("+3", "3"),
        (".5", "0.5"),
        ("1.234.567", "1234567"),
        ("0,123", "0.123"),
        ("1000,000", "1000.000"),
    ],
)
def test_reads_both_conventions_where_only_one_reading_exists(text: str, expected: str) -> None:
    assert parse_decimal(text) == D(expected)


@pytest.mark.parametrize("text", ["1,234", "1.234", "12.345", "999,999"])
def test_refuses_a_value_the_two_conventions_read_differently(text: str) -> None:
    with pytest.raises(NumberFormatError, match="ambiguous"):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text", ["", "abc", "1e3", "NaN", "Infinity", "1_000", "12,34,56", "--1", "1.2.3,4,5", "1,,5"]
)
def test_refuses_what_is_not_one_number(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_decimal(text)


def test_a_given_or_preferred_separator_settles_the_ambiguity() -> None:
    assert parse_decimal("1,234", decimal_separator=",") == D("1.234")
    assert parse_decimal("1,234", decimal_separator=".") == D("1234")
    assert parse_decimal("1.234", ambiguous_as=",") == D("1234")
    assert parse_decimal("1.234", ambiguous_as=".") == D("1.234")
    # A preference only settles ambiguity: an unambiguous value reads the same either way.
    assert parse_decimal("1,5", ambiguous_as=".") == D("1.5")
    assert decimal_separator_for("de") == "," and decimal_separator_for("en-gb") == "."


def test_numbers_pass_through_but_booleans_do_not() -> None:
    assert parse_decimal(D("2.5")) == D("2.5") and parse_decimal(7) == D(7)
    with pytest.raises(NumberFormatError):
        parse_decimal(True)

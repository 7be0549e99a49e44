"""The pure rules of issue 11, hand-computed: survey scores and the gap alert, ROI and
payback, the risk-reward split."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from scorecards.ledger import split
from scorecards.surveys import answer_errors, side_score, survey_result
from scorecards.value import Entry, value_summary

D = Decimal


# --------------------------------------------------------------------------- surveys


def test_side_score_is_mean_minus_one_over_four_rounded_half_up() -> None:
    assert side_score([4, 4, 4, 4, 4]) == D("75.0")  # (4 - 1) / 4 x 100
    assert side_score([3, 3, 4, 4, 3]) == D("60.0")  # mean 3.4 → 2.4 / 4 x 100
    # 20 answers summing to 37: mean 1.85 → 21.25 → 21.3 (half up, not banker's 21.2)
    assert side_score([2] * 17 + [1] * 3) == D("21.3")
    assert side_score([]) is None


def test_gap_of_exactly_15_is_no_alert() -> None:
    result = survey_result([4, 4, 4, 4, 4], [3, 3, 4, 4, 3])
    assert (result.buyer_score, result.supplier_score) == (D("75.0"), D("60.0"))
    assert result.health_index == D("67.5")
    assert result.gap == D("15.0")
    assert result.gap_alert is False


def test_gap_of_15_1_is_an_alert() -> None:
    # 35 buyer answers summing to 86: mean 2.457… → 36.428… → 36.4
    buyer = [3] * 16 + [2] * 19
    # 20 supplier answers summing to 37 → 21.25 → 21.3
    supplier = [2] * 17 + [1] * 3
    result = survey_result(buyer, supplier)
    assert (result.buyer_score, result.supplier_score) == (D("36.4"), D("21.3"))
    assert result.gap == D("15.1")
    assert result.gap_alert is True
    # (36.4 + 21.3) / 2 = 28.85 → 28.9 (half up)
    assert result.health_index == D("28.9")


def test_a_side_without_answers_has_no_index_gap_or_alert() -> None:
    result = survey_result([5, 5, 5, 5, 5], [])
    assert result.buyer_score == D("100.0")
    assert result.supplier_score is None
    assert (result.health_index, result.gap, result.gap_alert) == (None, None, False)


def test_answers_must_cover_every_dimension_within_one_to_five() -> None:
    good = {
        "trust": 1,
        "communication": 5,
        "joint_problem_solving": 3,
        "responsiveness": 2,
        "fairness": 4,
    }
    assert answer_errors(good) == {}
    assert answer_errors({**good, "trust": 6}) == {"answers.trust": ["Answer from 1 to 5."]}
    assert answer_errors({**good, "trust": 0}) == {"answers.trust": ["Answer from 1 to 5."]}
    missing = dict(good)
    del missing["fairness"]
    assert answer_errors(missing) == {"answers.fairness": ["Answer this question."]}
    assert "answers.mood" in answer_errors({**good, "mood": 3})


# --------------------------------------------------------------------------- value and ROI


def test_payback_in_month_14() -> None:
    entries = [Entry("investment", D("14000.00"), date(2025, 1, 15))]
    entries += [
        Entry("value", D("1000.00"), date(2025 + (m // 12), m % 12 + 1, 20)) for m in range(14)
    ]
    summary = value_summary(entries, today=date(2026, 3, 10))
    assert summary.payback_label == "2026-02"  # month 14 counting January 2025 as month 1
    assert [m.label for m in summary.months][:2] == ["2025-01", "2025-02"]
    assert len(summary.months) == 15  # through the current month, March 2026
    month_13 = summary.months[12]
    assert (month_13.cumulative_value, month_13.cumulative_invested) == (D(13000), D(14000))
    assert summary.months[13].cumulative_net == D(0)
    assert summary.roi_percent == D("0.0")
    assert summary.not_paid_back is False


def test_never_paid_back_is_flagged_from_18_months_after_the_first_investment() -> None:
    entries = [
        Entry("investment", D("10000.00"), date(2024, 6, 3)),
        Entry("value", D("500.00"), date(2024, 6, 30)),
    ]
    at_17 = value_summary(entries, today=date(2025, 11, 30))
    assert at_17.payback_month is None
    assert at_17.not_paid_back is False
    at_18 = value_summary(entries, today=date(2025, 12, 1))
    assert at_18.not_paid_back is True
    assert at_18.roi_percent == D("-95.0")  # (500 - 10000) / 10000 x 100
    assert len(at_18.months) == 19  # June 2024 … December 2025, empty months included
    assert at_18.months[-1].cumulative_net == D("-9500.00")


def test_an_empty_month_in_between_is_listed() -> None:
    entries = [
        Entry("investment", D("1000.00"), date(2025, 1, 31)),
        Entry("value", D("300.00"), date(2025, 3, 1)),
    ]
    summary = value_summary(entries, today=date(2025, 3, 5))
    assert [(m.label, m.invested, m.value) for m in summary.months] == [
        ("2025-01", D("1000.00"), D(0)),
        ("2025-02", D(0), D(0)),
        ("2025-03", D(0), D("300.00")),
    ]
    assert summary.months[1].cumulative_invested == D("1000.00")
    assert summary.months[1].cumulative_net == D("-1000.00")


def test_roi_rounds_half_up_and_is_none_without_investment() -> None:
    summary = value_summary(
        [
            Entry("investment", D("3000.00"), date(2025, 1, 1)),
            Entry("value", D("3001.50"), date(2025, 1, 2)),
        ],
        today=date(2025, 1, 3),
    )
    assert summary.roi_percent == D("0.1")  # 0.05 → 0.1
    assert summary.payback_label == "2025-01"
    only_value = value_summary([Entry("value", D("10"), date(2025, 1, 1))], today=date(2027, 1, 1))
    assert only_value.roi_percent is None
    assert only_value.payback_month is None  # no investment, nothing to pay back
    assert only_value.not_paid_back is False
    empty = value_summary([], today=date(2025, 1, 1))
    assert (empty.invested, empty.value, empty.months) == (D(0), D(0), ())


# --------------------------------------------------------------------------- ledger split


def test_60_40_split_of_odd_cents_never_loses_or_invents_a_cent() -> None:
    assert split(D("100.01"), D("60")) == split(D("100.01"), D("60.00"))
    s = split(D("100.01"), D("60"))
    assert (s.buyer, s.supplier) == (D("60.01"), D("40.00"))  # 60.006 → 60.01
    s = split(D("0.05"), D("60"))
    assert (s.buyer, s.supplier) == (D("0.03"), D("0.02"))
    s = split(D("1234.57"), D("60"))
    assert (s.buyer, s.supplier) == (D("740.74"), D("493.83"))  # 740.742 → 740.74


def test_62_5_37_5_split_of_odd_cents_never_loses_or_invents_a_cent() -> None:
    s = split(D("100.01"), D("62.5"))
    assert (s.buyer, s.supplier) == (D("62.51"), D("37.50"))  # 62.50625 → 62.51
    s = split(D("0.01"), D("62.5"))
    assert (s.buyer, s.supplier) == (D("0.01"), D("0.00"))  # 0.00625 → 0.01
    s = split(D("0.03"), D("62.5"))
    assert (s.buyer, s.supplier) == (D("0.02"), D("0.01"))  # 0.01875 → 0.02
    s = split(D("33.33"), D("62.5"))
    assert (s.buyer, s.supplier) == (D("20.83"), D("12.50"))  # 20.83125 → 20.83
    for cents in range(1, 2001):
        amount = D(cents) / 100
        for ratio in (D("60"), D("62.5"), D("37.5"), D("33.33")):
            parts = split(amount, ratio)
            assert parts.buyer + parts.supplier == amount

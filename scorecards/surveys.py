"""Relationship health surveys, both ways (SPEC 3.9): pure rules.

- A side's score = (mean of all that side's answers - 1) / 4 x 100, one decimal half up.
- Health index = mean of the two rounded side scores, rounded the same way.
- Gap = the absolute difference of the rounded side scores; alert when gap > 15.0.
- A side without answers has no score, and then there is no index, gap or alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

QUANTUM = Decimal("0.1")
GAP_ALERT_ABOVE = Decimal("15.0")

DIMENSIONS: dict[str, StrOrPromise] = {
    "trust": gettext_lazy("Trust"),
    "communication": gettext_lazy("Communication"),
    "joint_problem_solving": gettext_lazy("Joint problem solving"),
    "responsiveness": gettext_lazy("Responsiveness"),
    "fairness": gettext_lazy("Fairness"),
}
LOWEST, HIGHEST = 1, 5


class Side(StrEnum):
    BUYER = "buyer"  # the buyer's team rates the supplier
    SUPPLIER = "supplier"  # the supplier's users rate the buyer


# The words pages show for a side (the models' choice labels; the same text as the values).
SIDE_LABELS: dict[str, StrOrPromise] = {
    "buyer": pgettext_lazy("survey side", "buyer"),
    "supplier": pgettext_lazy("survey side", "supplier"),
}


def _round(value: Decimal) -> Decimal:
    return value.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def answer_errors(answers: Mapping[str, object]) -> dict[str, list[str]]:
    """Field errors of one response's answers: every dimension, each a whole number 1-5."""
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key not in DIMENSIONS:
            errors[f"answers.{key}"] = [_("Not a survey question.")]
    for key in DIMENSIONS:
        value = answers.get(key)
        if value is None:
            errors[f"answers.{key}"] = [_("Answer this question.")]
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[f"answers.{key}"] = [_("Answer with a whole number from 1 to 5.")]
        elif not LOWEST <= value <= HIGHEST:
            errors[f"answers.{key}"] = [_("Answer from 1 to 5.")]
    return errors


def side_score(answers: Iterable[int]) -> Decimal | None:
    """(mean answer - 1) / 4 x 100, one decimal half up; None without answers."""
    values = list(answers)
    return side_score_of_totals(sum(values), len(values))


def side_score_of_totals(total: int, count: int) -> Decimal | None:
    """The same score from the sum and the number of a side's answers (what SQL returns)."""
    if not count:
        return None
    mean = Decimal(total) / Decimal(count)
    return _round((mean - 1) / 4 * 100)


@dataclass(frozen=True)
class SurveyResult:
    buyer_score: Decimal | None
    supplier_score: Decimal | None

    @property
    def health_index(self) -> Decimal | None:
        if self.buyer_score is None or self.supplier_score is None:
            return None
        return _round((self.buyer_score + self.supplier_score) / 2)

    @property
    def gap(self) -> Decimal | None:
        if self.buyer_score is None or self.supplier_score is None:
            return None
        return abs(self.buyer_score - self.supplier_score)

    @property
    def gap_alert(self) -> bool:
        gap = self.gap
        return gap is not None and gap > GAP_ALERT_ABOVE


def survey_result(buyer_answers: Iterable[int], supplier_answers: Iterable[int]) -> SurveyResult:
    """Both sides' scores from all of each side's answers (every dimension of every response)."""
    return SurveyResult(side_score(buyer_answers), side_score(supplier_answers))

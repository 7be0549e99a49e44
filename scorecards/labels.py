"""The words users see for the scoring engine's codes (rating bands, KPI directions,
aggregations, data sources), in the user's language. The codes themselves stay English in
the database, the API and exports; only pages and e-mails show these labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

RATING_LABELS: dict[str, StrOrPromise] = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "needs_improvement": _("Needs improvement"),
    "critical": _("Critical"),
}

DIRECTION_LABELS: dict[str, StrOrPromise] = {
    "higher_is_better": _("Higher is better"),
    "lower_is_better": _("Lower is better"),
}

# As choices (capitalised, the models' labels) and as words inside a sentence ("the close
# takes the last", "mean of 3 values").
AGGREGATION_CHOICE_LABELS: dict[str, StrOrPromise] = {
    "mean": pgettext_lazy("aggregation", "Mean"),
    "sum": pgettext_lazy("aggregation", "Sum"),
    "last": pgettext_lazy("aggregation", "Last"),
    "min": pgettext_lazy("aggregation", "Min"),
    "max": pgettext_lazy("aggregation", "Max"),
}
AGGREGATION_LABELS: dict[str, StrOrPromise] = {
    "mean": pgettext_lazy("aggregation", "mean"),
    "sum": pgettext_lazy("aggregation", "sum"),
    "last": pgettext_lazy("aggregation", "last"),
    "min": pgettext_lazy("aggregation", "min"),
    "max": pgettext_lazy("aggregation", "max"),
}

SOURCE_LABELS: dict[str, StrOrPromise] = {
    "buyer": _("Buyer"),
    "supplier": _("Supplier self-report"),
    "computed": _("Computed"),
}


def label(labels: dict[str, StrOrPromise], code: str | None) -> str:
    """The label of ``code`` in the active language; an unknown code is shown as it is."""
    found = labels.get(code or "")
    return str(found) if found is not None else (code or "")

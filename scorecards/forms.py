"""Forms of the scorecard pages. Domain rules live in services; forms only parse input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from scorecards.models import DataSource, KpiDefinition, Period


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("corrected", "Correct the data and rescore"), ("rejected", "Reject")]
    )
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kpi_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in kpi_codes:
            self.fields[f"correct-{code}"] = forms.DecimalField(
                label=f"Corrected {name}", required=False, max_digits=20, decimal_places=6
            )

    def corrections(self) -> dict[str, Decimal]:
        return {
            name.removeprefix("correct-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("correct-") and value is not None
        }


class SelfReportForm(forms.Form):
    kpi = forms.ModelChoiceField(queryset=KpiDefinition.objects.none(), label="KPI")
    value = forms.DecimalField(max_digits=20, decimal_places=6)
    measured_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for the whole period.",
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(required=False)

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = KpiDefinition.objects.filter(  # type: ignore[attr-defined]
            perspective__template_id=period.scorecard.template_id,
            data_source=DataSource.SUPPLIER,
        ).order_by("perspective__position", "position")


class DisputeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    kpi_code = forms.CharField(required=False, max_length=40, label="KPI (optional)")


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX: period, kpi, value, measured_on, comment")


# --- template editor -------------------------------------------------------------------------

PERSPECTIVE_FIELDS = ("code", "name", "weight")
KPI_FIELDS = (
    "code",
    "name",
    "unit",
    "direction",
    "target",
    "threshold",
    "weight",
    "data_source",
    "aggregation",
)
# Fields whose emptiness marks a row the user left blank (selects always carry a value).
_KPI_TYPED = ("code", "name", "unit", "target", "threshold", "weight")


def template_draft_from_post(post: Any) -> dict[str, Any]:
    """The template editor's draft from its POST data (``p0-code``, ``p0-k1-target``, ...),
    without the rows the user left blank; numbers stay strings for the service to check."""
    perspectives = []
    p_index = 0
    while f"p{p_index}-code" in post:
        kpis = []
        k_index = 0
        while f"p{p_index}-k{k_index}-code" in post:
            prefix = f"p{p_index}-k{k_index}-"
            kpi = {name: post.get(prefix + name, "").strip() for name in KPI_FIELDS}
            if any(kpi[name] for name in _KPI_TYPED):
                kpis.append(kpi)
            k_index += 1
        perspective: dict[str, Any] = {
            name: post.get(f"p{p_index}-{name}", "").strip() for name in PERSPECTIVE_FIELDS
        }
        if kpis or any(perspective.values()):
            perspectives.append({**perspective, "kpis": kpis})
        p_index += 1
    return {
        "code": post.get("code", "").strip(),
        "name": post.get("name", "").strip(),
        "description": post.get("description", "").strip(),
        "perspectives": perspectives,
    }

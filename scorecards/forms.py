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

"""Forms of value entries, risk-reward events and health surveys."""

from __future__ import annotations

from typing import Any

from django import forms

from partners.models import Agreement, Partner
from scorecards.ledger import EventKind
from scorecards.surveys import DIMENSIONS, HIGHEST, LOWEST
from scorecards.value import INVESTMENT_CATEGORIES, VALUE_CATEGORIES, EntryKind

_DATE = forms.DateInput(attrs={"type": "date"})


class ValueEntryForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(EntryKind.INVESTMENT, "Investment"), (EntryKind.VALUE, "Value")]
    )
    category = forms.ChoiceField(
        choices=[
            ("Investment", [(k, v) for k, v in INVESTMENT_CATEGORIES.items() if k != "other"]),
            ("Value", [(k, v) for k, v in VALUE_CATEGORIES.items() if k != "other"]),
            ("Either", [("other", "Other")]),
        ]
    )
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, label="Amount (reporting currency)"
    )
    occurred_on = forms.DateField(widget=_DATE, label="Date")
    description = forms.CharField(max_length=300, required=False)


class LedgerEventForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none())
    kind = forms.ChoiceField(
        choices=[(EventKind.COST_OVERRUN, "Cost overrun"), (EventKind.JOINT_SAVING, "Joint saving")]
    )
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    occurred_on = forms.DateField(widget=_DATE, label="Date")
    description = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agreement.objects.filter(partner=partner).order_by("start_date", "pk")


class SurveyOpenForm(forms.Form):
    opens_on = forms.DateField(widget=_DATE)
    closes_on = forms.DateField(widget=_DATE)


_SCALE = [(n, str(n)) for n in range(LOWEST, HIGHEST + 1)]


class SurveyAnswerForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in DIMENSIONS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=f"{label} (1 = poor, 5 = excellent)",
                choices=_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([*DIMENSIONS, "comment"])

    def answers(self) -> dict[str, object]:
        return {key: self.cleaned_data[key] for key in DIMENSIONS}


class IncentiveRuleForm(forms.Form):
    name = forms.CharField(max_length=120)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.order_by("short_name"),
        required=False,
        empty_label="Every partner",
    )
    perspective = forms.SlugField(
        max_length=40, required=False, help_text="A perspective code (innovation); empty: overall."
    )
    threshold = forms.DecimalField(max_digits=5, decimal_places=1)
    periods = forms.IntegerField(min_value=1, initial=1, label="Consecutive closed periods")
    reward_kind = forms.ChoiceField(
        choices=[("amount", "Bonus amount"), ("volume_share", "Share of next year's volume (%)")]
    )
    reward_amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    reward_percent = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    reward_text = forms.CharField(max_length=300, label="Reward, in words")


class DecisionForm(forms.Form):
    note = forms.CharField(max_length=500, required=False)

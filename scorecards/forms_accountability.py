"""Forms of value entries, risk-reward events and health surveys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import Agreement, Partner
from scorecards.ledger import EventKind
from scorecards.surveys import DIMENSIONS, HIGHEST, LOWEST
from scorecards.value import INVESTMENT_CATEGORIES, VALUE_CATEGORIES, EntryKind

_DATE = forms.DateInput(attrs={"type": "date"})


class ValueEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(EntryKind.INVESTMENT, _("Investment")), (EntryKind.VALUE, _("Value"))],
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[
            (_("Investment"), [(k, v) for k, v in INVESTMENT_CATEGORIES.items() if k != "other"]),
            (_("Value"), [(k, v) for k, v in VALUE_CATEGORIES.items() if k != "other"]),
            (_("Either"), [("other", _("Other"))]),
        ],
    )
    amount = forms.DecimalField(
        max_digits=14, decimal_places=2, label=_("Amount (reporting currency)")
    )
    occurred_on = forms.DateField(widget=_DATE, label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class LedgerEventForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (EventKind.COST_OVERRUN, _("Cost overrun")),
            (EventKind.JOINT_SAVING, _("Joint saving")),
        ],
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    occurred_on = forms.DateField(widget=_DATE, label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agreement.objects.filter(partner=partner).order_by("start_date", "pk")


class SurveyOpenForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens on"), widget=_DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=_DATE)


_SCALE = [(n, str(n)) for n in range(LOWEST, HIGHEST + 1)]


class SurveyAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in DIMENSIONS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=gettext("%(question)s (1 = poor, 5 = excellent)") % {"question": label},
                choices=_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([*DIMENSIONS, "comment"])

    def answers(self) -> dict[str, object]:
        return {key: self.cleaned_data[key] for key in DIMENSIONS}


class IncentiveRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.order_by("short_name"),
        required=False,
        empty_label=_("Every partner"),
    )
    perspective = forms.SlugField(
        label=_("Perspective"),
        max_length=40,
        required=False,
        help_text=_("A perspective code (innovation); empty: overall."),
    )
    threshold = forms.DecimalField(label=_("Threshold"), max_digits=5, decimal_places=1)
    periods = forms.IntegerField(min_value=1, initial=1, label=_("Consecutive closed periods"))
    reward_kind = forms.ChoiceField(
        label=_("Reward kind"),
        choices=[
            ("amount", _("Bonus amount")),
            ("volume_share", _("Share of next year's volume (%)")),
        ],
    )
    reward_amount = forms.DecimalField(
        label=_("Reward amount"), max_digits=14, decimal_places=2, required=False
    )
    reward_percent = forms.DecimalField(
        label=_("Reward percent"), max_digits=5, decimal_places=2, required=False
    )
    reward_text = forms.CharField(max_length=300, label=_("Reward, in words"))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

"""Forms of improvement plans."""

from __future__ import annotations

from typing import Any

from django import forms

from core.models import User
from governance.improvement import PlanOutcome, RootCause
from partners.models import Partner, SupplierContact

_DATE = forms.DateInput(attrs={"type": "date"})


def _labelled(enum: Any) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ").capitalize()) for m in enum]


class PlanOpenForm(forms.Form):
    root_cause = forms.ChoiceField(choices=_labelled(RootCause))
    root_cause_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Root cause in detail (internal)",
    )
    review_date = forms.DateField(widget=_DATE, required=False)


class PlanDismissForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why dismiss it?")


class PlanCloseForm(forms.Form):
    outcome = forms.ChoiceField(choices=_labelled(PlanOutcome))


class PlanActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    milestone = forms.CharField(max_length=200, required=False)
    owner_user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Owner (our side)"
    )
    owner_contact = forms.ModelChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label="Owner (supplier side)"
    )
    due_date = forms.DateField(widget=_DATE, required=False)

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_user = self.fields["owner_user"]
        owner_contact = self.fields["owner_contact"]
        assert isinstance(owner_user, forms.ModelChoiceField)
        assert isinstance(owner_contact, forms.ModelChoiceField)
        owner_user.queryset = User.objects.filter(is_active=True).exclude(role="supplier_user")
        owner_contact.queryset = partner.contacts.all()

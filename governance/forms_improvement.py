"""Forms of improvement plans."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from governance.improvement import PlanOutcome, RootCause, choices_of
from partners.models import Partner, SupplierContact

_DATE = forms.DateInput(attrs={"type": "date"})


class PlanOpenForm(forms.Form):
    root_cause = forms.ChoiceField(choices=choices_of(RootCause), label=_("Root cause"))
    root_cause_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Root cause in detail (internal)"),
    )
    review_date = forms.DateField(widget=_DATE, required=False, label=_("Review date"))


class PlanDismissForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Why dismiss it?"))


class PlanCloseForm(forms.Form):
    outcome = forms.ChoiceField(choices=choices_of(PlanOutcome), label=_("Outcome"))


class PlanActionForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    milestone = forms.CharField(max_length=200, required=False, label=_("Milestone"))
    owner_user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Owner (our side)")
    )
    owner_contact = forms.ModelChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label=_("Owner (supplier side)")
    )
    due_date = forms.DateField(widget=_DATE, required=False, label=_("Due date"))

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_user = self.fields["owner_user"]
        owner_contact = self.fields["owner_contact"]
        assert isinstance(owner_user, forms.ModelChoiceField)
        assert isinstance(owner_contact, forms.ModelChoiceField)
        owner_user.queryset = User.objects.filter(is_active=True).exclude(role="supplier_user")
        owner_contact.queryset = partner.contacts.all()

"""Forms of the account pages: codes, API tokens, the per-role two-factor requirement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.api_tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES_DAYS
from core.roles import Role


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _days(days: int) -> str:
    return ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days}


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “ERP spend sync”."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(days, _days(days)) for days in LIFETIME_CHOICES_DAYS],
        initial=DEFAULT_LIFETIME_DAYS,
    )


class RolePoliciesForm(forms.Form):
    """One checkbox per role: require two-factor sign-in."""

    def __init__(self, *args: Any, policies: list[tuple[Role, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role, required in policies:
            self.fields[role.value] = forms.BooleanField(
                label=role.label, required=False, initial=required
            )

    def required_by_role(self) -> dict[Role, bool]:
        return {Role(name): bool(value) for name, value in self.cleaned_data.items()}

"""Forms of the account pages: codes, API tokens, the per-role two-factor requirement."""

from __future__ import annotations

from typing import Any

from django import forms

from core.api_tokens import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES_DAYS
from core.roles import Role


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What uses it, e.g. “ERP spend sync”.",
    )
    lifetime_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in LIFETIME_CHOICES_DAYS],
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

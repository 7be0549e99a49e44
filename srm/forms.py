"""Forms of the top-level pages: the inbox filter and the notification preferences."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.notifications import NotificationKind, Preference, kinds_for
from core.services import ProfileChanges


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False)
    unread = forms.BooleanField(required=False, label=_("Unread only"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("All kinds"))] + [
            (kind.value, kind.label) for kind in kinds_for(is_supplier=user.is_supplier)
        ]

    def filters(self) -> tuple[str | None, bool]:
        """(kind, unread only); an invalid filter shows everything rather than an error."""
        if not self.is_valid():
            return None, False
        return self.cleaned_data["kind"] or None, bool(self.cleaned_data["unread"])


class PreferencesForm(forms.Form):
    """Per kind: e-mail, in-app and, for reminders, how far ahead; plus language and zone."""

    language = forms.ChoiceField(choices=[("en", "English"), ("de", "Deutsch")])
    time_zone = forms.ChoiceField()

    def __init__(self, *args: Any, user: User, preferences: list[Preference], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.kinds = [p.kind for p in preferences]
        zones = [(zone, zone) for zone in sorted(available_timezones())]
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zones
        self.fields["language"].initial = user.language
        self.fields["time_zone"].initial = user.time_zone
        for preference in preferences:
            kind, spec = preference.kind, preference.kind.spec
            self.fields[f"{kind}_email"] = forms.BooleanField(
                required=False, initial=preference.email, label=_("E-mail")
            )
            self.fields[f"{kind}_in_app"] = forms.BooleanField(
                required=False, initial=preference.in_app, label=_("In SRM")
            )
            if spec.is_reminder:
                self.fields[f"{kind}_lead"] = forms.IntegerField(
                    min_value=0,
                    max_value=spec.max_lead,
                    initial=preference.lead,
                    label=_("%(unit)s ahead") % {"unit": spec.lead_unit_label},
                )

    def rows(self) -> list[dict[str, Any]]:
        """One table row per kind, with its bound fields (for the template)."""
        return [
            {
                "kind": kind,
                "email": self[f"{kind}_email"],
                "in_app": self[f"{kind}_in_app"],
                "lead": self[f"{kind}_lead"] if f"{kind}_lead" in self.fields else None,
            }
            for kind in self.kinds
        ]

    def preferences(self) -> list[Preference]:
        data = self.cleaned_data
        return [
            Preference(
                NotificationKind(kind),
                bool(data[f"{kind}_email"]),
                bool(data[f"{kind}_in_app"]),
                data.get(f"{kind}_lead") if kind.spec.is_reminder else None,
            )
            for kind in self.kinds
        ]

    def profile(self) -> ProfileChanges:
        return {
            "language": self.cleaned_data["language"],
            "time_zone": self.cleaned_data["time_zone"],
        }


class PartnershipImportForm(forms.Form):
    file = forms.FileField(
        label=_("Partnership export (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

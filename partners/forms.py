"""Forms of the partner pages. They parse input; the services hold the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cadences import CadenceKind, Frequency
from core.iso_codes import country_choices, currency_choices
from core.models import User
from core.roles import Role
from partners import kraljic, readiness
from partners.kraljic import QUADRANT_LABELS
from partners.labels import in_sentence
from partners.lifecycle import LifecycleStage, lifecycle_next_stages
from partners.models import (
    Agreement,
    AnnualSpend,
    Category,
    EngagementPlaybook,
    NoteVisibility,
    Partner,
    PriceBenchmark,
    SupplierContact,
    SupplyItem,
)
from partners.services.agreements import AgreementFields
from partners.services.partners import PartnerFields
from partners.services.playbooks import PlaybookChanges
from partners.services.records import BenchmarkFields, ContactFields, SupplyItemFields

RATING_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class CodeChoiceField(forms.ChoiceField):
    """A choice of upper-case codes (ISO country, currency) that also takes ``de`` for DE."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).upper()


class PartnerForm(forms.ModelForm[Partner]):
    tags = forms.CharField(
        required=False, label=_("Tags"), help_text=_("Separate tags with commas.")
    )

    class Meta:
        model = Partner
        fields = [
            "legal_name",
            "short_name",
            "country",
            "currency",
            "website",
            "categories",
            "engagement_model",
            "owner",
            "alliance_manager",
            "executive_sponsor",
            "annual_revenue",
            "alternative_source",
            "tags",
            "description",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}
        labels = {
            "legal_name": _("Legal name"),
            "short_name": _("Short name"),
            "website": _("Website"),
            "categories": _("Categories"),
            "engagement_model": _("Engagement model"),
            "owner": _("Owner"),
            "alliance_manager": _("Alliance manager"),
            "executive_sponsor": _("Executive sponsor"),
            "annual_revenue": _("Annual revenue"),
            "alternative_source": _("Alternative source"),
            "description": _("Description"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        # Who runs a partnership day to day: procurement and alliance managers; a sponsor is
        # an executive sponsor (never the administrator or a supplier user).
        managers = active.filter(role__in=[Role.PROCUREMENT_MANAGER, Role.ALLIANCE_MANAGER])
        sponsors = active.filter(role=Role.EXECUTIVE_SPONSOR)
        for name, people in (
            ("owner", managers),
            ("alliance_manager", managers),
            ("executive_sponsor", sponsors),
        ):
            current = getattr(self.instance, f"{name}_id", None)
            # Keep a person already named on the record selectable, whatever their role now.
            queryset = (people | active.filter(pk=current)) if current else people
            self.fields[name].queryset = queryset.distinct()  # type: ignore[attr-defined]
        self.fields["country"] = CodeChoiceField(
            label=_("Country"),
            choices=[("", "—"), *country_choices()],
            help_text=_("ISO 3166 country"),
        )
        self.fields["currency"] = CodeChoiceField(
            label=_("Currency"),
            choices=currency_choices(),
            help_text=_("ISO 4217 currency the partner invoices in"),
        )
        if not self.instance.pk:
            self.initial.setdefault("currency", settings.SRM_REPORTING_CURRENCY)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
        self.fields["engagement_model"].widget.attrs.update(
            {"hx-get": "", "hx-target": "#playbook", "hx-trigger": "change", "hx-swap": "outerHTML"}
        )

    def _post_clean(self) -> None:
        # The service validates the model (unique legal name, choices) and audits the change.
        pass

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).upper()

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()

    def changes(self) -> PartnerFields:
        """The cleaned fields (Meta.fields and tags), as the partner services take them."""
        return cast(PartnerFields, self.cleaned_data)


class TransitionForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Reason")
    )
    lessons_learned = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Lessons learned"),
        help_text=_("Required when the partner exits."),
    )

    def __init__(self, *args: Any, current: LifecycleStage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [  # type: ignore[attr-defined]
            (s.value, s.label) for s in lifecycle_next_stages(current)
        ]


class SegmentationForm(forms.Form):
    category = forms.ModelChoiceField(Category.objects.all(), required=False, label=_("Category"))
    override_quadrant = forms.ChoiceField(
        choices=[
            ("", _("No override")),
            *((q.value, label) for q, label in QUADRANT_LABELS.items()),
        ],
        required=False,
        label=_("Override quadrant"),
    )
    override_justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Override justification"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in kraljic.DEFAULT_FACTORS:
            self.fields[factor.code] = forms.IntegerField(
                label=f"{factor.label} ({in_sentence(factor.axis.label)})",
                required=True,
                help_text=gettext("1 = low, 5 = high · weight %(weight)s")
                % {"weight": number_format(factor.weight.normalize())},
            )
        self.order_fields([f.code for f in kraljic.DEFAULT_FACTORS])

    def ratings(self) -> dict[str, int]:
        return {f.code: self.cleaned_data[f.code] for f in kraljic.DEFAULT_FACTORS}


class ReadinessForm(forms.Form):
    """One assessor's ratings for the criteria of a template (current or an assessment's)."""

    assessed_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        label=_("Assessed on"),
    )

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[readiness.Criterion],
        rating_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = tuple(criteria)
        if rating_only:
            del self.fields["assessed_on"]
        for criterion in self.criteria:
            self.fields[criterion.code] = forms.IntegerField(
                # The default template's labels are in the catalogue; one an administrator
                # wrote comes back unchanged.
                label=f"{gettext(criterion.label)} ({in_sentence(criterion.dimension.label)})",
                required=not rating_only,
                help_text=gettext("1-5, weight %(weight)s")
                % {"weight": number_format(criterion.weight.normalize())},
            )

    def ratings(self) -> dict[str, int]:
        return {
            c.code: self.cleaned_data[c.code]
            for c in self.criteria
            if self.cleaned_data.get(c.code) is not None
        }


RATIO_HELP = _("buyer:supplier, e.g. 60:40 (must add up to 100)")


class AgreementForm(forms.ModelForm[Agreement]):
    gain_share = forms.CharField(required=False, help_text=RATIO_HELP, label=_("Gain share"))
    cost_overrun_share = forms.CharField(
        required=False, help_text=RATIO_HELP, label=_("Cost overrun share")
    )
    ip_share = forms.CharField(required=False, help_text=RATIO_HELP, label=_("IP / patent share"))
    document = forms.FileField(
        required=False,
        label=_("Document"),
        help_text=_("Attach the signed PDF (max 20 MB)."),
    )

    class Meta:
        model = Agreement
        fields = [
            "kind",
            "title",
            "reference",
            "start_date",
            "end_date",
            "term_years",
            "auto_renewal",
            "notice_period_days",
            "has_exit_clause",
            "exit_clause",
            "transition_period_months",
            "confidentiality_level",
            "internal_notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "exit_clause": forms.Textarea(attrs={"rows": 2}),
            "internal_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "kind": _("Kind"),
            "title": _("Title"),
            "reference": _("Reference"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
            "term_years": _("Term (years)"),
            "auto_renewal": _("Renews automatically"),
            "notice_period_days": _("Notice period (days)"),
            "has_exit_clause": _("Has an exit clause"),
            "exit_clause": _("Exit clause"),
            "transition_period_months": _("Transition period (months)"),
            "confidentiality_level": _("Confidentiality level"),
            "internal_notes": _("Internal notes"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("gain_share", "cost_overrun_share", "ip_share"):
                self.initial[name] = getattr(self.instance, name)

    def _post_clean(self) -> None:
        # Model validation (dates, constraint) runs in the service so errors come once.
        pass

    def service_fields(self) -> AgreementFields:
        """The terms as the agreement services take them (the document is uploaded apart)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "document"}
        return cast(AgreementFields, data)


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))
    visibility = forms.ChoiceField(
        choices=NoteVisibility.choices, initial=NoteVisibility.INTERNAL, label=_("Visibility")
    )


class SupplyItemForm(forms.ModelForm[SupplyItem]):
    class Meta:
        model = SupplyItem
        fields = [
            "name",
            "category",
            "is_critical",
            "qualified_second_sources",
            "second_source_names",
        ]
        labels = {
            "name": _("Name"),
            "category": _("Category"),
            "is_critical": _("Critical"),
            "qualified_second_sources": _("Qualified second sources"),
            "second_source_names": _("Second source names"),
        }

    def _post_clean(self) -> None:
        pass

    def changes(self) -> SupplyItemFields:
        """The cleaned Meta.fields, as the records services take them."""
        return cast(SupplyItemFields, self.cleaned_data)


class BenchmarkForm(forms.ModelForm[PriceBenchmark]):
    class Meta:
        model = PriceBenchmark
        fields = [
            "item",
            "category",
            "partner_price",
            "market_price",
            "unit",
            "source",
            "as_of",
            "justification",
        ]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}),
            "justification": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "item": _("Item"),
            "category": _("Category"),
            "partner_price": _("Partner price"),
            "market_price": _("Market price"),
            "unit": _("Unit"),
            "source": _("Source"),
            "as_of": _("As of"),
            "justification": _("Justification"),
        }

    def _post_clean(self) -> None:
        pass

    def changes(self) -> BenchmarkFields:
        """The cleaned Meta.fields, as the records services take them."""
        return cast(BenchmarkFields, self.cleaned_data)


class ImportForm(forms.Form):
    file = forms.FileField(help_text=".csv or .xlsx, at most 5 MB")


class ContactForm(forms.ModelForm[SupplierContact]):
    class Meta:
        model = SupplierContact
        fields = ["name", "role", "email", "phone", "is_executive_sponsor", "is_portal_user"]
        labels = {
            "name": _("Name"),
            "role": _("Role"),
            "email": _("E-mail"),
            "phone": _("Phone"),
            "is_executive_sponsor": _("Executive sponsor"),
            "is_portal_user": _("Portal user"),
        }

    def _post_clean(self) -> None:
        pass

    def changes(self) -> ContactFields:
        """The cleaned Meta.fields, as the records services take them."""
        return cast(ContactFields, self.cleaned_data)


class SpendForm(forms.ModelForm[AnnualSpend]):
    class Meta:
        model = AnnualSpend
        fields = ["year", "category", "amount"]
        labels = {"year": _("Year"), "category": _("Category"), "amount": _("Amount")}

    def _post_clean(self) -> None:
        pass


class PlaybookForm(forms.ModelForm[EngagementPlaybook]):
    """The scalar defaults of an engagement model's playbook; cadences come from a formset."""

    class Meta:
        model = EngagementPlaybook
        fields = [
            "scorecard_template_code",
            "sponsor_level",
            "survey_frequency_months",
            "description",
        ]
        labels = {
            "scorecard_template_code": _("Scorecard template code"),
            "sponsor_level": _("Executive sponsor level"),
            "survey_frequency_months": _("Health survey every (months)"),
            "description": _("Description"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def changes(self, cadences: list[dict[str, Any]]) -> PlaybookChanges:
        """The cleaned defaults and the cadence rows, as playbook_update takes them."""
        changes = cast(PlaybookChanges, dict(self.cleaned_data))
        changes["cadences"] = cadences
        return changes


def _cadence_kind_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((k.value, str(k.label)) for k in CadenceKind)]


def _frequency_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((f.value, str(f.label)) for f in Frequency)]


class CadenceForm(forms.Form):
    """One recurring meeting of a playbook; a blank row is ignored."""

    # Callables: the choices are read when the form renders, in the user's language.
    kind = forms.ChoiceField(
        choices=_cadence_kind_choices,
        required=False,
        label=_("Meeting"),
        widget=forms.Select(attrs={"aria-label": _("Meeting")}),
    )
    frequency = forms.ChoiceField(
        choices=_frequency_choices,
        required=False,
        label=_("Frequency"),
        widget=forms.Select(attrs={"aria-label": _("Frequency")}),
    )
    interval = forms.IntegerField(
        min_value=1,
        initial=1,
        required=False,
        label=_("Every n-th"),
        widget=forms.NumberInput(attrs={"aria-label": _("Every n-th")}),
    )
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=1440,
        required=False,
        label=_("Duration (minutes)"),
        widget=forms.NumberInput(attrs={"aria-label": _("Duration (minutes)")}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and not data.get("frequency"):
            self.add_error("frequency", gettext("Choose how often this meeting recurs."))
        if data.get("kind") and not data.get("duration_minutes"):
            self.add_error("duration_minutes", gettext("Enter the meeting's length in minutes."))
        if not data.get("kind") and (data.get("frequency") or data.get("duration_minutes")):
            self.add_error("kind", gettext("Choose the kind of meeting."))
        return data


class BaseCadenceFormSet(forms.BaseFormSet[CadenceForm]):
    def cadences(self) -> list[dict[str, Any]]:
        """The filled-in rows, in order, as stored in ``EngagementPlaybook.cadences``."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("kind"):
                continue
            rows.append(
                {
                    "kind": data["kind"],
                    "frequency": data["frequency"],
                    "interval": data.get("interval") or 1,
                    "duration_minutes": data["duration_minutes"],
                }
            )
        return rows


CadenceFormSet = cast(
    type[BaseCadenceFormSet],
    forms.formset_factory(CadenceForm, formset=BaseCadenceFormSet, extra=1, can_delete=True),
)

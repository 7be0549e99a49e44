"""Forms of the governance pages. They parse input; services decide what is valid."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cadences import CadenceKind, Frequency
from core.models import User
from governance.cadence import is_valid_tz_name, localize
from governance.escalation import ActionStatus
from governance.models import InitiativeStage, Priority, Visibility
from governance.services.escalations import LadderLevelInput
from governance.services.meetings import MeetingChanges
from partners.models import Partner, SupplierContact

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def posted_pk(value: object) -> int | None:
    """A record id from user input, or None (which finds nothing) when it is not one."""
    try:
        return int(str(value))
    except ValueError:
        return None


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    start = forms.DateTimeField(widget=DATETIME_LOCAL, label=_("Start"))
    end = forms.DateTimeField(widget=DATETIME_LOCAL, label=_("End"))
    tz_name = forms.CharField(label=_("Time zone"), initial="Europe/Berlin", max_length=64)
    location = forms.CharField(max_length=200, required=False, label=_("Location or link"))
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Agenda"),
        help_text=_("One item per line."),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.SHARED, label=_("Visibility")
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label=_("Attendees")
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label=_("Supplier attendees")
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(is_active=True).exclude(  # type: ignore[attr-defined]
            role="supplier_user"
        )
        self.fields["contacts"].queryset = partner.contacts.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tz_name = data.get("tz_name", "")
        if tz_name and not is_valid_tz_name(tz_name):
            self.add_error(
                "tz_name",
                gettext("Unknown time zone “%(zone)s” (e.g. Europe/Berlin).") % {"zone": tz_name},
            )
            return data
        # The times are typed as wall times in the meeting's own zone.
        for name in ("start", "end"):
            value: datetime | None = data.get(name)
            if value is not None and tz_name:
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = localize(naive, ZoneInfo(tz_name))
        return data


def attendee_choices(partner: Partner) -> QuerySet[User]:
    """Who may attend a partner's meeting: our people, and the partner's own portal users."""
    return (
        User.objects.filter(is_active=True).exclude(role="supplier_user")
        | User.objects.filter(is_active=True, partner_link__partner=partner)
    ).order_by("first_name", "last_name", "username")


class AttendeesForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label=_("Attendees (users)")
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label=_("Supplier contacts")
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendee_choices(partner)  # type: ignore[attr-defined]
        self.fields["contacts"].queryset = partner.contacts.all()  # type: ignore[attr-defined]
        size = {"size": 6}
        self.fields["attendees"].widget.attrs.update(size)
        self.fields["contacts"].widget.attrs.update(size)

    def changes(self) -> MeetingChanges:
        return {
            "attendees": list(self.cleaned_data["attendees"]),
            "contacts": list(self.cleaned_data["contacts"]),
        }


class AttachmentForm(forms.Form):
    # Empty files reach the service, which says why it refuses them.
    file = forms.FileField(allow_empty_file=True, label=_("File"))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class MoveForm(ReasonForm):
    start = forms.DateTimeField(widget=DATETIME_LOCAL, label=_("Start"))
    end = forms.DateTimeField(widget=DATETIME_LOCAL, label=_("End"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label=_("Minutes")
    )
    decisions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Decisions"),
        help_text=_("One decision per line."),
    )

    def decision_lines(self) -> list[str]:
        return [
            line for line in self.cleaned_data.get("decisions", "").splitlines() if line.strip()
        ]


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Description")
    )
    owner_user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Owner (our side)")
    )
    owner_contact = forms.ModelChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label=_("Owner (supplier side)")
    )
    due_date = forms.DateField(widget=DATE, required=False, label=_("Due date"))
    priority = forms.ChoiceField(
        choices=Priority.choices, initial=Priority.MEDIUM, label=_("Priority")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.SHARED, label=_("Visibility")
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).exclude(role="supplier_user") | User.objects.filter(partner_link__partner=partner)
        self.fields["owner_contact"].queryset = partner.contacts.all()  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices(), label=_("Status"))


class LadderForm(forms.Form):
    levels = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Levels"),
        help_text=_("One level per line: name | response time in hours."),
    )

    def level_rows(self) -> list[LadderLevelInput]:
        rows: list[LadderLevelInput] = []
        for line in self.cleaned_data.get("levels", "").splitlines():
            if not line.strip():
                continue
            name, _, hours = line.partition("|")
            try:
                response = int(hours.strip())
            except ValueError:
                response = 0
            rows.append({"name": name.strip(), "response_time_hours": response})
        return rows


class EscalationForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Description")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.INTERNAL, label=_("Visibility")
    )


class ResolutionForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Resolution"))


class DecisionForm(forms.Form):
    """Adopt or decline a proposal to an innovation challenge."""

    decision = forms.ChoiceField(
        choices=[("adopt", _("Adopt")), ("decline", _("Decline"))], label=_("Decision")
    )
    feedback = forms.CharField(required=False, label=_("Feedback"))

    def adopt(self) -> bool:
        return bool(self.cleaned_data["decision"] == "adopt")


class LessonForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label=_("Partner"))
    title = forms.CharField(max_length=200, label=_("Title"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Lesson"))

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Description"))
    expected_value = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, min_value=0, label=_("Expected value")
    )


def _text(label: StrOrPromise, *, required: bool = False) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=required, label=label)


class CharterForm(forms.Form):
    effective_from = forms.DateField(widget=DATE, label=_("In force from"))
    review_due = forms.DateField(
        widget=DATE, required=False, label=_("Review due"), help_text=_("Default: a year later.")
    )
    scope = _text(_("Scope"), required=True)
    shared_objectives = _text(_("Shared objectives"))
    investment_commitments = _text(_("Investment commitments"))
    performance_targets = _text(_("Performance targets"))
    roles = _text(_("Roles"))
    decision_rules = _text(_("Decision rules"))
    data_sharing_rules = _text(_("Data sharing and confidentiality"))
    escalation_path = _text(_("Escalation path"))


class CadenceForm(forms.Form):
    kind = forms.ChoiceField(choices=CadenceKind.choices(), label=_("Kind"))
    name = forms.CharField(
        max_length=120,
        required=False,
        label=_("Name"),
        help_text=_("Default: the name of the kind."),
    )
    frequency = forms.ChoiceField(choices=Frequency.choices(), label=_("Frequency"))
    interval = forms.IntegerField(min_value=1, initial=1, label=_("Every (interval)"))
    anchor_date = forms.DateField(widget=DATE, label=_("First date"))
    start_time = forms.TimeField(
        widget=forms.TimeInput(attrs={"type": "time"}), label=_("Local start")
    )
    duration_minutes = forms.IntegerField(min_value=1, initial=60, label=_("Duration (minutes)"))
    tz_name = forms.CharField(max_length=64, initial="Europe/Berlin", label=_("Time zone"))
    location = forms.CharField(max_length=200, required=False, label=_("Location or link"))
    agenda_template = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Agenda"),
        help_text=_("One item per line."),
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.SHARED, label=_("Visibility")
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    title = forms.CharField(max_length=200, label=_("Title"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Summary")
    )


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Objective"))
    target = forms.CharField(max_length=200, label=_("Target"))
    kpi_reference = forms.CharField(max_length=60, required=False, label=_("KPI code"))
    progress_percent = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label=_("Progress %")
    )


class InitiativeForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Description")
    )
    stage = forms.ChoiceField(
        choices=InitiativeStage.choices, initial=InitiativeStage.IDEA, label=_("Stage")
    )
    expected_value = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, initial=0, label=_("Expected value")
    )
    target_year = forms.IntegerField(
        min_value=2000, max_value=2100, required=False, label=_("Target year")
    )


class RealizedValueForm(forms.Form):
    realized_value = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, label=_("Realized value")
    )


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    problem_statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Problem statement")
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(), label=_("Publish to")
    )
    closes_on = forms.DateField(widget=DATE, required=False, label=_("Closes on"))

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Milestone"))
    due_date = forms.DateField(widget=DATE, label=_("Due date"))
    owner_user = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Owner (our side)")
    )
    owner_contact = forms.ModelChoiceField(
        queryset=SupplierContact.objects.none(), required=False, label=_("Owner (supplier side)")
    )

    def __init__(self, *args: Any, partner: Partner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(is_active=True).exclude(  # type: ignore[attr-defined]
            role="supplier_user"
        )
        self.fields["owner_contact"].queryset = partner.contacts.all()  # type: ignore[attr-defined]

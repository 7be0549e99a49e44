"""The Django admin of partner records. Edits that carry rules go through the services, so
they are validated, checked against the administrator's role and audited."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.errors import FieldErrors
from core.models import User
from partners.models import (
    Agreement,
    AgreementDocument,
    AnnualSpend,
    Category,
    CategorySpendTotal,
    EngagementPlaybook,
    LifecycleTransition,
    Partner,
    PartnerNote,
    PartnerUser,
    PriceBenchmark,
    ReadinessAssessment,
    ReadinessCriterion,
    SegmentationAssessment,
    SupplierContact,
    SupplyItem,
)
from partners.selectors import readiness_template_check
from partners.services.playbooks import PlaybookChanges, playbook_update
from partners.services.readiness import ReadinessCriterionFields, readiness_criterion_save


def _admin_user(request: HttpRequest) -> User:
    """The signed-in staff user (the admin site lets no one else in)."""
    assert isinstance(request.user, User)
    return request.user


class SupplierContactInline(admin.TabularInline[SupplierContact, Partner]):
    model = SupplierContact
    extra = 0


class AnnualSpendInline(admin.TabularInline[AnnualSpend, Partner]):
    model = AnnualSpend
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = (
        "short_name",
        "legal_name",
        "country",
        "engagement_model",
        "quadrant",
        "lifecycle_stage",
    )
    list_filter = ("engagement_model", "quadrant", "lifecycle_stage")
    search_fields = ("short_name", "legal_name")
    inlines = [SupplierContactInline, AnnualSpendInline]


admin.site.register(Category)
admin.site.register(PartnerNote)
admin.site.register(PartnerUser)
admin.site.register(LifecycleTransition)


@admin.register(EngagementPlaybook)
class EngagementPlaybookAdmin(admin.ModelAdmin[EngagementPlaybook]):
    """Administrators edit the default playbook of each engagement model here."""

    list_display = (
        "engagement_model",
        "scorecard_template_code",
        "sponsor_level",
        "survey_frequency_months",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: EngagementPlaybook,
        form: forms.ModelForm[EngagementPlaybook],
        change: bool,
    ) -> None:
        # Through the service, so the change is validated and lands in the audit trail. The
        # engagement model is the playbook's key, not one of its defaults.
        changes = {k: v for k, v in form.cleaned_data.items() if k != "engagement_model"}
        fresh = EngagementPlaybook.objects.get(pk=obj.pk)
        playbook_update(
            actor=_admin_user(request), playbook=fresh, changes=cast(PlaybookChanges, changes)
        )

    def has_delete_permission(
        self, request: HttpRequest, obj: EngagementPlaybook | None = None
    ) -> bool:
        return False


class AgreementDocumentInline(admin.TabularInline[AgreementDocument, Agreement]):
    model = AgreementDocument
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ("title", "partner", "kind", "start_date", "end_date", "has_exit_clause")
    list_filter = ("kind", "has_exit_clause")
    inlines = [AgreementDocumentInline]


admin.site.register(CategorySpendTotal)
admin.site.register(SegmentationAssessment)
admin.site.register(ReadinessAssessment)


class ReadinessCriterionAdminForm(forms.ModelForm[ReadinessCriterion]):
    class Meta:
        model = ReadinessCriterion
        fields = ("code", "label", "dimension", "weight", "position", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = ReadinessCriterion(pk=self.instance.pk, code=self.instance.code or "")
        for field in ("label", "dimension", "weight", "active"):
            setattr(probe, field, data.get(field, getattr(self.instance, field)))
        if probe.weight is not None and probe.dimension:
            try:
                readiness_template_check(probe)
            except FieldErrors as exc:
                raise ValidationError(exc.errors) from exc
        return data


@admin.register(ReadinessCriterion)
class ReadinessCriterionAdmin(admin.ModelAdmin[ReadinessCriterion]):
    """The readiness & alignment template; deactivate a criterion instead of deleting it."""

    list_display = ("label", "code", "dimension", "weight", "position", "active")
    list_filter = ("dimension", "active")
    form = ReadinessCriterionAdminForm

    def get_readonly_fields(
        self, request: HttpRequest, obj: ReadinessCriterion | None = None
    ) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(
        self,
        request: HttpRequest,
        obj: ReadinessCriterion,
        form: forms.ModelForm[ReadinessCriterion],
        change: bool,
    ) -> None:
        # Through the service, so the template stays valid and the change is audited.
        changes = cast(ReadinessCriterionFields, dict(form.cleaned_data))
        if change:
            fresh = ReadinessCriterion.objects.get(pk=obj.pk)
            obj.pk = fresh.pk
            readiness_criterion_save(actor=_admin_user(request), criterion=fresh, changes=changes)
        else:
            created = readiness_criterion_save(actor=_admin_user(request), changes=changes)
            obj.pk = created.pk

    def has_delete_permission(
        self, request: HttpRequest, obj: ReadinessCriterion | None = None
    ) -> bool:
        return False


admin.site.register(SupplyItem)
admin.site.register(PriceBenchmark)

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.errors import FieldErrors
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


class SupplierContactInline(admin.TabularInline):
    model = SupplierContact
    extra = 0


class AnnualSpendInline(admin.TabularInline):
    model = AnnualSpend
    extra = 0


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
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
class EngagementPlaybookAdmin(admin.ModelAdmin):
    """Administrators edit the default playbook of each engagement model here."""

    list_display = (
        "engagement_model",
        "scorecard_template_code",
        "sponsor_level",
        "survey_frequency_months",
    )

    def has_add_permission(self, request: object) -> bool:
        return False

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Through the service, so the change is validated and lands in the audit trail.
        from partners.services import playbook_update

        fresh = EngagementPlaybook.objects.get(pk=obj.pk)
        playbook_update(actor=request.user, playbook=fresh, **form.cleaned_data)

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class AgreementDocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "partner", "kind", "start_date", "end_date", "has_exit_clause")
    list_filter = ("kind", "has_exit_clause")
    inlines = [AgreementDocumentInline]


admin.site.register(CategorySpendTotal)
admin.site.register(SegmentationAssessment)
admin.site.register(ReadinessAssessment)


class ReadinessCriterionAdminForm(forms.ModelForm):
    class Meta:
        model = ReadinessCriterion
        fields = ("code", "label", "dimension", "weight", "position", "active")

    def clean(self) -> dict[str, Any]:
        from partners.services import readiness_template_check

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
class ReadinessCriterionAdmin(admin.ModelAdmin):
    """The readiness & alignment template; deactivate a criterion instead of deleting it."""

    list_display = ("label", "code", "dimension", "weight", "position", "active")
    list_filter = ("dimension", "active")
    form = ReadinessCriterionAdminForm

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Through the service, so the template stays valid and the change is audited.
        from partners.services import readiness_criterion_save

        fields = dict(form.cleaned_data)
        if change:
            fresh = ReadinessCriterion.objects.get(pk=obj.pk)
            obj.pk = fresh.pk
            readiness_criterion_save(actor=request.user, criterion=fresh, **fields)
        else:
            created = readiness_criterion_save(actor=request.user, **fields)
            obj.pk = created.pk

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(SupplyItem)
admin.site.register(PriceBenchmark)

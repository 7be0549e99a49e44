from django.contrib import admin

from partners.models import (
    AnnualSpend,
    Category,
    LifecycleTransition,
    Partner,
    PartnerNote,
    PartnerUser,
    SupplierContact,
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

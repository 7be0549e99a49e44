from django.contrib import admin

from scorecards.models import (
    Dispute,
    KpiDefinition,
    Measurement,
    Period,
    Perspective,
    PortfolioRollup,
    Scorecard,
    ScorecardTemplate,
)


class PerspectiveInline(admin.TabularInline):
    model = Perspective
    extra = 0


@admin.register(ScorecardTemplate)
class ScorecardTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "name", "created_at")
    inlines = [PerspectiveInline]


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "perspective", "direction", "target", "threshold", "weight")
    list_select_related = ("perspective__template",)


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    list_display = ("partner", "template", "category", "frequency")
    list_select_related = ("partner", "template", "category")


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("scorecard", "label", "status", "overall", "rating")
    list_filter = ("status", "rating")
    list_select_related = ("scorecard__partner", "scorecard__template")


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("period", "kpi", "measured_on", "value", "source", "status")
    list_filter = ("source", "status")
    list_select_related = ("period__scorecard__partner", "kpi")


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ("period", "status", "raised_at", "resolved_at")


@admin.register(PortfolioRollup)
class PortfolioRollupAdmin(admin.ModelAdmin):
    list_display = ("dimension", "label", "scorecards", "average")

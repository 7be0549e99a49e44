from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

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

if TYPE_CHECKING:  # django-stubs make the admin classes generic; at run time they are not
    _Inline = admin.TabularInline[Any, Any]
    _Admin = admin.ModelAdmin[Any]
else:
    _Inline = admin.TabularInline
    _Admin = admin.ModelAdmin


class _ReadOnly:
    """Templates are versioned: a change is a new version made in the template editor (or
    the API), which validates it; editing a version in place here would change the scoring of
    every scorecard on it without a trace, so the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PerspectiveInline(_ReadOnly, _Inline):
    model = Perspective
    extra = 0


@admin.register(ScorecardTemplate)
class ScorecardTemplateAdmin(_ReadOnly, _Admin):
    list_display = ("code", "version", "name", "created_at")
    inlines = [PerspectiveInline]


@admin.register(KpiDefinition)
class KpiDefinitionAdmin(_ReadOnly, _Admin):
    list_display = ("code", "name", "perspective", "direction", "target", "threshold", "weight")
    list_select_related = ("perspective__template",)


@admin.register(Scorecard)
class ScorecardAdmin(_Admin):
    list_display = ("partner", "template", "category", "frequency")
    list_select_related = ("partner", "template", "category")


@admin.register(Period)
class PeriodAdmin(_Admin):
    list_display = ("scorecard", "label", "status", "overall", "rating")
    list_filter = ("status", "rating")
    list_select_related = ("scorecard__partner", "scorecard__template")


@admin.register(Measurement)
class MeasurementAdmin(_Admin):
    list_display = ("period", "kpi", "measured_on", "value", "source", "status")
    list_filter = ("source", "status")
    list_select_related = ("period__scorecard__partner", "kpi")


@admin.register(Dispute)
class DisputeAdmin(_Admin):
    list_display = ("period", "status", "raised_at", "resolved_at")


@admin.register(PortfolioRollup)
class PortfolioRollupAdmin(_Admin):
    list_display = ("dimension", "label", "scorecards", "average")

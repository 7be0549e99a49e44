"""Scorecards (a template applied to a partner), their periods and the explained scores."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import CodeRelatedField, HasCapability, request_actor
from core.errors import FieldErrors
from core.roles import Capability
from partners.api.fields import partner_field
from partners.models import Category
from scorecards import exporting, selectors
from scorecards.models import Period, Scorecard, ScorecardTemplate
from scorecards.services import periods, scorecards


class ScorecardSerializer(serializers.ModelSerializer[Scorecard]):
    partner = partner_field()
    template_code = serializers.SlugField(write_only=True, required=False)
    template = serializers.PrimaryKeyRelatedField(
        queryset=ScorecardTemplate.objects.all(), required=False
    )
    category = CodeRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )
    latest_overall = serializers.CharField(read_only=True, allow_null=True)
    latest_rating = serializers.CharField(read_only=True, allow_null=True)
    latest_label = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "partner",
            "template",
            "template_code",
            "category",
            "frequency",
            "dispute_window_days",
            "latest_label",
            "latest_overall",
            "latest_rating",
        ]
        read_only_fields = ["dispute_window_days"]
        validators: list[Any] = []


class ScorecardViewSet(viewsets.ModelViewSet[Scorecard]):
    """Scorecards of the partners the user may see; creating one applies a template."""

    serializer_class = ScorecardSerializer
    permission_classes = [HasCapability]
    write_capability = Capability.MANAGE_SCORECARDS
    http_method_names = ["get", "post", "head", "options"]
    # Keeps /scorecards/preview/ out of this viewset's detail route.
    lookup_value_regex = r"\d+"
    filterset_fields = ["partner", "frequency"]

    def get_queryset(self) -> QuerySet[Scorecard]:
        return selectors.scorecard_list(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scorecard = scorecards.scorecard_apply_template(
            actor=request_actor(request),
            partner=data["partner"],
            template=data.get("template"),
            template_code=data.get("template_code"),
            category=data.get("category"),
            frequency=data.get("frequency", "quarterly"),
        )
        body = ScorecardSerializer(
            selectors.scorecard_list(request.user).get(pk=scorecard.pk),
            context={"request": request},
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("file_format", str, enum=["csv", "xlsx"], default="csv"),
            OpenApiParameter("period", int, required=False),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The explained breakdown of every scored period (or ``period``), one row per KPI,
        as CSV or XLSX; text that a spreadsheet would run as a formula is quoted."""
        fmt = request.query_params.get("file_format", "csv")
        if fmt not in {"csv", "xlsx"}:
            raise FieldErrors({"file_format": [_("Use csv or xlsx.")]})
        return exporting.scorecard_export_response(
            self.get_object(), fmt, request.query_params.get("period")
        )

    @extend_schema(request=None, responses=ScorecardSerializer)
    @action(detail=True, methods=["post"])
    def upgrade(self, request: Request, pk: str | None = None) -> Response:
        """Use the latest version of the scorecard's template from the open period on."""
        scorecard = scorecards.scorecard_upgrade_template(
            actor=request_actor(request), scorecard=self.get_object()
        )
        body = ScorecardSerializer(
            selectors.scorecard_list(request.user).get(pk=scorecard.pk),
            context={"request": request},
        ).data
        return Response(body)


class PeriodSerializer(serializers.ModelSerializer[Period]):
    overall = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()
    template_version = serializers.IntegerField(
        source="scored_template.version", read_only=True, allow_null=True
    )

    class Meta:
        model = Period
        fields = [
            "id",
            "scorecard",
            "label",
            "start",
            "end",
            "status",
            "overall",
            "rating",
            "coverage",
            "provisional",
            "template_version",
            "closed_at",
            "reopen_count",
        ]

    # The frozen display values: rounded once, from the exact scores.
    def get_overall(self, obj: Period) -> str | None:
        breakdown = obj.score_breakdown
        return breakdown.overall if breakdown else None

    def get_coverage(self, obj: Period) -> str | None:
        breakdown = obj.score_breakdown
        return breakdown.coverage if breakdown else None


class PeriodCloseSerializer(serializers.Serializer[dict[str, Any]]):
    confirm_early = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required (true) to close a period before its last day.",
    )


class PeriodReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class PeriodViewSet(viewsets.ReadOnlyModelViewSet[Period]):
    """Periods; ``scores`` explains a closed period; managers close and reopen."""

    serializer_class = PeriodSerializer
    permission_classes = [HasCapability]
    filterset_fields = ["scorecard", "status"]
    filter_scopes = {"scorecard": selectors.scorecards_visible_to}

    def get_queryset(self) -> QuerySet[Period]:
        return (
            selectors.periods_visible_to(self.request.user)
            .select_related("scored_template")
            .order_by("scorecard_id", "start")
        )

    @extend_schema(request=PeriodCloseSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close and score; a period that has not ended needs ``{"confirm_early": true}``."""
        body = PeriodCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = periods.period_close(
            actor=request_actor(request),
            period=self.get_object(),
            confirm_early=body.validated_data.get("confirm_early", False),
        )
        return Response(PeriodSerializer(period).data)

    @extend_schema(request=PeriodReasonSerializer, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        period = self.get_object()
        body = PeriodReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = periods.period_reopen(
            actor=request_actor(request), period=period, reason=body.data["reason"]
        )
        return Response(PeriodSerializer(period).data)

    @extend_schema(
        responses=inline_serializer("PeriodScores", {"breakdown": serializers.JSONField()})
    )
    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        """How the period's score was made: every KPI's value, target, threshold, weight,
        source and score, each perspective's score, and the template version used."""
        period = self.get_object()
        breakdown = period.score_breakdown
        return Response(
            {
                "period": PeriodSerializer(period).data,
                "breakdown": breakdown.to_json() if breakdown else {},
            }
        )

"""REST API of the scorecards app. Every queryset is scoped through partners.access; every
write goes through scorecards.services, which checks the actor's role and partner."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from core.api import HasCapability, request_actor
from core.errors import FieldErrors
from core.roles import Capability
from partners.api.fields import ScopedPrimaryKeyField, partner_field
from partners.models import Category
from scorecards import exporting, selectors
from scorecards.models import (
    Dispute,
    KpiDefinition,
    Measurement,
    Period,
    Perspective,
    Scorecard,
    ScorecardTemplate,
)
from scorecards.services import disputes, measurements, periods, scorecards, templates
from scorecards.template_input import scoring_preview

# --- templates -------------------------------------------------------------------------------


class KpiDefinitionSerializer(serializers.ModelSerializer[KpiDefinition]):
    class Meta:
        model = KpiDefinition
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "direction",
            "target",
            "threshold",
            "weight",
            "data_source",
            "aggregation",
        ]
        read_only_fields = ["id"]


class PerspectiveSerializer(serializers.ModelSerializer[Perspective]):
    kpis = KpiDefinitionSerializer(many=True)

    class Meta:
        model = Perspective
        fields = ["code", "name", "weight", "kpis"]


class TemplateSerializer(serializers.ModelSerializer[ScorecardTemplate]):
    perspectives = PerspectiveSerializer(many=True)

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "code", "version", "name", "description", "created_at", "perspectives"]
        read_only_fields = ["id", "version", "created_at"]
        # A new version of an existing code is how a template is edited.
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}
        validators: list[Any] = []


class TemplateViewSet(viewsets.ModelViewSet[ScorecardTemplate]):
    """Templates: internal users read; scorecard managers create (a new version per code)."""

    serializer_class = TemplateSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.MANAGE_SCORECARDS
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["code"]

    def get_queryset(self) -> QuerySet[ScorecardTemplate]:
        return ScorecardTemplate.objects.prefetch_related("perspectives__kpis").order_by(
            "code", "-version"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        template = templates.scorecard_template_create(
            actor=request_actor(request),
            code=data["code"],
            name=data["name"],
            description=data.get("description", ""),
            perspectives=[
                {**p, "kpis": [dict(k) for k in p["kpis"]]} for p in data["perspectives"]
            ],
        )
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


# --- scorecards and periods ------------------------------------------------------------------


class ScorecardSerializer(serializers.ModelSerializer[Scorecard]):
    partner = partner_field()
    template_code = serializers.SlugField(write_only=True, required=False)
    template = serializers.PrimaryKeyRelatedField(
        queryset=ScorecardTemplate.objects.all(), required=False
    )
    category = serializers.SlugRelatedField(
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
            raise FieldErrors({"file_format": ["Use csv or xlsx."]})
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


class PeriodReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class PeriodViewSet(viewsets.ReadOnlyModelViewSet[Period]):
    """Periods; ``scores`` explains a closed period; managers close and reopen."""

    serializer_class = PeriodSerializer
    permission_classes = [HasCapability]
    filterset_fields = ["scorecard", "status"]

    def get_queryset(self) -> QuerySet[Period]:
        return (
            selectors.periods_visible_to(self.request.user)
            .select_related("scored_template")
            .order_by("scorecard_id", "start")
        )

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        period = periods.period_close(actor=request_actor(request), period=self.get_object())
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


# --- measurements ----------------------------------------------------------------------------


def _periods_visible_to(user: selectors.Viewer) -> QuerySet[Period]:
    # The services read the period's scorecard: load it with the period.
    return selectors.periods_visible_to(user).select_related("scorecard")


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    period = ScopedPrimaryKeyField(_periods_visible_to)
    kpi = ScopedPrimaryKeyField(selectors.kpis_visible_to)
    measured_on = serializers.DateField(required=False)
    source = serializers.CharField(read_only=True, help_text="buyer or supplier")  # type: ignore[assignment]

    class Meta:
        model = Measurement
        fields = [
            "id",
            "period",
            "kpi",
            "measured_on",
            "value",
            "source",
            "status",
            "comment",
            "evidence",
            "entered_by",
            "entered_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        read_only_fields = [
            "source",
            "status",
            "entered_by",
            "entered_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ]
        validators: list[Any] = []


class BulkItemSerializer(serializers.Serializer[Any]):
    kpi = ScopedPrimaryKeyField(selectors.kpis_visible_to)
    value = serializers.DecimalField(max_digits=20, decimal_places=6)
    measured_on = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BulkSerializer(serializers.Serializer[Any]):
    period = ScopedPrimaryKeyField(_periods_visible_to)
    measurements = BulkItemSerializer(many=True, allow_empty=False)


def _flat_errors(errors: object, path: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as ``{"measurements[0].value": [...]}``."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            if str(key).isdigit():
                child = f"{path}[{key}]"
            elif key == "non_field_errors" and path:
                child = path
            else:
                child = f"{path}.{key}" if path else str(key)
            for sub, messages in _flat_errors(value, child).items():
                flat.setdefault(sub, []).extend(messages)
        return flat
    if isinstance(errors, list) and errors and all(isinstance(e, dict) for e in errors):
        flat = {}
        for index, item in enumerate(errors):
            flat |= _flat_errors(item, f"{path}[{index}]")
        return flat
    leaves = errors if isinstance(errors, list) else [errors]
    return {path or "non_field_errors": [str(e) for e in leaves]}


class ReviewSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MeasurementViewSet(viewsets.ModelViewSet[Measurement]):
    """Measurements: buyers' values count at once, suppliers' self-reports once accepted."""

    serializer_class = MeasurementSerializer
    permission_classes = [HasCapability]
    write_capability = Capability.ENTER_MEASUREMENTS
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["period", "kpi", "status", "source"]

    def get_queryset(self) -> QuerySet[Measurement]:
        return selectors.measurements_visible_to(self.request.user).order_by(
            "period_id", "kpi_id", "measured_on", "id"
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Measurement]) -> None:
        data = serializer.validated_data
        serializer.instance = measurements.measurement_record(
            actor=request_actor(self.request),
            period=data["period"],
            kpi=data["kpi"],
            value=data["value"],
            measured_on=data.get("measured_on"),
            comment=data.get("comment", ""),
            evidence=data.get("evidence"),
        )

    @extend_schema(request=BulkSerializer, responses=MeasurementSerializer(many=True))
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Record many values for one period at once; one bad item records nothing."""
        body = BulkSerializer(data=request.data, context={"request": request})
        if not body.is_valid():
            # The same field paths as the service's errors: measurements[1].value.
            raise FieldErrors(_flat_errors(body.errors))
        actor = request_actor(request)
        period = body.validated_data["period"]
        created = []
        with transaction.atomic():
            for index, item in enumerate(body.validated_data["measurements"]):
                try:
                    created.append(
                        measurements.measurement_record(
                            actor=actor,
                            period=period,
                            kpi=item["kpi"],
                            value=item["value"],
                            measured_on=item.get("measured_on"),
                            comment=item.get("comment", ""),
                        )
                    )
                except FieldErrors as error:
                    raise FieldErrors(
                        {f"measurements[{index}].{k}": v for k, v in error.errors.items()}
                    ) from error
        return Response(
            MeasurementSerializer(created, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _review(self, request: Request, accept: bool) -> Response:
        measurement = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measurement = measurements.measurement_review(
            actor=request_actor(request),
            measurement=measurement,
            accept=accept,
            comment=body.data["comment"],
        )
        return Response(MeasurementSerializer(measurement, context={"request": request}).data)

    @extend_schema(request=ReviewSerializer, responses=MeasurementSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, accept=True)

    @extend_schema(request=ReviewSerializer, responses=MeasurementSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, accept=False)


# --- disputes --------------------------------------------------------------------------------


class DisputeSerializer(serializers.ModelSerializer[Dispute]):
    period = ScopedPrimaryKeyField(_periods_visible_to)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "period",
            "kpi_code",
            "reason",
            "status",
            "raised_by",
            "raised_at",
            "resolution",
            "resolved_by",
            "resolved_at",
            "overall_before",
            "overall_after",
        ]
        read_only_fields = [
            "status",
            "raised_by",
            "raised_at",
            "resolution",
            "resolved_by",
            "resolved_at",
            "overall_before",
            "overall_after",
        ]


class ResolveSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=["corrected", "rejected"])
    explanation = serializers.CharField()
    corrections = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=6), required=False
    )


class DisputeViewSet(viewsets.ModelViewSet[Dispute]):
    """Disputes: the partner's users raise them, buyers resolve them; both read them."""

    serializer_class = DisputeSerializer
    permission_classes = [HasCapability]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["period", "status"]

    def get_queryset(self) -> QuerySet[Dispute]:
        return selectors.disputes_visible_to(self.request.user).order_by("-raised_at")

    def perform_create(self, serializer: serializers.BaseSerializer[Dispute]) -> None:
        data = serializer.validated_data
        serializer.instance = disputes.dispute_raise(
            actor=request_actor(self.request),
            period=data["period"],
            reason=data["reason"],
            kpi_code=data.get("kpi_code", ""),
        )

    @extend_schema(request=ResolveSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        dispute = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = disputes.dispute_resolve(
            actor=request_actor(request),
            dispute=dispute,
            outcome=body.validated_data["outcome"],
            explanation=body.validated_data["explanation"],
            corrections=body.validated_data.get("corrections"),
        )
        return Response(DisputeSerializer(dispute, context={"request": request}).data)


# --- preview ---------------------------------------------------------------------------------

_PREVIEW_REQUEST = inline_serializer(
    "PreviewRequest",
    {
        "perspectives": inline_serializer(
            "PreviewPerspective",
            {
                "code": serializers.CharField(),
                "weight": serializers.DecimalField(max_digits=20, decimal_places=6),
                "kpis": inline_serializer(
                    "PreviewKpi",
                    {
                        "code": serializers.CharField(),
                        "direction": serializers.ChoiceField(
                            choices=["higher_is_better", "lower_is_better"]
                        ),
                        "target": serializers.DecimalField(max_digits=20, decimal_places=6),
                        "threshold": serializers.DecimalField(max_digits=20, decimal_places=6),
                        "weight": serializers.DecimalField(max_digits=20, decimal_places=6),
                        "value": serializers.DecimalField(
                            max_digits=20, decimal_places=6, allow_null=True
                        ),
                    },
                    many=True,
                ),
            },
            many=True,
        )
    },
)
_PREVIEW_RESPONSE = inline_serializer(
    "PreviewResult",
    {
        "overall": serializers.CharField(allow_null=True),
        "rating": serializers.CharField(allow_null=True),
        "coverage": serializers.CharField(),
        "provisional": serializers.BooleanField(),
        "perspectives": serializers.JSONField(),
    },
)


class ScoringPreviewView(APIView):
    """What-if scoring with the engine that closes periods; nothing is stored."""

    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO

    @extend_schema(request=_PREVIEW_REQUEST, responses=_PREVIEW_RESPONSE)
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        if "perspectives" not in data:
            raise FieldErrors({"perspectives": ["This field is required."]})
        return Response(scoring_preview(data["perspectives"]))


# Included before the router's URLs so the scorecards viewset never sees "preview".
urlpatterns = [path("scorecards/preview/", ScoringPreviewView.as_view(), name="scorecard-preview")]


def register(router: BaseRouter) -> None:
    router.register("scorecard-templates", TemplateViewSet, basename="scorecard-template")
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
    router.register("scorecard-periods", PeriodViewSet, basename="scorecard-period")
    router.register("scorecard-measurements", MeasurementViewSet, basename="scorecard-measurement")
    router.register("scorecard-disputes", DisputeViewSet, basename="scorecard-dispute")

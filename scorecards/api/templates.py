"""Scorecard templates (a new version per code) and the what-if scoring preview."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import HasCapability, request_actor
from core.errors import FieldErrors
from core.roles import Capability
from scorecards.models import KpiDefinition, Perspective, ScorecardTemplate
from scorecards.services import templates
from scorecards.template_input import scoring_preview


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
            raise FieldErrors({"perspectives": [_("This field is required.")]})
        return Response(scoring_preview(data["perspectives"]))


# Included before the router's URLs so the scorecards viewset never sees "preview".

"""Disputes of a closed period's score: raised by the partner, resolved by the buyer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import HasCapability, request_actor
from scorecards import selectors
from scorecards.api.fields import period_field
from scorecards.models import Dispute
from scorecards.services import disputes


class DisputeSerializer(serializers.ModelSerializer[Dispute]):
    period = period_field()
    kpi_name = serializers.CharField(read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "period",
            "kpi_code",
            "kpi_name",
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
    filter_scopes = {"period": selectors.periods_visible_to}

    def get_queryset(self) -> QuerySet[Dispute]:
        return (
            selectors.disputes_visible_to(self.request.user)
            .select_related("period")
            .order_by("-raised_at")
        )

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

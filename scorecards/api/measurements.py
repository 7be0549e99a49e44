"""Measurements: buyer values, supplier self-reports, bulk entry and review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import HasCapability, request_actor
from core.errors import FieldErrors
from core.roles import Capability
from scorecards import selectors
from scorecards.api.fields import kpi_field, period_field
from scorecards.models import Measurement
from scorecards.services import measurements


class MeasurementSerializer(serializers.ModelSerializer[Measurement]):
    period = period_field()
    kpi = kpi_field()
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
    kpi = kpi_field()
    value = serializers.DecimalField(max_digits=20, decimal_places=6)
    measured_on = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BulkSerializer(serializers.Serializer[Any]):
    period = period_field()
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
    filter_scopes = {"period": selectors.periods_visible_to, "kpi": selectors.kpis_visible_to}

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

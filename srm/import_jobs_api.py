"""REST API of the one importer's jobs (core.importing).

``POST /api/v1/import-jobs/`` (multipart: ``kind`` — ``partners``, ``contacts`` or
``measurements`` —, ``file``, and ``scorecard`` for measurements) stores the file and answers
202 with the job; a worker checks every row. ``GET …/{id}/`` shows its status, progress,
counts and the first errors (``first_errors``: row, column, message);
``POST …/{id}/confirm/`` has a worker write a checked job, all rows or none. A user sees
their own jobs only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api import request_actor
from core.importing import SPECS, import_job_confirm, import_job_start
from core.models import ImportJob, User


class ImportJobSerializer(serializers.ModelSerializer[ImportJob]):
    first_errors = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "params",
            "filename",
            "status",
            "rows_done",
            "rows_total",
            "rows",
            "error_count",
            "first_errors",
            "counts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_first_errors(self, job: ImportJob) -> list[dict[str, Any]]:
        return [{"row": r, "column": c, "message": m} for r, c, m in job.errors]


class ImportJobCreateSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=["partners", "contacts", "measurements"])
    file = serializers.FileField()
    scorecard = serializers.IntegerField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == "measurements" and "scorecard" not in attrs:
            raise serializers.ValidationError(
                {"scorecard": [_("Name the scorecard the measurements are for.")]}
            )
        return attrs


class ImportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportJob]
):
    serializer_class = ImportJobSerializer
    filter_backends: list[Any] = []
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ImportJob.objects.none()
        return ImportJob.objects.filter(created_by_id=self.request.user.pk).order_by("-id")

    @extend_schema(
        request={"multipart/form-data": ImportJobCreateSerializer},
        responses={202: ImportJobSerializer},
    )
    def create(self, request: Request) -> Response:
        """Upload a file to import; a worker checks it (202, then poll the job)."""
        data = ImportJobCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = request_actor(request)
        assert isinstance(actor, User)
        kind = data.validated_data["kind"]
        assert kind in SPECS
        params = {"scorecard": data.validated_data["scorecard"]} if kind == "measurements" else {}
        job = import_job_start(
            actor=actor, kind=kind, params=params, upload=data.validated_data["file"]
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Write a checked job (a worker; all rows or none)."""
        actor = request_actor(request)
        assert isinstance(actor, User)
        job = import_job_confirm(actor=actor, job=self.get_object())
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def register(router: BaseRouter) -> None:
    router.register("import-jobs", ImportJobViewSet, basename="import-job")

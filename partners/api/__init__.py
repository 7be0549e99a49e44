"""REST API for partners; every queryset is scoped through partners.access.

Suppliers read their own company (public fields), its contacts, the notes shared with it
and the agreements' signed terms. Everything else here is internal: segmentation,
readiness assessments, benchmarks, supply items, spend, playbooks, internal notes,
agreement documents and internal notes on agreements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Model, OuterRef, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.serializers import BaseSerializer

from core.api import HasCapability, request_actor
from core.api_versions import ConditionalWriteMixin
from core.models import User
from core.roles import Capability, Role
from partners.access import (
    partners_visible_to,
    require_capability,
    sees_every_partner,
    visible_partners_only,
)
from partners.api import serializers as s
from partners.api.invitations import InvitationViewSet
from partners.models import (
    Agreement,
    AnnualSpend,
    EngagementPlaybook,
    Partner,
    PartnerNote,
    PriceBenchmark,
    ReadinessAssessment,
    ReadinessCriterion,
    SegmentationAssessment,
    SupplierContact,
    SupplyItem,
)
from partners.selectors import EXPORT_CONTENT_TYPES, partner_export, partner_list, playbook_for
from partners.services import agreements, playbooks, readiness, records, segmentation
from partners.services import partners as partner_services
from partners.services.agreements import AgreementFields
from partners.services.imports import partner_import
from partners.services.records import BenchmarkFields, ContactFields, SupplyItemFields


def _fields_of(serializer: BaseSerializer[Any]) -> dict[str, Any]:
    """The validated fields but the partner: a record is given its partner once, on create."""
    return {k: v for k, v in serializer.validated_data.items() if k != "partner"}


def _internal(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO)


class PartnerFilter(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]  # untyped library
    category = django_filters.CharFilter(method="filter_category")
    flagged = django_filters.BooleanFilter(method="filter_flagged")

    class Meta:
        model = Partner
        fields = ["engagement_model", "quadrant", "lifecycle_stage", "country", "owner"]

    def filter_category(
        self, queryset: QuerySet[Partner], name: str, value: str
    ) -> QuerySet[Partner]:
        # EXISTS, not a join: a partner in the category once, and no DISTINCT over the list.
        if not value:
            return queryset
        in_category = Partner.categories.through.objects.filter(
            partner=OuterRef("pk"), category__code=value
        )
        return queryset.filter(Exists(in_category))

    def filter_flagged(
        self, queryset: QuerySet[Partner], name: str, value: bool | None
    ) -> QuerySet[Partner]:
        if value is None:
            return queryset
        return queryset.filter(flag_count__gt=0) if value else queryset.filter(flag_count=0)


def _owners_visible_to(user: Any) -> QuerySet[User]:
    """The people a partner list may be filtered by owner: our own, for internal users only."""
    if not _internal(user):
        return User.objects.none()
    return User.objects.exclude(role=Role.SUPPLIER_USER)


class _FileRenderer(BaseRenderer):
    """Passes a prepared file through; an error body (a dict) is written as JSON text."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str).encode()


class CsvFileRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XlsxFileRenderer(_FileRenderer):
    media_type = EXPORT_CONTENT_TYPES["xlsx"]
    format = "xlsx"
    charset = None


class PartnerViewSet(ConditionalWriteMixin, viewsets.ModelViewSet[Partner]):
    """Partners: suppliers read only their own company; managers read all and edit."""

    permission_classes = [HasCapability]
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    search_fields = ["legal_name", "short_name"]
    filterset_class = PartnerFilter
    filter_scopes = {"owner": _owners_visible_to}
    ordering_fields = ["short_name", "legal_name", "country", "flag_count"]

    def get_serializer_class(self) -> type[BaseSerializer[Partner]]:
        if getattr(self, "swagger_fake_view", False) or _internal(self.request.user):
            return s.PartnerSerializer
        return s.SupplierPartnerSerializer

    def get_queryset(self) -> QuerySet[Partner]:
        queryset = partners_visible_to(self.request.user).prefetch_related("categories")
        if _internal(self.request.user):
            queryset = queryset.prefetch_related("agreements")
        queryset = queryset.order_by("short_name")
        # Only a supplier's scope joins (through the partner's users) and may repeat a partner;
        # sorting every partner to drop duplicates would cost the whole table per page.
        return queryset if sees_every_partner(self.request.user) else queryset.distinct()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # Filtering by quadrant or flags would let a supplier probe internal fields.
        if not _internal(self.request.user):
            return queryset
        return super().filter_queryset(queryset)

    def perform_create(self, serializer: BaseSerializer[Partner]) -> None:
        serializer.instance = partner_services.partner_create(
            actor=request_actor(self.request), fields=serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[Partner]) -> None:
        assert serializer.instance is not None
        serializer.instance = partner_services.partner_update(
            actor=request_actor(self.request),
            partner=serializer.instance,
            changes=serializer.validated_data,
            expected_version=self.expected_version(),
        )

    @extend_schema(request=s.TransitionSerializer, responses=s.PartnerSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move the partner to another lifecycle stage with a reason (exited: lessons too)."""
        partner = self.get_object()
        data = s.TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        partner_services.partner_transition(
            actor=request_actor(request),
            partner=partner,
            to_stage=data.validated_data["to_stage"],
            reason=data.validated_data["reason"],
            lessons_learned=data.validated_data["lessons_learned"],
        )
        partner.refresh_from_db()
        return Response(s.PartnerSerializer(partner, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format", str, enum=["csv", "xlsx"], description="File type (default csv)."
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, EXPORT_CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[CsvFileRenderer, XlsxFileRenderer],
        pagination_class=None,
    )
    def export(self, request: Request) -> Response:
        """The list with the same filters, search and ordering, as CSV or XLSX (internal).

        Choose the type with ``?format=csv|xlsx`` or the Accept header. Text cells that
        begin like a formula get a leading ``'`` so no spreadsheet runs them.
        """
        require_capability(request.user, Capability.VIEW_PORTFOLIO)
        fmt = request.accepted_renderer.format
        partners = self.filter_queryset(partner_list(request.user).order_by("short_name"))
        content, _ = partner_export(partners.distinct(), fmt)
        return Response(
            content,
            headers={"Content-Disposition": f'attachment; filename="partners.{fmt}"'},
        )

    @extend_schema(request=s.EngagementModelChangeSerializer, responses=s.PlaybookSerializer)
    @action(detail=True, methods=["post"], url_path="engagement-model")
    def engagement_model(self, request: Request, pk: str | None = None) -> Response:
        """Move the partner to another engagement model; answers the new playbook."""
        partner = self.get_object()
        data = s.EngagementModelChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playbook = playbooks.partner_engagement_model_change(
            actor=request_actor(request),
            partner=partner,
            engagement_model=data.validated_data["engagement_model"],
        )
        return Response(s.PlaybookSerializer(playbook).data)

    @extend_schema(responses=s.PlaybookSerializer)
    @action(detail=True, methods=["get"])
    def playbook(self, request: Request, pk: str | None = None) -> Response:
        """The playbook of the partner's engagement model (internal)."""
        require_capability(request.user, Capability.VIEW_PORTFOLIO)
        return Response(s.PlaybookSerializer(playbook_for(self.get_object())).data)

    @extend_schema(request={"multipart/form-data": s.ImportSerializer}, responses=None)
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request: Request) -> Response:
        """Import partners and annual spend from CSV/XLSX; all rows or none (400 lists errors)."""
        data = s.ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = partner_import(actor=request_actor(request), upload=data.validated_data["file"])
        if result.errors:
            return Response(
                {"rows": [e.as_dict() for e in result.errors]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            {"created": result.created, "updated": result.updated, "spend": result.spend}
        )


class PlaybookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    ConditionalWriteMixin,
    viewsets.GenericViewSet[EngagementPlaybook],
):
    """Engagement-model playbooks; internal users read, administrators edit."""

    serializer_class = s.PlaybookSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.ADMINISTER
    lookup_field = "engagement_model"
    queryset = EngagementPlaybook.objects.all()
    filter_backends: list[Any] = []

    def perform_update(self, serializer: BaseSerializer[EngagementPlaybook]) -> None:
        assert serializer.instance is not None
        serializer.instance = playbooks.playbook_update(
            actor=request_actor(self.request),
            playbook=serializer.instance,
            changes=serializer.validated_data,
            expected_version=self.expected_version(),
        )


class ReadinessCriterionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[ReadinessCriterion],
):
    """The readiness & alignment template; internal users read, administrators edit.

    Criteria are deactivated (``active: false``), never deleted: assessments refer to them.
    """

    serializer_class = s.ReadinessCriterionSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.ADMINISTER
    queryset = ReadinessCriterion.objects.all()
    filter_backends: list[Any] = []

    def perform_create(self, serializer: BaseSerializer[ReadinessCriterion]) -> None:
        serializer.instance = readiness.readiness_criterion_save(
            actor=request_actor(self.request), changes=serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[ReadinessCriterion]) -> None:
        assert serializer.instance is not None
        serializer.instance = readiness.readiness_criterion_save(
            actor=request_actor(self.request),
            criterion=serializer.instance,
            changes=serializer.validated_data,
        )


class PartnerChildViewSet(viewsets.ModelViewSet[Any]):
    """Records that belong to one partner; scoped to the partners the user may see."""

    model: type[Model]
    permission_classes = [HasCapability]
    required_capability: Capability | None = Capability.VIEW_PORTFOLIO
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["partner"]
    select: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet[Any]:
        return (
            visible_partners_only(self.model._default_manager.all(), self.request.user)
            .select_related("partner", *self.select)
            .order_by("partner__short_name", "pk")
        )


class NoteViewSet(PartnerChildViewSet):
    """Notes; suppliers read only those shared with their company."""

    model = PartnerNote
    serializer_class = s.NoteSerializer
    required_capability = None
    http_method_names = ["get", "post", "head", "options"]
    select = ("author",)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if not _internal(self.request.user):
            queryset = queryset.filter(visibility="shared")
        return queryset

    def perform_create(self, serializer: BaseSerializer[PartnerNote]) -> None:
        data = serializer.validated_data
        serializer.instance = records.note_create(
            actor=request_actor(self.request),
            partner=data["partner"],
            body=data["body"],
            visibility=data.get("visibility", "internal"),
        )


class ContactViewSet(ConditionalWriteMixin, PartnerChildViewSet):
    """Supplier-side contacts; suppliers read their own company's."""

    model = SupplierContact
    serializer_class = s.ContactSerializer
    required_capability = None

    def perform_create(self, serializer: BaseSerializer[SupplierContact]) -> None:
        serializer.instance = records.contact_save(
            actor=request_actor(self.request),
            partner=serializer.validated_data["partner"],
            changes=cast(ContactFields, _fields_of(serializer)),
        )

    def perform_update(self, serializer: BaseSerializer[SupplierContact]) -> None:
        assert serializer.instance is not None
        serializer.instance = records.contact_save(
            actor=request_actor(self.request),
            partner=serializer.instance.partner,
            contact=serializer.instance,
            changes=cast(ContactFields, _fields_of(serializer)),
            expected_version=self.expected_version(),
        )


class SpendViewSet(PartnerChildViewSet):
    """Annual spend per partner, year and category (internal)."""

    model = AnnualSpend
    serializer_class = s.SpendSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["partner", "year"]
    select = ("category",)

    def perform_create(self, serializer: BaseSerializer[AnnualSpend]) -> None:
        data = serializer.validated_data
        serializer.instance = records.spend_record(
            actor=request_actor(self.request),
            partner=data["partner"],
            year=data["year"],
            category=data["category"],
            amount=data["amount"],
        )


class SegmentationViewSet(PartnerChildViewSet):
    """Kraljic assessments, newest first; creating one sets the partner's quadrant."""

    model = SegmentationAssessment
    serializer_class = s.SegmentationSerializer
    http_method_names = ["get", "post", "head", "options"]
    select = ("category",)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().order_by("-assessed_at", "-id")

    def perform_create(self, serializer: BaseSerializer[SegmentationAssessment]) -> None:
        data = serializer.validated_data
        serializer.instance = segmentation.segmentation_assess(
            actor=request_actor(self.request),
            partner=data["partner"],
            ratings=data["ratings"],
            category=data.get("category"),
            override_quadrant=data.get("override_quadrant") or None,
            override_justification=data.get("override_justification", ""),
        )


class ReadinessViewSet(PartnerChildViewSet):
    """Readiness & alignment assessments (internal); other assessors add ratings via /rate/."""

    model = ReadinessAssessment
    serializer_class = s.ReadinessSerializer
    write_capability = Capability.RUN_ASSESSMENTS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .prefetch_related("ratings__assessor")
            .order_by("-assessed_on", "-id")
        )

    def perform_create(self, serializer: BaseSerializer[ReadinessAssessment]) -> None:
        data = serializer.validated_data
        serializer.instance = readiness.readiness_assessment_create(
            actor=request_actor(self.request),
            partner=data["partner"],
            assessed_on=data["assessed_on"],
            ratings=data["ratings"],
        )

    @extend_schema(request=s.ReadinessRatingInputSerializer, responses=s.ReadinessSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        """Add or replace the signed-in assessor's ratings; the result is recomputed."""
        assessment = self.get_object()
        data = s.ReadinessRatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment = readiness.readiness_rating_add(
            actor=request_actor(request),
            assessment=assessment,
            ratings=data.validated_data["ratings"],
        )
        return Response(self.get_serializer(assessment).data)


class AgreementViewSet(ConditionalWriteMixin, PartnerChildViewSet):
    """Agreements; suppliers read their own company's signed terms, without internal fields."""

    model = Agreement
    required_capability = None
    filterset_fields = ["partner", "kind"]

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if getattr(self, "swagger_fake_view", False) or _internal(self.request.user):
            return s.AgreementSerializer
        return s.SupplierAgreementSerializer

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        if _internal(self.request.user):
            queryset = queryset.prefetch_related("documents")
        return queryset

    def perform_create(self, serializer: BaseSerializer[Agreement]) -> None:
        serializer.instance = agreements.agreement_create(
            actor=request_actor(self.request),
            partner=serializer.validated_data["partner"],
            fields=cast(AgreementFields, _fields_of(serializer)),
        )

    def perform_update(self, serializer: BaseSerializer[Agreement]) -> None:
        assert serializer.instance is not None
        serializer.instance = agreements.agreement_update(
            actor=request_actor(self.request),
            agreement=serializer.instance,
            changes=cast(AgreementFields, _fields_of(serializer)),
            expected_version=self.expected_version(),
        )

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentUploadSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """Attach a document to the agreement (internal)."""
        agreement = self.get_object()
        data = s.DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = agreements.agreement_document_add(
            actor=request_actor(request),
            agreement=agreement,
            file=data.validated_data["file"],
            name=data.validated_data.get("name", ""),
        )
        return Response(s.DocumentUploadSerializer(document).data, status=status.HTTP_201_CREATED)


class SupplyItemViewSet(ConditionalWriteMixin, PartnerChildViewSet):
    """Supplied items and their second sources (internal)."""

    model = SupplyItem
    serializer_class = s.SupplyItemSerializer
    select = ("category",)

    def perform_create(self, serializer: BaseSerializer[SupplyItem]) -> None:
        serializer.instance = records.supply_item_save(
            actor=request_actor(self.request),
            partner=serializer.validated_data["partner"],
            changes=cast(SupplyItemFields, _fields_of(serializer)),
        )

    def perform_update(self, serializer: BaseSerializer[SupplyItem]) -> None:
        assert serializer.instance is not None
        serializer.instance = records.supply_item_save(
            actor=request_actor(self.request),
            partner=serializer.instance.partner,
            item=serializer.instance,
            changes=cast(SupplyItemFields, _fields_of(serializer)),
            expected_version=self.expected_version(),
        )


class BenchmarkViewSet(ConditionalWriteMixin, PartnerChildViewSet):
    """Market price benchmarks and premiums (internal; never shown to suppliers)."""

    model = PriceBenchmark
    serializer_class = s.BenchmarkSerializer
    select = ("category",)

    def perform_create(self, serializer: BaseSerializer[PriceBenchmark]) -> None:
        serializer.instance = records.benchmark_save(
            actor=request_actor(self.request),
            partner=serializer.validated_data["partner"],
            changes=cast(BenchmarkFields, _fields_of(serializer)),
        )

    def perform_update(self, serializer: BaseSerializer[PriceBenchmark]) -> None:
        assert serializer.instance is not None
        serializer.instance = records.benchmark_save(
            actor=request_actor(self.request),
            partner=serializer.instance.partner,
            benchmark=serializer.instance,
            changes=cast(BenchmarkFields, _fields_of(serializer)),
            expected_version=self.expected_version(),
        )


def register(router: BaseRouter) -> None:
    router.register("partners", PartnerViewSet, basename="partner")
    router.register("partner-playbooks", PlaybookViewSet, basename="partner-playbook")
    router.register("partner-notes", NoteViewSet, basename="partner-note")
    router.register("partner-contacts", ContactViewSet, basename="partner-contact")
    router.register("partner-spend", SpendViewSet, basename="partner-spend")
    router.register("partner-segmentations", SegmentationViewSet, basename="partner-segmentation")
    router.register("partner-readiness", ReadinessViewSet, basename="partner-readiness")
    router.register(
        "partner-readiness-criteria",
        ReadinessCriterionViewSet,
        basename="partner-readiness-criterion",
    )
    router.register("partner-agreements", AgreementViewSet, basename="partner-agreement")
    router.register("partner-supply-items", SupplyItemViewSet, basename="partner-supply-item")
    router.register("partner-benchmarks", BenchmarkViewSet, basename="partner-benchmark")
    router.register("partner-invitations", InvitationViewSet, basename="partner-invitation")

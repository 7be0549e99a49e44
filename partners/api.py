"""REST API for partners; every queryset is scoped through partners.access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from partners import services
from partners.access import partners_visible_to
from partners.models import Category, Partner
from srm.core.api import HasCapability, request_actor
from srm.core.roles import Capability


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    categories = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Category.objects.all(), required=False
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "legal_name",
            "short_name",
            "country",
            "currency",
            "website",
            "categories",
            "lifecycle_stage",
            "engagement_model",
            "quadrant",
            "owner",
            "alliance_manager",
            "executive_sponsor",
            "tags",
            "description",
        ]
        read_only_fields = ["lifecycle_stage"]


class PartnerViewSet(viewsets.ModelViewSet[Partner]):
    """Partners: suppliers read only their own company; managers read all and edit."""

    serializer_class = PartnerSerializer
    permission_classes = [HasCapability]
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    search_fields = ["legal_name", "short_name"]
    filterset_fields = ["engagement_model", "quadrant", "lifecycle_stage", "country"]
    ordering_fields = ["short_name", "legal_name", "country"]

    def get_queryset(self) -> QuerySet[Partner]:
        return (
            partners_visible_to(self.request.user)
            .prefetch_related("categories")
            .order_by("short_name")
        )

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.partner_create(
            actor=request_actor(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.partner_update(
            actor=request_actor(self.request),
            partner=serializer.instance,
            **serializer.validated_data,
        )


def register(router: BaseRouter) -> None:
    router.register("partners", PartnerViewSet, basename="partner")

"""API for supplier invitations: list, create (e-mails the link), revoke. Internal users only;
the link itself is never in an answer, only in the invitee's e-mail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import HasCapability, request_actor
from core.roles import Capability
from partners.access import partners_visible_to
from partners.api.fields import ScopedPrimaryKeyField
from partners.invitations import invitations_visible_to
from partners.models import PartnerInvitation, SupplierContact
from partners.services import invitations


def contacts_visible_to(user: Any) -> QuerySet[SupplierContact]:
    return SupplierContact.objects.filter(partner__in=partners_visible_to(user))


class InvitationSerializer(serializers.ModelSerializer[PartnerInvitation]):
    contact = ScopedPrimaryKeyField(contacts_visible_to)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = PartnerInvitation
        fields = [
            "id",
            "partner",
            "contact",
            "email",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = [
            "partner",
            "email",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[PartnerInvitation],
):
    """Invitations of supplier contacts to the portal; creating one e-mails its link (7 days,
    single use) and withdraws the contact's earlier pending invitation."""

    serializer_class = InvitationSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["partner", "contact"]
    filter_scopes = {"contact": contacts_visible_to}

    def get_queryset(self) -> QuerySet[PartnerInvitation]:
        return (
            invitations_visible_to(self.request.user)
            .select_related("partner", "contact")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[PartnerInvitation]) -> None:
        sent = invitations.invitation_send(
            actor=request_actor(self.request), contact=serializer.validated_data["contact"]
        )
        serializer.instance = sent.invitation

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        invitation = invitations.invitation_revoke(
            actor=request_actor(request), invitation=self.get_object()
        )
        return Response(self.get_serializer(invitation).data)

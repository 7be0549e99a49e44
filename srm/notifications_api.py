"""REST API for the signed-in user's notifications and notification preferences.

``/api/v1/notifications/`` lists the user's inbox (filters ``kind``, ``unread``), with
``{id}/read/`` and ``read-all/``; a supplier user gets only their own company's.
``/api/v1/notification-preferences/`` lists one preference per kind (the defaults where the
user chose nothing) and ``PUT``/``PATCH …/{kind}/`` changes one.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api import request_actor
from core.models import Notification
from core.notifications import NotificationKind, Preference
from core.selectors import notification_preferences
from core.services import (
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
)
from srm.inbox import notifications_for


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    partner = serializers.IntegerField(source="partner_ref", read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "partner",
            "subject",
            "body",
            "url",
            "event_at",
            "created_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Notification]
):
    serializer_class = NotificationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        params = self.request.query_params
        kind = params.get("kind") or None
        if kind is not None and kind not in NotificationKind:
            kind = "-"  # an unknown kind matches nothing rather than everything
        return notifications_for(
            request_actor(self.request), kind=kind, unread=_truthy(params.get("unread"))
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=[k.value for k in NotificationKind]),
            OpenApiParameter("unread", bool),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = notification_mark_read(
            actor=request_actor(request), notification=self.get_object()
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: {"type": "object"}})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        marked = notifications_mark_all_read(actor=request_actor(request), kind=kind)
        return Response({"marked": marked})


class PreferenceSerializer(serializers.Serializer[Preference]):
    # Plain text here: the one enum of kinds is the notification's (one schema component).
    kind = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    email = serializers.BooleanField()
    in_app = serializers.BooleanField()
    lead = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    lead_unit = serializers.SerializerMethodField()
    max_lead = serializers.SerializerMethodField()

    def get_name(self, preference: Preference) -> str:
        return preference.kind.label

    def get_lead_unit(self, preference: Preference) -> str | None:
        unit = preference.kind.spec.lead_unit
        return unit.value if unit else None

    def get_max_lead(self, preference: Preference) -> int | None:
        return preference.kind.spec.max_lead if preference.kind.spec.is_reminder else None


KIND_PATH = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=[kind.value for kind in NotificationKind]
)


class NotificationPreferenceViewSet(viewsets.ViewSet):
    """The user's own preferences, one per kind they may receive (looked up by kind)."""

    lookup_field = "kind"
    serializer_class = PreferenceSerializer

    def _current(self, request: Request, kind: str) -> Preference:
        for preference in notification_preferences(request_actor(request)):
            if preference.kind.value == kind:
                return preference
        raise NotFound(_("You receive no notifications of this kind."))

    @extend_schema(responses=PreferenceSerializer(many=True))
    def list(self, request: Request) -> Response:
        prefs = notification_preferences(request_actor(request))
        return Response(PreferenceSerializer(cast(Any, prefs), many=True).data)

    @extend_schema(parameters=[KIND_PATH], responses=PreferenceSerializer)
    def retrieve(self, request: Request, kind: str | None = None) -> Response:
        return Response(PreferenceSerializer(self._current(request, kind or "")).data)

    @extend_schema(
        parameters=[KIND_PATH], request=PreferenceSerializer, responses=PreferenceSerializer
    )
    def update(self, request: Request, kind: str | None = None) -> Response:
        current = self._current(request, kind or "")
        partial = request.method == "PATCH"
        serializer = PreferenceSerializer(current, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        lead = data.get("lead", current.lead)
        changed = Preference(
            current.kind, data.get("email", current.email), data.get("in_app", current.in_app), lead
        )
        notification_preferences_save(actor=request_actor(request), preferences=[changed])
        return Response(PreferenceSerializer(self._current(request, current.kind.value)).data)

    @extend_schema(
        parameters=[KIND_PATH], request=PreferenceSerializer, responses=PreferenceSerializer
    )
    def partial_update(self, request: Request, kind: str | None = None) -> Response:
        return self.update(request, kind)


def register(router: BaseRouter) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
    router.register(
        "notification-preferences",
        NotificationPreferenceViewSet,
        basename="notification-preference",
    )

"""API of improvement plans (SPEC 3.8). Plans are internal (root cause, decisions); a
supplier reads the actions of its company's open plans through ``improvement-actions``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api import HasCapability, request_actor
from core.roles import Capability
from governance.improvement import PlanOutcome, RootCause
from governance.models import ImprovementAction, ImprovementPlan
from governance.selectors_improvement import (
    improvement_actions_visible_to,
    improvement_plans_visible_to,
)
from governance.services import improvement
from partners.api.fields import partner_field


class ImprovementActionSerializer(serializers.ModelSerializer[ImprovementAction]):
    partner = serializers.IntegerField(source="plan.partner_id", read_only=True)
    action = serializers.IntegerField(source="action_id", read_only=True)
    title = serializers.CharField(source="action.title", read_only=True)
    owner = serializers.CharField(source="action.owner_label", read_only=True)
    due_date = serializers.DateField(source="action.due_date", read_only=True)
    status = serializers.CharField(source="action.status", read_only=True)

    class Meta:
        model = ImprovementAction
        fields = [
            "id",
            "plan",
            "partner",
            "action",
            "title",
            "milestone",
            "owner",
            "due_date",
            "status",
        ]
        read_only_fields = fields


class ImprovementPlanSerializer(serializers.ModelSerializer[ImprovementPlan]):
    partner = partner_field()
    actions = ImprovementActionSerializer(source="links", many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "partner",
            "period",
            "trigger",
            "status",
            "root_cause",
            "root_cause_detail",
            "review_date",
            "outcome",
            "decided_by",
            "decided_at",
            "dismissal_reason",
            "closed_at",
            "created_at",
            "actions",
        ]
        read_only_fields = [
            "period",
            "trigger",
            "status",
            "outcome",
            "decided_by",
            "decided_at",
            "dismissal_reason",
            "closed_at",
            "created_at",
        ]


class PlanOpenSerializer(serializers.Serializer[Any]):
    root_cause = serializers.ChoiceField(choices=[c.value for c in RootCause])
    root_cause_detail = serializers.CharField(required=False, allow_blank=True, default="")
    review_date = serializers.DateField(required=False, allow_null=True, default=None)


class PlanDismissSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class PlanCloseSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[c.value for c in PlanOutcome])


class PlanActionAddSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    milestone = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ImprovementPlanViewSet(viewsets.ModelViewSet[ImprovementPlan]):
    """Improvement plans: suggested by the post-close job, opened or dismissed by a manager,
    worked through actions, closed with an outcome. Internal only."""

    serializer_class = ImprovementPlanSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.MANAGE_GOVERNANCE
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["partner", "status"]

    def get_queryset(self) -> QuerySet[ImprovementPlan]:
        return (
            improvement_plans_visible_to(self.request.user)
            .prefetch_related("links__action__owner_user", "links__action__owner_contact")
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[ImprovementPlan]) -> None:
        data = serializer.validated_data
        serializer.instance = improvement.improvement_plan_create(
            actor=request_actor(self.request),
            partner=data["partner"],
            root_cause=data.get("root_cause", ""),
            root_cause_detail=data.get("root_cause_detail", ""),
            review_date=data.get("review_date"),
        )

    def _answer(self, request: Request, plan: ImprovementPlan) -> Response:
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(ImprovementPlanSerializer(plan, context={"request": request}).data)

    @extend_schema(request=PlanOpenSerializer, responses=ImprovementPlanSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str | None = None) -> Response:
        body = PlanOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = improvement.improvement_plan_open(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return self._answer(request, plan)

    @extend_schema(request=PlanDismissSerializer, responses=ImprovementPlanSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        body = PlanDismissSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = improvement.improvement_plan_dismiss(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return self._answer(request, plan)

    @extend_schema(request=PlanCloseSerializer, responses=ImprovementPlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        body = PlanCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = improvement.improvement_plan_close(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return self._answer(request, plan)

    @extend_schema(request=PlanActionAddSerializer, responses=ImprovementActionSerializer)
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request: Request, pk: str | None = None) -> Response:
        body = PlanActionAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = improvement.improvement_action_add(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return Response(ImprovementActionSerializer(link).data, status=201)


class ImprovementActionViewSet(viewsets.ReadOnlyModelViewSet[ImprovementAction]):
    """Actions of open improvement plans; a supplier reads its own company's."""

    serializer_class = ImprovementActionSerializer
    permission_classes = [HasCapability]
    required_capability = None
    filterset_fields = ["plan"]
    filter_scopes = {"plan": improvement_plans_visible_to}
    # The serializer's owner, title and due date are the linked action's; order by those.
    ordering_fields = ["id", "plan", "action__due_date", "action__status", "action__title"]
    ordering = ["action__due_date", "id"]

    def get_queryset(self) -> QuerySet[ImprovementAction]:
        return (
            improvement_actions_visible_to(self.request.user)
            .select_related("plan", "action__owner_user", "action__owner_contact")
            .order_by("action__due_date", "pk")
        )


def register(router: BaseRouter) -> None:
    router.register("improvement-plans", ImprovementPlanViewSet, basename="improvement-plan")
    router.register("improvement-actions", ImprovementActionViewSet, basename="improvement-action")

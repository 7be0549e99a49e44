"""Incentive rules and earned incentives (SPEC 3.7); internal only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import HasCapability, request_actor
from core.roles import Capability
from partners.api.fields import partner_field
from scorecards import selectors_accountability as selectors
from scorecards.incentives import RewardKind
from scorecards.models import EarnedIncentive, IncentiveRule
from scorecards.services import incentives


class IncentiveRuleSerializer(serializers.ModelSerializer[IncentiveRule]):
    partner = partner_field(required=False, allow_null=True)
    reward_kind = serializers.ChoiceField(choices=[k.value for k in RewardKind])

    class Meta:
        model = IncentiveRule
        fields = [
            "id",
            "name",
            "partner",
            "perspective",
            "threshold",
            "periods",
            "reward_kind",
            "reward_amount",
            "reward_percent",
            "reward_text",
            "active",
            "created_at",
        ]
        read_only_fields = ["active", "created_at"]


class EarnedIncentiveSerializer(serializers.ModelSerializer[EarnedIncentive]):
    period_label = serializers.CharField(source="period.label", read_only=True)
    reward_text = serializers.CharField(source="rule.reward_text", read_only=True)

    class Meta:
        model = EarnedIncentive
        fields = [
            "id",
            "rule",
            "partner",
            "period",
            "period_label",
            "score",
            "reward_text",
            "status",
            "decided_by",
            "decided_at",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class IncentiveDecisionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncentiveRuleViewSet(viewsets.ModelViewSet[IncentiveRule]):
    serializer_class = IncentiveRuleSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.MANAGE_SCORECARDS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[IncentiveRule]:
        return selectors.incentive_rules_visible_to(self.request.user).order_by("name", "pk")

    def perform_create(self, serializer: serializers.BaseSerializer[IncentiveRule]) -> None:
        data = serializer.validated_data
        serializer.instance = incentives.incentive_rule_create(
            actor=request_actor(self.request),
            name=data["name"],
            partner=data.get("partner"),
            perspective=data.get("perspective", ""),
            threshold=data["threshold"],
            periods=data.get("periods", 1),
            reward_kind=data["reward_kind"],
            reward_amount=data.get("reward_amount"),
            reward_percent=data.get("reward_percent"),
            reward_text=data["reward_text"],
        )


class EarnedIncentiveViewSet(viewsets.ReadOnlyModelViewSet[EarnedIncentive]):
    """Incentives earned after periods closed, listed for approval."""

    serializer_class = EarnedIncentiveSerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    filterset_fields = ["partner", "status", "rule"]
    filter_scopes = {"rule": selectors.incentive_rules_visible_to}

    def get_queryset(self) -> QuerySet[EarnedIncentive]:
        return (
            selectors.earned_incentives_visible_to(self.request.user)
            .select_related("period", "rule")
            .order_by("-created_at", "-pk")
        )

    def _decide(self, request: Request, approve: bool) -> Response:
        body = IncentiveDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incentive = incentives.incentive_decide(
            actor=request_actor(request),
            incentive=self.get_object(),
            approve=approve,
            note=body.validated_data["note"],
        )
        incentive = self.get_queryset().get(pk=incentive.pk)
        return Response(EarnedIncentiveSerializer(incentive).data)

    @extend_schema(request=IncentiveDecisionSerializer, responses=EarnedIncentiveSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, True)

    @extend_schema(request=IncentiveDecisionSerializer, responses=EarnedIncentiveSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, False)

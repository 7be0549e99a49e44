"""API of value entries, the risk-reward ledger and health surveys (SPEC 3.9-3.11).

The partner's value summary (``GET /api/v1/partners/{id}/value/``) lives in srm, because the
realized value of commercialized innovation initiatives (governance) flows into it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import HasCapability, request_actor
from core.roles import Capability
from partners.access import partners_visible_to
from partners.api.fields import ScopedPrimaryKeyField, partner_field
from partners.models import Agreement
from scorecards import selectors_accountability as selectors
from scorecards.ledger import EventKind
from scorecards.models import HealthSurvey, RiskRewardEvent, SurveyResponse, ValueEntry
from scorecards.services import ledger, surveys, value
from scorecards.surveys import DIMENSIONS, SurveyResult
from scorecards.value import EntryKind

POSITIVE = Decimal("0.01")


def _amount() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=POSITIVE,
        error_messages={"min_value": gettext_lazy("Enter an amount greater than zero.")},
    )


def _internal(request: Request) -> bool:
    user: Any = request.user
    return bool(user.is_authenticated and user.can(Capability.VIEW_PORTFOLIO))


# --------------------------------------------------------------------------- value entries


class ValueEntrySerializer(serializers.ModelSerializer[ValueEntry]):
    partner = partner_field()
    kind = serializers.ChoiceField(choices=[k.value for k in EntryKind])
    amount = _amount()

    class Meta:
        model = ValueEntry
        fields = [
            "id",
            "partner",
            "kind",
            "category",
            "amount",
            "occurred_on",
            "description",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class ValueEntryViewSet(viewsets.ModelViewSet[ValueEntry]):
    """Investments in and value from partnerships; internal only."""

    serializer_class = ValueEntrySerializer
    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["partner", "kind"]

    def get_queryset(self) -> QuerySet[ValueEntry]:
        return selectors.value_entries_visible_to(self.request.user).order_by("-occurred_on", "-pk")

    def perform_create(self, serializer: serializers.BaseSerializer[ValueEntry]) -> None:
        data = serializer.validated_data
        serializer.instance = value.value_entry_add(
            actor=request_actor(self.request),
            partner=data["partner"],
            kind=data["kind"],
            category=data["category"],
            amount=data["amount"],
            occurred_on=data["occurred_on"],
            description=data.get("description", ""),
        )


# --------------------------------------------------------------------------- ledger


def _agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    return Agreement.objects.filter(partner__in=partners_visible_to(user))


class RiskRewardEventSerializer(serializers.ModelSerializer[RiskRewardEvent]):
    agreement = ScopedPrimaryKeyField(_agreements_visible_to)
    kind = serializers.ChoiceField(choices=[k.value for k in EventKind])
    amount = _amount()
    partner = serializers.IntegerField(source="agreement.partner_id", read_only=True)

    class Meta:
        model = RiskRewardEvent
        fields = [
            "id",
            "agreement",
            "partner",
            "kind",
            "amount",
            "occurred_on",
            "description",
            "buyer_ratio",
            "buyer_share",
            "supplier_share",
            "created_at",
        ]
        read_only_fields = ["buyer_ratio", "buyer_share", "supplier_share", "created_at"]


class SupplierRiskRewardEventSerializer(serializers.ModelSerializer[RiskRewardEvent]):
    """A supplier's side of an event: its share, never the buyer's."""

    partner = serializers.IntegerField(source="agreement.partner_id", read_only=True)

    class Meta:
        model = RiskRewardEvent
        fields = [
            "id",
            "agreement",
            "partner",
            "kind",
            "occurred_on",
            "description",
            "supplier_share",
        ]
        read_only_fields = fields


class RiskRewardEventViewSet(viewsets.ModelViewSet[RiskRewardEvent]):
    """Cost overruns and joint savings split by the agreement's ratios; a supplier reads only
    its own side."""

    permission_classes = [HasCapability]
    required_capability = None
    write_capability = Capability.EDIT_PARTNERS
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["agreement", "kind"]
    filter_scopes = {"agreement": _agreements_visible_to}

    def get_serializer_class(self) -> type[serializers.BaseSerializer[RiskRewardEvent]]:
        if getattr(self, "swagger_fake_view", False) or _internal(self.request):
            return RiskRewardEventSerializer
        return SupplierRiskRewardEventSerializer

    def get_queryset(self) -> QuerySet[RiskRewardEvent]:
        return (
            selectors.risk_events_visible_to(self.request.user)
            .select_related("agreement")
            .order_by("-occurred_on", "-pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[RiskRewardEvent]) -> None:
        data = serializer.validated_data
        serializer.instance = ledger.risk_reward_event_record(
            actor=request_actor(self.request),
            agreement=data["agreement"],
            kind=data["kind"],
            amount=data["amount"],
            occurred_on=data["occurred_on"],
            description=data.get("description", ""),
        )


def ledger_body(request: Request, agreement: Agreement) -> dict[str, Any]:
    totals = selectors.agreement_ledger(agreement)
    events = selectors.risk_events_visible_to(request.user).filter(agreement=agreement)
    events = events.select_related("agreement").order_by("occurred_on", "pk")
    context = {"request": request}
    if _internal(request):
        return {
            "agreement": agreement.pk,
            "buyer": totals["buyer"],
            "supplier": totals["supplier"],
            "events": RiskRewardEventSerializer(events, many=True, context=context).data,
        }
    return {
        "agreement": agreement.pk,
        "supplier": totals["supplier"],
        "events": SupplierRiskRewardEventSerializer(events, many=True, context=context).data,
    }


class AgreementLedgerView(APIView):
    """``GET /api/v1/partner-agreements/{id}/ledger/``: each side's totals and the events;
    a supplier gets its own side only."""

    permission_classes = [HasCapability]

    @extend_schema(responses=RiskRewardEventSerializer(many=True))
    def get(self, request: Request, agreement_id: int) -> Response:
        agreement = _agreements_visible_to(request.user).filter(pk=agreement_id).first()
        if agreement is None:
            raise Http404(_("No such agreement."))
        body = ledger_body(request, agreement)
        for side in ("buyer", "supplier"):
            if side in body:
                body[side] = {k: f"{v:.2f}" for k, v in body[side].items()}
        return Response(body)


# --------------------------------------------------------------------------- health surveys


def _score(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


class HealthSurveySerializer(serializers.ModelSerializer[HealthSurvey]):
    partner = partner_field()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = HealthSurvey
        fields = ["id", "partner", "opens_on", "closes_on", "is_open", "created_at"]
        read_only_fields = ["created_at"]
        # The service refuses overlapping rounds with a message that names the other round.
        validators: list[Any] = []

    def get_is_open(self, survey: HealthSurvey) -> bool:
        return survey.opens_on <= timezone.localdate() <= survey.closes_on

    def to_representation(self, instance: HealthSurvey) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        results: dict[int, SurveyResult] = self.context.get("results", {})
        if request is not None and request.user.can(Capability.VIEW_PORTFOLIO):
            result = (
                results.get(instance.pk) or selectors.survey_results([instance.pk])[instance.pk]
            )
            data.update(
                buyer_score=_score(result.buyer_score),
                supplier_score=_score(result.supplier_score),
                health_index=_score(result.health_index),
                gap=_score(result.gap),
                gap_alert=result.gap_alert,
            )
        return data


class SurveyAnswersSerializer(serializers.Serializer[Any]):
    answers = serializers.DictField(child=serializers.JSONField())
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SurveyResponseSerializer(serializers.ModelSerializer[SurveyResponse]):
    answers = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "side", "answers", "comment", "answered_at"]

    def get_answers(self, response: SurveyResponse) -> dict[str, int]:
        return {key: getattr(response, key) for key in DIMENSIONS}


class HealthSurveyViewSet(viewsets.ModelViewSet[HealthSurvey]):
    """Survey rounds; internal users see both sides' scores, a supplier its own rounds to
    answer (never the buyer's ratings or comments)."""

    serializer_class = HealthSurveySerializer
    permission_classes = [HasCapability]
    required_capability = None
    write_capability = Capability.MANAGE_GOVERNANCE
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["partner"]

    def get_queryset(self) -> QuerySet[HealthSurvey]:
        return selectors.health_surveys_visible_to(self.request.user).order_by("-opens_on", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if getattr(self, "action", None) == "list" and _internal(self.request):
            page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            ids = [s.pk for s in page] if page is not None else []
            context["results"] = selectors.survey_results(ids)
        return context

    def perform_create(self, serializer: serializers.BaseSerializer[HealthSurvey]) -> None:
        data = serializer.validated_data
        serializer.instance = surveys.health_survey_open(
            actor=request_actor(self.request),
            partner=data["partner"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        )

    @extend_schema(request=SurveyAnswersSerializer, responses=SurveyResponseSerializer)
    @action(detail=True, methods=["post"], required_capability=None, write_capability=None)
    def responses(self, request: Request, pk: str | None = None) -> Response:
        survey = self.get_object()
        body = SurveyAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        response = surveys.survey_answer(
            actor=request_actor(request),
            survey=survey,
            answers=body.validated_data["answers"],
            comment=body.validated_data["comment"],
        )
        return Response(SurveyResponseSerializer(response).data, status=201)

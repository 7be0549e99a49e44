"""REST API for governance. Querysets come from governance.selectors (scoped through
partners.access); writes go through governance.services."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api import HasCapability, request_actor
from core.api_versions import ConditionalWriteMixin
from core.roles import Capability
from governance import selectors
from governance.escalation import action_is_overdue
from governance.models import (
    ActionItem,
    Cadence,
    CalendarFeed,
    ChallengeProposal,
    Charter,
    Decision,
    Escalation,
    InnovationChallenge,
    InnovationInitiative,
    JointBusinessPlan,
    LessonLearned,
    Meeting,
    MeetingAttachment,
    PlanMilestone,
    PlanObjective,
)
from governance.services import (
    actions,
    cadences,
    charters,
    escalations,
    innovation,
    lessons,
    meetings,
    plans,
)
from governance.services import (
    calendar as calendars,
)
from governance.services.actions import ActionChanges
from governance.services.innovation import InitiativeChanges
from governance.services.meetings import MeetingChanges
from partners.access import partner_id_of_supplier, supplier_partner
from partners.api.fields import ScopedPrimaryKeyField, partner_field

_READ_WRITE = ["get", "post", "patch", "head", "options"]


class GovernanceViewSet[M: Model](viewsets.GenericViewSet[M]):
    """Reads for anyone who may see the partner; writes need MANAGE_GOVERNANCE (and the
    services check their own capability too)."""

    permission_classes = [HasCapability]
    write_capability: Capability | None = Capability.MANAGE_GOVERNANCE
    http_method_names = _READ_WRITE


# --------------------------------------------------------------------------- charters


class CharterSerializer(serializers.ModelSerializer[Charter]):
    partner = partner_field()

    class Meta:
        model = Charter
        fields = [
            "id",
            "partner",
            "version",
            "scope",
            "shared_objectives",
            "investment_commitments",
            "performance_targets",
            "roles",
            "decision_rules",
            "data_sharing_rules",
            "escalation_path",
            "effective_from",
            "review_due",
            "created_at",
        ]
        read_only_fields = ["version", "created_at"]
        extra_kwargs = {"review_due": {"required": False}}


class CharterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[Charter],
):
    """Charter versions; posting a charter adds the partner's next version."""

    serializer_class = CharterSerializer
    filterset_fields = ["partner"]

    def get_queryset(self) -> QuerySet[Charter]:
        return selectors.charters_visible_to(self.request.user).order_by("partner", "-version")

    def perform_create(self, serializer: serializers.BaseSerializer[Charter]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = charters.charter_create_version(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )


# --------------------------------------------------------------------------- cadences


class CadenceSerializer(serializers.ModelSerializer[Cadence]):
    partner = partner_field()

    class Meta:
        model = Cadence
        fields = [
            "id",
            "partner",
            "kind",
            "name",
            "frequency",
            "interval",
            "anchor_date",
            "start_time",
            "duration_minutes",
            "tz_name",
            "weekday_ordinal",
            "weekday",
            "location",
            "agenda_template",
            "visibility",
            "active",
        ]
        extra_kwargs = {"name": {"required": False}}


class CadenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[Cadence],
):
    serializer_class = CadenceSerializer
    filterset_fields = ["partner", "kind"]

    def get_queryset(self) -> QuerySet[Cadence]:
        return selectors.cadences_visible_to(self.request.user).order_by("partner", "kind")

    def perform_create(self, serializer: serializers.BaseSerializer[Cadence]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = cadences.cadence_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str) -> Response:
        """Generate the cadence's meetings for the next 12 months (idempotent)."""
        created = cadences.meetings_generate(
            actor=request_actor(request), cadence=self.get_object(), now=timezone.now()
        )
        return Response({"created": created})


# --------------------------------------------------------------------------- meetings


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["id", "text", "created_at"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    partner = partner_field()
    attendees = ScopedPrimaryKeyField(selectors.attendees_visible_to, many=True, required=False)
    contacts = ScopedPrimaryKeyField(selectors.contacts_visible_to, many=True, required=False)
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partner",
            "cadence",
            "occurrence_index",
            "title",
            "start",
            "end",
            "tz_name",
            "location",
            "agenda",
            "minutes",
            "status",
            "visibility",
            "sequence",
            "change_reason",
            "attendees",
            "contacts",
            "decisions",
            "version",
        ]
        read_only_fields = ["occurrence_index", "sequence", "status", "change_reason", "cadence"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's check constraint would make this a 500; say it as a field error.
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": [_("The meeting must end after it starts.")]})
        return attrs


class ReasonSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.CharField()
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)


class MinutesSerializer(serializers.Serializer[dict[str, Any]]):
    minutes = serializers.CharField(allow_blank=True)
    decisions = serializers.ListField(child=serializers.CharField(), required=False)


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ConditionalWriteMixin,
    GovernanceViewSet[Meeting],
):
    """Meetings; suppliers read only shared meetings of their own partner."""

    serializer_class = MeetingSerializer
    filterset_fields = ["partner", "status", "cadence"]
    filter_scopes = {"cadence": selectors.cadences_visible_to}

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            selectors.meetings_visible_to(self.request.user)
            .prefetch_related("attendees", "contacts", "decisions")
            .order_by("start", "id")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Meeting]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = meetings.meeting_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Meeting]) -> None:
        assert serializer.instance is not None  # an update has the record it updates
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = meetings.meeting_update(
            actor=request_actor(self.request),
            meeting=serializer.instance,
            changes=cast(MeetingChanges, data),
            expected_version=self.expected_version(),
        )

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = meetings.meeting_cancel(
            actor=request_actor(request),
            meeting=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return Response(MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "start" not in data or "end" not in data:
            return Response({"start": [_("Give the new start and end.")]}, status=400)
        meeting = meetings.meeting_move(
            actor=request_actor(request),
            meeting=self.get_object(),
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )
        return Response(MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(request=MinutesSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request: Request, pk: str) -> Response:
        body = MinutesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = meetings.meeting_record(
            actor=request_actor(request),
            meeting=self.get_object(),
            minutes=body.validated_data["minutes"],
            decisions=body.validated_data.get("decisions", []),
        )
        return Response(MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="not-held")
    def not_held(self, request: Request, pk: str) -> Response:
        """Undo "held" (audited with the reason)."""
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = meetings.meeting_unhold(
            actor=request_actor(request),
            meeting=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return Response(MeetingSerializer(meeting, context={"request": request}).data)

    @extend_schema(responses={(200, "text/calendar"): bytes})
    @action(detail=True, methods=["get"])
    def ics(self, request: Request, pk: str) -> HttpResponse:
        meeting = self.get_object()
        response = HttpResponse(selectors.meeting_ics(meeting), content_type="text/calendar")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


# --------------------------------------------------------------------------- attachments


class AttachmentSerializer(serializers.ModelSerializer[MeetingAttachment]):
    meeting = ScopedPrimaryKeyField(selectors.meetings_visible_to)
    file = serializers.FileField(write_only=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    size = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = MeetingAttachment
        fields = ["id", "meeting", "name", "file", "size", "uploaded_at", "download_url"]
        read_only_fields = ["uploaded_at"]

    def get_size(self, obj: MeetingAttachment) -> int | None:
        try:
            return int(obj.file.size)
        except (OSError, ValueError):
            return None

    def get_download_url(self, obj: MeetingAttachment) -> str:
        return reverse("attachment-download", args=[obj.pk])


class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[MeetingAttachment],
):
    """Files attached to meetings: upload (managers), list and download (whoever may see the
    meeting; suppliers only attachments of meetings shared with their own partner)."""

    serializer_class = AttachmentSerializer
    filterset_fields = ["meeting"]
    filter_scopes = {"meeting": selectors.meetings_visible_to}

    def get_queryset(self) -> QuerySet[MeetingAttachment]:
        return (
            MeetingAttachment.objects.filter(
                meeting__in=selectors.meetings_visible_to(self.request.user)
            )
            .select_related("meeting")
            .order_by("meeting", "id")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[MeetingAttachment]) -> None:
        data = serializer.validated_data
        serializer.instance = meetings.attachment_add(
            actor=request_actor(self.request),
            meeting=data["meeting"],
            file=data["file"],
            name=data.get("name", ""),
        )

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )


# --------------------------------------------------------------------------- actions


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    partner = partner_field()
    meeting = ScopedPrimaryKeyField(selectors.meetings_visible_to, required=False, allow_null=True)
    owner_user = ScopedPrimaryKeyField(
        selectors.attendees_visible_to, required=False, allow_null=True
    )
    owner_contact = ScopedPrimaryKeyField(
        selectors.contacts_visible_to, required=False, allow_null=True
    )
    is_overdue = serializers.SerializerMethodField()
    warning = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "partner",
            "meeting",
            "title",
            "description",
            "owner_user",
            "owner_contact",
            "due_date",
            "status",
            "priority",
            "visibility",
            "completed_at",
            "is_overdue",
            "warning",
            "version",
        ]
        read_only_fields = ["completed_at"]

    def get_is_overdue(self, obj: ActionItem) -> bool:
        return action_is_overdue(obj.due_date, obj.status, timezone.localdate())

    def get_warning(self, obj: ActionItem) -> str | None:
        return self.context.get("warning")


class ActionItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ConditionalWriteMixin,
    GovernanceViewSet[ActionItem],
):
    """Action items. Suppliers may PATCH the status of actions their side owes."""

    serializer_class = ActionItemSerializer
    write_capability = None  # suppliers update what their side owes; the services decide
    filterset_fields = ["partner", "status", "priority", "meeting"]
    filter_scopes = {"meeting": selectors.meetings_visible_to}

    def get_queryset(self) -> QuerySet[ActionItem]:
        return selectors.actions_visible_to(self.request.user).order_by("due_date", "id")

    def perform_create(self, serializer: serializers.BaseSerializer[ActionItem]) -> None:
        data = dict(serializer.validated_data)
        created = actions.action_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )
        serializer.instance = created.action
        context = serializer.context
        assert isinstance(context, dict)  # the view's own context dict, read by get_warning
        context["warning"] = created.warning

    def perform_update(self, serializer: serializers.BaseSerializer[ActionItem]) -> None:
        assert serializer.instance is not None  # an update has the record it updates
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = actions.action_update(
            actor=request_actor(self.request),
            action=serializer.instance,
            changes=cast(ActionChanges, data),
            expected_version=self.expected_version(),
        )


# --------------------------------------------------------------------------- escalations


class EscalationSerializer(serializers.ModelSerializer[Escalation]):
    partner = partner_field()

    class Meta:
        model = Escalation
        fields = [
            "id",
            "partner",
            "title",
            "description",
            "level",
            "level_entered_at",
            "overdue_at_top",
            "visibility",
            "resolved_at",
            "resolution",
            "version",
        ]
        read_only_fields = [
            "level",
            "level_entered_at",
            "overdue_at_top",
            "resolved_at",
            "resolution",
        ]


class LadderLevelSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    response_time_hours = serializers.IntegerField(min_value=1)
    notify = ScopedPrimaryKeyField(
        selectors.internal_users_visible_to,
        many=True,
        required=False,
        help_text="Internal users notified when an escalation reaches this level "
        "(default: the alliance manager and owner; at the top also the executive sponsor).",
    )


class LadderSerializer(serializers.Serializer[dict[str, Any]]):
    partner = partner_field()
    levels = LadderLevelSerializer(many=True, allow_empty=True)


class ResolutionSerializer(serializers.Serializer[dict[str, Any]]):
    resolution = serializers.CharField()


class EscalationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ConditionalWriteMixin,
    GovernanceViewSet[Escalation],
):
    serializer_class = EscalationSerializer
    filterset_fields = ["partner", "level"]

    def get_queryset(self) -> QuerySet[Escalation]:
        return selectors.escalations_visible_to(self.request.user).order_by("-level_entered_at")

    def perform_create(self, serializer: serializers.BaseSerializer[Escalation]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = escalations.escalation_raise(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=ResolutionSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"], write_capability=None)
    def resolve(self, request: Request, pk: str) -> Response:
        """Resolve an escalation (governance managers, or executive sponsors signing off)."""
        body = ResolutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        escalation = escalations.escalation_resolve(
            actor=request_actor(request),
            escalation=self.get_object(),
            resolution=body.validated_data["resolution"],
        )
        return Response(EscalationSerializer(escalation, context={"request": request}).data)

    @extend_schema(request=LadderSerializer, responses=LadderSerializer)
    @action(detail=False, methods=["post"])
    def ladder(self, request: Request) -> Response:
        """Replace a partnership's escalation ladder; at least one level."""
        body = LadderSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        levels = escalations.escalation_ladder_set(
            actor=request_actor(request),
            partner=body.validated_data["partner"],
            levels=body.validated_data["levels"],
        )
        return Response(
            {
                "partner": body.validated_data["partner"].pk,
                "levels": [
                    {
                        "name": lv.name,
                        "response_time_hours": lv.response_time_hours,
                        "notify": [u.pk for u in lv.notify.all()],
                    }
                    for lv in levels
                ],
            }
        )


# --------------------------------------------------------------------------- plans


class ObjectiveSerializer(serializers.ModelSerializer[PlanObjective]):
    class Meta:
        model = PlanObjective
        fields = ["id", "title", "target", "kpi_reference", "progress_percent"]


class MilestoneSerializer(serializers.ModelSerializer[PlanMilestone]):
    objective = ScopedPrimaryKeyField(
        selectors.objectives_visible_to, required=False, allow_null=True
    )
    owner_user = ScopedPrimaryKeyField(
        selectors.attendees_visible_to, required=False, allow_null=True
    )
    owner_contact = ScopedPrimaryKeyField(
        selectors.contacts_visible_to, required=False, allow_null=True
    )

    class Meta:
        model = PlanMilestone
        fields = ["id", "objective", "title", "owner_user", "owner_contact", "due_date", "done_at"]


class PlanSerializer(serializers.ModelSerializer[JointBusinessPlan]):
    partner = partner_field()
    objectives = ObjectiveSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = JointBusinessPlan
        fields = [
            "id",
            "partner",
            "year",
            "title",
            "summary",
            "visibility",
            "objectives",
            "milestones",
        ]


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[JointBusinessPlan],
):
    serializer_class = PlanSerializer
    filterset_fields = ["partner", "year"]

    def get_queryset(self) -> QuerySet[JointBusinessPlan]:
        return selectors.plans_visible_to(self.request.user).order_by("partner", "-year")

    def perform_create(self, serializer: serializers.BaseSerializer[JointBusinessPlan]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = plans.plan_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=ObjectiveSerializer, responses=ObjectiveSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, pk: str) -> Response:
        body = ObjectiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objective = plans.objective_add(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return Response(ObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str) -> Response:
        body = MilestoneSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        milestone = plans.milestone_add(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- innovation


class InitiativeSerializer(serializers.ModelSerializer[InnovationInitiative]):
    partner = partner_field()
    owner = ScopedPrimaryKeyField(
        selectors.internal_users_visible_to, required=False, allow_null=True
    )

    class Meta:
        model = InnovationInitiative
        fields = [
            "id",
            "partner",
            "title",
            "description",
            "stage",
            "owner",
            "expected_value",
            "realized_value",
            "target_year",
            "visibility",
            "version",
        ]


class InitiativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ConditionalWriteMixin,
    GovernanceViewSet[InnovationInitiative],
):
    serializer_class = InitiativeSerializer
    filterset_fields = ["partner", "stage"]

    def get_queryset(self) -> QuerySet[InnovationInitiative]:
        return selectors.initiatives_visible_to(self.request.user).order_by("partner", "title")

    def perform_create(self, serializer: serializers.BaseSerializer[InnovationInitiative]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = innovation.initiative_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    def perform_update(self, serializer: serializers.BaseSerializer[InnovationInitiative]) -> None:
        assert serializer.instance is not None  # an update has the record it updates
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = innovation.initiative_update(
            actor=request_actor(self.request),
            initiative=serializer.instance,
            changes=cast(InitiativeChanges, data),
            expected_version=self.expected_version(),
        )


class ChallengeSerializer(serializers.ModelSerializer[InnovationChallenge]):
    published_to = partner_field(many=True)

    class Meta:
        model = InnovationChallenge
        fields = ["id", "title", "problem_statement", "published_to", "status", "closes_on"]
        read_only_fields = ["status"]

    def to_representation(self, instance: InnovationChallenge) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and request.user.is_supplier:
            # A supplier learns nothing about which other partners were invited.
            data["published_to"] = [partner_id_of_supplier(request.user)]
        return data


class ChallengeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[InnovationChallenge],
):
    serializer_class = ChallengeSerializer

    def get_queryset(self) -> QuerySet[InnovationChallenge]:
        return selectors.challenges_visible_to(self.request.user).order_by("-created_at")

    def perform_create(self, serializer: serializers.BaseSerializer[InnovationChallenge]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = innovation.challenge_publish(
            actor=request_actor(self.request), partners=data.pop("published_to"), **data
        )


class ProposalSerializer(serializers.ModelSerializer[ChallengeProposal]):
    challenge = ScopedPrimaryKeyField(selectors.challenges_visible_to)

    class Meta:
        model = ChallengeProposal
        fields = [
            "id",
            "challenge",
            "partner",
            "title",
            "description",
            "expected_value",
            "status",
            "feedback",
            "initiative",
        ]
        read_only_fields = ["partner", "status", "feedback", "initiative"]


class DecisionBodySerializer(serializers.Serializer[dict[str, Any]]):
    adopt = serializers.BooleanField()
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[ChallengeProposal],
):
    """Suppliers submit proposals to challenges published to them; buyers decide."""

    serializer_class = ProposalSerializer
    write_capability = None
    filterset_fields = ["challenge", "partner", "status"]
    filter_scopes = {"challenge": selectors.challenges_visible_to}

    def get_queryset(self) -> QuerySet[ChallengeProposal]:
        return selectors.proposals_visible_to(self.request.user).order_by("-created_at")

    def perform_create(self, serializer: serializers.BaseSerializer[ChallengeProposal]) -> None:
        user = request_actor(self.request)
        partner = supplier_partner(user)
        serializer.instance = innovation.proposal_submit(
            actor=user, partner=partner, **serializer.validated_data
        )

    @extend_schema(request=DecisionBodySerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        body = DecisionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = innovation.proposal_decide(
            actor=request_actor(request), proposal=self.get_object(), **body.validated_data
        )
        return Response(ProposalSerializer(proposal, context={"request": request}).data)


# --------------------------------------------------------------------------- lessons, feeds


class LessonSerializer(serializers.ModelSerializer[LessonLearned]):
    partner = partner_field()

    class Meta:
        model = LessonLearned
        fields = ["id", "partner", "title", "body", "tags", "created_at"]
        read_only_fields = ["created_at"]


class LessonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    GovernanceViewSet[LessonLearned],
):
    """Lessons learned across the portfolio; ``?q=`` searches them. Internal only."""

    serializer_class = LessonSerializer
    required_capability = Capability.VIEW_PORTFOLIO
    filterset_fields = ["partner"]

    def get_queryset(self) -> QuerySet[LessonLearned]:
        return selectors.lesson_search(self.request.user, self.request.GET.get("q", ""))

    def perform_create(self, serializer: serializers.BaseSerializer[LessonLearned]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = lessons.lesson_record(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )


class CalendarFeedSerializer(serializers.ModelSerializer[CalendarFeed]):
    partner = partner_field(required=False, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = ["id", "partner", "url", "created_at", "rotated_at"]
        read_only_fields = ["created_at", "rotated_at"]

    def get_url(self, obj: CalendarFeed) -> str:
        return settings.SRM_BASE_URL + reverse("governance:feed", args=[obj.token])


class CalendarFeedViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, GovernanceViewSet[CalendarFeed]
):
    """Your own secret calendar feeds; ``revoke`` issues a new URL and kills the old one."""

    serializer_class = CalendarFeedSerializer
    write_capability = None

    def get_queryset(self) -> QuerySet[CalendarFeed]:
        if getattr(self, "swagger_fake_view", False):
            return CalendarFeed.objects.none()
        return (
            CalendarFeed.objects.filter(owner=request_actor(self.request))
            .select_related("partner")
            .order_by("pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[CalendarFeed]) -> None:
        serializer.instance = calendars.calendar_feed_for(
            actor=request_actor(self.request), partner=serializer.validated_data.get("partner")
        )

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        feed = calendars.calendar_feed_revoke(actor=request_actor(request), feed=self.get_object())
        return Response(CalendarFeedSerializer(feed, context={"request": request}).data)


def register(router: BaseRouter) -> None:
    router.register("governance/charters", CharterViewSet, basename="charter")
    router.register("governance/cadences", CadenceViewSet, basename="cadence")
    router.register("governance/meetings", MeetingViewSet, basename="meeting")
    router.register("governance/attachments", AttachmentViewSet, basename="attachment")
    router.register("governance/actions", ActionItemViewSet, basename="action-item")
    router.register("governance/escalations", EscalationViewSet, basename="escalation")
    router.register("governance/plans", PlanViewSet, basename="business-plan")
    router.register("governance/initiatives", InitiativeViewSet, basename="initiative")
    router.register("governance/challenges", ChallengeViewSet, basename="challenge")
    router.register("governance/proposals", ProposalViewSet, basename="proposal")
    router.register("governance/lessons", LessonViewSet, basename="lesson")
    router.register("governance/calendar-feeds", CalendarFeedViewSet, basename="calendar-feed")

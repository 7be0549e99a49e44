"""REST API for governance. Querysets come from governance.selectors (scoped through
partners.access); writes go through governance.services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api import HasCapability, request_actor
from core.models import User
from core.roles import Capability, Role
from governance import selectors, services
from governance.access import require_escalation_capability
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
from partners.access import access_partner, partner_id_of_supplier, require_capability
from partners.models import Partner

_READ_WRITE = ["get", "post", "patch", "head", "options"]


class GovernanceViewSet(viewsets.GenericViewSet):
    """Reads for anyone who may see the partner; writes need MANAGE_GOVERNANCE."""

    permission_classes = [HasCapability]
    write_capability: Capability | None = Capability.MANAGE_GOVERNANCE
    http_method_names = _READ_WRITE

    def partner_for_write(self, partner: Partner) -> Partner:
        """The partner a write targets, if the user may see it (404 otherwise)."""
        return access_partner(self.request.user, partner.pk)


@extend_schema_field(OpenApiTypes.INT)
class PartnerScopedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Partner]:
        from partners.access import partners_visible_to

        request = self.context.get("request")
        return partners_visible_to(request.user if request else None)


# --------------------------------------------------------------------------- charters


class CharterSerializer(serializers.ModelSerializer[Charter]):
    partner = PartnerScopedField()

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
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    """Charter versions; posting a charter adds the partner's next version."""

    serializer_class = CharterSerializer
    filterset_fields = ["partner"]

    def get_queryset(self) -> QuerySet[Charter]:
        return selectors.charters_visible_to(self.request.user).order_by("partner", "-version")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.charter_create_version(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )


# --------------------------------------------------------------------------- cadences


class CadenceSerializer(serializers.ModelSerializer[Cadence]):
    partner = PartnerScopedField()

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
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    serializer_class = CadenceSerializer
    filterset_fields = ["partner", "kind"]

    def get_queryset(self) -> QuerySet[Cadence]:
        return selectors.scoped(Cadence.objects.all(), self.request.user).order_by(
            "partner", "kind"
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.cadence_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str) -> Response:
        """Generate the cadence's meetings for the next 12 months (idempotent)."""
        from django.utils import timezone

        created = services.meetings_generate(cadence=self.get_object(), now=timezone.now())
        return Response({"created": created})


# --------------------------------------------------------------------------- meetings


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["id", "text", "created_at"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    partner = PartnerScopedField()
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
        ]
        read_only_fields = ["occurrence_index", "sequence", "status", "change_reason", "cadence"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The model's check constraint would make this a 500; say it as a field error.
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None))
        if start and end and end <= start:
            raise serializers.ValidationError({"end": ["The meeting must end after it starts."]})
        return attrs


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(allow_blank=True)
    decisions = serializers.ListField(child=serializers.CharField(), required=False)


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GovernanceViewSet,
):
    """Meetings; suppliers read only shared meetings of their own partner."""

    serializer_class = MeetingSerializer
    filterset_fields = ["partner", "status", "cadence"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            selectors.meetings_visible_to(self.request.user)
            .prefetch_related("attendees", "contacts", "decisions")
            .order_by("start", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.meeting_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = services.meeting_update(
            actor=request_actor(self.request), meeting=serializer.instance, **data
        )

    @extend_schema(request=ReasonSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
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
            return Response({"start": ["Give the new start and end."]}, status=400)
        meeting = services.meeting_move(
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
        meeting = services.meeting_record(
            actor=request_actor(request),
            meeting=self.get_object(),
            minutes=body.validated_data["minutes"],
            decisions=body.validated_data.get("decisions", []),
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


class MeetingScopedField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[Meeting]:
        request = self.context.get("request")
        return selectors.meetings_visible_to(request.user if request else None)


class AttachmentSerializer(serializers.ModelSerializer[MeetingAttachment]):
    meeting = MeetingScopedField()
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
        from django.urls import reverse

        return reverse("attachment-download", args=[obj.pk])


class AttachmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    """Files attached to meetings: upload (managers), list and download (whoever may see the
    meeting; suppliers only attachments of meetings shared with their own partner)."""

    serializer_class = AttachmentSerializer
    filterset_fields = ["meeting"]

    def get_queryset(self) -> QuerySet[MeetingAttachment]:
        return (
            MeetingAttachment.objects.filter(
                meeting__in=selectors.meetings_visible_to(self.request.user)
            )
            .select_related("meeting")
            .order_by("meeting", "id")
        )

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.attachment_add(
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
    partner = PartnerScopedField()
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
        ]
        read_only_fields = ["completed_at"]

    def get_is_overdue(self, obj: ActionItem) -> bool:
        from django.utils import timezone

        from governance.escalation import action_is_overdue

        return action_is_overdue(obj.due_date, obj.status, timezone.localdate())

    def get_warning(self, obj: ActionItem) -> str | None:
        return self.context.get("warning")


class ActionItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GovernanceViewSet,
):
    """Action items. Suppliers may PATCH the status of actions their side owes."""

    serializer_class = ActionItemSerializer
    write_capability = None  # checked per method below and in the service
    filterset_fields = ["partner", "status", "priority", "meeting"]

    def get_queryset(self) -> QuerySet[ActionItem]:
        return selectors.actions_visible_to(self.request.user).order_by("due_date", "id")

    def perform_create(self, serializer: Any) -> None:
        require_capability(self.request.user, Capability.MANAGE_GOVERNANCE)
        data = dict(serializer.validated_data)
        created = services.action_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )
        serializer.instance = created.action
        serializer.context["warning"] = created.warning

    def perform_update(self, serializer: Any) -> None:
        user = request_actor(self.request)
        if not user.is_supplier:
            require_capability(user, Capability.MANAGE_GOVERNANCE)
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = services.action_update(actor=user, action=serializer.instance, **data)


# --------------------------------------------------------------------------- escalations


class EscalationSerializer(serializers.ModelSerializer[Escalation]):
    partner = PartnerScopedField()

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
        ]
        read_only_fields = [
            "level",
            "level_entered_at",
            "overdue_at_top",
            "resolved_at",
            "resolution",
        ]


class LadderLevelSerializer(serializers.Serializer):
    name = serializers.CharField()
    response_time_hours = serializers.IntegerField(min_value=1)
    notify = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True).exclude(role=Role.SUPPLIER_USER),
        help_text="Internal users notified when an escalation reaches this level "
        "(default: the alliance manager and owner; at the top also the executive sponsor).",
    )


class LadderSerializer(serializers.Serializer):
    partner = PartnerScopedField()
    levels = LadderLevelSerializer(many=True, allow_empty=True)


class ResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class EscalationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    serializer_class = EscalationSerializer
    filterset_fields = ["partner", "level"]

    def get_queryset(self) -> QuerySet[Escalation]:
        return selectors.escalations_visible_to(self.request.user).order_by("-level_entered_at")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.escalation_raise(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=ResolutionSerializer, responses=EscalationSerializer)
    @action(detail=True, methods=["post"], write_capability=None)
    def resolve(self, request: Request, pk: str) -> Response:
        """Resolve an escalation (governance managers, or executive sponsors signing off)."""
        require_escalation_capability(request.user, "resolve")
        body = ResolutionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        escalation = services.escalation_resolve(
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
        levels = services.escalation_ladder_set(
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
    class Meta:
        model = PlanMilestone
        fields = ["id", "objective", "title", "owner_user", "owner_contact", "due_date", "done_at"]


class PlanSerializer(serializers.ModelSerializer[JointBusinessPlan]):
    partner = PartnerScopedField()
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
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    serializer_class = PlanSerializer
    filterset_fields = ["partner", "year"]

    def get_queryset(self) -> QuerySet[JointBusinessPlan]:
        return selectors.plans_visible_to(self.request.user).order_by("partner", "-year")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    @extend_schema(request=ObjectiveSerializer, responses=ObjectiveSerializer)
    @action(detail=True, methods=["post"])
    def objectives(self, request: Request, pk: str) -> Response:
        body = ObjectiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objective = services.objective_add(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return Response(ObjectiveSerializer(objective).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: str) -> Response:
        body = MilestoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = services.milestone_add(
            actor=request_actor(request), plan=self.get_object(), **body.validated_data
        )
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- innovation


class InitiativeSerializer(serializers.ModelSerializer[InnovationInitiative]):
    partner = PartnerScopedField()

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
        ]


class InitiativeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    GovernanceViewSet,
):
    serializer_class = InitiativeSerializer
    filterset_fields = ["partner", "stage"]

    def get_queryset(self) -> QuerySet[InnovationInitiative]:
        return selectors.initiatives_visible_to(self.request.user).order_by("partner", "title")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.initiative_create(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("partner", None)
        serializer.instance = services.initiative_update(
            actor=request_actor(self.request), initiative=serializer.instance, **data
        )


class ChallengeSerializer(serializers.ModelSerializer[InnovationChallenge]):
    published_to = PartnerScopedField(many=True)

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
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    serializer_class = ChallengeSerializer

    def get_queryset(self) -> QuerySet[InnovationChallenge]:
        return selectors.challenges_visible_to(self.request.user).order_by("-created_at")

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.challenge_publish(
            actor=request_actor(self.request), partners=data.pop("published_to"), **data
        )


class ProposalSerializer(serializers.ModelSerializer[ChallengeProposal]):
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

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = request.user if request else None
        fields["challenge"].queryset = selectors.challenges_visible_to(user)  # type: ignore[attr-defined]
        return fields


class DecisionBodySerializer(serializers.Serializer):
    adopt = serializers.BooleanField()
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    """Suppliers submit proposals to challenges published to them; buyers decide."""

    serializer_class = ProposalSerializer
    write_capability = None
    filterset_fields = ["challenge", "partner", "status"]

    def get_queryset(self) -> QuerySet[ChallengeProposal]:
        return selectors.proposals_visible_to(self.request.user).order_by("-created_at")

    def perform_create(self, serializer: Any) -> None:
        user = request_actor(self.request)
        require_capability(user, Capability.USE_PORTAL)
        partner = access_partner(user, partner_id_of_supplier(user) or 0)
        serializer.instance = services.proposal_submit(
            actor=user, partner=partner, **serializer.validated_data
        )

    @extend_schema(request=DecisionBodySerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        body = DecisionBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = services.proposal_decide(
            actor=request_actor(request), proposal=self.get_object(), **body.validated_data
        )
        return Response(ProposalSerializer(proposal, context={"request": request}).data)


# --------------------------------------------------------------------------- lessons, feeds


class LessonSerializer(serializers.ModelSerializer[LessonLearned]):
    partner = PartnerScopedField()

    class Meta:
        model = LessonLearned
        fields = ["id", "partner", "title", "body", "tags", "created_at"]
        read_only_fields = ["created_at"]


class LessonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, GovernanceViewSet
):
    """Lessons learned across the portfolio; ``?q=`` searches them. Internal only."""

    serializer_class = LessonSerializer
    filterset_fields = ["partner"]

    def get_queryset(self) -> QuerySet[LessonLearned]:
        if getattr(self, "swagger_fake_view", False):
            return LessonLearned.objects.none()
        require_capability(self.request.user, Capability.VIEW_PORTFOLIO)
        return selectors.lesson_search(self.request.user, self.request.GET.get("q", ""))

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.lesson_record(
            actor=request_actor(self.request), partner=data.pop("partner"), **data
        )


class CalendarFeedSerializer(serializers.ModelSerializer[CalendarFeed]):
    partner = PartnerScopedField(required=False, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = ["id", "partner", "url", "created_at", "rotated_at"]
        read_only_fields = ["created_at", "rotated_at"]

    def get_url(self, obj: CalendarFeed) -> str:
        from django.conf import settings
        from django.urls import reverse

        return settings.SRM_BASE_URL + reverse("governance:feed", args=[obj.token])


class CalendarFeedViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, GovernanceViewSet):
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

    def perform_create(self, serializer: Any) -> None:
        user = request_actor(self.request)
        partner = serializer.validated_data.get("partner")
        if user.is_supplier:
            partner = None  # a supplier's feed is their own partner's shared meetings
        serializer.instance = services.calendar_feed_for(owner=user, partner=partner)

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        feed = services.calendar_feed_revoke(actor=request_actor(request), feed=self.get_object())
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

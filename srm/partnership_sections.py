"""What a partnership export holds: one entry per kind of record, in the order an import
recreates them (a section only refers to sections above it).

A section is a :class:`ModelSection`: the model, how its rows reach the partner, the fields
written to the file, which of them refer to other records (and by which natural key), and
what of it the supplier's shared view may hold. Adding a model to the export (and so to the
import and the JSON Schema) is one more entry here, e.g. the health surveys::

    ModelSection(
        "health_surveys", HealthSurvey, "partner",
        fields=("opens_on", "closes_on", "reminded_on", "created_by", "created_at"),
        refs={"created_by": USER},
        shared=_all_rows, shared_hidden=frozenset({"reminded_on", "created_by"}),
    ),

then ``manage.py partnership_schema`` rewrites the committed schema files.

References inside the file are never database ids: users by user name, categories by code,
scorecard templates by ``code@version``, KPIs by ``code@version/perspective/kpi``, and the
partnership's own records by their ``ref`` (``"meetings/3"``: the section and the row's
position in it, rows in creation order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from governance.improvement import PlanStatus
from governance.models import (
    ActionItem,
    Cadence,
    Charter,
    Decision,
    Escalation,
    EscalationLadderLevel,
    EscalationMove,
    ImprovementAction,
    ImprovementPlan,
    InnovationInitiative,
    JointBusinessPlan,
    LessonLearned,
    Meeting,
    MeetingAttachment,
    PlanMilestone,
    PlanObjective,
    Visibility,
)
from partners.models import (
    Agreement,
    AgreementDocument,
    AnnualSpend,
    LifecycleTransition,
    NoteVisibility,
    Partner,
    PartnerNote,
    PartnerUser,
    PriceBenchmark,
    ReadinessAssessment,
    ReadinessRating,
    SegmentationAssessment,
    SupplierContact,
    SupplyItem,
)
from scorecards.models import (
    Dispute,
    HealthSurvey,
    Measurement,
    Period,
    RiskRewardEvent,
    Scorecard,
    SurveyResponse,
    ValueEntry,
)
from scorecards.surveys import Side

# Reference kinds that are not a section of the file.
USER = "user"
CATEGORY = "category"
TEMPLATE = "template"
KPI = "kpi"

type RowFilter = Callable[[QuerySet[Any]], QuerySet[Any]]


def _all_rows(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows


def _shared_rows(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(visibility=Visibility.SHARED)


@dataclass(frozen=True)
class ModelSection:
    """One kind of record of a partnership, exported as a list of rows."""

    name: str
    model: type[Model]
    # The lookup from a row to its partner: "partner", or through a parent ("meeting__partner").
    partner_path: str
    fields: tuple[str, ...]
    # Field → what it refers to: USER, CATEGORY, TEMPLATE, KPI or the name of a section above.
    refs: Mapping[str, str] = field(default_factory=dict)
    # Many-to-many field → what its members are (same kinds as refs).
    many: Mapping[str, str] = field(default_factory=dict)
    # The rows a supplier's shared view holds (its portal's data); None: internal only.
    shared: RowFilter | None = None
    # Fields left out of the shared view.
    shared_hidden: frozenset[str] = frozenset()

    def rows(self, partner: Partner) -> QuerySet[Any]:
        return self.model._default_manager.filter(**{self.partner_path: partner}).order_by("pk")

    def fields_for(self, view: str) -> tuple[str, ...]:
        if view == "shared":
            return tuple(f for f in self.fields if f not in self.shared_hidden)
        return self.fields


_TIMESTAMPS = ("created_at", "updated_at")

PARTNER = ModelSection(
    "partner",
    Partner,
    "pk",
    fields=(
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
        "annual_revenue",
        "alternative_source",
        "risk_flags",
        "flag_count",
        *_TIMESTAMPS,
    ),
    refs={"owner": USER, "alliance_manager": USER, "executive_sponsor": USER},
    many={"categories": CATEGORY},
    shared=_all_rows,
    # What partners.api.serializers.SupplierPartnerSerializer leaves out.
    shared_hidden=frozenset(
        {
            "quadrant",
            "owner",
            "alliance_manager",
            "executive_sponsor",
            "annual_revenue",
            "alternative_source",
            "risk_flags",
            "flag_count",
        }
    ),
)

SECTIONS: list[ModelSection] = [
    # ------------------------------------------------------------------ partners
    ModelSection(
        "contacts",
        SupplierContact,
        "partner",
        fields=(
            "name",
            "role",
            "email",
            "phone",
            "is_executive_sponsor",
            "is_portal_user",
        ),
        shared=_all_rows,
    ),
    ModelSection("portal_users", PartnerUser, "partner", fields=("user",), refs={"user": USER}),
    ModelSection(
        "notes",
        PartnerNote,
        "partner",
        fields=("author", "body", "visibility", "created_at"),
        refs={"author": USER},
        shared=lambda rows: rows.filter(visibility=NoteVisibility.SHARED),
    ),
    ModelSection(
        "lifecycle_transitions",
        LifecycleTransition,
        "partner",
        fields=("from_stage", "to_stage", "reason", "lessons_learned", "actor", "at"),
        refs={"actor": USER},
    ),
    ModelSection(
        "spend",
        AnnualSpend,
        "partner",
        fields=("year", "category", "amount"),
        refs={"category": CATEGORY},
    ),
    ModelSection(
        "segmentations",
        SegmentationAssessment,
        "partner",
        fields=(
            "category",
            "ratings",
            "weights",
            "profit_impact",
            "supply_risk",
            "computed_quadrant",
            "override_quadrant",
            "override_justification",
            "quadrant",
            "assessed_by",
            "assessed_at",
        ),
        refs={"category": CATEGORY, "assessed_by": USER},
    ),
    ModelSection(
        "readiness_assessments",
        ReadinessAssessment,
        "partner",
        fields=(
            "assessed_on",
            "criteria",
            "readiness_score",
            "alignment_score",
            "readiness_band",
            "alignment_band",
            "band",
            "gaps",
            "created_by",
            "created_at",
        ),
        refs={"created_by": USER},
    ),
    ModelSection(
        "readiness_ratings",
        ReadinessRating,
        "assessment__partner",
        fields=("assessment", "assessor", "ratings", "rated_at"),
        refs={"assessment": "readiness_assessments", "assessor": USER},
    ),
    ModelSection(
        "agreements",
        Agreement,
        "partner",
        fields=(
            "kind",
            "title",
            "reference",
            "start_date",
            "end_date",
            "term_years",
            "auto_renewal",
            "notice_period_days",
            "has_exit_clause",
            "exit_clause",
            "transition_period_months",
            "gain_share_buyer",
            "gain_share_supplier",
            "cost_overrun_share_buyer",
            "cost_overrun_share_supplier",
            "ip_share_buyer",
            "ip_share_supplier",
            "confidentiality_level",
            "internal_notes",
            *_TIMESTAMPS,
        ),
        shared=_all_rows,
        shared_hidden=frozenset({"internal_notes"}),
    ),
    ModelSection(
        "agreement_documents",
        AgreementDocument,
        "agreement__partner",
        # Metadata only: the file itself stays in MEDIA_ROOT (see README).
        fields=("agreement", "name", "file", "uploaded_by", "uploaded_at"),
        refs={"agreement": "agreements", "uploaded_by": USER},
    ),
    ModelSection(
        "supply_items",
        SupplyItem,
        "partner",
        fields=(
            "name",
            "category",
            "is_critical",
            "qualified_second_sources",
            "second_source_names",
        ),
        refs={"category": CATEGORY},
    ),
    ModelSection(
        "price_benchmarks",
        PriceBenchmark,
        "partner",
        fields=(
            "item",
            "category",
            "partner_price",
            "market_price",
            "unit",
            "source",
            "as_of",
            "justification",
        ),
        refs={"category": CATEGORY},
    ),
    # ------------------------------------------------------------------ scorecards
    # The templates the scorecards and frozen periods use come before these: see
    # srm.partnership_export.template_rows (a template is shared by many partnerships).
    ModelSection(
        "scorecards",
        Scorecard,
        "partner",
        fields=("template", "category", "frequency", "dispute_window_days", "created_at"),
        refs={"template": TEMPLATE, "category": CATEGORY},
        shared=_all_rows,
    ),
    ModelSection(
        "periods",
        Period,
        "scorecard__partner",
        fields=(
            "scorecard",
            "label",
            "start",
            "end",
            "status",
            "closed_at",
            "closed_by",
            "reopen_count",
            "scored_template",
            "overall",
            "rating",
            "coverage",
            "provisional",
            "breakdown",
        ),
        refs={"scorecard": "scorecards", "closed_by": USER, "scored_template": TEMPLATE},
        shared=_all_rows,
    ),
    ModelSection(
        "measurements",
        Measurement,
        "period__scorecard__partner",
        fields=(
            "period",
            "kpi",
            "measured_on",
            "value",
            "source",
            "status",
            "comment",
            "evidence",
            "entered_by",
            "entered_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
        ),
        refs={"period": "periods", "kpi": KPI, "entered_by": USER, "reviewed_by": USER},
        shared=_all_rows,
    ),
    ModelSection(
        "disputes",
        Dispute,
        "period__scorecard__partner",
        fields=(
            "period",
            "raised_by",
            "raised_at",
            "reason",
            "kpi_code",
            "status",
            "resolution",
            "resolved_by",
            "resolved_at",
            "overall_before",
            "overall_after",
        ),
        refs={"period": "periods", "raised_by": USER, "resolved_by": USER},
        shared=_all_rows,
    ),
    # ------------------------------------------------------------------ governance
    ModelSection(
        "charters",
        Charter,
        "partner",
        fields=(
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
            "created_by",
            *_TIMESTAMPS,
        ),
        refs={"created_by": USER},
        shared=_all_rows,
    ),
    ModelSection(
        "cadences",
        Cadence,
        "partner",
        fields=(
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
            "default_attendees",
            "default_contacts",
            *_TIMESTAMPS,
        ),
        many={"default_attendees": USER, "default_contacts": "contacts"},
        shared=_shared_rows,
    ),
    ModelSection(
        "meetings",
        Meeting,
        "partner",
        fields=(
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
            *_TIMESTAMPS,
        ),
        refs={"cadence": "cadences"},
        many={"attendees": USER, "contacts": "contacts"},
        shared=_shared_rows,
    ),
    ModelSection(
        "decisions",
        Decision,
        "meeting__partner",
        fields=("meeting", "text", "created_at"),
        refs={"meeting": "meetings"},
        shared=lambda rows: rows.filter(meeting__visibility=Visibility.SHARED),
    ),
    ModelSection(
        "meeting_attachments",
        MeetingAttachment,
        "meeting__partner",
        fields=("meeting", "name", "file", "uploaded_by", "uploaded_at"),
        refs={"meeting": "meetings", "uploaded_by": USER},
        shared=lambda rows: rows.filter(meeting__visibility=Visibility.SHARED),
    ),
    ModelSection(
        "actions",
        ActionItem,
        "partner",
        fields=(
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
            *_TIMESTAMPS,
        ),
        refs={"meeting": "meetings", "owner_user": USER, "owner_contact": "contacts"},
        shared=_shared_rows,
    ),
    ModelSection(
        "escalation_levels",
        EscalationLadderLevel,
        "partner",
        fields=("number", "name", "response_time_hours", "notify"),
        many={"notify": USER},
    ),
    ModelSection(
        "escalations",
        Escalation,
        "partner",
        fields=(
            "title",
            "description",
            "level",
            "level_entered_at",
            "overdue_at_top",
            "raised_by",
            "resolved_at",
            "resolution",
            "visibility",
            *_TIMESTAMPS,
        ),
        refs={"raised_by": USER},
        shared=_shared_rows,
    ),
    ModelSection(
        "escalation_moves",
        EscalationMove,
        "escalation__partner",
        fields=("escalation", "from_level", "to_level", "at"),
        refs={"escalation": "escalations"},
        shared=lambda rows: rows.filter(escalation__visibility=Visibility.SHARED),
    ),
    ModelSection(
        "plans",
        JointBusinessPlan,
        "partner",
        fields=("year", "title", "summary", "visibility", *_TIMESTAMPS),
        shared=_shared_rows,
    ),
    ModelSection(
        "plan_objectives",
        PlanObjective,
        "plan__partner",
        fields=("plan", "title", "target", "kpi_reference", "progress_percent"),
        refs={"plan": "plans"},
        shared=lambda rows: rows.filter(plan__visibility=Visibility.SHARED),
    ),
    ModelSection(
        "plan_milestones",
        PlanMilestone,
        "plan__partner",
        fields=("plan", "objective", "title", "owner_user", "owner_contact", "due_date", "done_at"),
        refs={
            "plan": "plans",
            "objective": "plan_objectives",
            "owner_user": USER,
            "owner_contact": "contacts",
        },
        shared=lambda rows: rows.filter(plan__visibility=Visibility.SHARED),
    ),
    ModelSection(
        "initiatives",
        InnovationInitiative,
        "partner",
        fields=(
            "title",
            "description",
            "stage",
            "owner",
            "expected_value",
            "realized_value",
            "target_year",
            "visibility",
            *_TIMESTAMPS,
        ),
        refs={"owner": USER},
        shared=_shared_rows,
    ),
    ModelSection(
        "lessons",
        LessonLearned,
        "partner",
        fields=("title", "body", "tags", "recorded_by", *_TIMESTAMPS),
        refs={"recorded_by": USER},
    ),
    # ------------------------------------------------------------------ value and accountability
    # Access rules: scorecards.selectors_accountability, governance.selectors_improvement.
    # Value entries are internal: the buyer's investments are never shown to a supplier.
    ModelSection(
        "value_entries",
        ValueEntry,
        "partner",
        fields=("kind", "category", "amount", "occurred_on", "description", "created_by"),
        refs={"created_by": USER},
    ),
    # The risk-reward ledger: a supplier reads its own side of each event (the portal's
    # ledger, SupplierRiskRewardEventSerializer), never the buyer's share, ratio or the total.
    ModelSection(
        "risk_reward_events",
        RiskRewardEvent,
        "agreement__partner",
        fields=(
            "agreement",
            "kind",
            "amount",
            "occurred_on",
            "description",
            "buyer_ratio",
            "buyer_share",
            "supplier_share",
            "created_by",
            "created_at",
        ),
        refs={"agreement": "agreements", "created_by": USER},
        shared=_all_rows,
        shared_hidden=frozenset({"amount", "buyer_ratio", "buyer_share", "created_by"}),
    ),
    # Health-survey rounds: a supplier sees its partner's rounds (their dates), and of the
    # answers only its own side's, never the buyer's ratings or comments, nor any score.
    ModelSection(
        "health_surveys",
        HealthSurvey,
        "partner",
        fields=("opens_on", "closes_on", "reminded_on", "created_by", "created_at"),
        refs={"created_by": USER},
        shared=_all_rows,
        shared_hidden=frozenset({"reminded_on", "created_by"}),
    ),
    ModelSection(
        "survey_responses",
        SurveyResponse,
        "survey__partner",
        fields=(
            "survey",
            "respondent",
            "side",
            "trust",
            "communication",
            "joint_problem_solving",
            "responsiveness",
            "fairness",
            "comment",
            "answered_at",
        ),
        refs={"survey": "health_surveys", "respondent": USER},
        shared=lambda rows: rows.filter(side=Side.SUPPLIER),
    ),
    # Improvement plans are internal (trigger, root cause, decisions); a supplier sees the
    # actions of its open plans (shared action items above) with their milestones.
    ModelSection(
        "improvement_plans",
        ImprovementPlan,
        "partner",
        fields=(
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
            *_TIMESTAMPS,
        ),
        refs={"period": "periods", "decided_by": USER},
    ),
    ModelSection(
        "improvement_actions",
        ImprovementAction,
        "plan__partner",
        fields=("plan", "action", "milestone"),
        refs={"plan": "improvement_plans", "action": "actions"},
        shared=lambda rows: rows.filter(
            plan__status=PlanStatus.OPEN, action__visibility=Visibility.SHARED
        ),
        shared_hidden=frozenset({"plan"}),
    ),
]


def section_names() -> list[str]:
    return [section.name for section in SECTIONS]

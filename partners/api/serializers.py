"""One serializer per shape. Supplier shapes leave out everything internal (SPEC 5)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from rest_framework import serializers

from core.api import CodeRelatedField
from partners import kraljic, risk
from partners.api.fields import partner_field
from partners.lifecycle import LIFECYCLE_STAGE_LABELS
from partners.models import (
    Agreement,
    AgreementDocument,
    AnnualSpend,
    Category,
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

PUBLIC_PARTNER_FIELDS = [
    "id",
    "legal_name",
    "short_name",
    "country",
    "currency",
    "website",
    "categories",
    "lifecycle_stage",
    "engagement_model",
    "tags",
    "description",
]


class RiskFlagSerializer(serializers.Serializer[dict[str, str]]):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()


class PartnerSerializer(serializers.ModelSerializer[Partner]):
    """The internal shape: everything, including segmentation and risk flags."""

    categories: Any = CodeRelatedField(
        slug_field="code", many=True, queryset=Category.objects.all(), required=False
    )
    # A list of short strings, never null or an object (the list page and export join them).
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=50
    )
    risk_flags = RiskFlagSerializer(many=True, read_only=True)
    # Plain text on output: lifecycle moves go through /transition/ (one enum per choice set).
    lifecycle_stage = serializers.CharField(read_only=True)
    quadrant = serializers.CharField(read_only=True)
    recommended_engagement_models = serializers.SerializerMethodField()
    exit_readiness = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            *PUBLIC_PARTNER_FIELDS,
            "quadrant",
            "recommended_engagement_models",
            "exit_readiness",
            "owner",
            "alliance_manager",
            "executive_sponsor",
            "annual_revenue",
            "alternative_source",
            "risk_flags",
            "flag_count",
            "version",
        ]
        read_only_fields = ["lifecycle_stage", "quadrant", "flag_count", "version"]

    def get_recommended_engagement_models(self, obj: Partner) -> list[str]:
        if not obj.quadrant:
            return []
        return [
            m.value for m in kraljic.recommend(kraljic.Quadrant(obj.quadrant)).engagement_models
        ]

    def get_exit_readiness(self, obj: Partner) -> dict[str, Any]:
        """Exit clause + transition period + named alternative source (SPEC 1.7)."""
        with_exit = [a for a in obj.agreements.all() if a.has_exit_clause]
        months = max((a.transition_period_months or 0 for a in with_exit), default=None)
        state = risk.exit_readiness(bool(with_exit), months, obj.alternative_source)
        return {"ready": state.ready, "missing": [m.value for m in state.missing]}


class SupplierPartnerSerializer(serializers.ModelSerializer[Partner]):
    """What a supplier user may read about its own company: no segmentation, flags, revenue."""

    categories: Any = CodeRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Partner
        fields = PUBLIC_PARTNER_FIELDS
        read_only_fields = PUBLIC_PARTNER_FIELDS


class TransitionSerializer(serializers.Serializer[dict[str, Any]]):
    to_stage = serializers.ChoiceField(
        choices=[(s.value, label) for s, label in LIFECYCLE_STAGE_LABELS.items()]
    )
    reason = serializers.CharField(allow_blank=True)
    lessons_learned = serializers.CharField(required=False, allow_blank=True, default="")


class EngagementModelChangeSerializer(serializers.Serializer[dict[str, Any]]):
    engagement_model = serializers.ChoiceField(
        choices=[(m.value, label) for m, label in kraljic.ENGAGEMENT_MODEL_LABELS.items()]
    )


class PlaybookSerializer(serializers.ModelSerializer[EngagementPlaybook]):
    class Meta:
        model = EngagementPlaybook
        fields = [
            "engagement_model",
            "cadences",
            "scorecard_template_code",
            "sponsor_level",
            "survey_frequency_months",
            "description",
            "version",
        ]
        read_only_fields = ["engagement_model"]


class ReadinessCriterionSerializer(serializers.ModelSerializer[ReadinessCriterion]):
    """A criterion of the readiness & alignment template; the code cannot change later."""

    class Meta:
        model = ReadinessCriterion
        fields = ["id", "code", "label", "dimension", "weight", "position", "active"]
        read_only_fields = ["id"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError(gettext("A criterion's code cannot change."))
        return value


class PartnerChildSerializer(serializers.ModelSerializer[Any]):
    """Child records: the partner must be one the user may see (else "does not exist")."""

    partner = partner_field()


class NoteSerializer(PartnerChildSerializer):
    author: Any = serializers.StringRelatedField()

    class Meta:
        model = PartnerNote
        fields = ["id", "partner", "body", "visibility", "author", "created_at"]
        read_only_fields = ["author", "created_at"]


class ContactSerializer(PartnerChildSerializer):
    class Meta:
        model = SupplierContact
        fields = [
            "id",
            "partner",
            "name",
            "role",
            "email",
            "phone",
            "is_executive_sponsor",
            "is_portal_user",
            "version",
        ]
        read_only_fields = ["version"]


class SpendSerializer(PartnerChildSerializer):
    category = CodeRelatedField(slug_field="code", queryset=Category.objects.all())

    class Meta:
        model = AnnualSpend
        fields = ["id", "partner", "year", "category", "amount"]


class SegmentationSerializer(PartnerChildSerializer):
    category = CodeRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )
    ratings = serializers.DictField(child=serializers.IntegerField())
    recommended_engagement_models = serializers.SerializerMethodField()
    computed_quadrant = serializers.CharField(read_only=True)
    quadrant = serializers.CharField(read_only=True)

    class Meta:
        model = SegmentationAssessment
        fields = [
            "id",
            "partner",
            "category",
            "ratings",
            "weights",
            "profit_impact",
            "supply_risk",
            "computed_quadrant",
            "override_quadrant",
            "override_justification",
            "quadrant",
            "recommended_engagement_models",
            "assessed_by",
            "assessed_at",
        ]
        read_only_fields = [
            "weights",
            "profit_impact",
            "supply_risk",
            "computed_quadrant",
            "quadrant",
            "assessed_by",
            "assessed_at",
        ]

    def get_recommended_engagement_models(self, obj: SegmentationAssessment) -> list[str]:
        return [
            m.value for m in kraljic.recommend(kraljic.Quadrant(obj.quadrant)).engagement_models
        ]


class ReadinessRatingInputSerializer(serializers.Serializer[dict[str, Any]]):
    ratings = serializers.DictField(child=serializers.IntegerField())


class ReadinessSerializer(PartnerChildSerializer):
    ratings = serializers.DictField(child=serializers.IntegerField(), write_only=True)
    assessor_ratings = serializers.SerializerMethodField()
    readiness_band = serializers.CharField(read_only=True)
    alignment_band = serializers.CharField(read_only=True)
    band = serializers.CharField(read_only=True)

    class Meta:
        model = ReadinessAssessment
        fields = [
            "id",
            "partner",
            "assessed_on",
            "ratings",
            "criteria",
            "readiness_score",
            "alignment_score",
            "readiness_band",
            "alignment_band",
            "band",
            "gaps",
            "assessor_ratings",
            "created_by",
            "created_at",
        ]
        read_only_fields = [
            "criteria",
            "readiness_score",
            "alignment_score",
            "readiness_band",
            "alignment_band",
            "band",
            "gaps",
            "created_by",
            "created_at",
        ]

    def get_assessor_ratings(self, obj: ReadinessAssessment) -> list[dict[str, Any]]:
        return [{"assessor": str(r.assessor), "ratings": r.ratings} for r in obj.ratings.all()]


RATIO_HELP = 'buyer:supplier percentages adding up to 100, e.g. "60:40"; blank for none'


class AgreementSerializer(PartnerChildSerializer):
    """Internal shape. Ratios are written and read as "buyer:supplier" text."""

    gain_share = serializers.CharField(required=False, allow_blank=True, help_text=RATIO_HELP)
    cost_overrun_share = serializers.CharField(
        required=False, allow_blank=True, help_text=RATIO_HELP
    )
    ip_share = serializers.CharField(required=False, allow_blank=True, help_text=RATIO_HELP)
    notice_deadline = serializers.DateField(read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "partner",
            "kind",
            "title",
            "reference",
            "start_date",
            "end_date",
            "term_years",
            "auto_renewal",
            "notice_period_days",
            "notice_deadline",
            "has_exit_clause",
            "exit_clause",
            "transition_period_months",
            "gain_share",
            "cost_overrun_share",
            "ip_share",
            "confidentiality_level",
            "internal_notes",
            "documents",
            "version",
        ]

    def get_documents(self, obj: Agreement) -> list[dict[str, Any]]:
        return [
            {
                "id": d.pk,
                "name": d.name,
                "url": reverse("partners:agreement-document", args=[d.pk]),
            }
            for d in obj.documents.all()
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Dates, ratios and the rest are checked once, in the service.
        return attrs


SUPPLIER_AGREEMENT_FIELDS = [
    f
    for f in AgreementSerializer.Meta.fields
    if f not in {"internal_notes", "documents", "version"}
]


class SupplierAgreementSerializer(serializers.ModelSerializer[Agreement]):
    """The terms both sides signed; no internal notes and no documents."""

    gain_share = serializers.CharField(read_only=True)
    cost_overrun_share = serializers.CharField(read_only=True)
    ip_share = serializers.CharField(read_only=True)
    notice_deadline = serializers.DateField(read_only=True)

    class Meta:
        model = Agreement
        fields = SUPPLIER_AGREEMENT_FIELDS
        read_only_fields = SUPPLIER_AGREEMENT_FIELDS


class DocumentUploadSerializer(serializers.ModelSerializer[AgreementDocument]):
    class Meta:
        model = AgreementDocument
        fields = ["id", "file", "name", "uploaded_at"]
        read_only_fields = ["uploaded_at"]
        extra_kwargs = {"name": {"required": False}}


class SupplyItemSerializer(PartnerChildSerializer):
    category = CodeRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = SupplyItem
        fields = [
            "id",
            "partner",
            "name",
            "category",
            "is_critical",
            "qualified_second_sources",
            "second_source_names",
            "version",
        ]


class BenchmarkSerializer(PartnerChildSerializer):
    category = CodeRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True
    )
    premium_percent = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)

    class Meta:
        model = PriceBenchmark
        fields = [
            "id",
            "partner",
            "item",
            "category",
            "partner_price",
            "market_price",
            "premium_percent",
            "unit",
            "source",
            "as_of",
            "justification",
            "version",
        ]


class ImportSerializer(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField(help_text="A .csv or .xlsx file; see the README for columns.")

"""Who the partners are (SPEC 1.1, 1.2) and which users belong to which partner."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise

from core.concurrency import Versioned
from core.errors import FieldErrors
from core.models import TimeStampedModel
from partners.agreement_terms import notice_deadline
from partners.kraljic import ENGAGEMENT_MODEL_LABELS, QUADRANT_LABELS, EngagementModel
from partners.lifecycle import LIFECYCLE_STAGE_LABELS, LifecycleStage
from partners.playbooks import SPONSOR_LEVEL_LABELS, SponsorLevel, validate_cadences
from partners.readiness import BAND_LABELS, DIMENSION_LABELS
from partners.risk import price_premium


def _choices[E: StrEnum](labels: Mapping[E, StrPromise]) -> list[tuple[str, StrPromise]]:
    """Choices of a rule module's enum, with its lazy labels: each user reads their own
    language, and the migrations see the same (English) text as before."""
    return [(member.value, label) for member, label in labels.items()]


class Category(models.Model):
    """A category of spend (e.g. battery cells, packaging, logistics)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Partner(Versioned, TimeStampedModel):
    """A supplier company we work with; the tenant of the partner portal."""

    legal_name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    country = models.CharField(
        max_length=2, help_text=gettext_lazy("ISO 3166-1 alpha-2 code, e.g. DE")
    )
    currency = models.CharField(
        max_length=3, default="EUR", help_text=gettext_lazy("ISO 4217 code, e.g. EUR")
    )
    website = models.URLField(blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="partners")
    lifecycle_stage = models.CharField(
        max_length=20, choices=_choices(LIFECYCLE_STAGE_LABELS), default=LifecycleStage.IDENTIFIED
    )
    engagement_model = models.CharField(
        max_length=32,
        choices=_choices(ENGAGEMENT_MODEL_LABELS),
        default=EngagementModel.TRANSACTIONAL,
    )
    quadrant = models.CharField(max_length=20, choices=_choices(QUADRANT_LABELS), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_partners",
        help_text=gettext_lazy("Internal owner (category manager)."),
    )
    alliance_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
    )
    executive_sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_partners",
    )
    tags = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    annual_revenue = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=gettext_lazy(
            "The partner's own total annual revenue, in the reporting currency "
            "(for its dependency on us)."
        ),
    )
    alternative_source = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Named alternative source if we had to exit."),
    )
    # Derived by services.partner_flags_refresh so the list filters and shows them cheaply.
    risk_flags = models.JSONField(default=list, blank=True, editable=False)
    flag_count = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ("short_name",)
        indexes = [
            # The partner list and every API list of partner records sort by short name
            # (then id): read in that order, a page stops after its rows.
            models.Index(fields=["short_name", "id"], name="partner_short_name_id"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        # JSONField takes any JSON; the list page, export and API join tags as strings.
        tags = self.tags
        if tags is None:
            self.tags = []
        elif not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValidationError({"tags": _("Tags must be a list of text labels.")})


class AnnualSpend(models.Model):
    """What we spent with a partner in one year and category."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="spend")
    year = models.PositiveSmallIntegerField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="spend")
    # Every spend figure is in the company's reporting currency (SRM_REPORTING_CURRENCY), so
    # totals across partners that invoice in other currencies add up.
    amount = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=gettext_lazy("In the reporting currency."),
    )

    class Meta:
        ordering = ("-year", "category__name")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year", "category"], name="annual_spend_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="annual_spend_not_negative"
            ),
        ]
        # Every list and dashboard reads "the latest year with spend" and that year's totals.
        indexes = [models.Index(fields=["year", "partner"], name="annual_spend_year_partner")]

    def __str__(self) -> str:
        return f"{self.partner} {self.year} {self.category}: {self.amount}"


class SupplierContact(Versioned, models.Model):
    """A person on the supplier's side."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_executive_sponsor = models.BooleanField(default=False)
    is_portal_user = models.BooleanField(default=False)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class NoteVisibility(models.TextChoices):
    INTERNAL = "internal", gettext_lazy("Internal only")
    SHARED = "shared", gettext_lazy("Shared with partner")


class PartnerNote(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.INTERNAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Note on {self.partner}"


class LifecycleTransition(models.Model):
    """One recorded move between lifecycle stages: who, when, why."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=_choices(LIFECYCLE_STAGE_LABELS))
    to_stage = models.CharField(max_length=20, choices=_choices(LIFECYCLE_STAGE_LABELS))
    reason = models.TextField()
    lessons_learned = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_stage} → {self.to_stage}"


class PartnerUser(models.Model):
    """Binds a supplier user to exactly one partner: the only company they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class CategorySpendTotal(models.Model):
    """The company's whole spend in a category and year, including suppliers not in SRM.

    The denominator of a partner's share of category spend (SPEC 1.7); without it the sum
    of the partners' recorded spend is used.
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="totals")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ("-year", "category__name")
        constraints = [
            models.UniqueConstraint(fields=["category", "year"], name="category_total_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.year}: {self.amount}"


class EngagementPlaybook(Versioned, TimeStampedModel):
    """What a partnership of one engagement model gets by default (SPEC 1.3).

    ``cadences`` is a list of ``{"kind", "frequency", "interval", "duration_minutes"}``
    read by governance; ``scorecard_template_code`` is resolved by scorecards.
    """

    engagement_model = models.CharField(
        max_length=32, choices=_choices(ENGAGEMENT_MODEL_LABELS), unique=True
    )
    cadences = models.JSONField(default=list, blank=True)
    scorecard_template_code = models.SlugField(max_length=60, blank=True)
    sponsor_level = models.CharField(
        max_length=12, choices=_choices(SPONSOR_LEVEL_LABELS), default=SponsorLevel.NONE
    )
    survey_frequency_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)]
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("engagement_model",)

    def __str__(self) -> str:
        return f"Playbook: {self.get_engagement_model_display()}"

    def clean(self) -> None:
        try:
            validate_cadences(self.cadences)
        except FieldErrors as exc:
            raise ValidationError(exc.errors) from exc


class SegmentationAssessment(models.Model):
    """One Kraljic positioning of a partner (optionally within one category), kept as history."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="segmentations")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratings = models.JSONField(help_text="Factor code → rating 1-5.")
    weights = models.JSONField(default=dict, help_text="Factor code → weight used.")
    profit_impact = models.DecimalField(max_digits=3, decimal_places=2)
    supply_risk = models.DecimalField(max_digits=3, decimal_places=2)
    computed_quadrant = models.CharField(max_length=20, choices=_choices(QUADRANT_LABELS))
    override_quadrant = models.CharField(
        max_length=20, choices=_choices(QUADRANT_LABELS), blank=True
    )
    override_justification = models.TextField(blank=True)
    quadrant = models.CharField(max_length=20, choices=_choices(QUADRANT_LABELS))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-assessed_at", "-id")
        indexes = [models.Index(fields=["assessed_at", "id"], name="segmentation_assessed_at_id")]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_quadrant_display()}"


class ReadinessCriterion(TimeStampedModel):
    """One weighted criterion of the readiness & alignment template (SPEC 1.5).

    The current template is every active criterion in ``position`` order. Administrators
    edit it (admin or API, through ``partners.services.readiness_criterion_save``); each
    assessment keeps a snapshot of the criteria and weights it was made with, so editing the
    template never changes a past result. Criteria are deactivated, never deleted.
    """

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    dimension = models.CharField(max_length=12, choices=_choices(DIMENSION_LABELS))
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("position", "id")
        verbose_name = "readiness template criterion"

    def __str__(self) -> str:
        return f"{self.label} ({self.get_dimension_display()}, weight {self.weight})"


class ReadinessAssessment(models.Model):
    """A readiness & alignment assessment (SPEC 1.5); internal only, never shown to suppliers."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="readiness_assessments"
    )
    assessed_on = models.DateField()
    criteria = models.JSONField(
        help_text="Snapshot of the template: code, label, dimension, weight."
    )
    readiness_score = models.DecimalField(max_digits=5, decimal_places=2)
    alignment_score = models.DecimalField(max_digits=5, decimal_places=2)
    readiness_band = models.CharField(max_length=24, choices=_choices(BAND_LABELS))
    alignment_band = models.CharField(max_length=24, choices=_choices(BAND_LABELS))
    band = models.CharField(max_length=24, choices=_choices(BAND_LABELS))
    gaps = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-assessed_on", "-id")

    def __str__(self) -> str:
        return f"{self.partner} readiness {self.assessed_on}"


class ReadinessRating(models.Model):
    """One assessor's ratings within an assessment."""

    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ratings = models.JSONField(help_text="Criterion code → rating 1-5.")
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("rated_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "assessor"], name="readiness_rating_one_per_assessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} by {self.assessor}"


class AgreementKind(models.TextChoices):
    CONTRACT = "contract", gettext_lazy("Supply contract")
    FRAMEWORK = "framework", gettext_lazy("Framework agreement")
    CO_DEVELOPMENT = "co_development", gettext_lazy("Co-development agreement")
    JOINT_VENTURE = "joint_venture", gettext_lazy("Joint-venture agreement")
    NDA = "nda", gettext_lazy("Non-disclosure agreement")


class ConfidentialityLevel(models.TextChoices):
    PUBLIC = "public", gettext_lazy("Public")
    INTERNAL = "internal", gettext_lazy("Internal")
    CONFIDENTIAL = "confidential", gettext_lazy("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", gettext_lazy("Strictly confidential")


def _ratio_field() -> Any:
    return models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)


class Agreement(Versioned, TimeStampedModel):
    """A contract or NDA with a partner (SPEC 1.6). Ratios are buyer:supplier percentages."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=60, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    term_years = models.PositiveSmallIntegerField(null=True, blank=True)
    auto_renewal = models.BooleanField(default=False)
    notice_period_days = models.PositiveIntegerField(default=0)
    has_exit_clause = models.BooleanField(default=False)
    exit_clause = models.TextField(blank=True)
    transition_period_months = models.PositiveSmallIntegerField(null=True, blank=True)
    gain_share_buyer = _ratio_field()
    gain_share_supplier = _ratio_field()
    cost_overrun_share_buyer = _ratio_field()
    cost_overrun_share_supplier = _ratio_field()
    ip_share_buyer = _ratio_field()
    ip_share_supplier = _ratio_field()
    confidentiality_level = models.CharField(
        max_length=24,
        choices=ConfidentialityLevel.choices,
        default=ConfidentialityLevel.CONFIDENTIAL,
    )
    internal_notes = models.TextField(
        blank=True, help_text=gettext_lazy("Never shown to the supplier.")
    )

    class Meta:
        ordering = ("end_date", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_not_before_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.partner})"

    def ratio_text(self, name: str) -> str:
        buyer = getattr(self, f"{name}_buyer")
        supplier = getattr(self, f"{name}_supplier")
        if buyer is None or supplier is None:
            return ""
        return f"{buyer.normalize():f}:{supplier.normalize():f}"

    @property
    def gain_share(self) -> str:
        return self.ratio_text("gain_share")

    @property
    def cost_overrun_share(self) -> str:
        return self.ratio_text("cost_overrun_share")

    @property
    def ip_share(self) -> str:
        return self.ratio_text("ip_share")

    @property
    def notice_deadline(self) -> date:
        return notice_deadline(self.end_date, self.notice_period_days)


def agreement_document_path(instance: AgreementDocument, filename: str) -> str:
    """An unguessable folder per file, so a media URL never leaks another contract."""
    return f"agreements/{uuid.uuid4().hex}/{filename}"


class AgreementDocument(models.Model):
    """A file attached to an agreement, stored under MEDIA_ROOT; internal only.

    Downloads go through partners.views.agreement_document_view, which checks access.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=agreement_document_path, max_length=300)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")

    def __str__(self) -> str:
        return self.name


class SupplyItem(Versioned, models.Model):
    """An item we buy from the partner, and whether a qualified second source exists (1.7)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="supply_items")
    name = models.CharField(max_length=200)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_critical = models.BooleanField(default=False)
    qualified_second_sources = models.PositiveSmallIntegerField(default=0)
    second_source_names = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="supply_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class PriceBenchmark(Versioned, models.Model):
    """Partner price against the market price for one item (SPEC 1.8); internal only."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="benchmarks")
    item = models.CharField(max_length=200)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner_price = models.DecimalField(
        max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal(0))]
    )
    market_price = models.DecimalField(
        max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    unit = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=200, blank=True)
    as_of = models.DateField()
    justification = models.TextField(blank=True)

    class Meta:
        ordering = ("item", "-as_of")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "item", "as_of"], name="price_benchmark_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.partner})"

    @property
    def premium_percent(self) -> Decimal:
        return price_premium(self.partner_price, self.market_price)


class PartnerInvitation(models.Model):
    """An invitation for a supplier contact to become a portal user of their partner.

    The link's token is e-mailed once; only its SHA-256 digest is kept here, so the table
    cannot be used to accept an invitation. Single use, and it expires (``expires_at``).
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    contact = models.ForeignKey(
        SupplierContact, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.partner}"

    def status_at(self, now: datetime) -> str:
        """``accepted``, ``revoked``, ``expired`` or ``pending`` at ``now``."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "pending"

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

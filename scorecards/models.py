"""Scorecards (SPEC 3.1-3.6, 3.12): versioned templates, scorecards, periods, measurements,
disputes and the portfolio rollups dashboards read.

A closed period freezes its scores: the overall score, rating, coverage and a ``breakdown``
snapshot of every perspective and KPI (value, target, threshold, weight, source, score) taken
with the template version it was scored with, so later template edits never change history.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.concurrency import Versioned
from partners.models import Category, Partner
from scorecards import labels
from scorecards.breakdown import Breakdown
from scorecards.models_accountability import (
    EarnedIncentive,
    HealthSurvey,
    IncentiveRule,
    IncentiveStatus,
    RiskRewardEvent,
    SurveyResponse,
    ValueEntry,
)
from scorecards.scoring import Aggregation, KpiDirection, Rating
from scorecards.sources import DataSource

__all__ = [
    "DataSource",
    "Dispute",
    "DisputeStatus",
    "EarnedIncentive",
    "Frequency",
    "HealthSurvey",
    "IncentiveRule",
    "IncentiveStatus",
    "KpiDefinition",
    "Measurement",
    "MeasurementStatus",
    "Period",
    "PeriodStatus",
    "Perspective",
    "PortfolioRollup",
    "RiskRewardEvent",
    "RollupDimension",
    "Scorecard",
    "ScorecardTemplate",
    "SurveyResponse",
    "ValueEntry",
]


def _choices(enum: type[StrEnum], words: dict[str, StrOrPromise]) -> list[tuple[str, StrOrPromise]]:
    """Choices of an engine enum, labelled in the user's language (same words as before)."""
    return [(member.value, words[member.value]) for member in enum]


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class ScorecardTemplate(models.Model):
    """One version of a template; ``code`` names the template across its versions."""

    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("code", "-version")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="template_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Perspective(models.Model):
    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.CASCADE, related_name="perspectives"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("template", "position", "id")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="perspective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class KpiDefinition(models.Model):
    perspective = models.ForeignKey(Perspective, on_delete=models.CASCADE, related_name="kpis")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=20, blank=True)
    direction = models.CharField(
        max_length=20, choices=_choices(KpiDirection, labels.DIRECTION_LABELS)
    )
    target = models.DecimalField(max_digits=20, decimal_places=6)
    threshold = models.DecimalField(max_digits=20, decimal_places=6)
    weight = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    data_source = models.CharField(max_length=10, choices=DataSource, default=DataSource.BUYER)
    aggregation = models.CharField(
        max_length=10,
        choices=_choices(Aggregation, labels.AGGREGATION_CHOICE_LABELS),
        default=Aggregation.MEAN,
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("perspective__position", "position", "id")
        constraints = [
            models.UniqueConstraint(fields=["perspective", "code"], name="kpi_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Scorecard(Versioned, models.Model):
    """A template applied to a partner (optionally for one category of spend)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="scorecards")
    template = models.ForeignKey(
        ScorecardTemplate, on_delete=models.PROTECT, related_name="scorecards"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="scorecards"
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.QUARTERLY)
    dispute_window_days = models.PositiveSmallIntegerField(default=14)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("partner__short_name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "template", "category"],
                name="scorecard_unique_per_template_category",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        suffix = f" · {self.category}" if self.category_id else ""
        return f"{self.partner} · {self.template.name}{suffix}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Period(Versioned, models.Model):
    """One scoring period of a scorecard; closing it scores and freezes it."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField(help_text="Last day of the period.")
    status = models.CharField(max_length=10, choices=PeriodStatus, default=PeriodStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_count = models.PositiveSmallIntegerField(default=0)
    scored_template = models.ForeignKey(
        ScorecardTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overall = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=4)
    rating = models.CharField(
        max_length=20, choices=_choices(Rating, labels.RATING_LABELS), blank=True
    )
    coverage = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=4)
    provisional = models.BooleanField(default=False)
    breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("scorecard", "start")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "start"], name="period_unique_start"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "end"]),
            # A scorecard's latest score (scorecards.latest_scores): its scored periods, the
            # latest first, read without sorting all of them.
            models.Index(
                fields=["scorecard", "-end"],
                condition=models.Q(status=PeriodStatus.CLOSED, overall__isnull=False),
                name="period_scored_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard.partner} {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED

    @property
    def has_ended(self) -> bool:
        """Whether its last day is over (a close before then needs a confirmation)."""
        return self.end < timezone.localdate()

    @property
    def score_breakdown(self) -> Breakdown | None:
        """The frozen breakdown of the score, typed; None before the period is first scored."""
        return Breakdown.from_json(self.breakdown) if self.breakdown else None


class MeasurementStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Measurement(models.Model):
    """A KPI value for a period (or a sub-period, by ``measured_on``).

    Buyer values count at once; supplier self-reports count only once accepted.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="measurements")
    kpi = models.ForeignKey(KpiDefinition, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=6)
    source = models.CharField(max_length=10, choices=DataSource, default=DataSource.BUYER)
    status = models.CharField(
        max_length=10, choices=MeasurementStatus, default=MeasurementStatus.ACCEPTED
    )
    comment = models.TextField(blank=True)
    evidence = models.FileField(upload_to="scorecards/evidence/%Y/%m/", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    class Meta:
        ordering = ("period", "kpi", "measured_on", "id")
        constraints = [
            # One buyer value per KPI and date: the grid and imports update it in place.
            models.UniqueConstraint(
                fields=["period", "kpi", "measured_on"],
                condition=models.Q(source="buyer"),
                name="measurement_one_buyer_value",
            )
        ]
        indexes = [
            models.Index(fields=["period", "status"]),
            # Self-reports waiting for acceptance are a handful among millions of values: the
            # scorecard list counts them and the workspace lists them oldest first.
            models.Index(
                fields=["period"],
                condition=models.Q(status="submitted"),
                name="measurement_submitted_period",
            ),
            models.Index(
                fields=["entered_at"],
                condition=models.Q(status="submitted"),
                name="measurement_submitted_entered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.measured_on}: {self.value}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CORRECTED = "corrected", _("Corrected and rescored")
    REJECTED = "rejected", _("Rejected")


class Dispute(models.Model):
    """A supplier's challenge of a closed period's score, and the buyer's resolution."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    kpi_code = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=DisputeStatus, default=DisputeStatus.OPEN)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The score as shown (one decimal) before the dispute and after its resolution.
    overall_before = models.CharField(max_length=8, blank=True)
    overall_after = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ("-raised_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status="open"),
                name="dispute_one_open_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"Dispute of {self.period}"

    @property
    def kpi_name(self) -> str:
        """The disputed KPI's name as scored in the period ("" when the whole score is)."""
        if not self.kpi_code:
            return ""
        breakdown = self.period.score_breakdown
        names = dict(breakdown.kpi_names()) if breakdown else {}
        return names.get(self.kpi_code, self.kpi_code)


class RollupDimension(models.TextChoices):
    ENGAGEMENT_MODEL = "engagement_model", _("Engagement model")
    QUADRANT = "quadrant", _("Kraljic quadrant")
    CATEGORY = "category", _("Category")
    SPONSOR = "sponsor", _("Executive sponsor")


class PortfolioRollup(models.Model):
    """Score distribution of the latest closed period of every scorecard, per group."""

    dimension = models.CharField(max_length=20, choices=RollupDimension)
    key = models.CharField(max_length=120)
    label = models.CharField(max_length=200)
    scorecards = models.PositiveIntegerField(default=0)
    average = models.DecimalField(null=True, blank=True, max_digits=9, decimal_places=4)
    excellent = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    needs_improvement = models.PositiveIntegerField(default=0)
    critical = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ("dimension", "label")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="rollup_dimension_key")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.label}: {self.average}"

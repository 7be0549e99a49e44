"""Value and accountability records (SPEC 3.9-3.11): value entries, risk-reward events and
relationship health surveys. Imported by scorecards.models, so they belong to the app."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Agreement, Partner
from scorecards.incentives import RewardKind
from scorecards.ledger import EventKind
from scorecards.surveys import HIGHEST, LOWEST, SIDE_LABELS, Side
from scorecards.value import INVESTMENT_CATEGORIES, VALUE_CATEGORIES, EntryKind

_ALL_CATEGORIES = {**INVESTMENT_CATEGORIES, **VALUE_CATEGORIES}


class ValueEntry(models.Model):
    """An investment in, or value from, a partnership, dated, in the reporting currency."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="value_entries")
    kind = models.CharField(max_length=12, choices=[(k.value, k.value) for k in EntryKind])
    category = models.CharField(max_length=32, choices=list(_ALL_CATEGORIES.items()))
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    occurred_on = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("partner", "occurred_on", "id")
        indexes = [models.Index(fields=["partner", "occurred_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="value_entry_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.occurred_on}"


class RiskRewardEvent(models.Model):
    """A cost overrun or joint saving, split by the agreement's ratio at the time it was
    recorded (the ratio is kept, so a later change of terms does not rewrite the ledger)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="risk_reward_events"
    )
    kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in EventKind])
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    occurred_on = models.DateField()
    description = models.CharField(max_length=300, blank=True)
    buyer_ratio = models.DecimalField(max_digits=5, decimal_places=2)
    buyer_share = models.DecimalField(max_digits=14, decimal_places=2)
    supplier_share = models.DecimalField(max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("agreement", "occurred_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="risk_reward_event_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount=models.F("buyer_share") + models.F("supplier_share")),
                name="risk_reward_event_shares_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} on {self.occurred_on}"


class HealthSurvey(models.Model):
    """A round of the two-way relationship health survey of one partner (SPEC 3.9)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="health_surveys")
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("partner", "-opens_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "opens_on", "closes_on"], name="health_survey_one_round"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="health_survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"Health survey {self.opens_on}-{self.closes_on}"


def _answer() -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(LOWEST), MaxValueValidator(HIGHEST)]
    )


class SurveyResponse(models.Model):
    """One user's answers to one survey; their role decides the side."""

    survey = models.ForeignKey(HealthSurvey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    side = models.CharField(max_length=10, choices=[(s.value, SIDE_LABELS[s.value]) for s in Side])
    trust = _answer()
    communication = _answer()
    joint_problem_solving = _answer()
    responsiveness = _answer()
    fairness = _answer()
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("survey", "side", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="survey_response_one_per_user"
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": LOWEST, f"{name}__lte": HIGHEST}),
                    name=f"survey_response_{name}_1_to_5",
                )
                for name in (
                    "trust",
                    "communication",
                    "joint_problem_solving",
                    "responsiveness",
                    "fairness",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.side} response to {self.survey}"

    def answers(self) -> list[int]:
        return [
            self.trust,
            self.communication,
            self.joint_problem_solving,
            self.responsiveness,
            self.fairness,
        ]


class IncentiveRule(models.Model):
    """An incentive (SPEC 3.7): a perspective or the overall score at or above a threshold for
    a number of consecutive closed periods earns a reward. No partner: every scorecard."""

    name = models.CharField(max_length=120)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="incentive_rules",
        help_text="Empty: every partner.",
    )
    perspective = models.SlugField(max_length=40, blank=True, help_text="Empty: the overall score.")
    threshold = models.DecimalField(max_digits=5, decimal_places=1)
    periods = models.PositiveSmallIntegerField(default=1)
    reward_kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in RewardKind])
    reward_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reward_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    reward_text = models.CharField(max_length=300)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class IncentiveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class EarnedIncentive(models.Model):
    """A rule met by a scorecard at a closed period, listed for approval."""

    rule = models.ForeignKey(IncentiveRule, on_delete=models.CASCADE, related_name="earned")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="incentives")
    period = models.ForeignKey("scorecards.Period", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    status = models.CharField(
        max_length=10, choices=IncentiveStatus.choices, default=IncentiveStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["rule", "period"], name="earned_incentive_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} earned by {self.partner}"

"""Performance improvement plans (SPEC 3.8). Imported by governance.models.

A plan's actions are the governance action items (owners on either side, due dates, status,
shown in the portal and the owners' workspaces), linked to the plan with a milestone."""

from __future__ import annotations

from django.db import models

from core.models import TimeStampedModel, User
from governance.improvement import PlanOutcome, PlanStatus, PlanTrigger, RootCause
from governance.improvement import choices_of as _choices
from partners.models import Partner
from scorecards.models import Period


class ImprovementPlan(TimeStampedModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="improvement_plans")
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=30, choices=_choices(PlanTrigger))
    status = models.CharField(
        max_length=12, choices=_choices(PlanStatus), default=PlanStatus.SUGGESTED
    )
    root_cause = models.CharField(max_length=20, choices=_choices(RootCause), blank=True)
    root_cause_detail = models.TextField(
        blank=True, help_text="Internal: never shown to the supplier."
    )
    review_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=_choices(PlanOutcome), blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("partner", "-created_at", "-id")
        indexes = [models.Index(fields=["status", "partner"])]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(period__isnull=False),
                name="improvement_plan_one_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"Improvement plan for {self.partner}"


class ImprovementAction(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="links")
    action = models.OneToOneField(
        "governance.ActionItem", on_delete=models.CASCADE, related_name="improvement_link"
    )
    milestone = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("plan", "action__due_date", "id")

    def __str__(self) -> str:
        return f"{self.plan}: {self.action_id}"

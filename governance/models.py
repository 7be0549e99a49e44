"""How each partnership is run (SPEC 2): charters, cadences, meetings, actions,
escalations, joint plans, innovation and lessons learned."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.ddl_references import Statement
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.cadences import CadenceKind, Frequency
from core.concurrency import Versioned
from core.models import TimeStampedModel, User
from governance.cadence import (
    MeetingStatus,
    RecurrenceRule,
    Weekday,
    is_valid_tz_name,
)
from governance.escalation import ActionStatus, EscalationLadder, EscalationLevel
from governance.meeting_state import MeetingState, has_started, meeting_state
from governance.models_improvement import ImprovementAction as ImprovementAction
from governance.models_improvement import ImprovementPlan as ImprovementPlan
from partners.models import Partner, SupplierContact


def validate_tz_name(value: str) -> None:
    if not is_valid_tz_name(value):
        raise ValidationError(
            gettext("Unknown time zone “%(zone)s” (e.g. Europe/Berlin).") % {"zone": value}
        )


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal only")
    SHARED = "shared", _("Shared with partner")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# --------------------------------------------------------------------------- charter (2.1)


class Charter(TimeStampedModel):
    """One version of a partnership charter; the highest version is the one in force."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveIntegerField()
    scope = models.TextField()
    shared_objectives = models.TextField(blank=True)
    investment_commitments = models.TextField(blank=True)
    performance_targets = models.TextField(blank=True)
    roles = models.TextField(blank=True, help_text="Sponsors, alliance managers, engineers …")
    decision_rules = models.TextField(blank=True)
    data_sharing_rules = models.TextField(blank=True)
    escalation_path = models.TextField(blank=True)
    effective_from = models.DateField()
    review_due = models.DateField(help_text="Charters are reviewed at least yearly.")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("partner", "-version")
        constraints = [
            models.UniqueConstraint(fields=["partner", "version"], name="charter_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner} charter v{self.version}"

    def review_overdue(self, today: date) -> bool:
        return self.review_due < today


# --------------------------------------------------------------------------- cadences (2.2)


class Cadence(TimeStampedModel):
    """A recurring meeting series of one partnership with its recurrence rule."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="cadences")
    kind = models.CharField(max_length=40, choices=CadenceKind.choices())
    name = models.CharField(max_length=120)
    frequency = models.CharField(max_length=20, choices=Frequency.choices())
    interval = models.PositiveSmallIntegerField(default=1)
    anchor_date = models.DateField()
    start_time = models.TimeField(help_text="Local wall time in the cadence's time zone.")
    duration_minutes = models.PositiveIntegerField(default=60)
    tz_name = models.CharField(
        max_length=64, default="Europe/Berlin", validators=[validate_tz_name]
    )
    weekday_ordinal = models.SmallIntegerField(null=True, blank=True)
    weekday = models.CharField(max_length=10, choices=Weekday.choices(), blank=True)
    location = models.CharField(max_length=200, blank=True)
    agenda_template = models.TextField(blank=True, help_text="One agenda item per line.")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    active = models.BooleanField(default=True)
    default_attendees = models.ManyToManyField(User, blank=True, related_name="+")
    default_contacts = models.ManyToManyField(SupplierContact, blank=True, related_name="+")

    class Meta:
        ordering = ("partner", "kind", "name")

    def __str__(self) -> str:
        return f"{self.partner}: {self.name}"

    def rule(self) -> RecurrenceRule:
        return RecurrenceRule(
            frequency=Frequency(self.frequency),
            anchor_date=self.anchor_date,
            start_time=self.start_time,
            duration_minutes=self.duration_minutes,
            tz_name=self.tz_name,
            interval=self.interval,
            weekday_ordinal=self.weekday_ordinal,
            weekday=Weekday(self.weekday) if self.weekday else None,
        )


# --------------------------------------------------------------------------- meetings (2.3)


class Meeting(Versioned, TimeStampedModel):
    """One meeting, generated from a cadence (``cadence`` + ``occurrence_index``) or ad hoc.

    ``sequence`` is the iCalendar SEQUENCE: it grows whenever time, place or status change,
    so subscribed calendars update the event instead of duplicating it.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    cadence = models.ForeignKey(
        Cadence, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    occurrence_index = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    start = models.DateTimeField()
    end = models.DateTimeField()
    tz_name = models.CharField(
        max_length=64, default="Europe/Berlin", validators=[validate_tz_name]
    )
    location = models.CharField(max_length=200, blank=True, help_text="Room or video link.")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices(), default=MeetingStatus.SCHEDULED
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    sequence = models.PositiveIntegerField(default=0)
    change_reason = models.TextField(blank=True, help_text="Why it was moved or cancelled.")
    attendees = models.ManyToManyField(User, blank=True, related_name="governance_meetings")
    contacts = models.ManyToManyField(SupplierContact, blank=True, related_name="meetings")

    class Meta:
        ordering = ("start", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["cadence", "occurrence_index"], name="meeting_occurrence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "start"]),
            # The API lists meetings by start (then id) across the portfolio.
            models.Index(fields=["start", "id"], name="meeting_start_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d})"

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED

    @property
    def state(self) -> MeetingState:
        """What the meeting is now (a past meeting never held is *Missed*)."""
        return meeting_state(self.status, self.start, self.end, timezone.now())

    @property
    def has_started(self) -> bool:
        return has_started(self.start, timezone.now())


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("meeting", "id")

    def __str__(self) -> str:
        return self.text[:80]


class MeetingAttachment(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="governance/meetings/%Y/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("meeting", "id")

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A secret, revocable calendar URL: a user's meetings, or one partnership's.

    What the feed shows is decided at read time from its owner's access, so a supplier's
    feed only ever holds shared meetings of their own partner. Revoking issues a new token.
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "partner"], name="calendar_feed_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner}" + (f" for {self.partner}" if self.partner else "")


# --------------------------------------------------------------------------- actions (2.4)


class ActionItem(Versioned, TimeStampedModel):
    """Something someone owes, on either side; from a meeting or standalone."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner_contact = models.ForeignKey(
        SupplierContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices(), default="open")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("due_date", "id")
        indexes = [
            models.Index(fields=["partner", "status"]),
            # Lists and the API sort actions by due date (then id) across the portfolio.
            models.Index(fields=["due_date", "id"], name="action_due_date_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.owner_contact_id:
            return str(self.owner_contact.name) if self.owner_contact else ""
        return str(self.owner_user) if self.owner_user else "—"

    @property
    def owned_by_supplier(self) -> bool:
        return bool(self.owner_contact_id) or bool(
            self.owner_user is not None and self.owner_user.is_supplier
        )


# --------------------------------------------------------------------------- escalations (2.5)


class EscalationLadderLevel(models.Model):
    """One rung of a partnership's escalation ladder."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="escalation_levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    response_time_hours = models.PositiveIntegerField()
    notify = models.ManyToManyField(User, blank=True, related_name="+")

    class Meta:
        ordering = ("partner", "number")
        constraints = [
            models.UniqueConstraint(fields=["partner", "number"], name="ladder_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner} level {self.number}: {self.name}"


def ladder_of(levels: list[EscalationLadderLevel]) -> EscalationLadder:
    return EscalationLadder(
        levels=tuple(EscalationLevel(lv.number, lv.name, lv.response_time_hours) for lv in levels)
    )


class Escalation(Versioned, TimeStampedModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="escalations")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    level_entered_at = models.DateTimeField()
    overdue_at_top = models.BooleanField(default=False)
    raised_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )

    class Meta:
        ordering = ("resolved_at", "-level", "level_entered_at")
        # The API lists escalations by when they reached their level, the latest first.
        indexes = [models.Index(fields=["level_entered_at"], name="escalation_level_entered_at")]

    def __str__(self) -> str:
        return self.title


class EscalationMove(models.Model):
    """A recorded step up the ladder (or the raise itself, ``from_level`` = 0)."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="moves")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ("escalation", "at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "to_level"], name="escalation_move_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.escalation}: {self.from_level} → {self.to_level}"


# --------------------------------------------------------------------------- plans (2.7)


class JointBusinessPlan(Versioned, TimeStampedModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="business_plans")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )

    class Meta:
        ordering = ("partner", "-year")
        constraints = [
            models.UniqueConstraint(fields=["partner", "year"], name="business_plan_unique")
        ]

    def __str__(self) -> str:
        return f"{self.partner} plan {self.year}"


class PlanObjective(models.Model):
    plan = models.ForeignKey(JointBusinessPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    target = models.CharField(max_length=200, help_text="Measurable target, e.g. '-12 % TCO'.")
    kpi_reference = models.CharField(max_length=60, blank=True, help_text="Scorecard KPI code.")
    progress_percent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("plan", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100), name="objective_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PlanMilestone(models.Model):
    plan = models.ForeignKey(JointBusinessPlan, on_delete=models.CASCADE, related_name="milestones")
    objective = models.ForeignKey(
        PlanObjective, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    owner_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_contact = models.ForeignKey(
        SupplierContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    done_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("plan", "due_date", "id")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------- innovation (2.8)


class InitiativeStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    EVALUATING = "evaluating", pgettext_lazy("innovation stage", "Evaluating")
    PROTOTYPE = "prototype", _("Prototype")
    COMMERCIALIZED = "commercialized", _("Commercialized")
    DROPPED = "dropped", _("Dropped")


class InnovationInitiative(Versioned, TimeStampedModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    stage = models.CharField(
        max_length=20, choices=InitiativeStage.choices, default=InitiativeStage.IDEA
    )
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expected_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    realized_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )

    class Meta:
        ordering = ("partner", "target_year", "title")

    def __str__(self) -> str:
        return self.title


class ChallengeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("challenge status", "Open")
    CLOSED = "closed", pgettext_lazy("challenge status", "Closed")


class InnovationChallenge(TimeStampedModel):
    """A problem statement published to chosen partners, who answer with proposals."""

    title = models.CharField(max_length=200)
    problem_statement = models.TextField()
    published_to = models.ManyToManyField(Partner, related_name="challenges")
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    closes_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    def accepts_proposals(self, today: date) -> bool:
        return self.status == ChallengeStatus.OPEN and (
            self.closes_on is None or self.closes_on >= today
        )


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    EVALUATING = "evaluating", pgettext_lazy("proposal status", "Evaluating")
    ADOPTED = "adopted", _("Adopted")
    DECLINED = "declined", _("Declined")


class ChallengeProposal(TimeStampedModel):
    challenge = models.ForeignKey(
        InnovationChallenge, on_delete=models.CASCADE, related_name="proposals"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    description = models.TextField()
    expected_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    feedback = models.TextField(blank=True)
    initiative = models.OneToOneField(
        InnovationInitiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )

    class Meta:
        ordering = ("challenge", "-created_at")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------- lessons (2.9)


class GinExpressionIndex(models.Index):
    """A GIN index over an expression (what ``GinIndex`` does, without needing
    ``django.contrib.postgres`` in INSTALLED_APPS, which is the project's to change)."""

    suffix = "gin"

    def create_sql(
        self,
        model: type[models.Model],
        schema_editor: BaseDatabaseSchemaEditor,
        using: str = "",
        **kwargs: Any,
    ) -> Statement:
        return super().create_sql(model, schema_editor, using=" USING gin", **kwargs)


def lesson_search_vector() -> CombinedExpression:
    """English stemming ("delays" finds "delayed"), title and tags weighted above the text.

    The search and the GIN index use this same expression, so PostgreSQL can use the index.
    """
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector(Cast("tags", models.TextField()), weight="A", config="english")
        + SearchVector("body", weight="B", config="english")
    )


class LessonLearned(TimeStampedModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "lessons learned"
        indexes = [
            GinExpressionIndex(lesson_search_vector(), name="lesson_search_gin"),
            models.Index(fields=["created_at", "id"], name="lesson_created_at_id"),
        ]

    def __str__(self) -> str:
        return self.title


class PartnerRiskSignals(models.Model):
    """Whether a partnership is at risk and why (governance.at_risk), stored per partner so the
    executive dashboard reads a few rows instead of judging the whole portfolio per request.

    Kept current by governance.services.risk_signals: the writes that change an input (period
    close, risk flags, meetings, cadences, escalations) defer a refresh of the partners they
    touched (core.risk_signals), and a daily job refreshes everyone for what time alone changes.
    A partner without a row has not been judged yet and is not listed.
    """

    partner = models.OneToOneField(
        Partner, primary_key=True, on_delete=models.CASCADE, related_name="risk_signals"
    )
    at_risk = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)
    score_shown = models.CharField(max_length=20, blank=True)
    rating = models.CharField(max_length=20, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["partner"], condition=models.Q(at_risk=True), name="risk_signals_at_risk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {'at risk' if self.at_risk else 'fine'}"

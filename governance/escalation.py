"""Escalation ladders and action-item deadlines (SPEC 2.5).

Pure domain rules, no Django.

Escalation rule
---------------
* A ladder is an ordered list of levels numbered 1..n without gaps (typically
  1 operational leads -> 2 steering committee -> 3 executive sponsors). Each level has a
  response time in whole hours (> 0).
* An unresolved escalation whose current level's response time has elapsed, measured
  from the moment it *reached* that level, moves up exactly one level per evaluation.
  The caller (a periodic job) records each step with ``level_entered_at = now`` and
  notifies the new level, so every level gets its full response time even when the job
  ran late. Skipping levels would deny a level the chance to act.
* "Elapsed" means strictly after the due instant; at exactly the due instant the level
  still has time.
* At the top level, past the response time, the escalation is ``overdue_at_top`` and
  stays there (every later evaluation returns the same step, so the flag is idempotent).
* A resolved escalation never changes.

Action items
------------
* An action is overdue when its due date is before today and it is neither done nor
  cancelled; an action due today is not overdue yet.
* Creating an action with a due date in the past is allowed (e.g. recording something
  agreed last week) but earns a warning, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.errors import FieldErrors as DomainFieldErrors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class EscalationLadderError(DomainFieldErrors):
    """Invalid escalation ladder; ``errors`` maps field names to messages (form-friendly)."""


@dataclass(frozen=True)
class EscalationLevel:
    """One rung of the ladder: who is in charge and how long they have to respond."""

    number: int
    name: str
    response_time_hours: int

    @property
    def response_time(self) -> timedelta:
        return timedelta(hours=self.response_time_hours)


@dataclass(frozen=True)
class EscalationLadder:
    """Ordered escalation levels; validated on creation (see the module docstring)."""

    levels: tuple[EscalationLevel, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        errors: dict[str, list[str]] = {}
        if not self.levels:
            errors["levels"] = [_("An escalation ladder needs at least one level.")]
        else:
            numbers = [level.number for level in self.levels]
            expected = list(range(1, len(self.levels) + 1))
            if numbers != expected:
                message = _(
                    "Escalation levels must be numbered 1 to %(top)s in order without gaps "
                    "(got %(numbers)s)."
                ) % {"top": len(self.levels), "numbers": numbers}
                errors["levels"] = [message]
            too_short = [level.number for level in self.levels if level.response_time_hours <= 0]
            if too_short:
                errors["response_time_hours"] = [
                    _("Level %(number)s: the response time must be greater than 0 hours.")
                    % {"number": number}
                    for number in too_short
                ]
        if errors:
            raise EscalationLadderError(errors)

    @property
    def top_level(self) -> int:
        return len(self.levels)

    def level(self, number: int) -> EscalationLevel:
        """The level numbered ``number``; ``ValueError`` when the ladder has no such level."""
        if not 1 <= number <= self.top_level:
            raise ValueError(
                f"Escalation level {number} does not exist on a ladder of {self.top_level}."
            )
        return self.levels[number - 1]


def default_escalation_ladder() -> EscalationLadder:
    """The standard three-level ladder proposed for new partnerships.

    Response times widen with seniority: operational leads act within 2 days, the
    steering committee within 5 days, executive sponsors within 10 days.
    """
    return EscalationLadder(
        levels=(
            EscalationLevel(1, gettext_noop("Operational leads"), 48),
            EscalationLevel(2, gettext_noop("Steering committee"), 120),
            EscalationLevel(3, gettext_noop("Executive sponsors"), 240),
        )
    )


class EscalationAction(StrEnum):
    """What the periodic job must do with an escalation after an evaluation."""

    NO_CHANGE = "no_change"
    MOVE_UP = "move_up"
    OVERDUE_AT_TOP = "overdue_at_top"

    @property
    def label(self) -> StrOrPromise:
        return _ESCALATION_ACTION_LABELS[self]


_ESCALATION_ACTION_LABELS: dict[EscalationAction, StrOrPromise] = {
    EscalationAction.NO_CHANGE: gettext_lazy("No change"),
    EscalationAction.MOVE_UP: gettext_lazy("Move up one level"),
    EscalationAction.OVERDUE_AT_TOP: gettext_lazy("Overdue at the top level"),
}


@dataclass(frozen=True)
class EscalationStep:
    """Outcome of one evaluation; ``to_level`` is set only for ``move_up``."""

    action: EscalationAction
    to_level: int | None = None


NO_CHANGE = EscalationStep(EscalationAction.NO_CHANGE)
OVERDUE_AT_TOP = EscalationStep(EscalationAction.OVERDUE_AT_TOP)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime.")


def escalation_due_at(
    ladder: EscalationLadder, current_level: int, level_entered_at: datetime
) -> datetime:
    """When the current level's response time runs out: entry time + response time (UTC).

    Response times are elapsed hours, so the sum is taken in UTC; adding to a zone-aware
    datetime directly would be wall-clock arithmetic and lose or gain an hour across DST.
    """
    _require_aware(level_entered_at, "level_entered_at")
    return level_entered_at.astimezone(UTC) + ladder.level(current_level).response_time


def escalation_next_step(
    ladder: EscalationLadder,
    current_level: int,
    level_entered_at: datetime,
    now: datetime,
    resolved: bool,
) -> EscalationStep:
    """The single step an evaluation at ``now`` takes (see the module docstring).

    Resolved, or not yet past the due instant: ``no_change``. Past due below the top:
    ``move_up`` to ``current_level + 1``. Past due at the top: ``overdue_at_top``.
    """
    _require_aware(now, "now")
    due_at = escalation_due_at(ladder, current_level, level_entered_at)
    if resolved or now <= due_at:
        return NO_CHANGE
    if current_level < ladder.top_level:
        return EscalationStep(EscalationAction.MOVE_UP, to_level=current_level + 1)
    return OVERDUE_AT_TOP


# --------------------------------------------------------------------------- action items


class ActionStatus(StrEnum):
    """Lifecycle of an action item."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> StrOrPromise:
        return _ACTION_STATUS_LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, StrOrPromise]]:
        return [(member.value, member.label) for member in cls]


_ACTION_STATUS_LABELS: dict[ActionStatus, StrOrPromise] = {
    ActionStatus.OPEN: gettext_lazy("Open"),
    ActionStatus.IN_PROGRESS: gettext_lazy("In progress"),
    ActionStatus.DONE: gettext_lazy("Done"),
    ActionStatus.CANCELLED: gettext_lazy("Cancelled"),
}

CLOSED_ACTION_STATUSES: frozenset[ActionStatus] = frozenset(
    {ActionStatus.DONE, ActionStatus.CANCELLED}
)


def action_is_overdue(due_date: date | None, status: str, today: date) -> bool:
    """True when the action is still open and its due date is before ``today``.

    Done and cancelled actions are never overdue; an action due today is not overdue;
    an action without a due date cannot be overdue. ``status`` may be a plain string
    (as stored); unknown values raise ``ValueError``.
    """
    if ActionStatus(status) in CLOSED_ACTION_STATUSES or due_date is None:
        return False
    return due_date < today


def due_date_warning(due_date: date | None, today: date) -> str | None:
    """A warning (not an error) when a new action's due date is already in the past."""
    if due_date is None or due_date >= today:
        return None
    return _(
        "The due date %(day)s is in the past; the action will be overdue as soon as it is saved."
    ) % {"day": date_format(due_date, "SHORT_DATE_FORMAT")}

"""Partnership lifecycle (SPEC 1.2): the stages and which moves between them are allowed."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrPromise


class LifecycleStage(StrEnum):
    IDENTIFIED = "identified"
    ASSESSING = "assessing"
    SELECTED = "selected"
    STRUCTURING = "structuring"
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    WINDING_DOWN = "winding_down"
    EXITED = "exited"

    @property
    def label(self) -> str:
        return str(LIFECYCLE_STAGE_LABELS[self])


# Lazy: models and forms take them as choices at import; ``label`` gives the active language.
LIFECYCLE_STAGE_LABELS: Final[Mapping[LifecycleStage, StrPromise]] = {
    LifecycleStage.IDENTIFIED: gettext_lazy("Identified"),
    LifecycleStage.ASSESSING: gettext_lazy("Assessing"),
    LifecycleStage.SELECTED: gettext_lazy("Selected"),
    LifecycleStage.STRUCTURING: gettext_lazy("Structuring"),
    LifecycleStage.ACTIVE: gettext_lazy("Active"),
    LifecycleStage.UNDER_REVIEW: gettext_lazy("Under review"),
    LifecycleStage.WINDING_DOWN: gettext_lazy("Winding down"),
    LifecycleStage.EXITED: gettext_lazy("Exited"),
}

_ORDER = list(LifecycleStage)

# Besides the next step forward: a review can end well (back to active), a candidate can be
# dropped before any contract exists, and any live partnership can start winding down.
_EXTRA_MOVES: dict[LifecycleStage, frozenset[LifecycleStage]] = {
    LifecycleStage.IDENTIFIED: frozenset({LifecycleStage.EXITED}),
    LifecycleStage.ASSESSING: frozenset({LifecycleStage.IDENTIFIED, LifecycleStage.EXITED}),
    LifecycleStage.SELECTED: frozenset({LifecycleStage.EXITED}),
    LifecycleStage.STRUCTURING: frozenset({LifecycleStage.EXITED}),
    LifecycleStage.ACTIVE: frozenset({LifecycleStage.WINDING_DOWN}),
    LifecycleStage.UNDER_REVIEW: frozenset({LifecycleStage.ACTIVE}),
    LifecycleStage.WINDING_DOWN: frozenset({LifecycleStage.ACTIVE}),
    LifecycleStage.EXITED: frozenset({LifecycleStage.IDENTIFIED}),
}


def lifecycle_next_stages(current: LifecycleStage) -> tuple[LifecycleStage, ...]:
    """Stages a partner may move to from ``current``, in lifecycle order."""
    allowed = set(_EXTRA_MOVES[current])
    index = _ORDER.index(current)
    if index + 1 < len(_ORDER):
        allowed.add(_ORDER[index + 1])
    return tuple(stage for stage in _ORDER if stage in allowed)


def lifecycle_transition_errors(
    current: LifecycleStage, target: LifecycleStage, *, reason: str, lessons_learned: str
) -> dict[str, list[str]]:
    """Field errors for a proposed move; empty when the move is allowed.

    Every move needs a reason; ``exited`` also needs the lessons learned, because an ended
    partnership is only worth its lessons.
    """
    errors: dict[str, list[str]] = {}
    if target not in lifecycle_next_stages(current):
        options = ", ".join(stage.label for stage in lifecycle_next_stages(current))
        errors["to_stage"] = [
            _("A partner cannot move from “%(current)s” to “%(target)s”. Allowed: %(options)s.")
            % {"current": current.label, "target": target.label, "options": options}
        ]
    if not reason.strip():
        errors["reason"] = [_("Say why the partner moves to this stage.")]
    if target is LifecycleStage.EXITED and not lessons_learned.strip():
        errors["lessons_learned"] = [_("Record the lessons learned before a partner exits.")]
    return errors

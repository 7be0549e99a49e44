"""Readiness and alignment (SPEC 1.5): assessments rated by one or more assessors, and the
template of weighted criteria new assessments use."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils.translation import gettext

from core.errors import FieldErrors, PermissionDeniedError
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record, model_changes
from partners import readiness
from partners.models import Partner, ReadinessAssessment, ReadinessCriterion, ReadinessRating
from partners.selectors import (
    readiness_criteria,
    readiness_result,
    readiness_template_check,
    readiness_template_current,
)
from partners.validation import model_full_clean, refuse_unknown_fields


class ReadinessCriterionFields(TypedDict, total=False):
    """A template criterion's fields; ``code`` is set once, when it is created."""

    code: str
    label: str
    dimension: str
    weight: Decimal
    position: int
    active: bool


def readiness_criterion_save(
    *,
    actor: Actor,
    criterion: ReadinessCriterion | None = None,
    changes: ReadinessCriterionFields,
) -> ReadinessCriterion:
    """Add (``criterion`` None) or change a template criterion (administrators).

    Refuses a template that would break (unique codes, weights > 0, at least one criterion
    per dimension). A criterion's code never changes: ratings are stored by code. Past
    assessments keep the snapshot they were made with.
    """
    require(actor, Capability.ADMINISTER)
    refuse_unknown_fields(changes, ReadinessCriterionFields.__optional_keys__)
    data = dict(changes)
    creating = criterion is None
    if not creating:
        data.pop("code", None)  # ratings are stored by code; renaming would orphan them
    with transaction.atomic():
        _readiness_template_ensure()
        list(ReadinessCriterion.objects.select_for_update())  # one template edit at a time
        row = criterion if criterion is not None else ReadinessCriterion()
        audited = model_changes(row, data)
        model_full_clean(row)
        readiness_template_check(row)
        row.save()
        if creating or audited:
            audit_record(
                actor=actor,
                action="readiness_criterion.create" if creating else "readiness_criterion.update",
                obj=row,
                changes=audited,
            )
    return row


def _readiness_template_ensure() -> None:
    """Store the default template in a database emptied since migration 0006, so an edit
    starts from the criteria assessments have been using."""
    if not ReadinessCriterion.objects.exists():
        ReadinessCriterion.objects.bulk_create(
            ReadinessCriterion(
                code=c.code,
                label=c.label,
                dimension=c.dimension.value,
                weight=c.weight,
                position=position * 10,
            )
            for position, c in enumerate(readiness.DEFAULT_CRITERIA, start=1)
        )


def _assessor(actor: Actor) -> User:
    """Ratings are a person's judgement: a scheduled job cannot rate."""
    if not isinstance(actor, User):
        raise PermissionDeniedError(gettext("Only a person can rate a partner's readiness."))
    return actor


def _readiness_store(assessment: ReadinessAssessment) -> None:
    result = readiness_result(assessment)
    assessment.readiness_score = result.readiness.score
    assessment.alignment_score = result.alignment.score
    assessment.readiness_band = result.readiness.band
    assessment.alignment_band = result.alignment.band
    assessment.band = result.band
    assessment.gaps = readiness.gaps_snapshot(result.gaps)
    assessment.save()


def readiness_assessment_create(
    *,
    actor: Actor,
    partner: Partner,
    assessed_on: date,
    ratings: Mapping[str, int],
) -> ReadinessAssessment:
    """Open an assessment on the current template with the first assessor's ratings; other
    assessors add theirs. Refuses ratings outside 1-5 or an unrated criterion."""
    require(actor, Capability.RUN_ASSESSMENTS)
    assessor = _assessor(actor)
    criteria = readiness_template_current()
    # Only the first assessor must rate everything: the result has to be computable now.
    readiness.assess([ratings], criteria)
    with transaction.atomic():
        assessment = ReadinessAssessment(
            partner=partner,
            assessed_on=assessed_on,
            criteria=readiness.criteria_snapshot(criteria),
            readiness_score=Decimal(0),
            alignment_score=Decimal(0),
            created_by=assessor,
        )
        assessment.save()
        ReadinessRating.objects.create(
            assessment=assessment, assessor=assessor, ratings=dict(ratings)
        )
        _readiness_store(assessment)
        audit_record(
            actor=actor,
            action="readiness.create",
            obj=assessment,
            changes={
                "band": assessment.band,
                "readiness": assessment.readiness_score,
                "alignment": assessment.alignment_score,
            },
        )
    return assessment


def readiness_rating_add(
    *, actor: Actor, assessment: ReadinessAssessment, ratings: Mapping[str, int]
) -> ReadinessAssessment:
    """Add (or replace) one assessor's ratings and recompute the assessment's result; refuses
    no ratings at all and criteria the assessment was not made with."""
    require(actor, Capability.RUN_ASSESSMENTS)
    assessor = _assessor(actor)
    if not ratings:
        raise FieldErrors({"ratings": [gettext("Rate at least one criterion.")]})
    with transaction.atomic():
        assessment = ReadinessAssessment.objects.select_for_update().get(pk=assessment.pk)
        readiness.validate_assessor_ratings(ratings, readiness_criteria(assessment))
        ReadinessRating.objects.update_or_create(
            assessment=assessment, assessor=assessor, defaults={"ratings": dict(ratings)}
        )
        _readiness_store(assessment)
        audit_record(
            actor=actor,
            action="readiness.rate",
            obj=assessment,
            changes={
                "band": assessment.band,
                "readiness": assessment.readiness_score,
                "alignment": assessment.alignment_score,
            },
        )
    return assessment

"""Kraljic segmentation (SPEC 1.4): a scored assessment, kept as history, sets the quadrant."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from partners import kraljic
from partners.kraljic import Quadrant
from partners.models import Category, Partner, SegmentationAssessment


def segmentation_assess(
    *,
    actor: Actor,
    partner: Partner,
    ratings: Mapping[str, int],
    category: Category | None = None,
    override_quadrant: Quadrant | str | None = None,
    override_justification: str = "",
) -> SegmentationAssessment:
    """Score the Kraljic factors, apply an optional justified override, keep it as history;
    refuses ratings outside 1-5 and an override without a justification.

    The partner's ``quadrant`` becomes this assessment's effective quadrant.
    """
    require(actor, Capability.EDIT_PARTNERS)
    result = kraljic.score(ratings)
    override: Quadrant | None = None
    if override_quadrant:
        try:
            override = Quadrant(override_quadrant)
        except ValueError as exc:
            raise FieldErrors({"override_quadrant": [gettext("Unknown quadrant.")]}) from exc
    kraljic.validate_override(override, override_justification)
    effective = kraljic.effective_quadrant(result.quadrant, override)
    with transaction.atomic():
        assessment = SegmentationAssessment.objects.create(
            partner=partner,
            category=category,
            ratings=dict(ratings),
            weights={f.code: str(f.weight) for f in kraljic.DEFAULT_FACTORS},
            profit_impact=result.profit_impact,
            supply_risk=result.supply_risk,
            computed_quadrant=result.quadrant,
            override_quadrant=override or "",
            override_justification=override_justification.strip() if override else "",
            quadrant=effective,
            assessed_by=actor if isinstance(actor, User) else None,
        )
        before = partner.quadrant
        Partner.objects.filter(pk=partner.pk).update(quadrant=effective)
        partner.quadrant = effective
        audit_record(
            actor=actor,
            action="partner.segmentation",
            obj=partner,
            changes={
                "quadrant": [before, effective.value],
                "profit_impact": result.profit_impact,
                "supply_risk": result.supply_risk,
                "override_justification": assessment.override_justification,
            },
        )
    return assessment

"""Scorecard templates (SPEC 3.1): every change is a new version of a template code, so a
period keeps the version it was scored with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from scorecards import scoring
from scorecards.models import DataSource, KpiDefinition, Perspective, ScorecardTemplate
from scorecards.template_input import (
    DraftPerspective,
    scorecard_template_errors,
    template_header_errors,
)


def _mappings(value: object) -> list[Mapping[str, object]]:
    """The objects of a validated draft's list (``perspectives``, a perspective's ``kpis``)."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def scorecard_template_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    perspectives: Sequence[DraftPerspective],
    description: str = "",
) -> ScorecardTemplate:
    """Create a template, or the next version of the template with this ``code``.

    ``perspectives``: ``[{code, name, weight, kpis: [{code, name, unit, direction, target,
    threshold, weight, data_source, aggregation}]}]``; weights must sum to exactly 100.
    Earlier versions stay as they are, so periods scored with them keep their numbers.
    Data source ``computed`` is refused until SRM can compute such a KPI.
    """
    require(actor, Capability.MANAGE_SCORECARDS)
    errors = scorecard_template_errors(perspectives) | template_header_errors(code, name)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        latest = (
            ScorecardTemplate.objects.select_for_update()
            .filter(code=code)
            .aggregate(v=Max("version"))["v"]
        )
        template = ScorecardTemplate.objects.create(
            code=code,
            version=(latest or 0) + 1,
            name=name,
            description=description,
            created_by=actor if isinstance(actor, User) else None,
        )
        kpis = []
        for p_index, p in enumerate(_mappings(perspectives)):
            perspective = Perspective.objects.create(
                template=template,
                code=str(p["code"]),
                name=str(p.get("name") or str(p["code"]).title()),
                weight=Decimal(str(p["weight"])),
                position=p_index,
            )
            for k_index, k in enumerate(_mappings(p.get("kpis"))):
                kpis.append(
                    KpiDefinition(
                        perspective=perspective,
                        code=str(k["code"]),
                        name=str(k.get("name") or k["code"]),
                        unit=str(k.get("unit") or ""),
                        direction=str(k["direction"]),
                        target=Decimal(str(k["target"])),
                        threshold=Decimal(str(k["threshold"])),
                        weight=Decimal(str(k["weight"])),
                        data_source=str(k.get("data_source") or DataSource.BUYER),
                        aggregation=str(k.get("aggregation") or scoring.Aggregation.MEAN),
                        position=k_index,
                    )
                )
        KpiDefinition.objects.bulk_create(kpis)
        audit_record(
            actor=actor,
            action="scorecard_template.create",
            obj=template,
            changes={"code": code, "version": template.version},
        )
    return template

"""Reads of scorecard templates. Templates are shared by every partner: any internal user
may read them, only the template pages and the services that apply or upgrade them do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils.translation import gettext as _

from core.errors import FieldErrors
from scorecards.models import KpiDefinition, Perspective, ScorecardTemplate
from scorecards.scoring import DEFAULT_PERSPECTIVE_WEIGHTS


def template_latest(code: str) -> ScorecardTemplate:
    """The latest version of the template ``code``; a field error when there is none."""
    template = ScorecardTemplate.objects.filter(code=code).order_by("-version").first()
    if template is None:
        raise FieldErrors(
            {"template_code": [_('No scorecard template "%(code)s".') % {"code": code}]}
        )
    return template


def template_list() -> QuerySet[ScorecardTemplate]:
    """Every template version with its perspectives, KPIs and how many scorecards use it."""
    return (
        ScorecardTemplate.objects.annotate(in_use=Count("scorecards"))
        .prefetch_related(
            Prefetch(
                "perspectives",
                queryset=Perspective.objects.prefetch_related(
                    Prefetch("kpis", queryset=KpiDefinition.objects.order_by("position", "id"))
                ),
            )
        )
        .order_by("code", "-version")
    )


def template_versions() -> QuerySet[ScorecardTemplate]:
    """Every template version, by code and newest first (for choosing one)."""
    return ScorecardTemplate.objects.order_by("code", "-version")


def template_version_get(template_id: str | None) -> ScorecardTemplate | None:
    """The template version with this id, or None (templates are shared by every partner)."""
    if not template_id or not template_id.isdigit():
        return None
    return ScorecardTemplate.objects.filter(pk=int(template_id)).first()


def template_most_used() -> ScorecardTemplate | None:
    """The template version most scorecards use (where the what-if preview starts)."""
    return (
        ScorecardTemplate.objects.annotate(n=Count("scorecards"))
        .order_by("-n", "code", "-version")
        .first()
    )


def template_next_version(code: str) -> int:
    """The version number saving the template ``code`` would create."""
    latest = ScorecardTemplate.objects.filter(code=code).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def template_newer_than(template: ScorecardTemplate) -> ScorecardTemplate | None:
    """The latest version of ``template``'s code when it is newer than ``template``."""
    return (
        ScorecardTemplate.objects.filter(code=template.code, version__gt=template.version)
        .order_by("-version")
        .first()
    )


def template_kpis(template: ScorecardTemplate) -> list[Perspective]:
    """The template's perspectives with their KPIs (two queries)."""
    return list(
        template.perspectives.prefetch_related(
            Prefetch("kpis", queryset=KpiDefinition.objects.order_by("position", "id"))
        )
    )


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def template_draft(template: ScorecardTemplate | None) -> dict[str, Any]:
    """A template as the editor's draft (plain strings): an existing version to start its next
    version from, or, without one, a blank template with the default 30/30/20/20
    perspectives."""
    if template is None:
        return {
            "code": "",
            "name": "",
            "description": "",
            "perspectives": [
                {"code": code, "name": code.title(), "weight": _plain(weight), "kpis": []}
                for code, weight in DEFAULT_PERSPECTIVE_WEIGHTS
            ],
        }
    return {
        "code": template.code,
        "name": template.name,
        "description": template.description,
        "perspectives": [
            {
                "code": p.code,
                "name": p.name,
                "weight": _plain(p.weight),
                "kpis": [
                    {
                        "code": k.code,
                        "name": k.name,
                        "unit": k.unit,
                        "direction": k.direction,
                        "target": _plain(k.target),
                        "threshold": _plain(k.threshold),
                        "weight": _plain(k.weight),
                        "data_source": k.data_source,
                        "aggregation": k.aggregation,
                    }
                    for k in p.kpis.all()
                ],
            }
            for p in template_kpis(template)
        ],
    }

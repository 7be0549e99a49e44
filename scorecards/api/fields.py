"""Related-record fields of the scorecards API, scoped to what the request's user may see
(partners.api.fields.ScopedPrimaryKeyField)."""

from __future__ import annotations

from django.db.models import QuerySet

from partners.api.fields import ScopedPrimaryKeyField
from scorecards import selectors
from scorecards.models import Period


def _periods_visible_to(user: selectors.Viewer) -> QuerySet[Period]:
    # The services read the period's scorecard: load it with the period.
    return selectors.periods_visible_to(user).select_related("scorecard")


def period_field() -> ScopedPrimaryKeyField:
    """A period of a scorecard the user may see."""
    return ScopedPrimaryKeyField(_periods_visible_to)


def kpi_field() -> ScopedPrimaryKeyField:
    """A KPI definition the user may name (scorecards.selectors.kpis_visible_to)."""
    return ScopedPrimaryKeyField(selectors.kpis_visible_to)

"""Partner-page panels of issue 11 that carry a form: the apps' selectors give the figures,
this module adds the forms the panel posts (the value panel is srm.value.value_panel)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from governance.forms_improvement import PlanOpenForm
from governance.selectors_improvement import improvement_panel as improvement_figures
from partners.models import Partner
from scorecards import selectors_accountability as accountability
from scorecards.forms_accountability import LedgerEventForm, SurveyOpenForm


def ledger_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's risk-reward ledger panel, with its form."""
    return accountability.ledger_panel(user, partner) | {
        "form": LedgerEventForm(partner=partner, initial={"occurred_on": timezone.localdate()})
    }


def surveys_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's health-survey panel, with the form that opens a round."""
    today = timezone.localdate()
    return accountability.surveys_panel(user, partner) | {
        "form": SurveyOpenForm(initial={"opens_on": today, "closes_on": today + timedelta(days=14)})
    }


def improvement_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's improvement-plan panel, with the form that opens one by hand."""
    return improvement_figures(user, partner) | {"form": PlanOpenForm()}

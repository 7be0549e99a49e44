"""A partnership's value and ROI (SPEC 3.10), composed here because it reads two apps: the
value entries (scorecards) and the realized value of commercialized innovation initiatives
(governance), which flows in as co-innovation value dated on the day the initiative was last
updated. The rules are scorecards.value; this module only gathers their input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import HasCapability
from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.roles import Capability
from governance.models import InitiativeStage, InnovationInitiative
from partners.access import access_partner, partners_visible_to, require_capability
from partners.models import Partner
from partners.return_to import partner_page_url
from scorecards.forms_accountability import ValueEntryForm
from scorecards.selectors_accountability import value_entries_of
from scorecards.services.value import value_entry_add
from scorecards.value import Entry, EntryKind, ValueSummary, value_summary


def initiative_value_entries(partner_id: int) -> list[Entry]:
    """Commercialized initiatives' realized value, as value entries."""
    rows = (
        InnovationInitiative.objects.filter(
            partner_id=partner_id,
            stage=InitiativeStage.COMMERCIALIZED,
            realized_value__gt=0,
        )
        .annotate(day=TruncDate("updated_at"))
        .values_list("realized_value", "day")
    )
    return [Entry(EntryKind.VALUE, amount, day) for amount, day in rows]


def partner_value(partner: Partner, *, today: date | None = None) -> ValueSummary:
    """The partner's value summary: two queries, whatever the number of entries."""
    entries = value_entries_of(partner.pk) + initiative_value_entries(partner.pk)
    return value_summary(entries, today=today or timezone.localdate())


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def value_body(summary: ValueSummary) -> dict[str, Any]:
    """The API's shape: amounts as decimal strings with two places."""
    return {
        "invested": _money(summary.invested),
        "value": _money(summary.value),
        "net": _money(summary.net),
        "roi_percent": None if summary.roi_percent is None else f"{summary.roi_percent:.1f}",
        "payback_month": summary.payback_label,
        "not_paid_back_flag": summary.not_paid_back,
        "months": [
            {
                "month": m.label,
                "invested": _money(m.invested),
                "value": _money(m.value),
                "cumulative_invested": _money(m.cumulative_invested),
                "cumulative_value": _money(m.cumulative_value),
                "cumulative_net": _money(m.cumulative_net),
            }
            for m in summary.months
        ],
    }


def value_panel(user: Any, partner: Partner) -> dict[str, Any]:
    """The partner page's value panel: totals, ROI, payback and the chart's data."""
    summary = partner_value(partner)
    return {
        "summary": summary,
        "chart": {
            "labels": [m.label for m in summary.months],
            "invested": [str(m.cumulative_invested) for m in summary.months],
            "value": [str(m.cumulative_value) for m in summary.months],
        },
        "chart_id": f"value-chart-{partner.pk}",
        "can_edit": bool(user.can(Capability.EDIT_PARTNERS)),
        "form": ValueEntryForm(initial={"occurred_on": timezone.localdate()}),
    }


@login_required
@require_POST
def value_entry_add_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Record an investment or value from the partner page."""
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    form = ValueEntryForm(request.POST)
    if form.is_valid():
        try:
            value_entry_add(actor=request.user, partner=partner, **form.cleaned_data)  # type: ignore[arg-type]
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(partner_page_url(request, partner))  # ?tab=value: back to the tab
    return render_page(
        request,
        "scorecards/accountability_form.html",
        {
            "title": "Record an investment or value",
            "form": form,
            "back": f"/partners/{partner.pk}/",
        },
    )


class PartnerValueView(APIView):
    """``GET /api/v1/partners/{id}/value/``: invested, value, net, ROI, payback month, the
    18-month flag and the months. Internal only: a supplier never sees the buyer's
    investments."""

    permission_classes = [HasCapability]
    required_capability = Capability.VIEW_PORTFOLIO

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, partner_id: int) -> Response:
        partner = partners_visible_to(request.user).filter(pk=partner_id).first()
        if partner is None:
            raise Http404("No such partner.")
        return Response(value_body(partner_value(partner)))

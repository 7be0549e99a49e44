"""Reminders that need more than one app: KPI data due (SPEC 6).

The scorecards app knows the periods and their values, the partners app who owns the
partnership; reminding the owner before a period ends with KPI values missing needs both,
so it lives in the top layer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.notifications import NotificationKind
from core.services import notification_send
from partners.models import Partner
from srm.dashboards import periods_missing_data


def kpi_data_due_send(*, now: datetime) -> int:
    """Remind each partnership's owner and alliance manager of open scorecard periods that
    end within their lead time (7 days by default; the job looks as far as anyone may ask)
    with KPI values still missing. Once per period and recipient, however often it runs.
    Returns how many were sent."""
    today = timezone.localdate(now)
    ahead = NotificationKind.KPI_DATA_DUE.spec.max_lead
    due = periods_missing_data(
        Partner.objects.values("pk"), from_day=today, until=today + timedelta(days=ahead)
    ).select_related("scorecard__partner__owner", "scorecard__partner__alliance_manager")
    sent = 0
    for period in due:
        partner = period.scorecard.partner
        counts = cast(Any, period)  # annotated: kpis, with_values
        missing = counts.kpis - counts.with_values
        for user in {u for u in (partner.owner, partner.alliance_manager) if u is not None}:
            # The subject is stored once per recipient: in their language.
            with translation.override(user.language):
                subject = _(
                    "KPI data due for %(partner)s %(period)s: %(missing)s of %(kpis)s KPIs have "
                    "no value; the period ends %(end)s"
                ) % {
                    "partner": partner,
                    "period": period.label,
                    "missing": missing,
                    "kpis": counts.kpis,
                    "end": date_format(period.end, "SHORT_DATE_FORMAT"),
                }
            sent += (
                notification_send(
                    recipient=user,
                    key=f"kpi-data-due:{period.pk}:user:{user.pk}",
                    subject=subject,
                    url=f"/scorecards/{period.scorecard_id}/",
                    kind=NotificationKind.KPI_DATA_DUE,
                    partner_id=partner.pk,
                    due=period.end,
                    today=today,
                )
                is not None
            )
    return sent

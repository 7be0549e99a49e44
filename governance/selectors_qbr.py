"""The QBR pack of one meeting: what the room reads before and during a quarterly business
review, on screen, on paper (A4) and as a PDF.

It is the QBR page's facts (scorecard, open actions and escalations, compliance) plus the
meeting's agenda, the last held meeting's minutes and decisions, the joint plan of the
meeting's year, and the score charts drawn as SVG on the server (a PDF runs no scripts).
A constant number of queries, whatever the history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cadence import MeetingStatus
from governance.escalation import action_is_overdue
from governance.models import JointBusinessPlan, Meeting
from governance.selectors import (
    COMPLIANCE_WINDOW,
    Viewer,
    _cadences_with_window,
    action_list,
    compliance_for,
    escalations_visible_to,
    meetings_visible_to,
    qbr_scorecard_context,
    scoped,
)
from scorecards.svg_charts import bar_chart, line_chart


def _charts(card: dict[str, Any]) -> dict[str, Any]:
    """The trend (overall and per perspective) and the latest perspective scores as SVG."""
    chart = card["chart"]
    trend = None
    if chart["labels"]:
        series = [(_("Overall"), chart["overall"])] + [
            (p["name"], p["values"]) for p in chart["perspectives"]
        ]
        trend = line_chart(chart["labels"], series, title=_("Score trend"))
    perspectives = None
    latest = card["latest"]
    breakdown = latest.score_breakdown if latest is not None else None
    if breakdown is not None and breakdown.perspectives:
        perspectives = bar_chart(
            [(p.name, p.score) for p in breakdown.perspectives],
            title=_("Score per perspective"),
        )
    return {"trend_svg": trend, "perspectives_svg": perspectives}


def last_held_meeting(user: Viewer, meeting: Meeting) -> Meeting | None:
    """The partnership's most recent held meeting before this one, with its decisions."""
    return (
        meetings_visible_to(user)
        .filter(partner_id=meeting.partner_id, status=MeetingStatus.HELD, start__lt=meeting.start)
        .exclude(pk=meeting.pk)
        .prefetch_related("decisions")
        .order_by("-start", "-id")
        .first()
    )


def plan_for(user: Viewer, meeting: Meeting) -> JointBusinessPlan | None:
    """The joint plan of the meeting's year, else the latest one before it."""
    year = timezone.localtime(meeting.start).year
    return (
        scoped(JointBusinessPlan.objects.prefetch_related("objectives"), user)
        .filter(Q(year=year) | Q(year__lt=year), partner_id=meeting.partner_id)
        .order_by("-year", "-id")
        .first()
    )


def pack_meeting_get(user: Viewer, meeting_id: int) -> Meeting:
    """The meeting of a pack, with its partner (404 if the user may not see it)."""
    return get_object_or_404(meetings_visible_to(user), pk=meeting_id)


def qbr_pack_context(user: Viewer, meeting: Meeting) -> dict[str, Any]:
    """Everything the pack of ``meeting`` shows, in a constant number of queries."""
    partner = meeting.partner
    now = timezone.now()
    today = timezone.localdate()
    scorecard = qbr_scorecard_context(user, partner)
    panel = scorecard["panel"]
    cards = [{**card, **_charts(card)} for card in panel["cards"]]
    return {
        "meeting": meeting,
        "partner": partner,
        "today": today,
        "generated_at": now,
        "agenda": [line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        "scorecard": {**scorecard, "panel": {**panel, "cards": cards}},
        "last_meeting": last_held_meeting(user, meeting),
        "open_actions": [
            (a, action_is_overdue(a.due_date, a.status, today))
            for a in action_list(user, partner, open_only=True)
        ],
        "open_escalations": list(
            escalations_visible_to(user).filter(partner=partner, resolved_at__isnull=True)
        ),
        "plan": plan_for(user, meeting),
        "compliance": compliance_for(_cadences_with_window(partner, now, COMPLIANCE_WINDOW), now),
    }

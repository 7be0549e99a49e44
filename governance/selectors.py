"""Reads of governance records, scoped through partners.access, joins explicit.

Internal users see every governance record of the partners they may see; supplier users see
only records of their own partner that are shared with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from core.cadences import CadenceKind
from core.models import User
from core.roles import Capability, Role
from governance.cadence import (
    CadenceCompliance,
    CadenceDefault,
    MeetingRecord,
    MeetingStatus,
    cadence_compliance,
    playbook_cadence_defaults,
)
from governance.escalation import CLOSED_ACTION_STATUSES, action_is_overdue
from governance.ical import EventStatus, MeetingEvent, event_to_ics, feed_to_ics, meeting_uid
from governance.models import (
    ActionItem,
    Cadence,
    CalendarFeed,
    ChallengeProposal,
    Charter,
    Escalation,
    EscalationLadderLevel,
    InnovationChallenge,
    InnovationInitiative,
    JointBusinessPlan,
    LessonLearned,
    Meeting,
    PlanMilestone,
    PlanObjective,
    Visibility,
    lesson_search_vector,
)
from governance.texts import default_text, recipient_language
from partners.access import partner_id_of_supplier, partners_visible_to, visible_partners_only
from partners.models import Partner, SupplierContact
from partners.selectors import playbook_for
from scorecards.selectors import partner_panel as scorecard_partner_panel

COMPLIANCE_WINDOW = timedelta(days=365)

# Whoever asks: a signed-in user, or nobody yet (anonymous users see nothing).
type Viewer = User | AnonymousUser


def scoped[M: Model](
    queryset: QuerySet[M], user: Viewer, *, shared_field: str | None = "visibility"
) -> QuerySet[M]:
    """Limit ``queryset`` (a model with a ``partner``) to what ``user`` may see."""
    queryset = visible_partners_only(queryset, user)
    if getattr(user, "is_supplier", False) and shared_field:
        queryset = queryset.filter(**{shared_field: Visibility.SHARED})
    return queryset


def cadences_visible_to(user: Viewer) -> QuerySet[Cadence]:
    return scoped(Cadence.objects.all(), user)


def meetings_visible_to(user: Viewer) -> QuerySet[Meeting]:
    return scoped(Meeting.objects.all(), user).select_related("partner", "cadence")


def meeting_list(user: Viewer, partner: Partner) -> QuerySet[Meeting]:
    return meetings_visible_to(user).filter(partner=partner).order_by("start", "id")


def meeting_get(user: Viewer, meeting_id: int) -> Meeting:
    """One meeting the user may see, with attendees, decisions, attachments and actions."""
    return get_object_or_404(
        meetings_visible_to(user).prefetch_related(
            "attendees",
            "contacts",
            "decisions",
            "attachments",
            Prefetch(
                "action_items",
                queryset=scoped(ActionItem.objects.all(), user).select_related(
                    "owner_user", "owner_contact"
                ),
            ),
        ),
        pk=meeting_id,
    )


def actions_visible_to(user: Viewer) -> QuerySet[ActionItem]:
    return scoped(ActionItem.objects.all(), user).select_related(
        "partner", "owner_user", "owner_contact", "meeting"
    )


def action_list(
    user: Viewer, partner: Partner | None = None, *, open_only: bool = False
) -> QuerySet[ActionItem]:
    actions = actions_visible_to(user)
    if partner is not None:
        actions = actions.filter(partner=partner)
    if open_only:
        actions = actions.exclude(status__in=list(CLOSED_ACTION_STATUSES))
    return actions.order_by("due_date", "id")


def actions_for_supplier(user: Viewer) -> QuerySet[ActionItem]:
    """Shared actions of the supplier's own partner; those their side owes come first."""
    partner_id = partner_id_of_supplier(user)
    if partner_id is None:
        return ActionItem.objects.none()
    return action_list(user).filter(partner_id=partner_id)


def escalations_visible_to(user: Viewer) -> QuerySet[Escalation]:
    return scoped(Escalation.objects.all(), user).select_related("partner", "raised_by")


def charters_visible_to(user: Viewer) -> QuerySet[Charter]:
    # Charters are the agreement of both sides; suppliers read their own partner's.
    return scoped(Charter.objects.all(), user, shared_field=None).select_related("partner")


def charter_current(user: Viewer, partner: Partner) -> Charter | None:
    """The version in force: the highest version that has taken effect (else the first)."""
    charters = charters_visible_to(user).filter(partner=partner)
    today = timezone.localdate()
    return (
        charters.filter(effective_from__lte=today).order_by("-version").first()
        or charters.order_by("version").first()
    )


def plans_visible_to(user: Viewer) -> QuerySet[JointBusinessPlan]:
    return (
        scoped(JointBusinessPlan.objects.all(), user)
        .select_related("partner")
        .prefetch_related("objectives", "milestones__owner_user", "milestones__owner_contact")
    )


def initiatives_visible_to(user: Viewer) -> QuerySet[InnovationInitiative]:
    return scoped(InnovationInitiative.objects.all(), user).select_related("partner", "owner")


def challenges_visible_to(user: Viewer) -> QuerySet[InnovationChallenge]:
    """Internal users see every challenge; a supplier only those published to its partner."""
    if getattr(user, "is_supplier", False):
        visible = InnovationChallenge.objects.filter(published_to__in=partners_visible_to(user))
    elif isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO):
        visible = InnovationChallenge.objects.all()
    else:
        visible = InnovationChallenge.objects.none()
    return visible.distinct().prefetch_related("published_to")


def proposals_visible_to(user: Viewer) -> QuerySet[ChallengeProposal]:
    return scoped(ChallengeProposal.objects.all(), user, shared_field=None).select_related(
        "partner", "challenge", "submitted_by", "initiative"
    )


def lessons_visible_to(user: Viewer) -> QuerySet[LessonLearned]:
    # Lessons learned are internal knowledge; suppliers never see them.
    if getattr(user, "is_supplier", False):
        return LessonLearned.objects.none()
    return scoped(LessonLearned.objects.all(), user, shared_field=None).select_related(
        "partner", "recorded_by"
    )


def milestones_visible_to(user: Viewer) -> QuerySet[PlanMilestone]:
    return PlanMilestone.objects.filter(plan__in=scoped(JointBusinessPlan.objects.all(), user))


def objectives_visible_to(user: Viewer) -> QuerySet[PlanObjective]:
    return PlanObjective.objects.filter(plan__in=scoped(JointBusinessPlan.objects.all(), user))


def contacts_visible_to(user: Viewer) -> QuerySet[SupplierContact]:
    """Supplier contacts of the partners ``user`` may see (attendees and owners)."""
    return SupplierContact.objects.filter(partner__in=partners_visible_to(user))


def internal_users_visible_to(user: Viewer) -> QuerySet[User]:
    """Our active people, for users who see the portfolio (owners, ladder levels to notify)."""
    if not (isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO)):
        return User.objects.none()
    return User.objects.filter(is_active=True).exclude(role=Role.SUPPLIER_USER)


def attendees_visible_to(user: Viewer) -> QuerySet[User]:
    """Who may be chosen to attend or own something: our active people, and the portal users
    of the partners ``user`` may see (services then keep each to its own partner)."""
    portal_users = User.objects.filter(
        is_active=True, partner_link__partner__in=partners_visible_to(user)
    )
    return internal_users_visible_to(user) | portal_users


def lesson_search(user: Viewer, query: str) -> QuerySet[LessonLearned]:
    """Lessons across the portfolio matching ``query``, best match first.

    PostgreSQL full-text search (English stemming, GIN-indexed) over title, tags and text in
    web-search syntax (``"exact phrase"``, ``-without``, ``or``). Naming a partner (its short
    name) narrows the search to that partner's lessons.
    """
    lessons = lessons_visible_to(user)
    text = query.strip()[:200]
    if text:
        names = partners_visible_to(user).values_list("short_name", flat=True)
        for name in sorted(names, key=len, reverse=True):
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
            if name and pattern.search(text):
                lessons = lessons.filter(partner__short_name=name)
                text = pattern.sub(" ", text).strip()
                break
    if not text:
        return lessons.order_by("-created_at", "-id")
    search = SearchQuery(text, search_type="websearch", config="english")
    return (
        lessons.annotate(
            search=lesson_search_vector(), rank=SearchRank(lesson_search_vector(), search)
        )
        .filter(search=search)
        .order_by("-rank", "-created_at", "-id")
    )


def cadence_defaults_for_partner(partner: Partner) -> tuple[CadenceDefault, ...]:
    """The cadences a partnership gets by default: its engagement model's playbook (SPEC 1.3),
    with governance's agenda per kind."""
    return playbook_cadence_defaults(playbook_for(partner).cadences, partner.engagement_model)


# --------------------------------------------------------------------------- compliance


@dataclass(frozen=True)
class CadenceComplianceRow:
    cadence: Cadence
    compliance: CadenceCompliance


def compliance_for(
    cadences: Iterable[Cadence], now: datetime, window: timedelta = COMPLIANCE_WINDOW
) -> list[CadenceComplianceRow]:
    """Held ÷ due per cadence over ``window`` up to ``now``; cadences need meetings prefetched."""
    rows = []
    for cadence in cadences:
        records = [MeetingRecord(m.start, MeetingStatus(m.status)) for m in cadence.meetings.all()]
        rows.append(
            CadenceComplianceRow(
                cadence,
                cadence_compliance(CadenceKind(cadence.kind), records, now - window, now, now),
            )
        )
    return rows


def _cadences_with_window(partner: Partner, now: datetime, window: timedelta) -> QuerySet[Cadence]:
    return partner.cadences.filter(active=True).prefetch_related(
        Prefetch(
            "meetings",
            queryset=Meeting.objects.filter(start__gte=now - window, start__lt=now).only(
                "id", "cadence_id", "start", "status"
            ),
        )
    )


# --------------------------------------------------------------------------- partner panel, QBR


def partner_panel(user: Viewer, partner: Partner) -> dict[str, Any]:
    """The governance panel of the partner page: a constant number of queries."""
    now = timezone.now()
    return {
        "charter": partner.charters.order_by("-version").first(),
        "today": timezone.localdate(),
        "compliance": compliance_for(_cadences_with_window(partner, now, COMPLIANCE_WINDOW), now),
        "next_meetings": list(
            meeting_list(user, partner).filter(start__gte=now, status=MeetingStatus.SCHEDULED)[:5]
        ),
        "open_actions": list(action_list(user, partner, open_only=True)[:10]),
        "open_escalations": list(
            escalations_visible_to(user).filter(partner=partner, resolved_at__isnull=True)
        ),
    }


def qbr_scorecard_context(user: Viewer, partner: Partner) -> dict[str, Any]:
    """The scorecard section of the QBR page: the partner's scorecards with their latest closed
    score, trend and perspective breakdown (the same panel the partner page shows)."""
    panel = scorecard_partner_panel(user, partner)
    return {"available": bool(panel["cards"]), "panel": panel}


def qbr_context(user: Viewer, partner: Partner) -> dict[str, Any]:
    """Everything a QBR needs on one screen."""
    now = timezone.now()
    today = timezone.localdate()
    plan = plans_visible_to(user).filter(partner=partner, year=today.year).first()
    return {
        "partner": partner,
        "today": today,
        "open_actions": [
            (a, action_is_overdue(a.due_date, a.status, today))
            for a in action_list(user, partner, open_only=True)
        ],
        "open_escalations": list(
            escalations_visible_to(user).filter(partner=partner, resolved_at__isnull=True)
        ),
        "plan": plan,
        "compliance": compliance_for(_cadences_with_window(partner, now, COMPLIANCE_WINDOW), now),
        "scorecard": qbr_scorecard_context(user, partner),
    }


# --------------------------------------------------------------------------- workspace


def workspace_governance(user: User, *, limit: int = 10) -> dict[str, Any]:
    """My open actions and the meetings I attend (or of partners I run) in the next 30 days."""
    now = timezone.now()
    mine = Q(attendees=user) | Q(partner__alliance_manager=user) | Q(partner__owner=user)
    return {
        "my_actions": list(action_list(user, open_only=True).filter(owner_user=user)[:limit]),
        "upcoming_meetings": list(
            meetings_visible_to(user)
            .filter(mine, start__gte=now, start__lt=now + timedelta(days=30))
            .exclude(status=MeetingStatus.CANCELLED)
            .distinct()
            .order_by("start")[:limit]
        ),
        "today": timezone.localdate(),
    }


def portal_shared(partner: Partner, *, limit: int = 5) -> dict[str, Any]:
    """For the portal home: upcoming meetings and open actions shared with the partner."""
    now = timezone.now()
    return {
        "shared_meetings": list(
            Meeting.objects.filter(
                partner=partner,
                visibility=Visibility.SHARED,
                start__gte=now,
                status=MeetingStatus.SCHEDULED,
            ).order_by("start")[:limit]
        ),
        "shared_actions": list(
            ActionItem.objects.filter(partner=partner, visibility=Visibility.SHARED)
            .exclude(status__in=list(CLOSED_ACTION_STATUSES))
            .select_related("owner_user", "owner_contact")
            .order_by("due_date", "id")[:limit]
        ),
        "today": timezone.localdate(),
    }


# --------------------------------------------------------------------------- iCalendar


def ical_domain() -> str:
    return urlsplit(settings.SRM_BASE_URL).hostname or "srm.local"


def meeting_event(meeting: Meeting, *, include_minutes: bool = False) -> MeetingEvent:
    """A meeting as an iCalendar event (stable UID, SEQUENCE from the meeting)."""
    # SRM's own default titles and agenda lines in the language of whoever reads the calendar.
    description = "\n".join(default_text(line) for line in meeting.agenda.splitlines())
    return MeetingEvent(
        uid=meeting_uid(meeting.pk, ical_domain()),
        sequence=meeting.sequence,
        start=meeting.start,
        end=meeting.end,
        tz_name=meeting.tz_name,
        summary=f"{default_text(meeting.title)} · {meeting.partner.short_name}",
        last_modified=meeting.updated_at,
        description=description,
        location=meeting.location,
        url=f"{settings.SRM_BASE_URL}/governance/meetings/{meeting.pk}/",
        status=EventStatus.CANCELLED
        if meeting.status == MeetingStatus.CANCELLED
        else EventStatus.CONFIRMED,
    )


def meeting_ics(meeting: Meeting) -> bytes:
    return event_to_ics(meeting_event(meeting), include_attendees=False)


def feed_meetings(feed: CalendarFeed) -> QuerySet[Meeting]:
    """What a feed holds, decided by its owner's access now (not when it was created)."""
    meetings = meetings_visible_to(feed.owner).filter(
        start__gte=timezone.now() - timedelta(days=90)
    )
    if feed.partner_id is not None:
        return meetings.filter(partner_id=feed.partner_id)
    owner = feed.owner
    if owner.is_supplier:
        return meetings
    return meetings.filter(
        Q(attendees=owner) | Q(partner__alliance_manager=owner) | Q(partner__owner=owner)
    ).distinct()


def feed_ics(feed: CalendarFeed) -> bytes:
    name = f"SRM · {feed.partner.short_name}" if feed.partner else f"SRM · {feed.owner}"
    # A subscribed calendar fetches without a session: the feed owner's language.
    with translation.override(recipient_language(feed.owner)):
        events = [meeting_event(m) for m in feed_meetings(feed)]
    return feed_to_ics(name, events, include_attendees=False)


def feed_by_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("owner", "partner")
        .filter(token=token, owner__is_active=True)
        .first()
    )


def escalations_on_me(user: Any, *, limit: int = 10) -> list[Escalation]:
    """Unresolved escalations waiting on ``user``, most urgent first: they are named at the
    escalation's current level of the ladder, or that level names nobody and they are the
    partnership's alliance manager or owner (whom the escalation then notifies)."""
    level = EscalationLadderLevel.objects.filter(
        partner=OuterRef("partner"), number=OuterRef("level")
    )
    named_me = Exists(level.filter(notify=user))
    named_nobody = ~Exists(level.filter(notify__isnull=False))
    responsible = Q(partner__alliance_manager=user) | Q(partner__owner=user)
    return list(
        escalations_visible_to(user)
        .filter(resolved_at__isnull=True)
        .filter(named_me | (named_nobody & responsible))
        .select_related("partner")
        .order_by("-overdue_at_top", "-level", "level_entered_at", "id")[:limit]
    )

"""The demo reads like three years of partnership up to the day it is loaded, whichever day
that is, and every demo partner is scored on its own playbook's template."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.models import AuditEvent, User
from governance.models import ActionItem, Cadence, Decision, LessonLearned, Meeting
from partners.demo_clock import DemoClock
from partners.models import LifecycleTransition, Partner, PartnerNote
from scorecards.models import Scorecard
from srm.demo import seed_demo
from srm.playbooks import partner_playbook_apply

pytestmark = pytest.mark.django_db

THREE_YEARS = timedelta(days=3 * 365)


def _span(days: list[date], today: date) -> None:
    """Dates from about three years before the load day up to it, over four calendar years."""
    assert days and min(days) <= today - THREE_YEARS + timedelta(days=60), min(days)
    assert max(days) <= today
    assert len({d.year for d in days}) >= 4


@pytest.mark.parametrize("today", [date(2024, 2, 20), date(2025, 9, 3)])
def test_the_demo_is_dated_relative_to_the_day_it_is_loaded(today: date) -> None:
    seed_demo(today)
    now = DemoClock(today).now

    # History, notes and lessons span the three years before the load day.
    _span([t.date() for t in LifecycleTransition.objects.values_list("at", flat=True)], today)
    _span([n.date() for n in PartnerNote.objects.values_list("created_at", flat=True)], today)
    lessons = [d.date() for d in LessonLearned.objects.values_list("created_at", flat=True)]
    assert min(lessons) <= today - timedelta(days=2 * 365) and max(lessons) <= today
    # The oldest partnership began the same distance before every load day.
    voltaris = Partner.objects.get(short_name="Voltaris")
    first = voltaris.transitions.order_by("at").first()
    assert first is not None and first.at.date() == today - (
        date(2026, 11, 25) - date(2023, 11, 27)
    )

    # Meetings: held ones in the past (some with minutes and decisions), none in the future.
    assert not Meeting.objects.filter(start__gt=now, status="held").exists()
    assert Meeting.objects.filter(start__gt=now, status="scheduled").exists()
    held = Meeting.objects.filter(status="held")
    assert held.filter(start__lt=now - THREE_YEARS + timedelta(days=90)).exists()
    assert held.exclude(minutes="").exists()
    assert not Decision.objects.filter(meeting__status="held", created_at__gt=now).exists()

    # Actions: done ones over the years, open ones overdue by days, not years.
    open_actions = ActionItem.objects.exclude(status__in=["done", "cancelled"])
    dues = list(open_actions.values_list("due_date", flat=True))
    assert dues and min(dues) >= today - timedelta(days=21)
    assert any(d < today for d in dues) and any(d > today for d in dues)
    done = ActionItem.objects.filter(status="done")
    assert done.filter(completed_at__lt=now - timedelta(days=2 * 365)).exists()
    assert not done.filter(completed_at__gt=now).exists()

    # Scorecards: closed quarters behind the load day, frozen at their close; the open one
    # contains the load day.
    for scorecard in Scorecard.objects.all():
        periods = list(scorecard.periods.order_by("start"))
        closed = [p for p in periods if p.status == "closed"]
        (current,) = [p for p in periods if p.status == "open"]
        assert current.start <= today <= current.end, scorecard
        assert closed and closed[-1].end < today, scorecard
        for period in closed:
            assert period.closed_at is not None
            assert period.end < period.closed_at.date() <= today, period
        assert scorecard.created_at.date() <= today

    # The audit trail of those records reads their dates too, not the day of loading.
    for kind in ("governance.lessonlearned", "governance.actionitem", "scorecards.period"):
        days = [
            e.date()
            for e in AuditEvent.objects.filter(object_type=kind).values_list("at", flat=True)
        ]
        assert days and max(days) <= today and min(days) <= today - timedelta(days=365), kind


def test_applying_any_demo_partners_playbook_adds_no_second_scorecard_or_cadence() -> None:
    seed_demo()
    priya = User.objects.get(username="priya")
    scorecards = Scorecard.objects.count()
    for partner in Partner.objects.all():
        applied = partner_playbook_apply(actor=priya, partner=partner)
        assert applied.problems == (), partner
        assert Scorecard.objects.filter(partner=partner).count() == 1, partner
    assert Scorecard.objects.count() == scorecards
    kinds = list(Cadence.objects.values_list("partner", "kind"))
    assert len(kinds) == len(set(kinds))

"""Governance services and selectors against the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from core.cadences import CadenceKind, Frequency
from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import Notification, OutboxMessage
from core.roles import SYSTEM
from governance import selectors
from governance.cadence import MeetingStatus
from governance.models import ActionItem, Escalation, EscalationMove, Meeting, Visibility
from governance.services import (
    actions,
    cadences,
    calendar,
    charters,
    escalations,
    innovation,
    lessons,
    meetings,
    plans,
    reminders,
)
from partners.kraljic import EngagementModel
from tests.factories import SupplierContactFactory, UserFactory
from tests.governance.factories import (
    ActionItemFactory,
    CadenceFactory,
    MeetingFactory,
    standard_ladder,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- generation


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [(Frequency.MONTHLY, 12), (Frequency.QUARTERLY, 4), (Frequency.YEARLY, 1)],
)
def test_generation_fills_a_year_ahead_and_is_idempotent(partner_a, frequency, expected) -> None:
    cadence = CadenceFactory(partner=partner_a, frequency=frequency, anchor_date=date(2026, 1, 31))
    assert cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW) == expected
    assert cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW) == 0
    assert (
        cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW + timedelta(days=3)) == 0
    )
    assert cadence.meetings.count() == expected


def test_generated_meetings_keep_berlin_wall_time_and_clamp_month_ends(partner_a) -> None:
    cadence = CadenceFactory(partner=partner_a, anchor_date=date(2026, 1, 31))
    cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW)
    starts = [m.start.astimezone(BERLIN) for m in cadence.meetings.order_by("start")]
    assert {(s.hour, s.minute) for s in starts} == {(9, 0)}
    assert [s.date() for s in starts[:4]] == [
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]
    # Winter 08:00 UTC, summer 07:00 UTC: the instant moves with daylight saving.
    utc_hours = {s.astimezone(UTC).month: s.astimezone(UTC).hour for s in starts}
    assert utc_hours[1] == 8 and utc_hours[7] == 7


def test_a_moved_or_cancelled_occurrence_is_never_regenerated(
    partner_a, procurement_manager
) -> None:
    cadence = CadenceFactory(partner=partner_a)
    cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW)
    first, second = cadence.meetings.order_by("start")[:2]
    meetings.meeting_move(
        actor=procurement_manager,
        meeting=first,
        start=first.start + timedelta(days=1),
        end=first.end + timedelta(days=1),
        reason="Plant visit clashes",
    )
    meetings.meeting_cancel(actor=procurement_manager, meeting=second, reason="Holidays")
    assert cadences.meetings_generate(actor=SYSTEM, cadence=cadence, now=NOW) == 0
    first.refresh_from_db()
    assert first.start.astimezone(BERLIN).day == 16
    assert cadence.meetings.filter(status=MeetingStatus.CANCELLED).count() == 1


def test_default_cadences_follow_the_engagement_model_once(partner_a) -> None:
    partner_a.engagement_model = EngagementModel.PREFERRED_SUPPLIER
    created = cadences.cadences_apply_defaults(
        actor=SYSTEM, partner=partner_a, anchor_date=date(2026, 12, 1)
    )
    assert {c.kind for c in created} == {
        CadenceKind.QUARTERLY_BUSINESS_REVIEW,
        CadenceKind.ANNUAL_STRATEGIC_REVIEW,
    }
    assert "Review of scorecard" in created[0].agenda_template + created[1].agenda_template
    assert (
        cadences.cadences_apply_defaults(
            actor=SYSTEM, partner=partner_a, anchor_date=date(2026, 12, 1)
        )
        == []
    )


def test_a_bad_recurrence_rule_is_a_field_error(partner_a) -> None:
    with pytest.raises(FieldErrors) as exc:
        cadences.cadence_create(
            actor=SYSTEM,
            partner=partner_a,
            kind=CadenceKind.STEERING_COMMITTEE,
            frequency=Frequency.MONTHLY,
            anchor_date=date(2026, 1, 1),
            start_time=time(9),
            tz_name="Mars/Olympus",
        )
    assert "tz_name" in exc.value.errors


# --------------------------------------------------------------------------- meetings and ics


def _parse(ics: bytes):
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def test_sequence_grows_when_time_place_or_status_change_and_uid_stays(partner_a) -> None:
    # In the past: minutes are recorded only for a meeting that has started.
    meeting = MeetingFactory(partner=partner_a, start=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    before = _parse(selectors.meeting_ics(meeting))[0]
    assert int(before["SEQUENCE"]) == 0
    meeting = meetings.meeting_move(
        actor=SYSTEM,
        meeting=meeting,
        start=meeting.start + timedelta(hours=2),
        end=meeting.end + timedelta(hours=2),
        reason="Room taken",
    )
    meeting = meetings.meeting_update(
        actor=SYSTEM, meeting=meeting, changes={"location": "Gothenburg, room 4"}
    )
    meeting = meetings.meeting_update(
        actor=SYSTEM, meeting=meeting, changes={"minutes": "Only minutes"}
    )
    assert meeting.sequence == 2
    meeting = meetings.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Strike")
    after = _parse(selectors.meeting_ics(meeting))[0]
    assert int(after["SEQUENCE"]) == 3
    assert str(after["UID"]) == str(before["UID"])
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_a_meeting_ending_before_it_starts_is_refused(partner_a) -> None:
    start = datetime(2026, 12, 3, 9, tzinfo=BERLIN)
    with pytest.raises(FieldErrors) as exc:
        meetings.meeting_create(
            actor=SYSTEM,
            partner=partner_a,
            title="QBR",
            start=start,
            end=start - timedelta(hours=1),
        )
    assert exc.value.errors == {"end": ["The meeting must end after it starts."]}
    assert not Meeting.objects.exists()


def test_moving_or_cancelling_needs_a_reason(partner_a) -> None:
    meeting = MeetingFactory(partner=partner_a, start=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    with pytest.raises(FieldErrors):
        meetings.meeting_cancel(actor=SYSTEM, meeting=meeting, reason=" ")
    meetings.meeting_record(actor=SYSTEM, meeting=meeting, minutes="Agreed", decisions=["Go"])
    with pytest.raises(ConflictError):
        meetings.meeting_cancel(actor=SYSTEM, meeting=meeting, reason="Too late")
    assert [d.text for d in meeting.decisions.all()] == ["Go"]


def test_feeds_hold_only_what_the_owner_may_see_and_revoking_changes_the_url(
    partner_a, partner_b, supplier_a
) -> None:
    shared = MeetingFactory(partner=partner_a, title="Shared QBR")
    MeetingFactory(partner=partner_a, title="Internal prep", visibility=Visibility.INTERNAL)
    MeetingFactory(partner=partner_b, title="Other partner QBR")
    feed = calendar.calendar_feed_for(actor=supplier_a)
    events = _parse(selectors.feed_ics(feed))
    assert [str(e["SUMMARY"]) for e in events] == [f"Shared QBR · {partner_a.short_name}"]
    assert str(events[0]["UID"]).startswith(f"meeting-{shared.pk}@")
    old = feed.token
    feed = calendar.calendar_feed_revoke(actor=supplier_a, feed=feed)
    assert selectors.feed_by_token(old) is None
    assert selectors.feed_by_token(feed.token) == feed


# --------------------------------------------------------------------------- actions


def test_an_action_due_in_the_past_is_saved_with_a_warning(partner_a, procurement_manager) -> None:
    created = actions.action_create(
        actor=procurement_manager,
        partner=partner_a,
        title="Send cell test data",
        due_date=date(2026, 11, 20),
        today=date(2026, 11, 25),
    )
    assert created.action.pk is not None
    assert created.warning is not None and "in the past" in created.warning


def test_supplier_owned_actions_are_always_shared_and_only_their_status_is_theirs(
    partner_a, partner_b, supplier_a, supplier_b
) -> None:
    contact = SupplierContactFactory(partner=partner_a)
    action = actions.action_create(
        actor=SYSTEM,
        partner=partner_a,
        title="Ship samples",
        owner_contact=contact,
        visibility=Visibility.INTERNAL,
    ).action
    assert action.visibility == Visibility.SHARED
    actions.action_update(actor=supplier_a, action=action, changes={"status": "done"})
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    with pytest.raises(FieldErrors):
        actions.action_update(actor=supplier_a, action=action, changes={"title": "Renamed"})
    with pytest.raises(PermissionDeniedError):
        actions.action_update(actor=supplier_b, action=action, changes={"status": "open"})
    internal = ActionItemFactory(partner=partner_a, owner_user=UserFactory())
    with pytest.raises(PermissionDeniedError):
        actions.action_update(actor=supplier_a, action=internal, changes={"status": "done"})
    with pytest.raises(FieldErrors):
        actions.action_create(actor=SYSTEM, partner=partner_b, title="x", owner_contact=contact)


# --------------------------------------------------------------------------- escalations


def test_a_ladder_without_levels_is_refused(partner_a) -> None:
    with pytest.raises(FieldErrors) as exc:
        escalations.escalation_ladder_set(actor=SYSTEM, partner=partner_a, levels=[])
    assert "levels" in exc.value.errors
    with pytest.raises(FieldErrors):
        escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Late deliveries")


def test_an_escalation_past_its_response_time_moves_up_once_and_notifies_once(
    partner_a, alliance_manager, executive
) -> None:
    partner_a.alliance_manager = alliance_manager
    partner_a.executive_sponsor = executive
    partner_a.save()
    standard_ladder(partner_a, 48, 120)
    escalation = escalations.escalation_raise(
        actor=SYSTEM, partner=partner_a, title="Cell yield below 80 %", now=NOW
    )
    assert (
        Notification.objects.filter(key__startswith=f"escalation:{escalation.pk}:level:1").count()
        == 1
    )

    # exactly due
    assert escalations.escalations_advance(actor=SYSTEM, now=NOW + timedelta(hours=48)) == 0
    assert escalations.escalations_advance(actor=SYSTEM, now=NOW + timedelta(hours=49)) == 1
    assert escalations.escalations_advance(actor=SYSTEM, now=NOW + timedelta(hours=50)) == 0
    escalation.refresh_from_db()
    assert escalation.level == 2
    level2 = Notification.objects.filter(key__startswith=f"escalation:{escalation.pk}:level:2")
    assert {n.recipient for n in level2} == {alliance_manager, executive}

    later = NOW + timedelta(hours=49 + 121)
    escalations.escalations_advance(actor=SYSTEM, now=later)
    escalations.escalations_advance(actor=SYSTEM, now=later)
    escalation.refresh_from_db()
    assert escalation.level == 2 and escalation.overdue_at_top
    assert Notification.objects.filter(key__contains=":overdue:").count() == 2
    assert list(EscalationMove.objects.values_list("to_level", flat=True)) == [1, 2]


def test_a_resolved_escalation_stays_put(partner_a) -> None:
    standard_ladder(partner_a)
    escalation = escalations.escalation_raise(
        actor=SYSTEM, partner=partner_a, title="Late", now=NOW
    )
    escalations.escalation_resolve(
        actor=SYSTEM, escalation=escalation, resolution="Second shift added"
    )
    escalations.escalations_advance(actor=SYSTEM, now=NOW + timedelta(days=30))
    assert Escalation.objects.get().level == 1


# --------------------------------------------------------------------------- reminders, compliance


def test_reminders_are_sent_once_and_again_when_a_meeting_moves(
    partner_a, alliance_manager
) -> None:
    owner = UserFactory()
    ActionItemFactory(partner=partner_a, owner_user=owner, due_date=date(2026, 11, 1))
    ActionItemFactory(
        partner=partner_a, owner_user=owner, due_date=date(2026, 11, 1), status="done"
    )
    meeting = MeetingFactory(partner=partner_a, start=NOW + timedelta(hours=20))
    meeting.attendees.set([alliance_manager])
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 2
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 0
    meetings.meeting_move(
        actor=SYSTEM,
        meeting=meeting,
        start=meeting.start + timedelta(hours=1),
        end=meeting.end + timedelta(hours=1),
        reason="Later",
    )
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 1


@pytest.mark.parametrize("owners", [3, 30])
def test_the_reminder_job_writes_in_a_constant_number_of_queries(
    partner_a, owners, django_assert_max_num_queries
) -> None:
    """10,000 reminders were 50,000 round trips; now each kind is a handful, however many.
    Each owner still gets exactly their own reminder, with an e-mail queued."""
    users = [UserFactory() for _ in range(owners)]
    for user in users:
        ActionItemFactory(partner=partner_a, owner_user=user, due_date=date(2026, 11, 1))
    with django_assert_max_num_queries(14):
        assert reminders.reminders_send(actor=SYSTEM, now=NOW) == owners
    sent = Notification.objects.filter(kind="action_overdue")
    assert sorted(sent.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users)
    # the default for overdue actions is e-mail too: one outbox row per notification
    assert OutboxMessage.objects.filter(notification__in=sent).count() == owners
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 0


def test_compliance_counts_held_over_due_per_cadence(partner_a) -> None:
    qbr = CadenceFactory(
        partner=partner_a, kind=CadenceKind.QUARTERLY_BUSINESS_REVIEW, frequency="quarterly"
    )
    for month, status in [(2, "held"), (5, "held"), (8, "scheduled"), (11, "held")]:
        start = datetime(2026, month, 15, 8, tzinfo=UTC)
        MeetingFactory(partner=partner_a, cadence=qbr, start=start, status=status)
    MeetingFactory(partner=partner_a, cadence=qbr, start=datetime(2027, 2, 15, 8, tzinfo=UTC))
    panel = selectors.partner_panel(UserFactory(), partner_a)
    (row,) = panel["compliance"]
    assert (row.compliance.held, row.compliance.due) == (3, 4)
    assert row.compliance.ratio == Decimal("75.00") and row.compliance.at_risk


# ---------------------------------------------------------------- plans, innovation, lessons


def test_a_charter_gets_the_next_version_and_a_yearly_review(partner_a) -> None:
    v1 = charters.charter_create_version(
        actor=SYSTEM, partner=partner_a, effective_from=date(2025, 1, 1), scope="Cells"
    )
    v2 = charters.charter_create_version(
        actor=SYSTEM, partner=partner_a, effective_from=date(2026, 3, 1), scope="Cells and packs"
    )
    assert (v1.version, v2.version) == (1, 2)
    assert v2.review_due == date(2027, 3, 1)
    with pytest.raises(FieldErrors):
        charters.charter_create_version(
            actor=SYSTEM,
            partner=partner_a,
            effective_from=date(2026, 3, 1),
            scope="x",
            review_due=date(2028, 3, 1),
        )


def test_an_adopted_proposal_becomes_an_initiative_and_a_decline_needs_feedback(
    partner_a, partner_b, supplier_a, supplier_b
) -> None:
    challenge = innovation.challenge_publish(
        actor=SYSTEM,
        title="CO2 -30 %",
        problem_statement="Less packaging CO2",
        partners=[partner_a],
    )
    proposal = innovation.proposal_submit(
        actor=supplier_a,
        challenge=challenge,
        partner=partner_a,
        title="Moulded fibre",
        description="Replace EPS trays",
        expected_value=Decimal("250000"),
    )
    with pytest.raises(PermissionDeniedError):
        innovation.proposal_submit(
            actor=supplier_b, challenge=challenge, partner=partner_b, title="x", description="y"
        )
    with pytest.raises(FieldErrors):
        innovation.proposal_decide(actor=SYSTEM, proposal=proposal, adopt=False)
    decided = innovation.proposal_decide(actor=SYSTEM, proposal=proposal, adopt=True)
    assert decided.initiative is not None
    assert decided.initiative.expected_value == Decimal("250000")
    with pytest.raises(FieldErrors):
        innovation.initiative_update(
            actor=SYSTEM, initiative=decided.initiative, changes={"stage": "idea"}
        )


def test_lessons_are_searchable_across_the_portfolio_but_not_by_suppliers(
    partner_a, partner_b, procurement_manager, supplier_a
) -> None:
    lessons.lesson_record(
        actor=SYSTEM, partner=partner_a, title="Exit planning", body="Start the exit a year early"
    )
    lessons.lesson_record(actor=SYSTEM, partner=partner_b, title="QBR prep", body="Send data early")
    assert [lesson.title for lesson in selectors.lesson_search(procurement_manager, "early")] == [
        "QBR prep",
        "Exit planning",
    ]
    assert [
        lesson.title for lesson in selectors.lesson_search(procurement_manager, "exit year")
    ] == ["Exit planning"]
    assert not selectors.lesson_search(supplier_a, "").exists()
    assert ActionItem.objects.count() == 0


def test_another_partners_supplier_cannot_attend_or_be_reminded(
    partner_a, supplier_a, supplier_b
) -> None:
    start = NOW + timedelta(hours=5)
    with pytest.raises(FieldErrors) as exc:
        meetings.meeting_create(
            actor=SYSTEM,
            partner=partner_a,
            title="QBR",
            start=start,
            end=start + timedelta(hours=1),
            attendees=[supplier_b],
        )
    assert "attendees" in exc.value.errors
    meeting = meetings.meeting_create(
        actor=SYSTEM,
        partner=partner_a,
        title="QBR",
        start=start,
        end=start + timedelta(hours=1),
        attendees=[supplier_a],
    )
    Meeting.objects.filter(pk=meeting.pk).update(visibility=Visibility.INTERNAL)
    # internal meeting: the supplier hears nothing
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 0


def test_a_charter_review_coming_due_is_reminded_once(partner_a, alliance_manager) -> None:
    partner_a.alliance_manager = alliance_manager
    partner_a.save()
    charters.charter_create_version(
        actor=SYSTEM, partner=partner_a, effective_from=date(2025, 12, 10), scope="Cells"
    )
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 1
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 0
    charters.charter_create_version(
        actor=SYSTEM, partner=partner_a, effective_from=date(2026, 11, 1), scope="Cells v2"
    )
    # the new version is not due for a year
    assert reminders.reminders_send(actor=SYSTEM, now=NOW) == 0


def test_default_cadences_come_from_the_edited_playbook(partner_a) -> None:
    """An administrator who changes a playbook changes what new partnerships get."""
    from core.roles import SYSTEM
    from partners.selectors import playbook_for
    from partners.services.playbooks import playbook_update

    playbook_update(
        actor=SYSTEM,
        playbook=playbook_for(partner_a),
        changes={
            "cadences": [
                {
                    "kind": "executive_sponsor",
                    "frequency": "monthly",
                    "interval": 2,
                    "duration_minutes": 45,
                }
            ]
        },
    )
    created = cadences.cadences_apply_defaults(
        actor=SYSTEM, partner=partner_a, anchor_date=date(2026, 12, 1)
    )
    assert [(c.kind, c.frequency, c.interval, c.duration_minutes) for c in created] == [
        (CadenceKind.EXECUTIVE_SPONSOR, "monthly", 2, 45)
    ]


def test_plan_objectives_link_to_the_partners_scorecard_kpis(partner_a) -> None:
    """An objective names a KPI of the partner's scorecard; an unknown code is a field error."""
    from core.errors import FieldErrors
    from core.roles import SYSTEM
    from scorecards.selectors import partner_latest_kpi_results
    from scorecards.services.periods import period_close
    from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

    scorecard = scorecard_for(partner_a)
    plan = plans.plan_create(actor=SYSTEM, partner=partner_a, year=2026, title="JBP 2026")
    with pytest.raises(FieldErrors) as error:
        plans.objective_add(
            actor=SYSTEM, plan=plan, title="TCO", target="-5 %", kpi_reference="nope"
        )
    assert "kpi_reference" in error.value.errors
    assert "ppv" in error.value.errors["kpi_reference"][0]

    objective = plans.objective_add(
        actor=SYSTEM, plan=plan, title="Price", target="PPV ≤ 1 %", kpi_reference="ppv"
    )
    assert objective.kpi_reference == "ppv"
    period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    result = partner_latest_kpi_results(partner_a)["ppv"]
    assert result["name"] == "Purchase price variance"
    assert result["value"] is not None and result["score"] is not None

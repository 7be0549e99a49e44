# ruff: noqa: E501 - demo data tables read best one record per line
"""Demo governance for the demo portfolio (SPEC 2); idempotent by natural keys.

"Today" in the demo is 2026-11-25: meetings before it are held (or missed), actions and an
escalation are overdue relative to it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.cadences import CadenceKind, Frequency
from core.models import User
from core.roles import SystemActor
from governance import selectors
from governance.cadence import MeetingStatus, Weekday
from governance.models import (
    ActionItem,
    Cadence,
    ChallengeProposal,
    Charter,
    Decision,
    Escalation,
    EscalationMove,
    InitiativeStage,
    InnovationChallenge,
    InnovationInitiative,
    JointBusinessPlan,
    LessonLearned,
    Meeting,
    Priority,
    Visibility,
)
from governance.services import (
    actions,
    cadences,
    charters,
    escalations,
    innovation,
    lessons,
    meetings,
    plans,
)
from partners.models import Partner, SupplierContact

DEMO_TODAY = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)

# Who seeds what no demo user would have done by hand (the audit trail names it).
DEMO = SystemActor("demo")

Q = Frequency.QUARTERLY
M = Frequency.MONTHLY
Y = Frequency.YEARLY

TUE, WED, THU = Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY

# partner: [(kind, frequency, first month, nth weekday of the month, local start, location)]
CADENCES: dict[str, list[tuple[CadenceKind, Frequency, date, tuple[int, Weekday], time, str]]] = {
    "Voltaris": [
        (CadenceKind.MONTHLY_OPERATIONAL, M, date(2026, 1, 1), (2, THU), time(10), "Teams"),
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2026, 1, 1), (3, TUE), time(9), "Gothenburg"),
        (CadenceKind.STEERING_COMMITTEE, M, date(2026, 1, 1), (-1, WED), time(14), "Teams"),
        (CadenceKind.EXECUTIVE_SPONSOR, Q, date(2026, 2, 1), (2, THU), time(16), "Munich HQ"),
        (CadenceKind.ANNUAL_STRATEGIC_REVIEW, Y, date(2026, 12, 1), (2, WED), time(9), "Gothenburg"),
    ],
    "GreenPack": [
        (CadenceKind.MONTHLY_OPERATIONAL, M, date(2026, 1, 1), (2, TUE), time(11), "Teams"),
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2026, 2, 1), (1, WED), time(10), "Eindhoven"),
        (CadenceKind.EXECUTIVE_SPONSOR, Q, date(2026, 3, 1), (3, WED), time(15), "Teams"),
    ],
    "Kestrel": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2026, 1, 1), (-1, WED), time(15), "Teams"),
    ],
    "Sinter Magnetics": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2026, 2, 1), (3, TUE), time(9), "Teams"),
    ],
    "NordFreight": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2026, 3, 1), (1, THU), time(13), "Teams"),
    ],
}  # fmt: skip

# (partner, cadence kind, year, month) of meetings that did not happen.
MISSED = {
    ("Sinter Magnetics", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 2026, 8),
    ("GreenPack", CadenceKind.MONTHLY_OPERATIONAL, 2026, 7),
}

CHARTERS: dict[str, list[dict[str, Any]]] = {
    "Voltaris": [
        {
            "effective_from": date(2024, 3, 1),
            "scope": "Supply of NMC battery cells for the B-platform.",
            "shared_objectives": "Secure cell supply; reduce €/kWh by 8 % a year.",
        },
        {
            "effective_from": date(2025, 12, 1),
            "scope": (
                "Joint venture for next-generation cells: supply of NMC cells for the B-platform "
                "and a joint innovation centre in Gothenburg for solid-state cell research."
            ),
            "shared_objectives": (
                "Solid-state A-sample by end of 2026; cell cost -12 % per kWh by 2027; "
                "80 % recycled cathode material by 2030."
            ),
            "investment_commitments": (
                "Aurora Motors funds 60 % and Voltaris 40 % of the innovation centre "
                "(EUR 24 m over three years); Voltaris dedicates 35 engineers."
            ),
            "performance_targets": "OTD ≥ 98 %; PPM ≤ 50; cost per kWh per the joint plan.",
            "roles": (
                "Executive sponsors: Helena Vogt (Aurora), Ingrid Sandberg (Voltaris). "
                "Alliance managers: Marco Keller, Lena Berg. Engineering lead: Oskar Lind."
            ),
            "decision_rules": (
                "Steering committee decides by consensus; deadlock goes to the sponsors."
            ),
            "data_sharing_rules": (
                "Cell test data shared weekly; cost models open-book; patents filed jointly "
                "with a 60:40 (Aurora:Voltaris) patent share."
            ),
            "escalation_path": "Operational leads → steering committee → executive sponsors.",
        },
    ],
    "GreenPack": [
        {
            "effective_from": date(2025, 2, 1),
            "scope": "Biodegradable packaging for cell modules and service parts.",
            "shared_objectives": "Packaging CO2 per shipped part -30 % by 2027.",
            "roles": "Sponsors: Helena Vogt, Sanne de Vries. Alliance manager: Marco Keller.",
        }
    ],
}


def _contact(partner: Partner, name: str) -> SupplierContact | None:
    return partner.contacts.filter(name=name).first()


def _seed_cadences(users: dict[str, User], partners: dict[str, Partner]) -> None:
    marco, helena = users["marco"], users["helena"]
    now = max(timezone.now(), DEMO_TODAY)
    for short_name, specs in CADENCES.items():
        partner = partners[short_name]
        for kind, frequency, anchor, (ordinal, weekday), start, location in specs:
            cadence = Cadence.objects.filter(partner=partner, kind=kind).first()
            if cadence is None:
                defaults = {d.kind: d for d in selectors.cadence_defaults_for_partner(partner)}
                default = defaults.get(kind)
                cadence = cadences.cadence_create(
                    actor=DEMO,
                    partner=partner,
                    kind=kind,
                    name=kind.label,
                    frequency=frequency,
                    anchor_date=anchor,
                    weekday_ordinal=ordinal,
                    weekday=weekday,
                    start_time=start,
                    duration_minutes=default.duration_minutes if default else 60,
                    tz_name="Europe/Berlin",
                    location=location,
                    agenda_template="\n".join(default.agenda) if default else "",
                    default_attendees=[marco, helena]
                    if kind in (CadenceKind.EXECUTIVE_SPONSOR, CadenceKind.ANNUAL_STRATEGIC_REVIEW)
                    else [users["priya"], marco],
                    default_contacts=list(partner.contacts.all()[:2]),
                )
            cadences.meetings_generate(actor=DEMO, cadence=cadence, now=YEAR_START)
            cadences.meetings_generate(actor=DEMO, cadence=cadence, now=now)
            # Seeded on a later day, the meetings since 25 Nov 2026 were held too: only the
            # chosen ones are missed, so compliance tells the same story whenever it is seeded.
            past = cadence.meetings.filter(start__lt=now, status=MeetingStatus.SCHEDULED)
            for meeting in past:
                local = meeting.start.astimezone(cadence.rule().zone).date()
                if (short_name, kind, local.year, local.month) not in MISSED:
                    meeting.status = MeetingStatus.HELD
                    meeting.save(update_fields=["status", "updated_at"])


def _seed_minutes(partners: dict[str, Partner]) -> None:
    voltaris = partners["Voltaris"]
    qbr = (
        Meeting.objects.filter(
            partner=voltaris,
            cadence__kind=CadenceKind.QUARTERLY_BUSINESS_REVIEW,
            start__lt=DEMO_TODAY,
        )
        .order_by("-start")
        .first()
    )
    if qbr is not None and not qbr.minutes:
        meetings.meeting_record(
            actor=DEMO,
            meeting=qbr,
            minutes=(
                "Cell yield on line 2 at 91 % (target 94 %). Solid-state A-sample on track for "
                "December. Voltaris asked for an earlier 2027 volume commitment."
            ),
            decisions=[
                "Fund a second coating line at the innovation centre (60:40 split).",
                "Freeze the 2027 cell specification by 15 January.",
            ],
        )
    prep, _ = Meeting.objects.get_or_create(
        partner=voltaris,
        title="Internal prep: 2027 volume negotiation",
        defaults={
            "start": datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
            "end": datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
            "visibility": Visibility.INTERNAL,
            "agenda": "Walk-away price\nVolume scenarios\nSecond-source options",
            "location": "Munich HQ, room 3.12",
        },
    )
    if not prep.decisions.exists():
        Decision.objects.create(meeting=prep, text="Walk-away price: EUR 92 per kWh.")


ACTIONS: list[tuple[str, str, str | None, str | None, date, str, str]] = [
    # partner, title, internal owner, supplier contact, due, priority, status
    ("Voltaris", "Share cell yield data for line 2", None, "Oskar Lind", date(2026, 11, 18), "high", "open"),
    ("Voltaris", "Confirm innovation-centre lab budget for 2027", "marco", None, date(2026, 12, 5), "high", "in_progress"),
    ("Voltaris", "Draft joint patent filing plan (solid-state electrolyte)", None, "Ingrid Sandberg", date(2026, 12, 15), "medium", "open"),
    ("Voltaris", "Send 2027 volume forecast", "priya", None, date(2026, 11, 20), "high", "open"),
    ("GreenPack", "Send moulded-fibre tray drop-test results", None, "Sanne de Vries", date(2026, 11, 10), "medium", "open"),
    ("GreenPack", "Approve 2027 packaging volume plan", "priya", None, date(2026, 11, 30), "medium", "open"),
    ("GreenPack", "Publish CO2 baseline per shipped part", None, "Joost Bakker", date(2026, 10, 31), "low", "done"),
    ("Sinter Magnetics", "Reschedule the missed Q3 QBR", "priya", None, date(2026, 11, 20), "critical", "open"),
    ("Kestrel", "Review SiC module price index", "marco", None, date(2026, 12, 12), "medium", "open"),
]  # fmt: skip


def _as_of_today(day: date) -> date:
    """A date written against DEMO_TODAY, moved to the same distance from the day the demo
    is loaded: an action "due in ten days" stays due in ten days, not overdue forever."""
    return timezone.localdate() + (day - DEMO_TODAY.date())


def _seed_actions(users: dict[str, User], partners: dict[str, Partner]) -> None:
    for short_name, title, owner, contact, written_due, priority, status in ACTIONS:
        partner = partners[short_name]
        due = _as_of_today(written_due)
        if ActionItem.objects.filter(partner=partner, title=title).exists():
            continue
        action = actions.action_create(
            actor=DEMO,
            partner=partner,
            title=title,
            owner_user=users[owner] if owner else None,
            owner_contact=_contact(partner, contact) if contact else None,
            due_date=due,
            priority=Priority(priority),
            today=due,
        ).action
        if status != "open":
            ActionItem.objects.filter(pk=action.pk).update(status=status)


def _seed_escalations(partners: dict[str, Partner]) -> None:
    for partner in partners.values():
        if partner.engagement_model != "transactional" and not partner.escalation_levels.exists():
            escalations.escalation_ladder_set(
                actor=DEMO,
                partner=partner,
                levels=[
                    {"name": "Operational leads", "response_time_hours": 48},
                    {"name": "Steering committee", "response_time_hours": 120},
                    {"name": "Executive sponsors", "response_time_hours": 240},
                ],
            )
    sinter = partners["Sinter Magnetics"]
    title = "Magnet shipments three weeks late: line-stop risk in Q1"
    if not Escalation.objects.filter(partner=sinter, title=title).exists():
        raised = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
        moved = datetime(2026, 11, 13, 8, 0, tzinfo=UTC)  # 120 h at level 2 ran out on 18 Nov
        escalation = Escalation.objects.create(
            partner=sinter,
            title=title,
            description="NdFeB magnet lots for the rotor line slipped from week 45 to week 48.",
            level=2,
            level_entered_at=moved,
        )
        EscalationMove.objects.create(escalation=escalation, from_level=0, to_level=1, at=raised)
        EscalationMove.objects.create(escalation=escalation, from_level=1, to_level=2, at=moved)


def _seed_plans(users: dict[str, User], partners: dict[str, Partner]) -> None:
    plan_specs = {
        "Voltaris": (
            "Joint business plan 2026: cells and the innovation centre",
            [
                ("Cell cost per kWh", "-12 % vs 2025", "ppv", 70),
                ("Solid-state A-sample", "A-sample validated by Dec 2026", "npi-on-time", 80),
                ("Line 2 first-pass yield", "FPY ≥ 96 %", "fpy", 95),
            ],
            [
                ("Innovation centre opens", "marco", None, date(2026, 4, 30), date(2026, 4, 22)),
                ("A-sample cells delivered", None, "Oskar Lind", date(2026, 12, 18), None),
            ],
        ),
        "GreenPack": (
            "Joint business plan 2026: circular packaging",
            [
                ("Packaging CO2 per shipped part", "-30 % vs 2024", "co2", 45),
                ("Fibre trays on module lines", "100 % of cell-module lines", "", 60),
            ],
            [
                ("Fibre tray on line 1", None, "Sanne de Vries", date(2026, 6, 30), date(2026, 6, 12)),
                ("Fibre tray on lines 2 to 4", "priya", None, date(2026, 12, 31), None),
            ],
        ),
    }  # fmt: skip
    for short_name, (title, objectives, milestones) in plan_specs.items():
        partner = partners[short_name]
        if JointBusinessPlan.objects.filter(partner=partner, year=2026).exists():
            continue
        plan = plans.plan_create(actor=DEMO, partner=partner, year=2026, title=title)
        for name, target, kpi, progress in objectives:
            plans.objective_add(
                actor=DEMO,
                plan=plan,
                title=name,
                target=target,
                kpi_reference=kpi,
                progress_percent=progress,
            )
        for name, owner, contact, due, done in milestones:
            plans.milestone_add(
                actor=DEMO,
                plan=plan,
                title=name,
                due_date=due,
                done_at=done,
                owner_user=users[owner] if owner else None,
                owner_contact=_contact(partner, contact) if contact else None,
            )


def _seed_innovation(users: dict[str, User], partners: dict[str, Partner]) -> None:
    initiatives = [
        ("Voltaris", "Solid-state cell prototype", InitiativeStage.PROTOTYPE, "4500000", "0", 2027),
        ("Voltaris", "Dry-electrode coating", InitiativeStage.EVALUATING, "1200000", "0", 2028),
        ("GreenPack", "Biodegradable moulded-fibre tray", InitiativeStage.COMMERCIALIZED, "380000", "412000", 2026),
        ("Kestrel", "SiC module with integrated gate driver", InitiativeStage.IDEA, "900000", "0", 2028),
    ]  # fmt: skip
    for short_name, title, stage, expected, realized, year in initiatives:
        InnovationInitiative.objects.get_or_create(
            partner=partners[short_name],
            title=title,
            defaults={
                "stage": stage,
                "owner": users["marco"],
                "expected_value": Decimal(expected),
                "realized_value": Decimal(realized),
                "target_year": year,
            },
        )
    title = "Reduce packaging CO2 per shipped part by 30 %"
    challenge = InnovationChallenge.objects.filter(title=title).first()
    if challenge is None:
        challenge = innovation.challenge_publish(
            actor=users["marco"],
            title=title,
            problem_statement=(
                "Our inbound packaging emits 1.9 kg CO2e per shipped part. We look for packaging, "
                "load-carrier or routing ideas that cut it by 30 % without raising damage rates."
            ),
            partners=[partners["GreenPack"], partners["NordFreight"]],
            closes_on=date(2027, 1, 31),
        )
    ChallengeProposal.objects.get_or_create(
        challenge=challenge,
        partner=partners["NordFreight"],
        title="Returnable pallet pool with reusable dividers",
        defaults={
            "description": "Pooled returnable pallets on the Hamburg-Munich lane; -22 % CO2e.",
            "expected_value": Decimal("150000"),
        },
    )


LESSONS = [
    ("OfficeLine", "Exit OfficeLine: catalogue before contract end", "Moving office supplies to a catalogue took five months, not two. Start the exit plan a year before the contract ends and name the alternative source early.", ["exit", "tail spend"]),
    ("Voltaris", "Agree data-sharing rules before the lab opens", "The joint lab lost six weeks because cell test data ownership was unclear. Write data-sharing and patent rules into the charter first.", ["innovation", "charter"]),
    ("Sinter Magnetics", "A missed QBR is an early warning", "The Q3 QBR was skipped; three months later deliveries slipped. Treat a missed QBR as a risk signal and reschedule within two weeks.", ["qbr", "risk"]),
    ("GreenPack", "Pilot on one line, then scale", "The fibre tray succeeded because we piloted on line 1 with joint drop tests before rolling out.", ["innovation", "packaging"]),
]  # fmt: skip


def seed_governance(users: dict[str, User], partners: dict[str, Partner]) -> dict[str, int]:
    """Create or refresh the demo governance records; running it twice changes nothing."""
    for short_name, versions in CHARTERS.items():
        partner = partners[short_name]
        for number, fields in enumerate(versions, start=1):
            if not Charter.objects.filter(partner=partner, version=number).exists():
                charters.charter_create_version(actor=users["marco"], partner=partner, **fields)
    _seed_cadences(users, partners)
    _seed_minutes(partners)
    _seed_actions(users, partners)
    _seed_escalations(partners)
    _seed_plans(users, partners)
    _seed_innovation(users, partners)
    for short_name, title, body, tags in LESSONS:
        if not LessonLearned.objects.filter(partner=partners[short_name], title=title).exists():
            lessons.lesson_record(
                actor=users["priya"],
                partner=partners[short_name],
                title=title,
                body=body,
                tags=tags,
            )
    return {"meetings": Meeting.objects.count(), "actions": ActionItem.objects.count()}

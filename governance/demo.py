# ruff: noqa: E501 - demo data tables read best one record per line
"""Demo governance for the demo portfolio (SPEC 2); idempotent by natural keys.

Dates are written as seen on 25 Nov 2026 and moved to the day the demo is loaded
(partners.demo_clock): meeting series since the partnerships began, past meetings held
(two chosen ones missed) with minutes and decisions, upcoming ones scheduled, actions done
in the past or due around the load day, and escalations raised and resolved over the years.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

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
    plans,
)
from governance.services.cadences import GENERATE_AHEAD
from partners.demo_clock import DemoClock
from partners.models import Partner, SupplierContact

# Who seeds what no demo user would have done by hand (the audit trail names it).
DEMO = SystemActor("demo")

Q = Frequency.QUARTERLY
M = Frequency.MONTHLY
Y = Frequency.YEARLY

TUE, WED, THU = Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY

# partner: [(kind, frequency, written first month, nth weekday of the month, local start,
# location)]: each series begins when the partnership (or that forum) did.
CADENCES: dict[str, list[tuple[CadenceKind, Frequency, date, tuple[int, Weekday], time, str]]] = {
    "Voltaris": [
        (CadenceKind.MONTHLY_OPERATIONAL, M, date(2024, 3, 1), (2, THU), time(10), "Teams"),
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2024, 4, 1), (3, TUE), time(9), "Gothenburg"),
        (CadenceKind.STEERING_COMMITTEE, M, date(2024, 6, 1), (-1, WED), time(14), "Teams"),
        (CadenceKind.EXECUTIVE_SPONSOR, Q, date(2024, 5, 1), (2, THU), time(16), "Munich HQ"),
        (CadenceKind.ANNUAL_STRATEGIC_REVIEW, Y, date(2024, 12, 1), (2, WED), time(9), "Gothenburg"),
    ],
    "GreenPack": [
        (CadenceKind.MONTHLY_OPERATIONAL, M, date(2025, 1, 1), (2, TUE), time(11), "Teams"),
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2025, 2, 1), (1, WED), time(10), "Eindhoven"),
        (CadenceKind.EXECUTIVE_SPONSOR, Q, date(2025, 3, 1), (3, WED), time(15), "Teams"),
    ],
    "Kestrel": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2025, 10, 1), (-1, WED), time(15), "Teams"),
    ],
    "Sinter Magnetics": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2023, 2, 1), (3, TUE), time(9), "Teams"),
    ],
    "NordFreight": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2024, 6, 1), (1, THU), time(13), "Teams"),
    ],
    "Fonderia Precisa": [
        (CadenceKind.QUARTERLY_BUSINESS_REVIEW, Q, date(2024, 3, 1), (2, WED), time(10), "Brescia"),
    ],
}  # fmt: skip

# (partner, cadence kind): the meeting that did not happen is the latest one that began at
# least this many days before the load day (a QBR a quarter ago, a monthly review in the
# summer), so compliance tells the same story whenever the demo is loaded.
MISSED: dict[tuple[str, CadenceKind], int] = {
    ("Sinter Magnetics", CadenceKind.QUARTERLY_BUSINESS_REVIEW): 45,
    ("GreenPack", CadenceKind.MONTHLY_OPERATIONAL): 120,
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
                "Solid-state A-sample by end of {2026}; cell cost -12 % per kWh by {2027}; "
                "80 % recycled cathode material by {2030}."
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
            "shared_objectives": "Packaging CO2 per shipped part -30 % by {2027}.",
            "roles": "Sponsors: Helena Vogt, Sanne de Vries. Alliance manager: Marco Keller.",
        }
    ],
}


def _contact(partner: Partner, name: str) -> SupplierContact | None:
    return partner.contacts.filter(name=name).first()


def _seed_cadences(users: dict[str, User], partners: dict[str, Partner], clock: DemoClock) -> None:
    marco, helena = users["marco"], users["helena"]
    now = clock.now
    for short_name, specs in CADENCES.items():
        partner = partners[short_name]
        for kind, frequency, written, (ordinal, weekday), start, location in specs:
            cadence = Cadence.objects.filter(partner=partner, kind=kind).first()
            anchor = clock.day(written).replace(day=1)
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
                Cadence.objects.filter(pk=cadence.pk).update(created_at=clock.moment(anchor))
            # Every meeting since the series began, and a year ahead of the load day.
            since = clock.moment(anchor, 0)
            cadences.meetings_generate(
                actor=DEMO, cadence=cadence, now=since, ahead=now - since + GENERATE_AHEAD
            )
            # The meetings that are over were held, but for the chosen missed one.
            over = cadence.meetings.filter(end__lte=now, status=MeetingStatus.SCHEDULED)
            missed_days = MISSED.get((short_name, kind))
            if missed_days:
                latest = now - timedelta(days=missed_days)
                over = over.exclude(
                    pk__in=cadence.meetings.filter(start__lte=latest).order_by("-start")[:1]
                )
            over.update(status=MeetingStatus.HELD)


# (partner, cadence kind, meetings back (1 = the latest held one), minutes, decisions)
MINUTES: list[tuple[str, CadenceKind, int, str, list[str]]] = [
    ("Voltaris", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 1, "Cell yield on line 2 at 91 % (target 94 %). Solid-state A-sample on track. Voltaris asked for an earlier volume commitment for next year.", ["Fund a second coating line at the innovation centre (60:40 split).", "Freeze next year's cell specification by mid-January."]),
    ("Voltaris", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 2, "Innovation centre running at full staff. Cell cost down 9 % year on year; OTD 97 %.", ["Start the dry-electrode coating evaluation.", "Move the cell test data exchange from weekly to daily."]),
    ("Voltaris", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 3, "Yield dip on line 2 after the new separator; root cause in the calendering step.", ["Voltaris sends a yield recovery plan within four weeks."]),
    ("Voltaris", CadenceKind.STEERING_COMMITTEE, 1, "Patent committee reviewed three invention disclosures from the innovation centre.", ["File the solid-state electrolyte patent jointly (60:40)."]),
    ("Voltaris", CadenceKind.ANNUAL_STRATEGIC_REVIEW, 1, "Year one of the joint venture: supply secured, cost targets met, innovation centre approved.", ["Extend the charter to the joint innovation centre.", "Target -12 % cost per kWh over two years."]),
    ("GreenPack", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 1, "Fibre tray running on line 1 with no damage claims. CO2 per shipped part down 18 %.", ["Roll the fibre tray out to lines 2 to 4.", "Share the CO2 baseline per shipped part quarterly."]),
    ("GreenPack", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 2, "Drop tests passed at the second attempt after a wall-thickness change.", ["Start the line 1 pilot."]),
    ("Sinter Magnetics", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 1, "Two magnet lots late; Sinter cites the new export licence per shipment.", ["Sinter reports lot status weekly until deliveries are back on time.", "We start qualifying a second source."]),
    ("NordFreight", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 1, "OTD 91 %, below the 98 % target; damage rate fine. Winter port congestion expected.", ["NordFreight proposes contingency routes before the winter."]),
    ("Fonderia Precisa", CadenceKind.QUARTERLY_BUSINESS_REVIEW, 1, "Porosity on the rear underbody back within limits after the die change.", ["Keep the 100 % X-ray check for one more quarter."]),
]  # fmt: skip


def _seed_minutes(partners: dict[str, Partner], clock: DemoClock) -> None:
    """Minutes and decisions of chosen past meetings, and an internal prep meeting ahead."""
    for short_name, kind, back, minutes, decisions in MINUTES:
        held = Meeting.objects.filter(
            partner=partners[short_name], cadence__kind=kind, status=MeetingStatus.HELD
        ).order_by("-start")
        chosen = list(held[back - 1 : back])
        if not chosen or chosen[0].minutes:
            continue
        meeting = chosen[0]
        Meeting.objects.filter(pk=meeting.pk).update(minutes=minutes)
        for text in decisions:
            decision = Decision.objects.create(meeting=meeting, text=text)
            Decision.objects.filter(pk=decision.pk).update(created_at=meeting.end)
    voltaris = partners["Voltaris"]
    title = clock.text("Internal prep: {2027} volume negotiation")
    prep, _ = Meeting.objects.get_or_create(
        partner=voltaris,
        title=title,
        defaults={
            "start": clock.at(date(2026, 12, 2), 8),
            "end": clock.at(date(2026, 12, 2), 9),
            "visibility": Visibility.INTERNAL,
            "agenda": "Walk-away price\nVolume scenarios\nSecond-source options",
            "location": "Munich HQ, room 3.12",
        },
    )
    if not prep.decisions.exists():
        Decision.objects.create(meeting=prep, text="Walk-away price: EUR 92 per kWh.")


# partner, title, internal owner, supplier contact, written due day, priority, status: done
# ones over the years, open ones a few days overdue or due in the coming weeks.
ACTIONS: list[tuple[str, str, str | None, str | None, date, str, str]] = [
    ("Voltaris", "Sign the mutual NDA", "priya", None, date(2023, 11, 17), "high", "done"),
    ("Voltaris", "Agree the joint venture term sheet", "marco", None, date(2024, 2, 9), "high", "done"),
    ("Fonderia Precisa", "Close the porosity 8D report", "priya", None, date(2024, 6, 14), "high", "done"),
    ("Voltaris", "Set up the weekly cell test data exchange", None, "Oskar Lind", date(2024, 5, 17), "medium", "done"),
    ("NordFreight", "Agree a port-strike rerouting plan", None, "Mads Holm", date(2025, 3, 28), "critical", "done"),
    ("GreenPack", "Run joint drop tests on the pilot trays", None, "Sanne de Vries", date(2025, 4, 30), "medium", "done"),
    ("Kestrel", "Share our SiC volume scenarios", "priya", None, date(2025, 9, 15), "medium", "done"),
    ("Voltaris", "Choose the innovation centre site", "marco", None, date(2025, 9, 30), "high", "done"),
    ("GreenPack", "Qualify the fibre tray for line 1", "priya", None, date(2026, 6, 10), "medium", "done"),
    ("Sinter Magnetics", "Send the magnet lot traceability report", None, "Wei Zhang", date(2026, 10, 2), "high", "done"),
    ("GreenPack", "Publish CO2 baseline per shipped part", None, "Joost Bakker", date(2026, 10, 31), "low", "done"),
    ("Voltaris", "Share cell yield data for line 2", None, "Oskar Lind", date(2026, 11, 18), "high", "open"),
    ("Voltaris", "Confirm innovation-centre lab budget for {2027}", "marco", None, date(2026, 12, 5), "high", "in_progress"),
    ("Voltaris", "Draft joint patent filing plan (solid-state electrolyte)", None, "Ingrid Sandberg", date(2026, 12, 15), "medium", "open"),
    ("Voltaris", "Send {2027} volume forecast", "priya", None, date(2026, 11, 20), "high", "open"),
    ("GreenPack", "Send moulded-fibre tray drop-test results", None, "Sanne de Vries", date(2026, 11, 10), "medium", "open"),
    ("GreenPack", "Approve {2027} packaging volume plan", "priya", None, date(2026, 11, 30), "medium", "open"),
    ("Sinter Magnetics", "Reschedule the missed QBR", "priya", None, date(2026, 11, 20), "critical", "open"),
    ("NordFreight", "Propose winter contingency routes", None, "Mads Holm", date(2026, 12, 8), "high", "open"),
    ("Kestrel", "Review SiC module price index", "marco", None, date(2026, 12, 12), "medium", "open"),
]  # fmt: skip


def _seed_actions(users: dict[str, User], partners: dict[str, Partner], clock: DemoClock) -> None:
    now = clock.now
    for short_name, written_title, owner, contact, written_due, priority, status in ACTIONS:
        partner = partners[short_name]
        title = clock.text(written_title)
        if ActionItem.objects.filter(partner=partner, title=title).exists():
            continue
        due = clock.day(written_due)
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
        # Agreed three weeks before it was due (at a meeting then, if there was one).
        created = min(clock.moment(due - timedelta(days=21), 10), now)
        meeting = (
            Meeting.objects.filter(partner=partner, start__lte=created, status=MeetingStatus.HELD)
            .filter(start__gte=created - timedelta(days=7))
            .first()
        )
        fields: dict[str, Any] = {"created_at": created, "updated_at": created, "meeting": meeting}
        if status == "done":
            done = min(clock.moment(due - timedelta(days=2), 16), now)
            fields |= {"status": status, "completed_at": done, "updated_at": done}
        elif status != "open":
            fields |= {"status": status, "updated_at": min(created + timedelta(days=7), now)}
        ActionItem.objects.filter(pk=action.pk).update(**fields)


# (partner, title, description, written raise, [(level, hours after the raise)], resolved
# after hours or None, resolution)
ESCALATIONS: list[tuple[str, str, str, datetime, list[tuple[int, int]], int | None, str]] = [
    ("Voltaris", "Cell shortage for the B-platform ramp-up", "Line 1 allocation covered 70 % of the ramp-up plan.", datetime(2024, 10, 7, 8), [(2, 72)], 264, "Voltaris moved line 1 to B-platform cells; weekly allocation agreed."),
    ("NordFreight", "Port strike: inbound containers stuck in Hamburg", "38 containers of cells and castings held at the terminal.", datetime(2025, 3, 17, 7), [], 96, "Rerouted through Gdańsk; the backlog cleared in four days."),
    # 120 h at level 2 ran out six days before the load day: the next run moves it up.
    ("Sinter Magnetics", "Magnet shipments three weeks late: line-stop risk in Q1", "NdFeB magnet lots for the rotor line slipped three weeks.", datetime(2026, 11, 10, 8), [(2, 72)], None, ""),
]  # fmt: skip


def _seed_escalations(partners: dict[str, Partner], clock: DemoClock) -> None:
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
    for short_name, title, description, written, moves, resolved_after, resolution in ESCALATIONS:
        partner = partners[short_name]
        if Escalation.objects.filter(partner=partner, title=title).exists():
            continue
        raised = clock.at(written.date(), written.hour)
        steps = [(1, raised)] + [(level, raised + timedelta(hours=h)) for level, h in moves]
        level, entered = steps[-1]
        escalation = Escalation.objects.create(
            partner=partner,
            title=title,
            description=description,
            level=level,
            level_entered_at=entered,
            resolved_at=raised + timedelta(hours=resolved_after) if resolved_after else None,
            resolution=resolution,
        )
        Escalation.objects.filter(pk=escalation.pk).update(created_at=raised)
        for (from_level, _), (to_level, at) in zip([(0, raised), *steps], steps, strict=False):
            EscalationMove.objects.create(
                escalation=escalation, from_level=from_level, to_level=to_level, at=at
            )


# partner: [(written year, title, objectives, milestones)]; last year's plan is done.
PLANS: dict[str, list[tuple[int, str, list[tuple[str, str, str, int]], list[tuple[str, str | None, str | None, date, date | None]]]]] = {
    "Voltaris": [
        (2025, "Joint business plan {2025}: secure the B-platform cells", [
            ("Cell supply for the B-platform ramp-up", "100 % of the ramp-up plan", "", 100),
            ("Cell cost per kWh", "-8 % vs {2024}", "ppv", 100),
        ], [
            ("Weekly allocation agreed", "priya", None, date(2025, 2, 28), date(2025, 2, 21)),
            ("Innovation centre business case approved", "marco", None, date(2025, 9, 30), date(2025, 10, 8)),
        ]),
        (2026, "Joint business plan {2026}: cells and the innovation centre", [
            ("Cell cost per kWh", "-12 % vs {2025}", "ppv", 70),
            ("Solid-state A-sample", "A-sample validated by Dec {2026}", "npi-on-time", 80),
            ("Line 2 first-pass yield", "FPY ≥ 96 %", "fpy", 95),
        ], [
            ("Innovation centre opens", "marco", None, date(2026, 4, 30), date(2026, 4, 22)),
            ("A-sample cells delivered", None, "Oskar Lind", date(2026, 12, 18), None),
        ]),
    ],
    "GreenPack": [
        (2026, "Joint business plan {2026}: circular packaging", [
            ("Packaging CO2 per shipped part", "-30 % vs {2024}", "co2", 45),
            ("Fibre trays on module lines", "100 % of cell-module lines", "", 60),
        ], [
            ("Fibre tray on line 1", None, "Sanne de Vries", date(2026, 6, 30), date(2026, 6, 12)),
            ("Fibre tray on lines 2 to 4", "priya", None, date(2026, 12, 31), None),
        ]),
    ],
}  # fmt: skip


def _seed_plans(users: dict[str, User], partners: dict[str, Partner], clock: DemoClock) -> None:
    for short_name, versions in PLANS.items():
        partner = partners[short_name]
        for written_year, title, objectives, milestones in versions:
            year = clock.year(written_year)
            if JointBusinessPlan.objects.filter(partner=partner, year=year).exists():
                continue
            plan = plans.plan_create(
                actor=DEMO, partner=partner, year=year, title=clock.text(title)
            )
            # Agreed in the January of its year.
            JointBusinessPlan.objects.filter(pk=plan.pk).update(
                created_at=clock.at(date(written_year, 1, 20))
            )
            for name, target, kpi, progress in objectives:
                plans.objective_add(
                    actor=DEMO,
                    plan=plan,
                    title=name,
                    target=clock.text(target),
                    kpi_reference=kpi,
                    progress_percent=progress,
                )
            for name, owner, contact, due, done in milestones:
                plans.milestone_add(
                    actor=DEMO,
                    plan=plan,
                    title=name,
                    due_date=clock.day(due),
                    done_at=clock.day(done) if done else None,
                    owner_user=users[owner] if owner else None,
                    owner_contact=_contact(partner, contact) if contact else None,
                )


def _seed_innovation(
    users: dict[str, User], partners: dict[str, Partner], clock: DemoClock
) -> None:
    initiatives = [
        ("Voltaris", "Solid-state cell prototype", InitiativeStage.PROTOTYPE, "4500000", "0", 2027, date(2025, 12, 3)),
        ("Voltaris", "Dry-electrode coating", InitiativeStage.EVALUATING, "1200000", "0", 2028, date(2026, 8, 26)),
        ("GreenPack", "Biodegradable moulded-fibre tray", InitiativeStage.COMMERCIALIZED, "380000", "412000", 2026, date(2024, 11, 18)),
        ("Kestrel", "SiC module with integrated gate driver", InitiativeStage.IDEA, "900000", "0", 2028, date(2026, 10, 28)),
    ]  # fmt: skip
    for short_name, title, stage, expected, realized, year, started in initiatives:
        initiative, created = InnovationInitiative.objects.get_or_create(
            partner=partners[short_name],
            title=title,
            defaults={
                "stage": stage,
                "owner": users["marco"],
                "expected_value": Decimal(expected),
                "realized_value": Decimal(realized),
                "target_year": clock.year(year),
            },
        )
        if created:
            InnovationInitiative.objects.filter(pk=initiative.pk).update(
                created_at=clock.at(started), updated_at=clock.at(started)
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
            closes_on=clock.day(date(2027, 1, 31)),
        )
        InnovationChallenge.objects.filter(pk=challenge.pk).update(
            created_at=clock.at(date(2026, 10, 5))
        )
    proposal, created = ChallengeProposal.objects.get_or_create(
        challenge=challenge,
        partner=partners["NordFreight"],
        title="Returnable pallet pool with reusable dividers",
        defaults={
            "description": "Pooled returnable pallets on the Hamburg-Munich lane; -22 % CO2e.",
            "expected_value": Decimal("150000"),
        },
    )
    if created:
        ChallengeProposal.objects.filter(pk=proposal.pk).update(
            created_at=clock.at(date(2026, 11, 3))
        )


# (partner, written day, title, body, tags): lessons recorded over the years.
LESSONS: list[tuple[str, date, str, str, list[str]]] = [
    ("Sinter Magnetics", date(2023, 9, 12), "Qualify a second source before you need one", "Skipping the second-source qualification for N52 magnets saved EUR 80k and left us single-sourced. Budget the qualification into the award of every bottleneck item.", ["bottleneck", "second source"]),
    ("Voltaris", date(2024, 3, 8), "Put the term sheet's open points on one page", "The JV term sheet took two extra rounds because each side kept its own issue list. One shared list with owners closed it in a week.", ["negotiation", "joint venture"]),
    ("Voltaris", date(2024, 11, 4), "Agree data-sharing rules before the lab opens", "The joint lab lost six weeks because cell test data ownership was unclear. Write data-sharing and patent rules into the charter first.", ["innovation", "charter"]),
    ("NordFreight", date(2025, 4, 7), "A rerouting plan on paper beats a fast phone call", "The port strike cost us four days, not four weeks, because the alternative port and carrier were agreed in advance.", ["risk", "logistics"]),
    ("GreenPack", date(2025, 8, 19), "Pilot on one line, then scale", "The fibre tray succeeded because we piloted on line 1 with joint drop tests before rolling out.", ["innovation", "packaging"]),
    ("Sinter Magnetics", date(2026, 10, 14), "A missed QBR is an early warning", "A QBR was skipped; weeks later deliveries slipped. Treat a missed QBR as a risk signal and reschedule within two weeks.", ["qbr", "risk"]),
    ("OfficeLine", date(2026, 11, 2), "Exit OfficeLine: catalogue before contract end", "Moving office supplies to a catalogue took five months, not two. Start the exit plan a year before the contract ends and name the alternative source early.", ["exit", "tail spend"]),
]  # fmt: skip


def _seed_lessons(users: dict[str, User], partners: dict[str, Partner], clock: DemoClock) -> None:
    for short_name, day, title, body, tags in LESSONS:
        partner = partners[short_name]
        if LessonLearned.objects.filter(partner=partner, title=title).exists():
            continue
        lesson = lessons.lesson_record(
            actor=users["priya"], partner=partner, title=title, body=body, tags=tags
        )
        LessonLearned.objects.filter(pk=lesson.pk).update(
            created_at=clock.at(day, 15), updated_at=clock.at(day, 15)
        )


def _seed_charters(users: dict[str, User], partners: dict[str, Partner], clock: DemoClock) -> None:
    for short_name, versions in CHARTERS.items():
        partner = partners[short_name]
        for number, written in enumerate(versions, start=1):
            if Charter.objects.filter(partner=partner, version=number).exists():
                continue
            fields: dict[str, Any] = {
                key: clock.day(value) if isinstance(value, date) else clock.text(value)
                for key, value in written.items()
            }
            charter = charters.charter_create_version(
                actor=users["marco"], partner=partner, **fields
            )
            agreed = clock.at(written["effective_from"] - timedelta(days=14), 10)
            Charter.objects.filter(pk=charter.pk).update(created_at=agreed, updated_at=agreed)


def seed_governance(
    users: dict[str, User], partners: dict[str, Partner], clock: DemoClock | None = None
) -> dict[str, int]:
    """Create or refresh the demo governance records; running it twice changes nothing."""
    clock = clock or DemoClock.for_day()
    _seed_charters(users, partners, clock)
    _seed_cadences(users, partners, clock)
    _seed_minutes(partners, clock)
    _seed_actions(users, partners, clock)
    _seed_escalations(partners, clock)
    _seed_plans(users, partners, clock)
    _seed_innovation(users, partners, clock)
    _seed_lessons(users, partners, clock)
    return {"meetings": Meeting.objects.count(), "actions": ActionItem.objects.count()}

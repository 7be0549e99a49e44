"""The demo portfolio: users of every role, then each app's demo data, in dependency order."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from core.models import AuditEvent, User
from core.roles import Role, SystemActor
from governance.demo import seed_governance
from governance.models import (
    ActionItem,
    Cadence,
    Charter,
    InnovationChallenge,
    JointBusinessPlan,
    LessonLearned,
)
from governance.services import risk_signals
from partners.demo import seed_partners
from partners.demo_clock import DemoClock
from partners.models import Agreement, ReadinessAssessment
from scorecards.demo import seed_scorecards
from scorecards.models import Period, Scorecard
from srm.demo_accountability import (
    seed_accountability,
    seed_improvement_plans,
    seed_incentives,
)

DEMO_PASSWORD = "srm-demo-2026"  # noqa: S105 - the published demo password

# username: (first, last, role, e-mail, time zone)
DEMO_USERS: dict[str, tuple[str, str, Role, str, str]] = {
    "priya": (
        "Priya",
        "Raman",
        Role.PROCUREMENT_MANAGER,
        "priya.raman@aurora-motors.example",
        "Europe/Berlin",
    ),
    "marco": (
        "Marco",
        "Keller",
        Role.ALLIANCE_MANAGER,
        "marco.keller@aurora-motors.example",
        "Europe/Berlin",
    ),
    "helena": (
        "Helena",
        "Vogt",
        Role.EXECUTIVE_SPONSOR,
        "helena.vogt@aurora-motors.example",
        "America/New_York",
    ),
    "admin": ("Ada", "Admin", Role.ADMINISTRATOR, "it-admin@aurora-motors.example", "UTC"),
    "lena": ("Lena", "Berg", Role.SUPPLIER_USER, "lena.berg@voltaris.example", "Europe/Stockholm"),
    "joost": ("Joost", "Bakker", Role.SUPPLIER_USER, "joost@greenpack.example", "Europe/Amsterdam"),
}


# Records the demo dates in the past (by this field): the audit events seeding wrote about
# them take that date, so a record's history does not read the day the demo was loaded.
BACKDATED: tuple[tuple[type[models.Model], str], ...] = (
    (Agreement, "created_at"),
    (ReadinessAssessment, "created_at"),
    (Scorecard, "created_at"),
    (Period, "closed_at"),
    (Charter, "created_at"),
    (Cadence, "created_at"),
    (ActionItem, "created_at"),
    (JointBusinessPlan, "created_at"),
    (LessonLearned, "created_at"),
    (InnovationChallenge, "created_at"),
)


def _backdate_audit(since: datetime) -> None:
    """Date the audit events written since ``since`` like the demo records they are about."""
    for model, field in BACKDATED:
        dated = (
            model._default_manager.annotate(key=Cast("pk", models.CharField()))
            .filter(key=OuterRef("object_id"), **{f"{field}__lt": OuterRef("at")})
            .values(field)[:1]
        )
        AuditEvent.objects.filter(
            Exists(dated), object_type=model._meta.label_lower, at__gte=since
        ).update(at=Subquery(dated))


def seed_users() -> dict[str, User]:
    users: dict[str, User] = {}
    for username, (first, last, role, email, tz) in DEMO_USERS.items():
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": email,
                "time_zone": tz,
                "is_staff": role is Role.ADMINISTRATOR,
                "is_superuser": role is Role.ADMINISTRATOR,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users


@transaction.atomic
def seed_demo(today: date | None = None) -> dict[str, int]:
    """Load the whole demo portfolio, dated up to ``today`` (the load day, by default the
    real one; partners.demo_clock); safe to run again the same day (it updates, never
    duplicates)."""
    clock = DemoClock.for_day(today)
    started = timezone.now()
    users = seed_users()
    partners = seed_partners(users, clock)
    scorecards = seed_scorecards(users, partners, clock)
    seed_governance(users, partners, clock)
    seed_accountability(users, partners, clock.today)
    seed_improvement_plans(users, partners, clock.today)
    seed_incentives()
    # Judge every partnership now, as the daily refresh would: the dashboard lists them at once.
    risk_signals.risk_signals_refresh(actor=SystemActor("demo data"))
    _backdate_audit(started)
    return {"users": len(users), "partners": len(partners), "scorecards": scorecards}

"""Escalations (SPEC 2.5): a ladder per partnership; an unresolved escalation past its
level's response time moves up a level and notifies that level.

Governance managers set ladders and raise escalations; executive sponsors (who sign off)
may also resolve them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NotRequired, TypedDict

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.concurrency import version_check
from core.errors import ConflictError, FieldErrors
from core.models import Actor, User
from core.notifications import NotificationKind
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require, require_any
from core.services import audit_record, model_changes, notification_send
from governance.escalation import (
    EscalationAction,
    EscalationLadder,
    EscalationLevel,
    escalation_next_step,
)
from governance.models import (
    Escalation,
    EscalationLadderLevel,
    EscalationMove,
    Visibility,
    ladder_of,
)
from governance.texts import default_text, recipient_language
from partners.models import Partner


class LadderLevelInput(TypedDict):
    """One level of a ladder as given: its name, response time and who it notifies."""

    name: str
    response_time_hours: int
    notify: NotRequired[Sequence[User]]


@transaction.atomic
def escalation_ladder_set(
    *, actor: Actor, partner: Partner, levels: Sequence[LadderLevelInput]
) -> list[EscalationLadderLevel]:
    """Replace the partnership's ladder, level 1 first. Refuses an empty ladder, unnamed
    levels and response times that are not whole positive hours."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    EscalationLadder(
        levels=tuple(
            EscalationLevel(n, str(level.get("name", "")), int(level["response_time_hours"] or 0))
            for n, level in enumerate(levels, start=1)
        )
    )  # raises EscalationLadderError (field errors)
    if any(not str(level.get("name", "")).strip() for level in levels):
        raise FieldErrors({"levels": [_("Name every level.")]})
    EscalationLadderLevel.objects.filter(partner=partner, number__gt=len(levels)).delete()
    saved = []
    for number, level in enumerate(levels, start=1):
        row, _created = EscalationLadderLevel.objects.update_or_create(
            partner=partner,
            number=number,
            defaults={
                "name": level["name"].strip(),
                "response_time_hours": int(level["response_time_hours"]),
            },
        )
        row.notify.set(level.get("notify", []))
        saved.append(row)
    audit_record(
        actor=actor,
        action="escalation_ladder.set",
        obj=partner,
        changes={"levels": [f"{lv.number} {lv.name} {lv.response_time_hours}h" for lv in saved]},
    )
    return saved


def _level_recipients(
    partner: Partner, level: EscalationLadderLevel | None, top: bool
) -> list[User]:
    people = list(level.notify.all()) if level is not None else []
    if not people:
        fallback = [partner.alliance_manager, partner.owner]
        if top:
            fallback.append(partner.executive_sponsor)
        people = [p for p in fallback if p is not None]
    unique = {p.pk: p for p in people if p.is_active}
    return list(unique.values())


def _notify_level(escalation: Escalation, level_number: int, *, overdue: bool = False) -> int:
    levels = {
        lv.number: lv for lv in escalation.partner.escalation_levels.prefetch_related("notify")
    }
    level = levels.get(level_number)
    suffix = "overdue" if overdue else f"level:{level_number}"
    sent = 0
    for user in _level_recipients(escalation.partner, level, top=level_number == len(levels)):
        # Written in the recipient's language (the in-app list and the e-mail show it as is).
        with translation.override(recipient_language(user)):
            name = (
                default_text(level.name)
                if level
                else _("level %(number)s") % {"number": level_number}
            )
            subject = (
                _("Escalation overdue at the top: %(title)s") % {"title": escalation.title}
                if overdue
                else _("Escalated to you (%(level)s): %(title)s")
                % {"level": name, "title": escalation.title}
            )
        if notification_send(
            recipient=user,
            key=f"escalation:{escalation.pk}:{suffix}:user:{user.pk}",
            subject=subject,
            body=f"{escalation.partner}: {escalation.description}",
            url=f"/governance/partners/{escalation.partner_id}/escalations/",
            kind=NotificationKind.ESCALATION_MOVED
            if overdue or level_number > 1
            else NotificationKind.ESCALATION_RAISED,
            partner_id=escalation.partner_id,
            shared=escalation.visibility == Visibility.SHARED,
        ):
            sent += 1
    return sent


@transaction.atomic
def escalation_raise(
    *,
    actor: Actor,
    partner: Partner,
    title: str,
    description: str = "",
    visibility: str = Visibility.INTERNAL,
    now: datetime | None = None,
) -> Escalation:
    """Raise an escalation at level 1 of the partnership's ladder and notify that level.
    Refuses a partner without a ladder and an escalation without a title."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not partner.escalation_levels.exists():
        raise FieldErrors({"levels": [_("Set up the escalation ladder for this partner first.")]})
    if not title.strip():
        raise FieldErrors({"title": [_("Say what is escalated.")]})
    now = now or timezone.now()
    escalation = Escalation.objects.create(
        partner=partner,
        title=title.strip(),
        description=description,
        visibility=visibility,
        level=1,
        level_entered_at=now,
        raised_by=actor if isinstance(actor, User) else None,
    )
    EscalationMove.objects.create(escalation=escalation, from_level=0, to_level=1, at=now)
    audit_record(actor=actor, action="escalation.raise", obj=escalation)
    _notify_level(escalation, 1)
    return escalation


@transaction.atomic
def escalation_resolve(
    *,
    actor: Actor,
    escalation: Escalation,
    resolution: str,
    expected_version: int | None = None,
) -> Escalation:
    """Resolve an escalation: governance managers, or executive sponsors signing it off.
    Refuses an empty resolution; a resolved escalation is not resolved again, nor one that
    moved on since the resolver read it (409)."""
    require_any(actor, Capability.MANAGE_GOVERNANCE, Capability.SIGN_OFF)
    if not resolution.strip():
        raise FieldErrors({"resolution": [_("Say how it was resolved.")]})
    version_check(escalation, expected_version)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.resolved_at is not None:
        raise ConflictError(_("This escalation is resolved already."))
    audited = model_changes(
        escalation, {"resolved_at": timezone.now(), "resolution": resolution.strip()}
    )
    escalation.save(update_fields=["resolved_at", "resolution", "updated_at"])
    audit_record(actor=actor, action="escalation.resolve", obj=escalation, changes=audited)
    risk_signals_refresh_after_commit([escalation.partner_id])
    return escalation


def escalations_advance(*, actor: Actor, now: datetime) -> int:
    """Move every unresolved escalation past its response time up one level and notify it.

    Each escalation is handled in its own transaction under a row lock, so two runs at once
    move it once, and the notification keys make a repeated run notify nobody twice.
    Returns how many escalations moved.
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    moved = 0
    ids = list(Escalation.objects.filter(resolved_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("partner")
                .filter(pk=pk, resolved_at__isnull=True)
                .first()
            )
            if escalation is None:
                continue
            levels = list(escalation.partner.escalation_levels.all())
            if not levels:
                continue
            ladder = ladder_of(levels)
            current = min(escalation.level, ladder.top_level)
            step = escalation_next_step(
                ladder, current, escalation.level_entered_at, now, resolved=False
            )
            if step.action == EscalationAction.MOVE_UP and step.to_level is not None:
                EscalationMove.objects.create(
                    escalation=escalation, from_level=current, to_level=step.to_level, at=now
                )
                escalation.level = step.to_level
                escalation.level_entered_at = now
                escalation.save(update_fields=["level", "level_entered_at", "updated_at"])
                audit_record(
                    actor=actor,
                    action="escalation.move_up",
                    obj=escalation,
                    changes={"level": [current, step.to_level]},
                )
                _notify_level(escalation, step.to_level)
                risk_signals_refresh_after_commit([escalation.partner_id])
                moved += 1
            elif step.action == EscalationAction.OVERDUE_AT_TOP and not escalation.overdue_at_top:
                escalation.overdue_at_top = True
                escalation.save(update_fields=["overdue_at_top", "updated_at"])
                _notify_level(escalation, current, overdue=True)
                risk_signals_refresh_after_commit([escalation.partner_id])
    return moved

"""Writes to partner records. Each service is atomic and writes the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partners.lifecycle import LifecycleStage, lifecycle_transition_errors
from partners.models import LifecycleTransition, Partner, PartnerUser
from srm.core.errors import FieldErrors
from srm.core.models import User
from srm.core.roles import Role
from srm.core.services import audit_record, model_changes


@transaction.atomic
def partner_create(*, actor: User | None, **fields: Any) -> Partner:
    """Create a partner from validated fields (categories may be passed as a list)."""
    categories = fields.pop("categories", None)
    partner = Partner(**fields)
    partner.full_clean()
    partner.save()
    if categories is not None:
        partner.categories.set(categories)
    audit_record(actor=actor, action="partner.create", obj=partner, changes=fields)
    return partner


@transaction.atomic
def partner_update(*, actor: User | None, partner: Partner, **fields: Any) -> Partner:
    """Change a partner's fields; lifecycle moves go through partner_transition instead."""
    if "lifecycle_stage" in fields and fields["lifecycle_stage"] != partner.lifecycle_stage:
        raise FieldErrors({"lifecycle_stage": ["Change the stage with a recorded transition."]})
    fields.pop("lifecycle_stage", None)
    categories = fields.pop("categories", None)
    changes = model_changes(partner, fields)
    partner.full_clean()
    partner.save()
    if categories is not None:
        before = sorted(str(c) for c in partner.categories.all())
        partner.categories.set(categories)
        after = sorted(str(c) for c in categories)
        if before != after:
            changes["categories"] = [before, after]
    if changes:
        audit_record(actor=actor, action="partner.update", obj=partner, changes=changes)
    return partner


@transaction.atomic
def partner_transition(
    *,
    actor: User | None,
    partner: Partner,
    to_stage: LifecycleStage | str,
    reason: str,
    lessons_learned: str = "",
) -> LifecycleTransition:
    """Move a partner to another lifecycle stage, recording who, when and why."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    current = LifecycleStage(partner.lifecycle_stage)
    try:
        target = LifecycleStage(to_stage)
    except ValueError as exc:
        raise FieldErrors({"to_stage": [f"Unknown lifecycle stage {to_stage!r}."]}) from exc
    errors = lifecycle_transition_errors(
        current, target, reason=reason, lessons_learned=lessons_learned
    )
    if errors:
        raise FieldErrors(errors)
    transition = LifecycleTransition.objects.create(
        partner=partner,
        from_stage=current,
        to_stage=target,
        reason=reason.strip(),
        lessons_learned=lessons_learned.strip(),
        actor=actor,
    )
    partner.lifecycle_stage = target
    partner.save(update_fields=["lifecycle_stage", "updated_at"])
    audit_record(
        actor=actor,
        action="partner.transition",
        obj=partner,
        changes={"lifecycle_stage": [current.value, target.value], "reason": reason},
    )
    return transition


@transaction.atomic
def supplier_user_create(
    *,
    actor: User | None,
    partner: Partner,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a supplier user bound to exactly one partner."""
    if User.objects.filter(username=username).exists():
        raise FieldErrors({"username": ["That user name is taken."]})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.SUPPLIER_USER,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    PartnerUser.objects.create(user=user, partner=partner)
    audit_record(actor=actor, action="supplier_user.create", obj=user, changes={"partner": partner})
    return user

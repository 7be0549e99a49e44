"""Partner records: create, update, move through the lifecycle; the supplier users of a partner
(SPEC 1.1, 1.2)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext

from core.concurrency import version_check
from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, Role, require
from core.services import audit_record, model_changes
from partners.lifecycle import LifecycleStage, lifecycle_transition_errors
from partners.models import Category, LifecycleTransition, Partner, PartnerUser
from partners.services.flags import partner_flags_refresh
from partners.services.invitations import portal_access_end
from partners.services.playbooks import partner_engagement_model_change
from partners.validation import model_full_clean, refuse_unknown_fields


class PartnerFields(TypedDict, total=False):
    """The fields a partner is created or updated with. ``lifecycle_stage`` is set only when
    creating (later moves are transitions); ``engagement_model`` changes are recorded with
    the new model's playbook."""

    legal_name: str
    short_name: str
    country: str
    currency: str
    website: str
    categories: Iterable[Category]
    engagement_model: str
    lifecycle_stage: str
    owner: User | None
    alliance_manager: User | None
    executive_sponsor: User | None
    annual_revenue: Decimal | None
    alternative_source: str
    tags: list[str]
    description: str


_PARTNER_FIELDS = PartnerFields.__optional_keys__


def partner_create(*, actor: Actor, fields: PartnerFields) -> Partner:
    """Create a partner from validated fields; refuses invalid or unknown fields."""
    require(actor, Capability.EDIT_PARTNERS)
    refuse_unknown_fields(fields, _PARTNER_FIELDS)
    data: dict[str, Any] = dict(fields)
    categories = data.pop("categories", None)
    with transaction.atomic():
        partner = Partner(**data)
        model_full_clean(partner)
        partner.save()
        if categories is not None:
            partner.categories.set(list(categories))
        audit_record(actor=actor, action="partner.create", obj=partner, changes=data)
        partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
        partner.refresh_from_db(fields=["risk_flags", "flag_count"])
    return partner


def partner_update(
    *,
    actor: Actor,
    partner: Partner,
    changes: PartnerFields,
    expected_version: int | None = None,
) -> Partner:
    """Change a partner's fields; refuses a lifecycle move (that is partner_transition) and
    records an engagement-model change with its playbook (partner_engagement_model_change).
    Refuses (StaleEditError, 409) a change based on a version other than the current one."""
    require(actor, Capability.EDIT_PARTNERS)
    refuse_unknown_fields(changes, _PARTNER_FIELDS)
    data: dict[str, Any] = dict(changes)
    if "lifecycle_stage" in data and data["lifecycle_stage"] != partner.lifecycle_stage:
        raise FieldErrors(
            {"lifecycle_stage": [gettext("Change the stage with a recorded transition.")]}
        )
    data.pop("lifecycle_stage", None)
    categories = data.pop("categories", None)
    new_model = data.pop("engagement_model", None)
    with transaction.atomic():
        version_check(partner, expected_version)
        if new_model is not None and new_model != partner.engagement_model:
            partner_engagement_model_change(
                actor=actor, partner=partner, engagement_model=new_model
            )
            partner.refresh_from_db()
        audited = model_changes(partner, data)
        model_full_clean(partner)
        partner.save()
        if categories is not None:
            categories = list(categories)
            before = sorted(str(c) for c in partner.categories.all())
            partner.categories.set(categories)
            after = sorted(str(c) for c in categories)
            if before != after:
                audited["categories"] = [before, after]
        if audited:
            audit_record(actor=actor, action="partner.update", obj=partner, changes=audited)
        partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
        partner.refresh_from_db(fields=["risk_flags", "flag_count"])
    return partner


def partner_transition(
    *,
    actor: Actor,
    partner: Partner,
    to_stage: LifecycleStage | str,
    reason: str,
    lessons_learned: str = "",
) -> LifecycleTransition:
    """Move a partner to another lifecycle stage, recording who, when and why; refuses a move
    the lifecycle does not allow or one without its reason (exits: lessons learned too)."""
    require(actor, Capability.EDIT_PARTNERS)
    try:
        target = LifecycleStage(to_stage)
    except ValueError as exc:
        raise FieldErrors(
            {
                "to_stage": [
                    gettext("Unknown lifecycle stage %(stage)s.") % {"stage": repr(to_stage)}
                ]
            }
        ) from exc
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        current = LifecycleStage(partner.lifecycle_stage)
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
            actor=actor if isinstance(actor, User) else None,
        )
        partner.lifecycle_stage = target
        partner.save(update_fields=["lifecycle_stage", "updated_at"])
        audit_record(
            actor=actor,
            action="partner.transition",
            obj=partner,
            changes={"lifecycle_stage": [current.value, target.value], "reason": reason},
        )
        if target is LifecycleStage.EXITED:
            # An exited partner's portal users lose their sessions and API tokens at once.
            portal_access_end(actor=actor, partner=partner, reason="partner exited")
    return transition


def supplier_user_create(
    *,
    actor: Actor,
    partner: Partner,
    username: str,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a supplier user bound to exactly one partner (administrators: users and roles);
    refuses a user name that is taken."""
    require(actor, Capability.ADMINISTER)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise FieldErrors({"username": [gettext("That user name is taken.")]})
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
        audit_record(
            actor=actor, action="supplier_user.create", obj=user, changes={"partner": partner}
        )
    return user

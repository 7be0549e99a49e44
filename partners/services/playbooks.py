"""Engagement models and their playbooks (SPEC 1.3): moving a partner to another model, and
the defaults an administrator sets per model."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext

from core.concurrency import version_check
from core.errors import FieldErrors
from core.models import Actor
from core.roles import Capability, require
from core.services import audit_record, model_changes
from partners.kraljic import EngagementModel
from partners.models import EngagementPlaybook, Partner
from partners.selectors import playbook_for_model
from partners.services.flags import partner_flags_refresh
from partners.validation import model_full_clean, refuse_unknown_fields


def partner_engagement_model_change(
    *, actor: Actor, partner: Partner, engagement_model: EngagementModel | str
) -> EngagementPlaybook:
    """Move a partner to another engagement model and return the new model's playbook;
    refuses an unknown model.

    This is the hook for governance and scorecards: they call it (or read the audit event
    ``partner.engagement_model_change``) and apply the playbook's cadences and scorecard
    template themselves; partners records the change and what the playbook offers.
    """
    require(actor, Capability.EDIT_PARTNERS)
    try:
        target = EngagementModel(engagement_model)
    except ValueError as exc:
        raise FieldErrors(
            {
                "engagement_model": [
                    gettext("Unknown engagement model %(model)s.")
                    % {"model": repr(engagement_model)}
                ]
            }
        ) from exc
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        before = partner.engagement_model
        playbook = playbook_for_model(target)
        if before != target:
            partner.engagement_model = target
            partner.save(update_fields=["engagement_model", "updated_at"])
            audit_record(
                actor=actor,
                action="partner.engagement_model_change",
                obj=partner,
                changes={
                    "engagement_model": [before, target.value],
                    "playbook_cadences": [
                        f"{c['kind']} {c['frequency']}" for c in playbook.cadences
                    ],
                    "playbook_scorecard_template": playbook.scorecard_template_code,
                    "playbook_sponsor_level": playbook.sponsor_level,
                    "playbook_survey_frequency_months": playbook.survey_frequency_months,
                },
            )
            partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
    return playbook


class PlaybookChanges(TypedDict, total=False):
    """What an administrator may change in a playbook; its engagement model is its key."""

    cadences: list[dict[str, Any]]
    scorecard_template_code: str
    sponsor_level: str
    survey_frequency_months: int
    description: str


def playbook_update(
    *,
    actor: Actor,
    playbook: EngagementPlaybook,
    changes: PlaybookChanges,
    expected_version: int | None = None,
) -> EngagementPlaybook:
    """Change a playbook's defaults (administrators); refuses invalid cadences and (409) a
    change based on an older version."""
    require(actor, Capability.ADMINISTER)
    refuse_unknown_fields(changes, PlaybookChanges.__optional_keys__)
    with transaction.atomic():
        version_check(playbook, expected_version)
        audited = model_changes(playbook, changes)
        model_full_clean(playbook)
        playbook.save()
        if audited:
            audit_record(actor=actor, action="playbook.update", obj=playbook, changes=audited)
    return playbook

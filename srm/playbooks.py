"""Applying an engagement model's playbook (SPEC 1.3) across the apps it touches.

The playbook lives in partners; its cadences become governance meeting series and its
scorecard template becomes a scorecard. Only the top layer may call both apps, so the
"apply the new playbook" action is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.errors import FieldErrors
from core.models import User
from core.services import audit_record
from governance.services import cadences as governance_cadences
from partners.models import Partner
from partners.selectors import playbook_for
from scorecards.services import scorecards as scorecard_services


@dataclass(frozen=True)
class PlaybookApplied:
    cadences_added: int
    meetings_scheduled: int
    scorecard: str | None  # the template name, when a scorecard was created or already there
    problems: tuple[str, ...]


@transaction.atomic
def partner_playbook_apply(*, actor: User, partner: Partner) -> PlaybookApplied:
    """Give the partner what its engagement model's playbook prescribes and it lacks.

    Idempotent: cadences of a kind the partner already has are kept as they are, and a
    scorecard from the same template is not created twice.
    """
    playbook = playbook_for(partner)
    problems: list[str] = []
    cadences = governance_cadences.cadences_apply_defaults(
        actor=actor, partner=partner, anchor_date=timezone.localdate()
    )
    now = timezone.now()
    meetings = sum(
        governance_cadences.meetings_generate(actor=actor, cadence=c, now=now) for c in cadences
    )
    scorecard_name = None
    if playbook.scorecard_template_code:
        try:
            scorecard = scorecard_services.scorecard_apply_template(
                actor=actor, partner=partner, template_code=playbook.scorecard_template_code
            )
        except FieldErrors as error:
            problems.extend(m for messages in error.errors.values() for m in messages)
        else:
            scorecard_name = scorecard.template.name
    audit_record(
        actor=actor,
        action="partner.playbook_apply",
        obj=partner,
        changes={
            "engagement_model": partner.engagement_model,
            "cadences_added": len(cadences),
            "scorecard_template": playbook.scorecard_template_code,
        },
    )
    return PlaybookApplied(len(cadences), meetings, scorecard_name, tuple(problems))

"""Innovation (SPEC 2.8): the joint roadmap of initiatives, and open innovation challenges
whose proposals are adopted as initiatives or declined with feedback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import version_check
from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record, model_changes
from governance.models import (
    ChallengeProposal,
    InitiativeStage,
    InnovationChallenge,
    InnovationInitiative,
    ProposalStatus,
    Visibility,
)
from partners.access import partner_id_of_supplier
from partners.models import Partner

# Initiatives move forward through these stages, or are dropped at any point.
_STAGE_ORDER: list[str] = [
    InitiativeStage.IDEA,
    InitiativeStage.EVALUATING,
    InitiativeStage.PROTOTYPE,
    InitiativeStage.COMMERCIALIZED,
]


class InitiativeChanges(TypedDict, total=False):
    """What may change on an initiative."""

    title: str
    description: str
    stage: str
    owner: User | None
    expected_value: Decimal
    realized_value: Decimal
    target_year: int | None
    visibility: str


def _stage(value: str) -> str:
    """A stage as the reader says it (an unknown value as is)."""
    return str(InitiativeStage(value).label) if value in InitiativeStage.values else value


def _check_stage_change(old: str, new: str) -> None:
    if old in (InitiativeStage.COMMERCIALIZED, InitiativeStage.DROPPED):
        raise FieldErrors(
            {
                "stage": [
                    _("An initiative in the stage “%(stage)s” does not change stage.")
                    % {"stage": _stage(old)}
                ]
            }
        )
    if new not in InitiativeStage.values:
        raise FieldErrors({"stage": [_("Unknown stage “%(value)s”.") % {"value": new}]})
    if new != InitiativeStage.DROPPED and (
        new not in _STAGE_ORDER or _STAGE_ORDER.index(new) < _STAGE_ORDER.index(old)
    ):
        raise FieldErrors(
            {
                "stage": [
                    _("An initiative moves forward from “%(old)s”, not to “%(new)s”.")
                    % {"old": _stage(old), "new": _stage(new)}
                ]
            }
        )


@transaction.atomic
def initiative_create(
    *,
    actor: Actor,
    partner: Partner,
    title: str,
    description: str = "",
    stage: str = InitiativeStage.IDEA,
    owner: User | None = None,
    expected_value: Decimal = Decimal(0),
    realized_value: Decimal = Decimal(0),
    target_year: int | None = None,
    visibility: str = Visibility.SHARED,
) -> InnovationInitiative:
    """Put an initiative on the partnership's innovation roadmap."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    initiative = InnovationInitiative(
        partner=partner,
        title=title,
        description=description,
        stage=stage,
        owner=owner,
        expected_value=expected_value,
        realized_value=realized_value,
        target_year=target_year,
        visibility=visibility,
    )
    initiative.full_clean()
    initiative.save()
    audit_record(actor=actor, action="initiative.create", obj=initiative)
    if realized_value:
        risk_signals_refresh_after_commit([partner.pk])  # realized value counts as value
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor: Actor,
    initiative: InnovationInitiative,
    changes: InitiativeChanges,
    expected_version: int | None = None,
) -> InnovationInitiative:
    """Change an initiative; the stage only moves forward (or to dropped), and a
    commercialized or dropped initiative keeps its stage. Refuses (409) a change based on an
    older version."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    unknown = set(changes) - InitiativeChanges.__optional_keys__
    if unknown:
        raise FieldErrors(
            {key: [_("This field cannot be changed here.")] for key in sorted(unknown)}
        )
    version_check(initiative, expected_version)
    initiative = InnovationInitiative.objects.select_for_update().get(pk=initiative.pk)
    if "stage" in changes and changes["stage"] != initiative.stage:
        _check_stage_change(initiative.stage, changes["stage"])
    audited = model_changes(initiative, changes)
    initiative.full_clean()
    initiative.save()
    if audited:
        audit_record(actor=actor, action="initiative.update", obj=initiative, changes=audited)
    if {"stage", "realized_value"} & set(audited):
        risk_signals_refresh_after_commit([initiative.partner_id])  # payback may have moved
    return initiative


@transaction.atomic
def challenge_publish(
    *,
    actor: Actor,
    title: str,
    problem_statement: str,
    partners: Iterable[Partner],
    closes_on: date | None = None,
) -> InnovationChallenge:
    """Publish an open innovation challenge to chosen partners (at least one)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    chosen = list(partners)
    if not chosen:
        raise FieldErrors({"partners": [_("Publish the challenge to at least one partner.")]})
    challenge = InnovationChallenge(
        title=title,
        problem_statement=problem_statement,
        closes_on=closes_on,
        created_by=actor if isinstance(actor, User) else None,
    )
    challenge.full_clean()
    challenge.save()
    challenge.published_to.set(chosen)
    audit_record(
        actor=actor,
        action="challenge.publish",
        obj=challenge,
        changes={"published_to": [str(p) for p in chosen]},
    )
    return challenge


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    challenge: InnovationChallenge,
    partner: Partner,
    title: str,
    description: str,
    expected_value: Decimal = Decimal(0),
) -> ChallengeProposal:
    """A supplier user answers, for its own company, a challenge it was invited to. Refuses
    a challenge not published to the company (403) and a closed one (409)."""
    require(actor, Capability.USE_PORTAL)
    if partner_id_of_supplier(actor) != partner.pk:
        raise PermissionDeniedError(_("You can only submit proposals for your own company."))
    if not challenge.published_to.filter(pk=partner.pk).exists():
        raise PermissionDeniedError(_("This challenge was not published to your company."))
    if challenge.status != "open" or (
        challenge.closes_on is not None and challenge.closes_on < timezone.localdate()
    ):
        raise ConflictError(_("The challenge is closed."))
    if not description.strip():
        raise FieldErrors({"description": [_("Describe your proposal.")]})
    proposal = ChallengeProposal(
        challenge=challenge,
        partner=partner,
        title=title,
        description=description,
        expected_value=expected_value,
        submitted_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(actor=actor, action="proposal.submit", obj=proposal)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    actor: Actor,
    proposal: ChallengeProposal,
    adopt: bool,
    feedback: str = "",
    owner: User | None = None,
) -> ChallengeProposal:
    """Adopt a proposal (it becomes an initiative, owned by ``owner`` or the deciding user)
    or decline it with feedback. A proposal is decided once (409 after)."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    proposal = ChallengeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in (ProposalStatus.ADOPTED, ProposalStatus.DECLINED):
        raise ConflictError(_("This proposal has been decided already."))
    if not adopt and not feedback.strip():
        raise FieldErrors({"feedback": [_("Tell the partner why the proposal is declined.")]})
    if adopt:
        proposal.initiative = initiative_create(
            actor=actor,
            partner=proposal.partner,
            title=proposal.title,
            description=proposal.description,
            stage=InitiativeStage.EVALUATING,
            owner=owner or (actor if isinstance(actor, User) else None),
            expected_value=proposal.expected_value,
        )
        proposal.status = ProposalStatus.ADOPTED
    else:
        proposal.status = ProposalStatus.DECLINED
    proposal.feedback = feedback.strip()
    proposal.save()
    audit_record(
        actor=actor, action="proposal.decide", obj=proposal, changes={"status": proposal.status}
    )
    return proposal

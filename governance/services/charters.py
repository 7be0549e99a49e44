"""Partnership charters (SPEC 2.1): versioned, reviewed at least yearly."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from governance.models import Charter
from partners.models import Partner


@transaction.atomic
def charter_create_version(
    *,
    actor: Actor,
    partner: Partner,
    effective_from: date,
    scope: str,
    review_due: date | None = None,
    shared_objectives: str = "",
    investment_commitments: str = "",
    performance_targets: str = "",
    roles: str = "",
    decision_rules: str = "",
    data_sharing_rules: str = "",
    escalation_path: str = "",
) -> Charter:
    """Add the next version of a partnership's charter; due for review a year later.

    Refuses a review date more than a year after it takes effect, and an empty scope.
    """
    require(actor, Capability.MANAGE_GOVERNANCE)
    Partner.objects.select_for_update().get(pk=partner.pk)
    latest = partner.charters.order_by("-version").values_list("version", flat=True).first()
    review_due = review_due or effective_from + timedelta(days=365)
    if not effective_from < review_due <= effective_from + timedelta(days=366):
        raise FieldErrors(
            {"review_due": [_("Review the charter within a year of it taking effect.")]}
        )
    if not scope.strip():
        raise FieldErrors({"scope": [_("Describe the scope of the partnership.")]})
    charter = Charter(
        partner=partner,
        version=(latest or 0) + 1,
        effective_from=effective_from,
        review_due=review_due,
        scope=scope,
        shared_objectives=shared_objectives,
        investment_commitments=investment_commitments,
        performance_targets=performance_targets,
        roles=roles,
        decision_rules=decision_rules,
        data_sharing_rules=data_sharing_rules,
        escalation_path=escalation_path,
        created_by=actor if isinstance(actor, User) else None,
    )
    charter.full_clean()
    charter.save()
    audit_record(
        actor=actor, action="charter.create", obj=charter, changes={"version": charter.version}
    )
    return charter

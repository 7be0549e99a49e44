"""Risk-reward events split by the agreement's pre-negotiated ratios (SPEC 3.11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from partners.models import Agreement
from scorecards.ledger import RATIO_OF_KIND, EventKind, split
from scorecards.models import RiskRewardEvent

_NO_RATIO_MESSAGES = {
    "cost_overrun_share": gettext_lazy(
        "“%(agreement)s” has no pre-negotiated cost-overrun share ratio, so this event cannot "
        "be split. Record the ratio on the agreement first."
    ),
    "gain_share": gettext_lazy(
        "“%(agreement)s” has no pre-negotiated gain share ratio, so this event cannot be "
        "split. Record the ratio on the agreement first."
    ),
}


@transaction.atomic
def risk_reward_event_record(
    *,
    actor: Actor,
    agreement: Agreement,
    kind: str,
    amount: Decimal,
    occurred_on: date,
    description: str = "",
) -> RiskRewardEvent:
    """Record a cost overrun or joint saving and split it by the agreement's ratio; refused
    when the agreement has no pre-negotiated ratio for that kind of event."""
    require(actor, Capability.EDIT_PARTNERS)
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.__members__.values():
        errors["kind"] = [_("Choose cost_overrun or joint_saving.")]
    if amount <= 0:
        errors["amount"] = [_("Enter an amount greater than zero.")]
    if errors:
        raise FieldErrors(errors)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    ratio = RATIO_OF_KIND[kind]
    buyer_ratio = getattr(agreement, f"{ratio}_buyer")
    if buyer_ratio is None or getattr(agreement, f"{ratio}_supplier") is None:
        raise FieldErrors(
            {"agreement": [str(_NO_RATIO_MESSAGES[ratio]) % {"agreement": agreement.title}]}
        )
    shares = split(amount, buyer_ratio)
    event = RiskRewardEvent(
        agreement=agreement,
        kind=kind,
        amount=amount,
        occurred_on=occurred_on,
        description=description,
        buyer_ratio=buyer_ratio,
        buyer_share=shares.buyer,
        supplier_share=shares.supplier,
        created_by=actor if isinstance(actor, User) else None,
    )
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="risk_reward_event.record",
        obj=event,
        changes={
            "agreement": agreement,
            "kind": kind,
            "amount": amount,
            "buyer_share": shares.buyer,
            "supplier_share": shares.supplier,
        },
    )
    return event

"""Investments in and value from a partnership (SPEC 3.10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from core.errors import FieldErrors
from core.models import Actor, User
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from core.services import audit_record
from partners.models import Partner
from scorecards.models import ValueEntry
from scorecards.value import category_errors


@transaction.atomic
def value_entry_add(
    *,
    actor: Actor,
    partner: Partner,
    kind: str,
    category: str,
    amount: Decimal,
    occurred_on: date,
    description: str = "",
) -> ValueEntry:
    """Record an investment in, or value from, the partnership (reporting currency)."""
    require(actor, Capability.EDIT_PARTNERS)
    errors = category_errors(kind, category, amount)
    if errors:
        raise FieldErrors(errors)
    entry = ValueEntry(
        partner=partner,
        kind=kind,
        category=category,
        amount=amount,
        occurred_on=occurred_on,
        description=description,
        created_by=actor if isinstance(actor, User) else None,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="value_entry.add",
        obj=entry,
        changes={"partner": partner, "kind": kind, "category": category, "amount": amount},
    )
    risk_signals_refresh_after_commit([partner.pk])  # not paid back after 18 months
    return entry

"""The smaller records of a partner: notes, supplier contacts, annual spend, supplied items
and price benchmarks (SPEC 1.2, 1.7, 1.8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils.translation import gettext

from core.concurrency import version_check
from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record, model_changes
from partners import risk
from partners.invitations import portal_users_of
from partners.models import (
    AnnualSpend,
    Category,
    NoteVisibility,
    Partner,
    PartnerNote,
    PriceBenchmark,
    SupplierContact,
    SupplyItem,
)
from partners.services.flags import partner_flags_refresh, partners_touched_by_spend
from partners.services.invitations import portal_access_end
from partners.validation import model_full_clean, refuse_unknown_fields


def note_create(
    *, actor: Actor, partner: Partner, body: str, visibility: str = NoteVisibility.INTERNAL
) -> PartnerNote:
    """Add a note; internal notes are never shown to the partner's users. Refuses a blank note."""
    require(actor, Capability.EDIT_PARTNERS)
    if not body.strip():
        raise FieldErrors({"body": [gettext("Write something.")]})
    with transaction.atomic():
        note = PartnerNote(
            partner=partner,
            author=actor if isinstance(actor, User) else None,
            body=body.strip(),
            visibility=visibility,
        )
        model_full_clean(note, exclude=["author"])
        note.save()
        audit_record(
            actor=actor, action="note.create", obj=note, changes={"visibility": visibility}
        )
    return note


class ContactFields(TypedDict, total=False):
    name: str
    role: str
    email: str
    phone: str
    is_executive_sponsor: bool
    is_portal_user: bool


def contact_save(
    *,
    actor: Actor,
    partner: Partner,
    contact: SupplierContact | None = None,
    changes: ContactFields,
    expected_version: int | None = None,
) -> SupplierContact:
    """Create (``contact`` None) or change a supplier-side contact; refuses (409) a change
    based on a version other than the current one."""
    require(actor, Capability.EDIT_PARTNERS)
    refuse_unknown_fields(changes, ContactFields.__optional_keys__)
    with transaction.atomic():
        if contact is not None:
            version_check(contact, expected_version)
        contact = contact or SupplierContact(partner=partner)
        audited = model_changes(contact, changes)
        model_full_clean(contact)
        contact.save()
        audit_record(actor=actor, action="contact.save", obj=contact, changes=audited)
        if not contact.is_portal_user and portal_users_of(partner, contact):
            # Taking the portal away ends the contact's sessions and API tokens at once.
            portal_access_end(
                actor=actor, partner=partner, contact=contact, reason="portal access taken away"
            )
    return contact


def spend_record(
    *,
    actor: Actor,
    partner: Partner,
    year: int,
    category: Category,
    amount: Decimal,
    refresh_flags: bool = True,
) -> AnnualSpend:
    """Set what we spent with a partner in one year and category; refuses a negative amount.

    Spend shares depend on the other partners in the category, so the flags of the partners
    the figure can move are refreshed (flags.partners_touched_by_spend), not the whole
    portfolio's; a bulk import passes ``refresh_flags=False`` and refreshes once at the end.
    """
    require(actor, Capability.EDIT_PARTNERS)
    with transaction.atomic():
        spend = AnnualSpend.objects.filter(partner=partner, year=year, category=category).first()
        spend = spend or AnnualSpend(partner=partner, year=year, category=category)
        audited = model_changes(spend, {"amount": amount})
        model_full_clean(spend)
        spend.save()
        partner.categories.add(category)
        audit_record(actor=actor, action="spend.record", obj=spend, changes=audited)
        if refresh_flags:
            touched = partners_touched_by_spend(
                actor=actor, partner=partner, year=year, category=category
            )
            partner_flags_refresh(actor=actor, partner_ids=touched)
    return spend


class SupplyItemFields(TypedDict, total=False):
    name: str
    category: Category | None
    is_critical: bool
    qualified_second_sources: int
    second_source_names: str


def supply_item_save(
    *,
    actor: Actor,
    partner: Partner,
    item: SupplyItem | None = None,
    changes: SupplyItemFields,
    expected_version: int | None = None,
) -> SupplyItem:
    """Create (``item`` None) or change a supplied item and its second-source situation;
    refuses (409) a change based on an older version."""
    require(actor, Capability.EDIT_PARTNERS)
    refuse_unknown_fields(changes, SupplyItemFields.__optional_keys__)
    with transaction.atomic():
        if item is not None:
            version_check(item, expected_version)
        item = item or SupplyItem(partner=partner)
        audited = model_changes(item, changes)
        model_full_clean(item)
        item.save()
        audit_record(actor=actor, action="supply_item.save", obj=item, changes=audited)
        partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
    return item


class BenchmarkFields(TypedDict, total=False):
    item: str
    category: Category | None
    partner_price: Decimal
    market_price: Decimal
    unit: str
    source: str
    as_of: date
    justification: str


def benchmark_save(
    *,
    actor: Actor,
    partner: Partner,
    benchmark: PriceBenchmark | None = None,
    changes: BenchmarkFields,
    expected_version: int | None = None,
) -> PriceBenchmark:
    """Create (``benchmark`` None) or change a market price benchmark; an unjustified premium
    raises a flag. Refuses a market price of 0 or less and a negative price, and (409) a
    change based on an older version."""
    require(actor, Capability.EDIT_PARTNERS)
    refuse_unknown_fields(changes, BenchmarkFields.__optional_keys__)
    with transaction.atomic():
        if benchmark is not None:
            version_check(benchmark, expected_version)
        benchmark = benchmark or PriceBenchmark(partner=partner)
        audited = model_changes(benchmark, changes)
        model_full_clean(benchmark)
        risk.price_premium(benchmark.partner_price, benchmark.market_price)
        benchmark.save()
        audit_record(actor=actor, action="benchmark.save", obj=benchmark, changes=audited)
        partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
    return benchmark

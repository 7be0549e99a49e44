"""Agreements and their documents (SPEC 1.6)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from core.concurrency import version_check
from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record, model_changes
from partners.agreement_terms import (
    RATIO_FIELDS,
    AgreementTermsError,
    parse_ratio_fields,
    validate_agreement,
)
from partners.models import Agreement, AgreementDocument, Partner
from partners.services.flags import partner_flags_refresh
from partners.validation import model_full_clean, refuse_unknown_fields

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class AgreementFields(TypedDict, total=False):
    """An agreement's terms. Ratios are "buyer:supplier" text such as "60:40"; blank clears."""

    kind: str
    title: str
    reference: str
    start_date: date
    end_date: date
    term_years: int | None
    auto_renewal: bool
    notice_period_days: int
    has_exit_clause: bool
    exit_clause: str
    transition_period_months: int | None
    gain_share: str | None
    cost_overrun_share: str | None
    ip_share: str | None
    confidentiality_level: str
    internal_notes: str


def _stored_fields(fields: AgreementFields, errors: dict[str, list[str]]) -> dict[str, Any]:
    """The model fields to set: the ratio texts become their two shares (errors collected)."""
    refuse_unknown_fields(fields, AgreementFields.__optional_keys__)
    data: dict[str, Any] = dict(fields)
    ratios: dict[str, str | None] = {name: data.pop(name) for name in RATIO_FIELDS if name in data}
    try:
        data.update(parse_ratio_fields(ratios))
    except AgreementTermsError as exc:
        errors.update(exc.errors)
    return data


def _validate(agreement: Agreement, errors: dict[str, list[str]]) -> None:
    try:
        validate_agreement(
            agreement.start_date,
            agreement.end_date,
            agreement.notice_period_days,
            auto_renewal=agreement.auto_renewal,
            term_years=agreement.term_years,
        )
    except AgreementTermsError as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    model_full_clean(agreement)


def agreement_create(*, actor: Actor, partner: Partner, fields: AgreementFields) -> Agreement:
    """Record an agreement; refuses ratios that do not add up to 100, an end before the start
    and an auto-renewal without a term."""
    require(actor, Capability.EDIT_PARTNERS)
    errors: dict[str, list[str]] = {}
    data = _stored_fields(fields, errors)
    with transaction.atomic():
        agreement = Agreement(partner=partner, **data)
        _validate(agreement, errors)
        agreement.save()
        audit_record(actor=actor, action="agreement.create", obj=agreement, changes=data)
        partner_flags_refresh(actor=actor, partner_ids=[partner.pk])
    return agreement


def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    changes: AgreementFields,
    expected_version: int | None = None,
) -> Agreement:
    """Change an agreement's terms (same rules as agreement_create); refuses (409) a change
    based on a version other than the current one."""
    require(actor, Capability.EDIT_PARTNERS)
    errors: dict[str, list[str]] = {}
    data = _stored_fields(changes, errors)
    with transaction.atomic():
        version_check(agreement, expected_version)
        audited = model_changes(agreement, data)
        _validate(agreement, errors)
        agreement.save()
        if audited:
            audit_record(actor=actor, action="agreement.update", obj=agreement, changes=audited)
        partner_flags_refresh(actor=actor, partner_ids=[agreement.partner_id])
    return agreement


def agreement_document_add(
    *, actor: Actor, agreement: Agreement, file: UploadedFile[bytes], name: str = ""
) -> AgreementDocument:
    """Attach a file (stored under MEDIA_ROOT) to an agreement; refuses files over 20 MB."""
    require(actor, Capability.EDIT_PARTNERS)
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise FieldErrors({"file": [gettext("The file is larger than 20 MB.")]})
    with transaction.atomic():
        document = AgreementDocument.objects.create(
            agreement=agreement,
            file=file,
            name=(name or file.name or "document")[:200],
            uploaded_by=actor if isinstance(actor, User) else None,
        )
        audit_record(
            actor=actor,
            action="agreement.document_add",
            obj=agreement,
            changes={"document": document.name},
        )
    return document

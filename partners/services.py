"""Writes to partner records. Each service is atomic and writes the audit trail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from core.errors import FieldErrors
from core.models import User
from core.roles import Role
from core.services import audit_record, model_changes
from partners import kraljic, readiness, risk
from partners.agreement_terms import AgreementTermsError, parse_ratio, validate_dates
from partners.kraljic import EngagementModel, Quadrant
from partners.lifecycle import LifecycleStage, lifecycle_transition_errors
from partners.models import (
    Agreement,
    AgreementDocument,
    AnnualSpend,
    Category,
    CategorySpendTotal,
    EngagementPlaybook,
    LifecycleTransition,
    NoteVisibility,
    Partner,
    PartnerNote,
    PartnerUser,
    PriceBenchmark,
    ReadinessAssessment,
    ReadinessCriterion,
    ReadinessRating,
    SegmentationAssessment,
    SupplierContact,
    SupplyItem,
)


@transaction.atomic
def partner_create(*, actor: User | None, **fields: Any) -> Partner:
    """Create a partner from validated fields (categories may be passed as a list)."""
    categories = fields.pop("categories", None)
    partner = Partner(**fields)
    _full_clean(partner)
    partner.save()
    if categories is not None:
        partner.categories.set(categories)
    audit_record(actor=actor, action="partner.create", obj=partner, changes=fields)
    partner_flags_refresh([partner.pk])
    partner.refresh_from_db(fields=["risk_flags", "flag_count"])
    return partner


@transaction.atomic
def partner_update(*, actor: User | None, partner: Partner, **fields: Any) -> Partner:
    """Change a partner's fields; lifecycle moves go through partner_transition instead."""
    if "lifecycle_stage" in fields and fields["lifecycle_stage"] != partner.lifecycle_stage:
        raise FieldErrors({"lifecycle_stage": ["Change the stage with a recorded transition."]})
    fields.pop("lifecycle_stage", None)
    categories = fields.pop("categories", None)
    new_model = fields.pop("engagement_model", None)
    if new_model is not None and new_model != partner.engagement_model:
        partner_engagement_model_change(actor=actor, partner=partner, engagement_model=new_model)
        partner.refresh_from_db()
    changes = model_changes(partner, fields)
    _full_clean(partner)
    partner.save()
    if categories is not None:
        before = sorted(str(c) for c in partner.categories.all())
        partner.categories.set(categories)
        after = sorted(str(c) for c in categories)
        if before != after:
            changes["categories"] = [before, after]
    if changes:
        audit_record(actor=actor, action="partner.update", obj=partner, changes=changes)
    partner_flags_refresh([partner.pk])
    partner.refresh_from_db(fields=["risk_flags", "flag_count"])
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


def _full_clean(instance: Any, exclude: Sequence[str] | None = None) -> None:
    """full_clean, re-raised as FieldErrors so forms and the API show one error format."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise FieldErrors(exc.message_dict) from exc


# --- engagement models and playbooks (SPEC 1.3) ---------------------------------------


def playbook_describe(playbook: EngagementPlaybook) -> dict[str, Any]:
    """What a playbook brings, as plain data for the audit trail and the other apps."""
    return {
        "engagement_model": playbook.engagement_model,
        "cadences": playbook.cadences,
        "scorecard_template_code": playbook.scorecard_template_code,
        "sponsor_level": playbook.sponsor_level,
        "survey_frequency_months": playbook.survey_frequency_months,
    }


@transaction.atomic
def partner_engagement_model_change(
    *, actor: User | None, partner: Partner, engagement_model: EngagementModel | str
) -> EngagementPlaybook:
    """Move a partner to another engagement model and return the new model's playbook.

    This is the hook for governance and scorecards: they call it (or read the audit event
    ``partner.engagement_model_change``) and apply the playbook's cadences and scorecard
    template themselves; partners records the change and what the playbook offers.
    """
    from partners.selectors import playbook_for_model

    try:
        target = EngagementModel(engagement_model)
    except ValueError as exc:
        raise FieldErrors(
            {"engagement_model": [f"Unknown engagement model {engagement_model!r}."]}
        ) from exc
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
                "playbook_cadences": [f"{c['kind']} {c['frequency']}" for c in playbook.cadences],
                "playbook_scorecard_template": playbook.scorecard_template_code,
                "playbook_sponsor_level": playbook.sponsor_level,
                "playbook_survey_frequency_months": playbook.survey_frequency_months,
            },
        )
        partner_flags_refresh([partner.pk])
    return playbook


@transaction.atomic
def playbook_update(
    *, actor: User | None, playbook: EngagementPlaybook, **fields: Any
) -> EngagementPlaybook:
    """Change a playbook's defaults (administrators only; the view checks)."""
    fields.pop("engagement_model", None)
    changes = model_changes(playbook, fields)
    _full_clean(playbook)
    playbook.save()
    if changes:
        audit_record(actor=actor, action="playbook.update", obj=playbook, changes=changes)
    return playbook


# --- segmentation (SPEC 1.4) ------------------------------------------------------------


@transaction.atomic
def segmentation_assess(
    *,
    actor: User | None,
    partner: Partner,
    ratings: Mapping[str, int],
    category: Category | None = None,
    override_quadrant: Quadrant | str | None = None,
    override_justification: str = "",
) -> SegmentationAssessment:
    """Score the Kraljic factors, apply an optional justified override, keep it as history.

    The partner's ``quadrant`` becomes this assessment's effective quadrant.
    """
    result = kraljic.score(ratings)
    override: Quadrant | None = None
    if override_quadrant:
        try:
            override = Quadrant(override_quadrant)
        except ValueError as exc:
            raise FieldErrors({"override_quadrant": ["Unknown quadrant."]}) from exc
    kraljic.validate_override(override, override_justification)
    effective = kraljic.effective_quadrant(result.quadrant, override)
    assessment = SegmentationAssessment.objects.create(
        partner=partner,
        category=category,
        ratings=dict(ratings),
        weights={f.code: str(f.weight) for f in kraljic.DEFAULT_FACTORS},
        profit_impact=result.profit_impact,
        supply_risk=result.supply_risk,
        computed_quadrant=result.quadrant,
        override_quadrant=override or "",
        override_justification=override_justification.strip() if override else "",
        quadrant=effective,
        assessed_by=actor,
    )
    before = partner.quadrant
    Partner.objects.filter(pk=partner.pk).update(quadrant=effective)
    partner.quadrant = effective
    audit_record(
        actor=actor,
        action="partner.segmentation",
        obj=partner,
        changes={
            "quadrant": [before, effective.value],
            "profit_impact": result.profit_impact,
            "supply_risk": result.supply_risk,
            "override_justification": assessment.override_justification,
        },
    )
    return assessment


# --- readiness and alignment (SPEC 1.5) -------------------------------------------------


def _criteria_snapshot(criteria: Sequence[readiness.Criterion]) -> list[dict[str, str]]:
    return [
        {"code": c.code, "label": c.label, "dimension": c.dimension.value, "weight": str(c.weight)}
        for c in criteria
    ]


def _as_criterion(row: ReadinessCriterion) -> readiness.Criterion:
    return readiness.Criterion(
        row.code, row.label, readiness.Dimension(row.dimension), Decimal(row.weight)
    )


def readiness_template_current() -> tuple[readiness.Criterion, ...]:
    """The readiness & alignment template new assessments use: the active criteria.

    Migration 0006 stores the defaults; a database emptied since (a flushed test database)
    falls back to them rather than refusing every assessment.
    """
    rows = list(ReadinessCriterion.objects.all())
    if not rows:
        return readiness.DEFAULT_CRITERIA
    return tuple(_as_criterion(row) for row in rows if row.active)


def _readiness_template_ensure() -> None:
    if not ReadinessCriterion.objects.exists():
        ReadinessCriterion.objects.bulk_create(
            ReadinessCriterion(
                code=c.code,
                label=c.label,
                dimension=c.dimension.value,
                weight=c.weight,
                position=position * 10,
            )
            for position, c in enumerate(readiness.DEFAULT_CRITERIA, start=1)
        )


def readiness_template_check(row: ReadinessCriterion) -> None:
    """Raise FieldErrors if saving ``row`` (unsaved changes) would break the template."""
    others = ReadinessCriterion.objects.filter(active=True).exclude(pk=row.pk)
    template = [_as_criterion(other) for other in others]
    if row.active:
        template.append(_as_criterion(row))
    try:
        readiness.validate_template(template)
    except readiness.ReadinessValidationError as exc:
        # A template-wide problem is caused by this row's dimension or its deactivation.
        field = "active" if not row.active else "dimension"
        raise FieldErrors({field: [m for msgs in exc.errors.values() for m in msgs]}) from exc


@transaction.atomic
def readiness_criterion_save(
    *, actor: User | None, criterion: ReadinessCriterion | None = None, **fields: Any
) -> ReadinessCriterion:
    """Add or change a template criterion (administrators only; the caller checks).

    The template that results must still be valid (unique codes, weights > 0, at least one
    criterion per dimension). Past assessments keep the snapshot they were made with.
    """
    _readiness_template_ensure()
    list(ReadinessCriterion.objects.select_for_update())  # one template edit at a time
    creating = criterion is None
    row = criterion if criterion is not None else ReadinessCriterion()
    if not creating:
        fields.pop("code", None)  # ratings are stored by code; renaming would orphan them
    changes = model_changes(row, fields)
    _full_clean(row)
    readiness_template_check(row)
    row.save()
    if creating or changes:
        audit_record(
            actor=actor,
            action="readiness_criterion.create" if creating else "readiness_criterion.update",
            obj=row,
            changes=changes,
        )
    return row


def readiness_criteria(assessment: ReadinessAssessment) -> tuple[readiness.Criterion, ...]:
    """The template an assessment was made with (weights as they were then)."""
    return tuple(
        readiness.Criterion(
            c["code"], c["label"], readiness.Dimension(c["dimension"]), Decimal(c["weight"])
        )
        for c in assessment.criteria
    )


def readiness_result(
    assessment: ReadinessAssessment, ratings: Sequence[ReadinessRating] | None = None
) -> readiness.AssessmentResult:
    """Recompute the result from the stored ratings (pure; pass prefetched ratings)."""
    rows = list(assessment.ratings.all()) if ratings is None else ratings
    return readiness.assess([r.ratings for r in rows], readiness_criteria(assessment))


def _readiness_store(assessment: ReadinessAssessment) -> None:
    result = readiness_result(assessment)
    assessment.readiness_score = result.readiness.score
    assessment.alignment_score = result.alignment.score
    assessment.readiness_band = result.readiness.band
    assessment.alignment_band = result.alignment.band
    assessment.band = result.band
    assessment.gaps = [
        {
            "code": g.code,
            "label": g.label,
            "dimension": g.dimension.value,
            "rating": str(g.rating),
            "shortfall": str(g.shortfall),
        }
        for g in result.gaps
    ]
    assessment.save()


@transaction.atomic
def readiness_assessment_create(
    *,
    actor: User,
    partner: Partner,
    assessed_on: date,
    ratings: Mapping[str, int],
) -> ReadinessAssessment:
    """Open an assessment with the first assessor's ratings; other assessors add theirs."""
    criteria = readiness_template_current()
    # Only the first assessor must rate everything: the result has to be computable now.
    readiness.assess([ratings], criteria)
    assessment = ReadinessAssessment(
        partner=partner,
        assessed_on=assessed_on,
        criteria=_criteria_snapshot(criteria),
        readiness_score=Decimal(0),
        alignment_score=Decimal(0),
        created_by=actor,
    )
    assessment.save()
    ReadinessRating.objects.create(assessment=assessment, assessor=actor, ratings=dict(ratings))
    _readiness_store(assessment)
    audit_record(
        actor=actor,
        action="readiness.create",
        obj=assessment,
        changes={
            "band": assessment.band,
            "readiness": assessment.readiness_score,
            "alignment": assessment.alignment_score,
        },
    )
    return assessment


@transaction.atomic
def readiness_rating_add(
    *, actor: User, assessment: ReadinessAssessment, ratings: Mapping[str, int]
) -> ReadinessAssessment:
    """Add (or replace) one assessor's ratings and recompute the assessment's result."""
    assessment = ReadinessAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not ratings:
        raise FieldErrors({"ratings": ["Rate at least one criterion."]})
    readiness.validate_assessor_ratings(ratings, readiness_criteria(assessment))
    ReadinessRating.objects.update_or_create(
        assessment=assessment, assessor=actor, defaults={"ratings": dict(ratings)}
    )
    _readiness_store(assessment)
    audit_record(
        actor=actor,
        action="readiness.rate",
        obj=assessment,
        changes={
            "band": assessment.band,
            "readiness": assessment.readiness_score,
            "alignment": assessment.alignment_score,
        },
    )
    return assessment


# --- agreements (SPEC 1.6) ---------------------------------------------------------------

RATIO_FIELDS = ("gain_share", "cost_overrun_share", "ip_share")


def _apply_ratios(fields: dict[str, Any]) -> dict[str, list[str]]:
    """Turn ``gain_share="60:40"`` into the two stored shares; blank clears the ratio."""
    errors: dict[str, list[str]] = {}
    for name in RATIO_FIELDS:
        if name not in fields:
            continue
        text = (fields.pop(name) or "").strip()
        if not text:
            fields[f"{name}_buyer"] = fields[f"{name}_supplier"] = None
            continue
        try:
            ratio = parse_ratio(text, name)
        except AgreementTermsError as exc:
            errors.update(exc.errors)
            continue
        fields[f"{name}_buyer"], fields[f"{name}_supplier"] = ratio.buyer, ratio.supplier
    return errors


def _validate_agreement(agreement: Agreement, errors: dict[str, list[str]]) -> None:
    if agreement.start_date and agreement.end_date:
        try:
            validate_dates(
                agreement.start_date, agreement.end_date, agreement.notice_period_days or 0
            )
        except AgreementTermsError as exc:
            errors.update(exc.errors)
    if agreement.auto_renewal and not agreement.term_years:
        errors.setdefault("term_years", []).append(
            "An auto-renewing agreement needs a term in years."
        )
    if errors:
        raise FieldErrors(errors)
    _full_clean(agreement)


@transaction.atomic
def agreement_create(*, actor: User | None, partner: Partner, **fields: Any) -> Agreement:
    """Record an agreement; ratios come as "buyer:supplier" text and must add up to 100."""
    errors = _apply_ratios(fields)
    agreement = Agreement(partner=partner, **fields)
    _validate_agreement(agreement, errors)
    agreement.save()
    audit_record(actor=actor, action="agreement.create", obj=agreement, changes=fields)
    partner_flags_refresh([partner.pk])
    return agreement


@transaction.atomic
def agreement_update(*, actor: User | None, agreement: Agreement, **fields: Any) -> Agreement:
    """Change an agreement's terms (same rules as agreement_create)."""
    fields.pop("partner", None)
    errors = _apply_ratios(fields)
    changes = model_changes(agreement, fields)
    _validate_agreement(agreement, errors)
    agreement.save()
    if changes:
        audit_record(actor=actor, action="agreement.update", obj=agreement, changes=changes)
    partner_flags_refresh([agreement.partner_id])
    return agreement


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def agreement_document_add(
    *, actor: User | None, agreement: Agreement, file: UploadedFile, name: str = ""
) -> AgreementDocument:
    """Attach a file (stored under MEDIA_ROOT) to an agreement."""
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise FieldErrors({"file": ["The file is larger than 20 MB."]})
    document = AgreementDocument.objects.create(
        agreement=agreement,
        file=file,
        name=(name or file.name or "document")[:200],
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="agreement.document_add",
        obj=agreement,
        changes={"document": document.name},
    )
    return document


# --- notes, contacts, spend, supply items, benchmarks -------------------------------------


@transaction.atomic
def note_create(
    *, actor: User | None, partner: Partner, body: str, visibility: str = NoteVisibility.INTERNAL
) -> PartnerNote:
    """Add a note; internal notes are never shown to the partner's users."""
    if not body.strip():
        raise FieldErrors({"body": ["Write something."]})
    note = PartnerNote(partner=partner, author=actor, body=body.strip(), visibility=visibility)
    _full_clean(note, exclude=["author"])
    note.save()
    audit_record(actor=actor, action="note.create", obj=note, changes={"visibility": visibility})
    return note


@transaction.atomic
def contact_save(
    *, actor: User | None, partner: Partner, contact: SupplierContact | None = None, **fields: Any
) -> SupplierContact:
    """Create or change a supplier-side contact."""
    contact = contact or SupplierContact(partner=partner)
    changes = model_changes(contact, fields)
    _full_clean(contact)
    contact.save()
    audit_record(actor=actor, action="contact.save", obj=contact, changes=changes)
    return contact


@transaction.atomic
def spend_record(
    *,
    actor: User | None,
    partner: Partner,
    year: int,
    category: Category,
    amount: Decimal,
    refresh_flags: bool = True,
) -> AnnualSpend:
    """Set what we spent with a partner in one year and category.

    Spend shares depend on every partner in the category, so all flags are refreshed;
    a bulk import passes ``refresh_flags=False`` and refreshes once at the end.
    """
    spend = AnnualSpend.objects.filter(partner=partner, year=year, category=category).first()
    spend = spend or AnnualSpend(partner=partner, year=year, category=category)
    changes = model_changes(spend, {"amount": amount})
    _full_clean(spend)
    spend.save()
    partner.categories.add(category)
    audit_record(actor=actor, action="spend.record", obj=spend, changes=changes)
    if refresh_flags:
        partner_flags_refresh()
    return spend


@transaction.atomic
def supply_item_save(
    *, actor: User | None, partner: Partner, item: SupplyItem | None = None, **fields: Any
) -> SupplyItem:
    """Create or change a supplied item and its second-source situation."""
    item = item or SupplyItem(partner=partner)
    changes = model_changes(item, fields)
    _full_clean(item)
    item.save()
    audit_record(actor=actor, action="supply_item.save", obj=item, changes=changes)
    partner_flags_refresh([partner.pk])
    return item


@transaction.atomic
def benchmark_save(
    *, actor: User | None, partner: Partner, benchmark: PriceBenchmark | None = None, **fields: Any
) -> PriceBenchmark:
    """Create or change a market price benchmark; an unjustified premium raises a flag."""
    benchmark = benchmark or PriceBenchmark(partner=partner)
    changes = model_changes(benchmark, fields)
    _full_clean(benchmark)
    risk.price_premium(benchmark.partner_price, benchmark.market_price)
    benchmark.save()
    audit_record(actor=actor, action="benchmark.save", obj=benchmark, changes=changes)
    partner_flags_refresh([partner.pk])
    return benchmark


# --- flags (SPEC 1.7, 1.8) ---------------------------------------------------------------


def _whole(amount: Decimal) -> Decimal:
    """Drop ".00" from whole amounts so flag messages read 182000000, not 182000000.00."""
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def _cents(price: Decimal) -> Decimal:
    """Show a 4-place price with 2 places when that loses nothing (54.5000 -> 54.50)."""
    cents = price.quantize(Decimal("0.01"))
    return cents if cents == price else price


def partner_flags_refresh(partner_ids: Sequence[int] | None = None) -> int:
    """Recompute the stored risk flags of the given partners (all when None).

    A constant number of queries whatever the number of partners. Spend shares use the
    latest year with spend, against the recorded category total of that year (or, when
    none is recorded, the sum of the partners' spend in the category).
    """
    partners = Partner.objects.all()
    if partner_ids is not None:
        partners = partners.filter(pk__in=partner_ids)
    partners_list = list(partners.only("pk", "engagement_model", "annual_revenue"))
    if not partners_list:
        return 0
    ids = [p.pk for p in partners_list]
    year = AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()
    spend_by_partner: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    partner_total: dict[int, Decimal] = defaultdict(Decimal)
    category_total: dict[int, Decimal] = {}
    names: dict[int, str] = dict(Category.objects.values_list("pk", "name"))
    if year is not None:
        category_total = {
            row["category"]: row["total"]
            for row in AnnualSpend.objects.filter(year=year)
            .values("category")
            .annotate(total=Sum("amount"))
        }
        category_total.update(
            CategorySpendTotal.objects.filter(year=year).values_list("category", "amount")
        )
        for pid, cid, amount in AnnualSpend.objects.filter(year=year, partner__in=ids).values_list(
            "partner", "category", "amount"
        ):
            partner_total[pid] += amount
            spend_by_partner[pid].append((cid, amount))
    exit_clause = set(
        Agreement.objects.filter(partner__in=ids, has_exit_clause=True).values_list(
            "partner", flat=True
        )
    )
    items: dict[int, list[SupplyItem]] = defaultdict(list)
    for item in SupplyItem.objects.filter(partner__in=ids, is_critical=True):
        items[item.partner_id].append(item)
    benchmarks: dict[int, list[PriceBenchmark]] = defaultdict(list)
    for benchmark in PriceBenchmark.objects.filter(partner__in=ids):
        benchmarks[benchmark.partner_id].append(benchmark)

    for partner in partners_list:
        checks: list[risk.RiskFlag | None] = []
        for item in items[partner.pk]:
            checks.append(
                risk.single_source_flag(item.name, item.is_critical, item.qualified_second_sources)
            )
        for cid, amount in spend_by_partner[partner.pk]:
            amount = _whole(amount)
            total = category_total.get(cid, Decimal(0))
            total = _whole(total)
            if total > 0 and amount <= total:
                flag = risk.spend_concentration_flag(amount, total)
                if flag is not None:
                    flag = risk.RiskFlag(
                        flag.code, flag.severity, f"{names.get(cid, '')}: {flag.message}"
                    )
                checks.append(flag)
        checks.append(
            risk.exit_clause_flag(
                EngagementModel(partner.engagement_model), partner.pk in exit_clause
            )
        )
        revenue = _whole(partner.annual_revenue) if partner.annual_revenue else None
        spend = _whole(partner_total[partner.pk])
        if revenue and revenue > 0 and spend <= revenue:
            checks.append(risk.reverse_dependency_flag(spend, revenue))
        for benchmark in benchmarks[partner.pk]:
            checks.append(
                risk.premium_flag(
                    _cents(benchmark.partner_price),
                    _cents(benchmark.market_price),
                    benchmark.justification,
                )
            )
        flags = risk.collect_flags(checks)
        partner.risk_flags = [
            {"code": f.code.value, "severity": f.severity.value, "message": f.message}
            for f in flags
        ]
        partner.flag_count = len(flags)
    Partner.objects.bulk_update(partners_list, ["risk_flags", "flag_count"])
    return len(partners_list)


def agreement_reminders_send(today: date) -> int:
    """Notify each agreement's owner and alliance manager of notice deadlines and expiries
    within 60 days; idempotent through the notification key (one per agreement, kind, date
    and recipient), so running it twice sends nothing twice. Returns how many were sent."""
    from django.urls import reverse

    from core.notifications import NotificationKind
    from core.services import notification_send
    from partners.selectors import agreement_reminders_due

    sent = 0
    # As far ahead as any user may ask; each recipient's own lead time decides.
    for due in agreement_reminders_due(today, NotificationKind.AGREEMENT_NOTICE.spec.max_lead):
        agreement, reminder = due.agreement, due.reminder
        partner = agreement.partner
        recipients = {u.pk: u for u in (partner.owner, partner.alliance_manager) if u is not None}
        for user in recipients.values():
            note = notification_send(
                recipient=user,
                key=f"agreement:{agreement.pk}:{reminder.kind.value}:{reminder.date}:{user.pk}",
                subject=(
                    f"{reminder.kind.label} of {agreement.title} ({partner}) "
                    f"on {reminder.date:%d %b %Y}, in {reminder.days_left} days"
                ),
                body=(
                    f"{agreement.get_kind_display()} with {partner.legal_name}: "
                    f"{reminder.kind.label.lower()} on {reminder.date:%d %B %Y}."
                ),
                url=reverse("partner-page", args=[partner.pk]),
                kind=NotificationKind.AGREEMENT_NOTICE,
                partner_id=partner.pk,
                due=reminder.date,
                today=today,
            )
            sent += note is not None
    return sent

"""Reads of partner records, scoped by partners.access and with their joins made explicit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from core.errors import FieldErrors
from core.models import User
from core.roles import Capability, Role
from core.spreadsheets import write_csv, write_xlsx
from partners import kraljic, readiness, risk
from partners.access import access_partner, partners_visible_to
from partners.agreement_terms import (
    DEFAULT_REMINDER_WINDOW_DAYS,
    AgreementTerms,
    Reminder,
    current_end_date,
    upcoming_reminders,
)
from partners.invitations import contacts_with_invitation
from partners.kraljic import EngagementModel
from partners.models import (
    Agreement,
    AnnualSpend,
    EngagementPlaybook,
    Partner,
    PartnerNote,
    ReadinessAssessment,
    ReadinessCriterion,
    ReadinessRating,
    SegmentationAssessment,
    SupplierContact,
)
from partners.playbooks import DEFAULT_PLAYBOOKS

type Viewer = User | AnonymousUser


def latest_spend_year() -> int | None:
    return AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()


def partner_list(user: Viewer, *, year: int | None = None) -> QuerySet[Partner]:
    """Partners the user may see, with their people, categories and spend in ``year``."""
    year = year or latest_spend_year() or 0
    spend = (
        AnnualSpend.objects.filter(partner=OuterRef("pk"), year=year)
        .values("partner")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        partners_visible_to(user)
        .select_related("owner", "alliance_manager", "executive_sponsor")
        .prefetch_related("categories")
        .annotate(
            spend_total=Coalesce(
                Subquery(spend, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
            )
        )
    )


def partner_get(user: Viewer, partner_id: int) -> Partner:
    """One partner the user may see, with what its page shows; 404 otherwise."""
    partner = access_partner(user, partner_id)
    internal = isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO)
    notes = PartnerNote.objects.select_related("author")
    if not internal:
        notes = notes.filter(visibility="shared")
    lookups: list[str | Prefetch[Any]] = [
        "categories",
        "contacts",
        Prefetch("spend", queryset=AnnualSpend.objects.select_related("category")),
        "transitions__actor",
        Prefetch("notes", queryset=notes),
        Prefetch("agreements", queryset=Agreement.objects.prefetch_related("documents")),
    ]
    if internal:
        # The contact rows show each contact's latest invitation to the portal.
        lookups[1] = Prefetch(
            "contacts", queryset=contacts_with_invitation(SupplierContact.objects.all())
        )
        lookups += [
            Prefetch(
                "segmentations",
                queryset=SegmentationAssessment.objects.select_related("assessed_by", "category"),
            ),
            Prefetch(
                "readiness_assessments",
                queryset=ReadinessAssessment.objects.prefetch_related("ratings__assessor"),
            ),
            "supply_items",
            "benchmarks",
        ]
    return (
        Partner.objects.select_related("owner", "alliance_manager", "executive_sponsor")
        .prefetch_related(*lookups)
        .get(pk=partner.pk)
    )


def partner_owners() -> QuerySet[User]:
    """The internal users who own at least one partner (the list page's owner filter)."""
    # EXISTS per internal user (through the owner index), not a join with every partner
    # made distinct again.
    return User.objects.exclude(role=Role.SUPPLIER_USER).filter(
        Exists(Partner.objects.filter(owner=OuterRef("pk")))
    )


# --- list filters ------------------------------------------------------------------------

SORTS: Mapping[str, tuple[str, ...]] = {
    "name": ("short_name",),
    "-name": ("-short_name",),
    "spend": ("spend_total", "short_name"),
    "-spend": ("-spend_total", "short_name"),
    "flags": ("flag_count", "short_name"),
    "-flags": ("-flag_count", "short_name"),
    "stage": ("lifecycle_stage", "short_name"),
    "country": ("country", "short_name"),
}


def partner_list_filtered(user: Viewer, params: Mapping[str, str]) -> QuerySet[Partner]:
    """partner_list narrowed by the list page's filters (q, engagement_model, quadrant,
    lifecycle_stage, owner, category, flagged) and sorted by ``sort``."""
    partners = partner_list(user)
    query = (params.get("q") or "").strip()
    if query:
        partners = partners.filter(Q(short_name__icontains=query) | Q(legal_name__icontains=query))
    for field in ("engagement_model", "quadrant", "lifecycle_stage"):
        if params.get(field):
            partners = partners.filter(**{field: params[field]})
    if (params.get("owner") or "").isdigit():
        partners = partners.filter(owner_id=int(params["owner"]))
    if params.get("category"):
        partners = partners.filter(categories__code=params["category"])
    if params.get("flagged") in {"1", "true", "yes"}:
        partners = partners.filter(flag_count__gt=0)
    return partners.order_by(*SORTS.get(params.get("sort") or "name", SORTS["name"]))


EXPORT_HEADER = (
    "legal_name",
    "short_name",
    "country",
    "currency",
    "engagement_model",
    "lifecycle_stage",
    "quadrant",
    "owner",
    "categories",
    "tags",
    "spend_latest_year",
    "flags",
)
EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def partner_export(partners: QuerySet[Partner], fmt: str) -> tuple[bytes, str]:
    """A list from ``partner_list`` as a CSV or XLSX file (formula-safe) and its type."""
    rows = [
        [
            p.legal_name,
            p.short_name,
            p.country,
            p.currency,
            p.engagement_model,
            p.lifecycle_stage,
            p.quadrant,
            p.owner.username if p.owner else "",
            ";".join(c.code for c in p.categories.all()),
            ";".join(p.tags or []),
            p.spend_total,  # type: ignore[attr-defined]
            "; ".join(f["message"] for f in p.risk_flags),
        ]
        for p in partners
    ]
    if fmt == "xlsx":
        return write_xlsx("Partners", EXPORT_HEADER, rows), EXPORT_CONTENT_TYPES["xlsx"]
    return write_csv(EXPORT_HEADER, rows), EXPORT_CONTENT_TYPES["csv"]


# --- playbooks --------------------------------------------------------------------------


def playbook_for_model(engagement_model: EngagementModel | str) -> EngagementPlaybook:
    """The stored playbook of an engagement model, created from the defaults if missing."""
    model = EngagementModel(engagement_model)
    default = DEFAULT_PLAYBOOKS[model]
    playbook, _ = EngagementPlaybook.objects.get_or_create(
        engagement_model=model,
        defaults={
            "cadences": list(default.cadences),
            "scorecard_template_code": default.scorecard_template_code,
            "sponsor_level": default.sponsor_level,
            "survey_frequency_months": default.survey_frequency_months,
        },
    )
    return playbook


def playbook_list() -> list[EngagementPlaybook]:
    """The four playbooks in the order of the engagement models (light to deep)."""
    order = {model.value: index for index, model in enumerate(EngagementModel)}
    return sorted(EngagementPlaybook.objects.all(), key=lambda p: order[p.engagement_model])


def playbook_for(partner: Partner) -> EngagementPlaybook:
    """The playbook of the partner's engagement model (governance and scorecards read it)."""
    return playbook_for_model(partner.engagement_model)


def playbook_describe(playbook: EngagementPlaybook) -> dict[str, Any]:
    """What a playbook brings, as plain data for the audit trail and the other apps."""
    return {
        "engagement_model": playbook.engagement_model,
        "cadences": playbook.cadences,
        "scorecard_template_code": playbook.scorecard_template_code,
        "sponsor_level": playbook.sponsor_level,
        "survey_frequency_months": playbook.survey_frequency_months,
    }


# --- segmentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerInsights:
    """Derived, internal-only facts for the partner page."""

    recommendation: kraljic.Recommendation | None
    exit_readiness: risk.ExitReadiness
    readiness_comparison: readiness.AssessmentComparison | None


def partner_insights(partner: Partner) -> PartnerInsights:
    """Recommendation, exit readiness and the latest readiness comparison, from prefetches."""
    recommendation = (
        kraljic.recommend(kraljic.Quadrant(partner.quadrant)) if partner.quadrant else None
    )
    agreements = list(partner.agreements.all())
    with_exit = [a for a in agreements if a.has_exit_clause]
    transition = max((a.transition_period_months or 0 for a in with_exit), default=None)
    exit_state = risk.exit_readiness(bool(with_exit), transition, partner.alternative_source)
    assessments = list(partner.readiness_assessments.all())
    comparison = None
    if len(assessments) >= 2:
        later, earlier = assessments[0], assessments[1]
        comparison = readiness.compare(
            readiness_result(earlier, list(earlier.ratings.all())),
            readiness_result(later, list(later.ratings.all())),
        )
    return PartnerInsights(recommendation, exit_state, comparison)


# --- readiness ---------------------------------------------------------------------------


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


def readiness_template_check(row: ReadinessCriterion) -> None:
    """Raise FieldErrors if saving ``row`` (unsaved changes) would break the template.

    A read and a pure rule: the service runs it before saving, the admin form to show why.
    """
    others = ReadinessCriterion.objects.filter(active=True).exclude(pk=row.pk)
    try:
        readiness.validate_template_change(
            [_as_criterion(other) for other in others], _as_criterion(row), active=row.active
        )
    except readiness.ReadinessValidationError as exc:
        raise FieldErrors(exc.errors) from exc


def readiness_criteria(assessment: ReadinessAssessment) -> tuple[readiness.Criterion, ...]:
    """The template an assessment was made with (weights as they were then)."""
    return readiness.criteria_from_snapshot(assessment.criteria)


def readiness_result(
    assessment: ReadinessAssessment, ratings: Sequence[ReadinessRating] | None = None
) -> readiness.AssessmentResult:
    """Recompute the result from the stored ratings (pass prefetched ratings to save a query)."""
    rows = list(assessment.ratings.all()) if ratings is None else ratings
    return readiness.assess([r.ratings for r in rows], readiness_criteria(assessment))


# --- agreements --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementReminder:
    agreement: Agreement
    reminder: Reminder


def agreement_reminders_due(
    today: date, window_days: int = DEFAULT_REMINDER_WINDOW_DAYS, user: Viewer | None = None
) -> list[AgreementReminder]:
    """Notice deadlines and expiries within ``window_days`` of ``today``, earliest first.

    Scoped to ``user`` when given; the reminder job passes no user and sees every agreement.
    """
    agreements = Agreement.objects.select_related(
        "partner__owner", "partner__alliance_manager"
    ).filter(Q(end_date__gte=today) | Q(auto_renewal=True, term_years__gte=1))
    if user is not None:
        agreements = agreements.filter(partner__in=partners_visible_to(user))
    due: list[AgreementReminder] = []
    for agreement in agreements:
        end = agreement.end_date
        if agreement.auto_renewal and agreement.term_years:
            # An auto-renewing agreement's live end date is the next anniversary of its term.
            end = current_end_date(end, agreement.term_years, today)
        terms = AgreementTerms(agreement.start_date, end, agreement.notice_period_days)
        due += [
            AgreementReminder(agreement, reminder)
            for reminder in upcoming_reminders(terms, today, window_days)
        ]
    return sorted(due, key=lambda item: item.reminder.date)

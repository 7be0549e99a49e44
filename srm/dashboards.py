"""Reads behind the workspace, the executive dashboard and the portal home."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, RowNumber
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.cadences import CadenceKind
from core.roles import Capability
from governance import selectors as governance_selectors
from governance.accountability import executive_figures
from governance.cadence import MeetingStatus
from governance.models import Meeting, PartnerRiskSignals
from governance.selectors import meetings_visible_to
from partners.access import partners_visible_to
from partners.kraljic import EngagementModel, Quadrant
from partners.matrix import kraljic_bubbles
from partners.models import AnnualSpend, Partner, PartnerNote
from partners.selectors import latest_spend_year, partner_list
from scorecards.latest_scores import partner_latest_scores, scored_periods, shown_overall
from scorecards.models import KpiDefinition, MeasurementStatus, Period, PeriodStatus
from scorecards.selectors import partner_scorecards, pending_self_reports
from srm.dashboard_charts import (
    DistributionGroup,
    chart_data,
    distribution_groups,
    distribution_totals,
    sparkline_svg,
)
from srm.dashboard_filters import UNSEGMENTED, dashboard_filter, quadrant_label


def workspace_partners(user: Any) -> QuerySet[Partner]:
    """The partners the user owns, manages or sponsors."""
    return partner_list(user).filter(
        Q(owner=user) | Q(alliance_manager=user) | Q(executive_sponsor=user)
    )


def portfolio_summary(user: Any) -> dict[str, Any]:
    """Partner counts and spend by engagement model and by Kraljic quadrant."""
    partners = partner_list(user)
    year = latest_spend_year() or 0
    by_model = dict(partners.order_by().values_list("engagement_model").annotate(n=Count("id")))
    by_quadrant = dict(partners.order_by().values_list("quadrant").annotate(n=Count("id")))
    spend_by_quadrant = quadrant_spend(partners, year)
    return {
        "year": year,
        "partner_count": sum(by_model.values()),
        "total_spend": sum(spend_by_quadrant.values(), Decimal(0)),
        "by_model": [(m.label, by_model.get(m.value, 0)) for m in EngagementModel],
        "by_quadrant": [
            (q.label, by_quadrant.get(q.value, 0), spend_by_quadrant.get(q.value, Decimal(0)))
            for q in Quadrant
        ],
    }


def quadrant_spend(partners: QuerySet[Partner], year: int) -> dict[str, Decimal]:
    """The partners' spend in ``year`` per Kraljic quadrant (UNSEGMENTED for none yet)."""
    spend: dict[str, Decimal] = defaultdict(Decimal)
    for quadrant, total in (
        AnnualSpend.objects.filter(year=year, partner__in=partners.values("pk"))
        .order_by()
        .values_list("partner__quadrant")
        .annotate(total=Sum("amount"))
    ):
        spend[quadrant or UNSEGMENTED] += total
    return spend


def portal_home_data(partner: Partner) -> dict[str, Any]:
    """What a supplier user sees first: their own company and what is shared with them."""
    return {
        "partner": partner,
        "latest_score": partner_latest_scores([partner.pk]).get(partner.pk),
        "scorecards": partner_scorecards(partner),
        "shared_notes": PartnerNote.objects.filter(partner=partner, visibility="shared"),
        "contacts": partner.contacts.all(),
        "governance": governance_selectors.portal_shared(partner),
    }


def periods_missing_data(
    partner_ids: QuerySet[Any], *, until: date, from_day: date | None = None
) -> QuerySet[Period]:
    """Open periods of these partners ending by ``until`` (and not before ``from_day``) with
    KPI values missing, earliest first; annotated with ``kpis`` (the template's KPI count)
    and ``with_values`` (KPIs with a value that counts: buyers' and accepted self-reports)."""
    kpi_count = (
        KpiDefinition.objects.filter(perspective__template=OuterRef("scorecard__template"))
        .order_by()
        .values("perspective__template")
        .annotate(n=Count("id"))
        .values("n")
    )
    periods = Period.objects.filter(
        scorecard__partner__in=partner_ids, status=PeriodStatus.OPEN, end__lte=until
    )
    if from_day is not None:
        periods = periods.filter(end__gte=from_day)
    return (
        periods.annotate(
            kpis=Coalesce(Subquery(kpi_count), 0),
            with_values=Count(
                "measurements__kpi",
                filter=Q(measurements__status=MeasurementStatus.ACCEPTED),
                distinct=True,
            ),
        )
        .filter(with_values__lt=F("kpis"))
        .order_by("end")
    )


def workspace_scorecard_work(user: Any, partners: QuerySet[Partner]) -> dict[str, Any]:
    """Self-reports awaiting the user's acceptance and KPI data due in the next two weeks for
    the user's partners (open periods ending by then, with how many KPIs still lack a value)."""

    today = timezone.localdate()
    due = periods_missing_data(
        partners.values("pk"), until=today + timedelta(days=14)
    ).select_related("scorecard__partner", "scorecard__template")
    may_accept = user.can(Capability.MANAGE_SCORECARDS)
    return {
        "awaiting_acceptance": list(pending_self_reports(user)[:10]) if may_accept else [],
        "data_due": list(due[:10]),
        "today": today,
    }


# --------------------------------------------------------------------------- executive dashboard

# Meeting series an executive attends: the strategic reviews and the sponsor meetings.
STRATEGIC_MEETING_KINDS = (
    CadenceKind.QUARTERLY_BUSINESS_REVIEW,
    CadenceKind.STEERING_COMMITTEE,
    CadenceKind.EXECUTIVE_SPONSOR,
    CadenceKind.ANNUAL_STRATEGIC_REVIEW,
)
UPCOMING_DAYS = 60
UPCOMING_LIMIT = 10
# Scored periods per sparkline: two years of quarters.
TREND_PERIODS = 8


def _shown_score() -> Cast:
    """The partner's headline score as its stored verdict shows it, as a number."""
    return Cast(
        NullIf(F("risk_signals__score_shown"), Value("")),
        DecimalField(max_digits=7, decimal_places=1),
    )


def score_distribution(partners: QuerySet[Partner]) -> dict[str, list[DistributionGroup]]:
    """Portfolio health: the partners per rating band of their latest score (as the stored
    at-risk verdict holds it, refreshed after every close), by engagement model, Kraljic
    quadrant, category and executive sponsor. Three GROUP BY queries over one row per
    partner; what comes back is at most a few rows per group, whatever the portfolio."""
    counted = {"n": Count("id"), "score_sum": Sum(_shown_score())}
    grouped = partners.order_by().annotate(band=F("risk_signals__rating"))
    model_quadrant = list(
        grouped.values("engagement_model", "quadrant", "band")
        .annotate(**counted)
        .values_list("engagement_model", "quadrant", "band", "n", "score_sum")
    )
    categories = list(
        grouped.annotate(code=F("categories__code"), title=F("categories__name"))
        .values("code", "title", "band")
        .annotate(**counted)
        .values_list("code", "title", "band", "n", "score_sum")
    )
    sponsors = list(
        grouped.annotate(
            first=F("executive_sponsor__first_name"),
            last=F("executive_sponsor__last_name"),
            login=F("executive_sponsor__username"),
        )
        .values("executive_sponsor_id", "first", "last", "login", "band")
        .annotate(**counted)
        .values_list("executive_sponsor_id", "band", "n", "score_sum", "first", "last", "login")
    )
    category_names = {code or "": name for code, name, *_rest in categories}
    category_names[""] = _("No category")
    sponsor_names = {
        str(pk or ""): f"{first} {last}".strip() or username
        for pk, _r, _n, _s, first, last, username in sponsors
    }
    sponsor_names[""] = _("No executive sponsor")
    return {
        "by_model": distribution_groups(
            ((m, r, n, s) for m, _q, r, n, s in model_quadrant),
            order=[m.value for m in EngagementModel],
            label=lambda key: str(EngagementModel(key).label) if key else key,
        ),
        "by_quadrant": distribution_groups(
            ((q or UNSEGMENTED, r, n, s) for _m, q, r, n, s in model_quadrant),
            order=[*(q.value for q in Quadrant), UNSEGMENTED],
            label=quadrant_label,
        ),
        "by_category": distribution_groups(
            ((code, r, n, s) for code, _name, r, n, s in categories),
            label=lambda key: str(category_names.get(key, key)),
        ),
        "by_sponsor": distribution_groups(
            ((str(pk or ""), r, n, s) for pk, r, n, s, *_names in sponsors),
            label=lambda key: str(sponsor_names.get(key, key)),
        ),
    }


def partners_at_risk(
    user: Any, partners: QuerySet[Partner] | None = None
) -> QuerySet[PartnerRiskSignals]:
    """The partnerships an executive should look at (of ``partners``, by default every one the
    user may see), with the reasons, as the refresh stored them (governance.services.
    risk_signals), by partner name. The caller pages it: a page reads its rows through the
    partial index of partners at risk, whatever the portfolio."""
    scope = partner_list(user) if partners is None else partners
    return (
        PartnerRiskSignals.objects.filter(at_risk=True, partner__in=scope.values("pk"))
        .select_related("partner")
        .only("partner__short_name", "reasons", "score_shown", "rating", "refreshed_at")
        .order_by("partner__short_name", "partner_id")
    )


@dataclass(frozen=True, slots=True)
class ScoreTrend:
    """A partner's headline scorecard's last scored periods, oldest first."""

    labels: tuple[str, ...]
    scores: tuple[Decimal, ...]

    @property
    def svg(self) -> SafeString:
        shown = ", ".join(
            f"{label}: {number_format(score, 1)}"
            for label, score in zip(self.labels, self.scores, strict=True)
        )
        return sparkline_svg(self.scores, title=_("Score trend: %(scores)s") % {"scores": shown})


def score_trends(
    partner_ids: Iterable[int], *, periods: int = TREND_PERIODS
) -> dict[int, ScoreTrend]:
    """Per partner, the last ``periods`` scored periods of its headline scorecard (the one
    whose latest score is the partner's, as scorecards.latest_scores defines it). One query
    for all the partners given: the at-risk rows of one page."""
    rows = (
        scored_periods()
        .filter(scorecard__partner_id__in=list(partner_ids))
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("scorecard_id")], order_by=F("end").desc()),
            shown=shown_overall(),
        )
        .filter(rank__lte=periods)
        .order_by("scorecard__partner_id", "scorecard_id", "end")
        .values_list("scorecard__partner_id", "scorecard_id", "end", "label", "shown", "overall")
    )
    by_scorecard: dict[tuple[int, int], list[tuple[date, str, Decimal]]] = defaultdict(list)
    for partner_id, scorecard_id, end, label, shown, overall in rows:
        score = Decimal(shown) if shown else Decimal(overall or 0)
        by_scorecard[(partner_id, scorecard_id)].append((end, label, score))
    headline: dict[int, tuple[int, list[tuple[date, str, Decimal]]]] = {}
    for (partner_id, scorecard_id), points in by_scorecard.items():
        best = headline.get(partner_id)
        # The latest end wins; a tie goes to the lowest scorecard id (headline_score's rule).
        if best is None or (points[-1][0], -scorecard_id) > (best[1][-1][0], -best[0]):
            headline[partner_id] = (scorecard_id, points)
    return {
        partner_id: ScoreTrend(
            labels=tuple(label for _end, label, _s in points),
            scores=tuple(score for _end, _label, score in points),
        )
        for partner_id, (_id, points) in headline.items()
    }


def upcoming_reviews(
    user: Any, partners: QuerySet[Partner], *, days: int = UPCOMING_DAYS
) -> list[Meeting]:
    """The next strategic reviews and sponsor meetings of ``partners`` the user may see, in
    the next ``days`` days, soonest first (at most UPCOMING_LIMIT): meetings of a QBR,
    steering-committee, executive-sponsor or annual-review series, and any other meeting the
    partner's executive sponsor attends. One query."""
    now = timezone.now()
    sponsor_attends = Meeting.attendees.through.objects.filter(
        meeting_id=OuterRef("pk"), user_id=OuterRef("partner__executive_sponsor_id")
    )
    return list(
        meetings_visible_to(user)
        .filter(
            partner__in=partners.values("pk"),
            start__gte=now,
            start__lt=now + timedelta(days=days),
            status=MeetingStatus.SCHEDULED,
        )
        .filter(Q(cadence__kind__in=list(STRATEGIC_MEETING_KINDS)) | Exists(sponsor_attends))
        .select_related("partner__executive_sponsor")
        .order_by("start", "id")[:UPCOMING_LIMIT]
    )


def meeting_kind_label(meeting: Meeting) -> str:
    """What kind of review a meeting is: its series' kind, or a sponsor meeting."""
    if meeting.cadence is not None:
        try:
            return str(CadenceKind(meeting.cadence.kind).label)
        except ValueError:
            pass
    return str(_("Sponsor meeting"))


# Rows of the at-risk table per page: the dashboard stays the same size at any portfolio.
AT_RISK_PAGE = 25


def rating_band_labels() -> dict[str, str]:
    """The bands of the score distribution, as the legend names them."""
    return {
        "excellent": _("Excellent"),
        "good": _("Good"),
        "needs_improvement": _("Needs improvement"),
        "critical": _("Critical"),
        "unscored": _("Not scored yet"),
    }


def executive_dashboard_data(
    user: Any, params: Mapping[str, Any], *, at_risk_page: Any = None
) -> dict[str, Any]:
    """Everything the executive dashboard shows, for the partners its filters select (see
    srm.dashboard_filters). A constant number of queries, each an aggregate or a page."""
    visible = partners_visible_to(user)
    form, filters = dashboard_filter(params, visible)
    partners = filters.apply(visible)
    year = latest_spend_year() or 0
    scores = score_distribution(partners)
    spend = quadrant_spend(partners, year)
    for param, groups in (
        ("quadrant", scores["by_quadrant"]),
        ("category", scores["by_category"]),
        ("sponsor", scores["by_sponsor"]),
    ):
        for group in groups:
            if group.key:  # "no category" and "no sponsor" are no filter
                group.href = "?" + filters.query(**{param: group.key})
    for group in scores["by_quadrant"]:
        group.spend = spend.get(group.key, Decimal(0))
    bands = rating_band_labels()
    at_risk = Paginator(partners_at_risk(user, partners), AT_RISK_PAGE).get_page(at_risk_page)
    rows = list(at_risk.object_list)
    trends = score_trends(row.partner_id for row in rows)
    return {
        "filter_form": form,
        "filters": filters,
        "year": year,
        "partner_count": sum(g.total for g in scores["by_model"]),
        "total_spend": sum(spend.values(), Decimal(0)),
        "bands": bands,
        "band_totals": distribution_totals(scores["by_model"]),
        "scores": scores,
        "charts": {name: chart_data(groups, bands=bands) for name, groups in scores.items()},
        "at_risk": at_risk,
        "at_risk_rows": [(row, trends.get(row.partner_id)) for row in rows],
        "upcoming": [
            (meeting, meeting_kind_label(meeting)) for meeting in upcoming_reviews(user, partners)
        ],
        "upcoming_days": UPCOMING_DAYS,
        "accountability": executive_figures(user, partners=partners),
        "kraljic": kraljic_bubbles(user, partners=partners),
    }

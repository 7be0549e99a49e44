"""The stored at-risk verdict of each partnership (governance.models.PartnerRiskSignals).

The signals are loaded set-based for the partners asked for — their latest two scores, the
compliance of their active cadences over the compliance window, their escalations beyond the
first level, their high-severity risk flags — judged by the pure rule (governance.at_risk),
and written with one INSERT … ON CONFLICT DO UPDATE. A refresh of one partner reads only that
partner's rows; the daily refresh of everyone is a background job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from core.models import Actor
from governance.accountability import accountability_reasons
from governance.at_risk import PartnerSignals, at_risk_reasons
from governance.models import Cadence, Escalation, Meeting, PartnerRiskSignals
from governance.selectors import COMPLIANCE_WINDOW, compliance_for
from partners.models import Partner
from scorecards.latest_scores import partner_latest_scores

# Partners judged per round: bounds the memory of the daily refresh of a large portfolio.
BATCH = 1000


def _missed_meetings(ids: Sequence[int], now: datetime) -> dict[int, list[str]]:
    cadences = Cadence.objects.filter(partner__in=ids, active=True).prefetch_related(
        Prefetch(
            "meetings",
            queryset=Meeting.objects.filter(start__gte=now - COMPLIANCE_WINDOW, start__lt=now).only(
                "id", "cadence_id", "start", "status"
            ),
        )
    )
    missed: dict[int, list[str]] = defaultdict(list)
    for row in compliance_for(cadences, now, COMPLIANCE_WINDOW):
        if row.compliance.at_risk and row.compliance.missed:
            missed[row.cadence.partner_id].append(row.cadence.name)
    return missed


def _refresh_batch(ids: Sequence[int], now: datetime) -> int:
    partners = list(Partner.objects.filter(pk__in=ids).only("pk", "risk_flags"))
    scores = partner_latest_scores([p.pk for p in partners])
    missed = _missed_meetings(ids, now)
    escalations = dict(
        Escalation.objects.filter(partner__in=ids, resolved_at__isnull=True)
        .filter(Q(level__gte=2) | Q(overdue_at_top=True))
        .order_by()
        .values_list("partner_id")
        .annotate(n=Count("id"))
    )
    # Issue 11's reasons: an open improvement plan, a survey gap, not paid back after 18 months.
    accountability = accountability_reasons(Partner.objects.filter(pk__in=ids))
    rows = []
    for partner in partners:
        score = scores.get(partner.pk)
        signals = PartnerSignals(
            latest_score=score.overall if score else None,
            previous_score=score.previous_overall if score else None,
            latest_rating=(score.rating or None) if score else None,
            missed_meetings=tuple(missed.get(partner.pk, ())),
            escalations_overdue=escalations.get(partner.pk, 0),
            high_flags=tuple(
                f["message"] for f in partner.risk_flags or [] if f.get("severity") == "high"
            ),
        )
        reasons = at_risk_reasons(signals) + accountability.get(partner.pk, [])
        rows.append(
            PartnerRiskSignals(
                partner_id=partner.pk,
                at_risk=bool(reasons),
                reasons=reasons,
                score_shown=score.shown if score else "",
                rating=score.rating if score else "",
                refreshed_at=now,
            )
        )
    PartnerRiskSignals.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["partner"],
        update_fields=["at_risk", "reasons", "score_shown", "rating", "refreshed_at"],
    )
    return len(rows)


def risk_signals_refresh(
    *, actor: Actor, partner_ids: Sequence[int] | None = None, now: datetime | None = None
) -> int:
    """Judge the given partners (all when None) and store the verdicts; returns how many.

    No capability of its own: it recomputes derived data that a change the caller was allowed
    to make (or time) left stale, and it is run by the refresh job as a system actor.
    """
    del actor  # recorded by the caller's own audit entry; the verdict is derived data
    now = now or timezone.now()
    if partner_ids is None:
        ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(partner_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            done += _refresh_batch(ids[start : start + BATCH], now)
    return done

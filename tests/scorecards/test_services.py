"""Scorecard services against the database: apply, measure, close, dispute, roll up."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core import outbox
from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.models import AuditEvent, OutboxMessage
from core.roles import SYSTEM
from scorecards.models import (
    Dispute,
    Measurement,
    Period,
    PortfolioRollup,
    ScorecardTemplate,
)
from scorecards.services.disputes import dispute_raise, dispute_resolve
from scorecards.services.measurements import (
    measurement_record,
    measurement_review,
    measurements_record_grid,
)
from scorecards.services.periods import (
    period_close,
    period_reopen,
    periods_close,
    periods_close_due,
)
from scorecards.services.rollups import rollups_refresh
from scorecards.services.scorecards import scorecard_apply_template, scorecard_upgrade_template
from scorecards.services.templates import scorecard_template_create
from tests.factories import PartnerFactory, UserFactory
from tests.scorecards.factories import (
    DEFAULT_PERSPECTIVES,
    HAND_VALUES,
    default_template,
    enter_values,
    kpis_by_code,
    manager,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db


def test_applying_a_template_by_code_opens_the_current_period_once(partner_a) -> None:
    default_template()
    first = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template_code="strategic-balanced", today=date(2026, 5, 10)
    )
    again = scorecard_apply_template(
        actor=SYSTEM, partner=partner_a, template_code="strategic-balanced"
    )
    assert again == first
    period = open_period(first)
    assert (period.label, period.start, period.end) == (
        "2026-Q2",
        date(2026, 4, 1),
        date(2026, 6, 30),
    )


def test_an_unknown_template_code_is_a_field_error(partner_a) -> None:
    with pytest.raises(FieldErrors) as error:
        scorecard_apply_template(actor=SYSTEM, partner=partner_a, template_code="nope")
    assert "template_code" in error.value.errors


def test_template_weights_must_sum_to_100() -> None:
    bad = [dict(p) for p in DEFAULT_PERSPECTIVES]
    bad[0] = {**bad[0], "weight": 31}
    with pytest.raises(FieldErrors) as error:
        scorecard_template_create(actor=SYSTEM, code="x", name="X", perspectives=bad)
    assert "sum to 100 (they sum to 101)" in error.value.errors["perspectives"][0]
    assert not ScorecardTemplate.objects.exists()


def test_a_template_edit_is_a_new_version_and_old_periods_keep_theirs(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, HAND_VALUES)
    period_close(actor=SYSTEM, period=period)
    v2 = scorecard_template_create(
        actor=SYSTEM,
        code="strategic-balanced",
        name="Strategic balanced",
        perspectives=DEFAULT_PERSPECTIVES,
    )
    assert v2.version == 2
    period.refresh_from_db()
    assert period.scored_template.version == 1
    assert period.breakdown["template_version"] == 1


def test_closing_scores_exactly_and_freezes_the_breakdown(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, HAND_VALUES)
    period_close(actor=manager(), period=period)
    period.refresh_from_db()
    assert period.status == "closed"
    assert period.overall == Decimal("69.5")
    assert period.rating == "needs_improvement"
    assert period.coverage == Decimal(100)
    assert period.provisional is False
    b = period.breakdown
    assert [(p["code"], p["score"]) for p in b["perspectives"]] == [
        ("cost", "50.0"),
        ("innovation", "75.0"),
        ("quality", "80.0"),
        ("sustainability", "80.0"),
    ]
    ppv = b["perspectives"][0]["kpis"][0]
    assert ppv == ppv | {
        "value": "2.5",
        "target": "0",
        "threshold": "5",
        "weight": "2",
        "source": "buyer",
        "score": "50.0",
        "direction": "lower_is_better",
    }
    # The next period opens, ready for data.
    assert open_period(scorecard).label == "2026-Q3"


def test_missing_data_makes_the_score_provisional(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, {"ppv": Decimal(0), "patents": Decimal(4)})
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    # cost: ppv 100 (weight 2 of 3) → 20 of 30 covered; innovation 30 → coverage 50 %.
    assert period.coverage == Decimal(50)
    assert period.provisional is True
    assert period.overall == Decimal(100)


def test_sub_period_values_aggregate_as_the_kpi_says(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    ideas = kpis_by_code(scorecard)["savings-ideas"]
    actor = manager()
    for day, value in ((date(2026, 4, 30), 2), (date(2026, 5, 31), 3)):
        measurement_record(
            actor=actor, period=period, kpi=ideas, value=Decimal(value), measured_on=day
        )
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    kpi = period.breakdown["perspectives"][0]["kpis"][1]
    assert (kpi["value"], kpi["values_count"], kpi["score"]) == ("5", 2, "50.0")


def test_closing_twice_changes_nothing(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, HAND_VALUES)
    periods_close(actor=SYSTEM, period_ids=[period.pk])
    first = Period.objects.get(pk=period.pk)
    assert periods_close(actor=SYSTEM, period_ids=[period.pk]) == []
    second = Period.objects.get(pk=period.pk)
    assert (second.overall, second.breakdown, second.closed_at) == (
        first.overall,
        first.breakdown,
        first.closed_at,
    )
    assert Period.objects.filter(scorecard=scorecard).count() == 2
    with pytest.raises(ConflictError):
        period_close(actor=SYSTEM, period=period)


def _portfolio(n: int) -> list[int]:
    ids = []
    actor = manager()
    for _ in range(n):
        scorecard = scorecard_for(PartnerFactory())
        ids.append(enter_values(scorecard, HAND_VALUES, actor=actor).pk)
    return ids


@pytest.mark.parametrize("n", [2, 20])
def test_closing_costs_the_same_queries_for_2_or_20_scorecards(
    n, django_assert_max_num_queries
) -> None:
    ids = _portfolio(n)
    # 10: the fixed reads and writes of the close plus the outbox job that refreshes the
    # at-risk verdicts of the partners it touched (one row, whatever the number).
    with django_assert_max_num_queries(10):
        closed = periods_close(actor=SYSTEM, period_ids=ids)
    assert len(closed) == n
    assert {p.overall for p in Period.objects.filter(pk__in=ids)} == {Decimal("69.5")}


def test_closing_due_periods_catches_up_and_is_idempotent(partner_a) -> None:
    scorecard = scorecard_for(partner_a, today=date(2025, 11, 1))
    enter_values(scorecard, HAND_VALUES)
    assert periods_close_due(actor=SYSTEM, today=date(2026, 5, 10)) == 2  # 2025-Q4 and 2026-Q1
    assert periods_close_due(actor=SYSTEM, today=date(2026, 5, 10)) == 0
    labels = list(scorecard.periods.values_list("label", "status"))
    assert labels == [("2025-Q4", "closed"), ("2026-Q1", "closed"), ("2026-Q2", "open")]


def test_a_self_report_counts_only_once_accepted(partner_a, supplier_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    ideas = kpis_by_code(scorecard)["savings-ideas"]
    report = measurement_record(
        actor=supplier_a, period=period, kpi=ideas, value=Decimal(10), comment="See the log"
    )
    assert report.status == "submitted"
    with pytest.raises(PermissionDeniedError):
        measurement_review(actor=supplier_a, measurement=report, accept=True)
    measurement_review(actor=manager(), measurement=report, accept=True)
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    ideas_row = period.breakdown["perspectives"][0]["kpis"][1]
    assert (ideas_row["score"], ideas_row["value_sources"]) == ("100.0", ["supplier"])


def test_a_rejected_self_report_needs_a_reason_and_never_counts(partner_a, supplier_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    report = measurement_record(
        actor=supplier_a,
        period=period,
        kpi=kpis_by_code(scorecard)["savings-ideas"],
        value=Decimal(10),
    )
    with pytest.raises(FieldErrors):
        measurement_review(actor=manager(), measurement=report, accept=False)
    measurement_review(actor=manager(), measurement=report, accept=False, comment="No log")
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    assert period.overall is None


def test_suppliers_cannot_touch_buyer_values_or_other_partners(
    partner_a, partner_b, supplier_a, supplier_b
) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, {"ppv": Decimal(1)})
    kpis = kpis_by_code(scorecard)
    with pytest.raises(PermissionDeniedError):
        measurements_record_grid(
            actor=supplier_a, period=period, values={kpis["ppv"].pk: Decimal(0)}
        )
    with pytest.raises(FieldErrors):  # a buyer-measured KPI is not self-reported
        measurement_record(actor=supplier_a, period=period, kpi=kpis["ppv"], value=Decimal(0))
    with pytest.raises(PermissionDeniedError):
        measurement_record(
            actor=supplier_b, period=period, kpi=kpis["savings-ideas"], value=Decimal(1)
        )
    assert Measurement.objects.get(period=period, kpi=kpis["ppv"]).value == Decimal(1)


def test_a_closed_period_refuses_data_until_reopened_and_the_reopening_is_recorded(
    partner_a,
) -> None:
    scorecard = scorecard_for(partner_a)
    period = enter_values(scorecard, HAND_VALUES)
    period_close(actor=SYSTEM, period=period)
    kpi = kpis_by_code(scorecard)["ppv"]
    with pytest.raises(ConflictError):
        measurement_record(actor=manager(), period=period, kpi=kpi, value=Decimal(0))
    with pytest.raises(FieldErrors):
        period_reopen(actor=manager(), period=period, reason=" ")
    period_reopen(actor=manager(), period=period, reason="Late invoice data")
    period.refresh_from_db()
    assert (period.status, period.reopen_count) == ("open", 1)
    assert AuditEvent.objects.filter(action="period.reopen", object_id=str(period.pk)).exists()
    measurement_record(actor=manager(), period=period, kpi=kpi, value=Decimal(0))
    period_close(actor=SYSTEM, period=period)
    period.refresh_from_db()
    assert period.overall == Decimal("79.5")  # cost becomes (2*100 + 50)/3 = 83.33…


def test_the_grid_sets_and_clears_buyer_values(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    actor = manager()
    assert (
        measurements_record_grid(
            actor=actor, period=period, values={kpis["ppv"].pk: Decimal(1), kpis["ppm"].pk: None}
        )
        == 1
    )
    assert (
        measurements_record_grid(actor=actor, period=period, values={kpis["ppv"].pk: Decimal(1)})
        == 0
    )
    assert measurements_record_grid(actor=actor, period=period, values={kpis["ppv"].pk: None}) == 1
    assert not Measurement.objects.filter(period=period).exists()


def _closed(partner, values=HAND_VALUES) -> Period:
    period = enter_values(scorecard_for(partner), values)
    return period_close(actor=SYSTEM, period=period)


def test_a_dispute_corrected_rescores_with_the_frozen_version(partner_a, supplier_a) -> None:
    period = _closed(partner_a)
    scorecard_template_create(  # a later template version must not be used
        actor=SYSTEM,
        code="strategic-balanced",
        name="v2",
        perspectives=[{"code": "cost", "weight": 100, "kpis": DEFAULT_PERSPECTIVES[0]["kpis"]}],
    )
    dispute = dispute_raise(actor=supplier_a, period=period, reason="We filed 4 patents")
    resolved = dispute_resolve(
        actor=manager(),
        dispute=dispute,
        outcome="corrected",
        explanation="Fourth patent confirmed",
        corrections={"patents": Decimal(4)},
    )
    period.refresh_from_db()
    assert resolved.overall_before == "69.5"
    assert (
        period.overall == Decimal("77") and resolved.overall_after == "77.0"
    )  # innovation 75 → 100
    assert period.breakdown["template_version"] == 1
    assert period.status == "closed"
    assert supplier_a.notifications.filter(subject__contains="corrected").exists()


def test_a_dispute_rejected_keeps_the_score(partner_a, supplier_a) -> None:
    period = _closed(partner_a)
    dispute = dispute_raise(actor=supplier_a, period=period, reason="Too low")
    with pytest.raises(FieldErrors):
        dispute_resolve(actor=manager(), dispute=dispute, outcome="rejected", explanation="")
    dispute_resolve(
        actor=manager(), dispute=dispute, outcome="rejected", explanation="Data is correct"
    )
    period.refresh_from_db()
    assert period.overall == Decimal("69.5")
    assert Dispute.objects.get().status == "rejected"


def test_disputes_only_by_the_partner_within_the_window(partner_a, supplier_a, supplier_b) -> None:
    period = _closed(partner_a)
    with pytest.raises(PermissionDeniedError):
        dispute_raise(actor=supplier_b, period=period, reason="x")
    with pytest.raises(PermissionDeniedError):
        dispute_raise(actor=manager(), period=period, reason="x")
    late = timezone.localdate() + timedelta(days=15)
    with pytest.raises(ConflictError):
        dispute_raise(actor=supplier_a, period=period, reason="x", today=late)
    dispute_raise(actor=supplier_a, period=period, reason="x")
    with pytest.raises(ConflictError):
        dispute_raise(actor=supplier_a, period=period, reason="again")
    with pytest.raises(PermissionDeniedError):
        dispute_resolve(
            actor=supplier_a, dispute=Dispute.objects.get(), outcome="rejected", explanation="x"
        )


def test_rollups_group_the_latest_closed_scores(django_assert_max_num_queries) -> None:
    sponsor = UserFactory(username="sponsor", first_name="Helena", last_name="Vogt")
    strong = PartnerFactory(engagement_model="strategic_partnership", executive_sponsor=sponsor)
    weak = PartnerFactory(engagement_model="preferred_supplier", quadrant="leverage")
    _closed(strong, {**HAND_VALUES, "patents": Decimal(4), "ppv": Decimal(0)})
    _closed(weak)
    with django_assert_max_num_queries(10):  # 9 + the advisory lock that serialises rebuilds
        rollups_refresh(actor=SYSTEM)
    rollups_refresh(actor=SYSTEM)  # idempotent: rebuilt, not added to
    rows = {(r.dimension, r.key): r for r in PortfolioRollup.objects.all()}
    model = rows[("engagement_model", "strategic_partnership")]
    assert (model.scorecards, model.excellent, model.average) == (1, 1, Decimal(87))
    assert rows[("engagement_model", "preferred_supplier")].needs_improvement == 1
    assert rows[("quadrant", "leverage")].average == Decimal("69.5")
    assert rows[("sponsor", str(sponsor.pk))].label == "Helena Vogt"
    assert len([k for k in rows if k[0] == "engagement_model"]) == 2


def test_a_self_report_notifies_the_partner_owner(partner_a, supplier_a) -> None:
    owner = UserFactory(username="owner")
    partner_a.owner = owner
    partner_a.save()
    scorecard = scorecard_for(partner_a)
    measurement_record(
        actor=supplier_a,
        period=open_period(scorecard),
        kpi=kpis_by_code(scorecard)["savings-ideas"],
        value=Decimal(2),
    )
    assert owner.notifications.get().subject.endswith("awaiting acceptance")


def test_an_upgraded_scorecard_scores_open_periods_with_the_new_version(partner_a) -> None:
    scorecard = scorecard_for(partner_a)
    first = enter_values(scorecard, HAND_VALUES)
    period_close(actor=SYSTEM, period=first)
    scorecard_template_create(
        actor=SYSTEM,
        code="strategic-balanced",
        name="Strategic balanced",
        perspectives=[{"code": "cost", "weight": 100, "kpis": DEFAULT_PERSPECTIVES[0]["kpis"]}],
    )
    scorecard_upgrade_template(actor=manager(), scorecard=scorecard)
    second = enter_values(scorecard, {"ppv": Decimal("2.5"), "savings-ideas": Decimal(5)})
    period_close(actor=SYSTEM, period=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.breakdown["template_version"], first.overall) == (1, Decimal("69.5"))
    assert (second.breakdown["template_version"], second.overall) == (2, Decimal(50))


def test_a_broken_template_does_not_stop_the_close_of_the_others(partner_a, partner_b) -> None:
    good = enter_values(scorecard_for(partner_a), HAND_VALUES)
    broken_template = scorecard_template_create(
        actor=SYSTEM, code="other", name="Other", perspectives=DEFAULT_PERSPECTIVES
    )
    broken = scorecard_apply_template(
        actor=SYSTEM, partner=partner_b, template=broken_template, today=date(2026, 5, 10)
    )
    broken_template.perspectives.filter(code="cost").update(weight=50)  # an admin edit
    assert periods_close_due(actor=SYSTEM, today=date(2026, 7, 2)) == 1
    good.refresh_from_db()
    assert good.status == "closed"
    assert open_period(broken).label == "2026-Q2"


def test_a_manual_close_defers_a_rollup_refresh_through_the_outbox(partner_a) -> None:
    """The refresh is an outbox job written with the close (so a broker outage cannot lose
    it); closes before the sweep coalesce into one job, and the sweep rebuilds the rollups."""
    period = enter_values(scorecard_for(partner_a), HAND_VALUES)
    period_close(actor=manager(), period=period)
    period_reopen(actor=manager(), period=period, reason="Typo in a value")
    jobs = OutboxMessage.objects.filter(channel="job")
    assert list(jobs.values_list("task_name", "state")) == [
        ("scorecards.tasks.scorecards_refresh_rollups", "pending"),
        ("governance.tasks.risk_signals_refresh", "pending"),  # the partner's at-risk verdict
    ]
    assert not PortfolioRollup.objects.exists()
    period_close(actor=manager(), period=period)
    assert outbox.sweep().jobs == 2
    jobs = jobs.filter(task_name="scorecards.tasks.scorecards_refresh_rollups")
    assert jobs.get().state == "sent"
    assert PortfolioRollup.objects.exists()

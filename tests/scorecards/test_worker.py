"""The period-close job runs in a real Celery worker process on Redis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from scorecards.models import Period, PortfolioRollup
from scorecards.services.periods import period_close
from scorecards.tasks import scorecards_close_due_periods
from tests.factories import PartnerFactory
from tests.scorecards.factories import HAND_VALUES, enter_values, manager, scorecard_for
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_closes_due_periods_and_refreshes_rollups(celery_worker_process) -> None:
    scorecard = scorecard_for(PartnerFactory(), today=date(2025, 2, 1))
    due = enter_values(scorecard, HAND_VALUES)  # 2025-Q1, long over

    scorecards_close_due_periods.delay_on_commit()  # type: ignore[attr-defined]

    assert wait_until(lambda: Period.objects.get(pk=due.pk).status == "closed")
    assert wait_until(lambda: PortfolioRollup.objects.filter(dimension="quadrant").exists())
    closed = Period.objects.get(pk=due.pk)
    assert str(closed.overall) == "69.5000" and closed.rating == "needs_improvement"
    # It caught up every quarter since and left the current one open.
    assert Period.objects.filter(scorecard=scorecard, status="open").count() == 1
    closed_count = Period.objects.filter(scorecard=scorecard, status="closed").count()

    # Running it again closes nothing twice (the rebuilt rollups show the run finished).
    PortfolioRollup.objects.all().delete()
    scorecards_close_due_periods.delay_on_commit()  # type: ignore[attr-defined]
    assert wait_until(lambda: PortfolioRollup.objects.exists())
    assert Period.objects.filter(scorecard=scorecard, status="closed").count() == closed_count
    assert Period.objects.get(pk=due.pk).closed_at == closed.closed_at


def test_a_manual_close_has_the_worker_rebuild_the_rollups(celery_worker_process) -> None:
    """The close queues the rebuild by task name once committed (the services do not import
    the task module); the worker finds the task under that name."""
    period = enter_values(scorecard_for(PartnerFactory()), HAND_VALUES)
    period_close(actor=manager(), period=period)
    assert wait_until(lambda: PortfolioRollup.objects.filter(dimension="quadrant").exists())
    assert PortfolioRollup.objects.get(dimension="quadrant").average == Decimal("69.5")

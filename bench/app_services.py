"""The few app services the benchmarks call, with the benchmark's own system actor.

The generator and the runner write through the apps' own services where the result must be
exactly what the app would store (a closed period's frozen breakdown, the risk flags, the
portfolio rollups).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.roles import SystemActor
from governance.services import risk_signals
from partners.services import flags
from scorecards.services import periods, rollups

BENCH_ACTOR = SystemActor("benchmark")


def periods_close(period_ids: Sequence[int]) -> int:
    """Close the given open periods with the app's set-based close; how many it closed."""
    return len(periods.periods_close(actor=BENCH_ACTOR, period_ids=list(period_ids)))


def rollups_refresh() -> None:
    """Rebuild the portfolio rollups the executive dashboard reads."""
    rollups.rollups_refresh(actor=BENCH_ACTOR)


def risk_signals_refresh() -> None:
    """Judge every partnership at risk or not, as the daily refresh does."""
    risk_signals.risk_signals_refresh(actor=BENCH_ACTOR)


def partner_flags_refresh() -> None:
    """Recompute every partner's stored risk flags."""
    flags.partner_flags_refresh(actor=BENCH_ACTOR, partner_ids=None)

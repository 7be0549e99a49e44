"""Keeping the stored at-risk signals (governance.models.PartnerRiskSignals) current.

Every layer changes an input of "is this partnership at risk?" (scores at period close, risk
flags, meetings, escalations), but only the top domain app can judge it. So a write that
changes an input defers the refresh of the partners it touched as an outbox job, by the
task's registered name, in the same transaction (nothing happens if it rolls back; a broker
outage delays it, never loses it). A daily job refreshes everyone, for what time alone changes
(a meeting that was due and never held).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.outbox import job_defer

# The Celery name of governance.tasks.risk_signals_refresh, which the outbox sweep runs.
RISK_SIGNALS_REFRESH_TASK = "governance.tasks.risk_signals_refresh"


def risk_signals_refresh_after_commit(partner_ids: Iterable[int]) -> None:
    """Have the at-risk signals of these partners recomputed once this transaction commits.
    Pending refreshes of one partner merge into one job."""
    ids = sorted(set(partner_ids))
    if not ids:
        return
    if len(ids) == 1:
        job_defer(RISK_SIGNALS_REFRESH_TASK, args=[ids], dedupe_key=f"risk-signals:{ids[0]}")
    else:
        job_defer(RISK_SIGNALS_REFRESH_TASK, args=[ids])

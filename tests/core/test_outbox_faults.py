"""Faults with real processes: a Celery worker SIGKILLed mid-batch, Redis stopped and frozen
under a gunicorn web server, with a local SMTP server counting what arrives.

Time is bounded: the processes run with a short outbox lease (10 s) and beat sweeping every
2 s instead of 60 s, so recovery takes seconds here; production's lease and sweep interval
(60 s each, checked below) bound it at about two minutes.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from core.api_tokens import api_token_create
from core.models import AuditEvent, Notification, OutboxMessage
from governance.models import ActionItem, Escalation
from governance.tasks import governance_reminders
from scorecards.models import Period, PortfolioRollup
from tests.factories import PartnerFactory, UserFactory
from tests.faults import (
    AppProcess,
    SmtpSink,
    app_env,
    beat,
    free_port,
    gunicorn,
    own_redis,
    purge_queue,
    smtp_sink,
    worker,
)
from tests.governance.factories import standard_ladder
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAST = {"SRM_OUTBOX_LEASE_SECONDS": "10", "SRM_OUTBOX_SWEEP_SECONDS": "2"}


def _ready(log: str) -> bool:
    return "ready." in log


def _beat_ready(log: str) -> bool:
    return "beat: Starting" in log


def test_production_recovery_is_bounded_at_minutes() -> None:
    """A killed sender's rows come back after the lease; the next sweep takes them."""
    assert settings.SRM_OUTBOX_LEASE_SECONDS + settings.SRM_OUTBOX_SWEEP_SECONDS <= 150
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600


@pytest.fixture
def processes() -> Iterator[list[AppProcess]]:
    started: list[AppProcess] = []
    yield started
    for process in started:
        process.stop()


def test_a_worker_killed_mid_batch_sends_every_reminder_exactly_once(
    processes: list[AppProcess], tmp_path: Path
) -> None:
    owner = UserFactory(username="busy-owner", email="busy@example.com")
    partner = PartnerFactory(alliance_manager=owner)
    ActionItem.objects.bulk_create(
        ActionItem(partner=partner, title=f"Deliver sample {i}", owner_user=owner,
                   due_date=date(2026, 1, 1))
        for i in range(2000)
    )  # fmt: skip
    queue = f"srm-test-kill-{free_port()}"  # not the suite's worker's queue
    with smtp_sink() as sink:
        env = app_env(**sink.env(), **FAST, SRM_CELERY_QUEUE=queue)
        purge_queue(env)
        first = worker(env, "kill-worker-1")
        processes.append(first)
        first.start(_ready)
        # The reminder job writes 2,000 notifications; its end wakes one sweep.

        governance_reminders.apply_async(queue=queue)
        # Kill in the middle of a batch of 100 (the sweep sends them in row order).
        deadline = time.monotonic() + 120
        while not (sink.count >= 350 and 20 <= sink.count % 100 <= 80):
            assert time.monotonic() < deadline and sink.count < 1900, first.log()[-3000:]
            time.sleep(0.002)
        first.kill()
        at_kill = sink.count
        assert OutboxMessage.objects.filter(state="sending").exists()  # a batch left half done

        restarted_at = time.monotonic()
        second = worker(env, "kill-worker-2")
        processes.append(second)
        second.start(_ready)
        schedule = beat(env, tmp_path / "beat-schedule")
        processes.append(schedule)
        schedule.start(_beat_ready)
        done = wait_until(lambda: len(sink.counts()) == 2000, timeout=300)
        recovery = time.monotonic() - restarted_at
        assert done, f"{len(sink.counts())} of 2000 arrived\n{second.log()[-3000:]}"
        time.sleep(3)  # any late duplicate would arrive now
    counts = sink.counts()
    assert sum(counts.values()) == 2000, [m for m, n in counts.items() if n > 1][:5]
    assert set(counts.values()) == {1}
    assert OutboxMessage.objects.filter(state="sent").count() == 2000
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2000
    assert recovery < 300
    print(f"killed after {at_kill} e-mails; all 2000 sent {recovery:.1f} s after the restart")


def _call(
    method: str, url: str, token: str, body: dict[str, Any] | None = None
) -> tuple[int, float]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - localhost
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def _world() -> dict[str, Any]:
    manager = UserFactory(username="fault-pm", email="pm@example.com")
    lead = UserFactory(username="fault-lead", email="lead@example.com")
    partners = []
    for name in ("Stopped", "Frozen"):
        partner = PartnerFactory(short_name=name, owner=manager, alliance_manager=lead)
        standard_ladder(partner)
        period = enter_values(scorecard_for(partner), HAND_VALUES)
        partners.append((partner, period))
    token = api_token_create(actor=manager, name="fault test", lifetime_days=7).secret
    return {"token": token, "partners": partners}


def _act(base: str, token: str, partner: Any, period: Period) -> list[tuple[str, int, float]]:
    """Raise an escalation and close a period through the API; probe readiness."""
    results = []
    escalation = {"partner": partner.pk, "title": f"{partner.short_name} line down"}
    status, took = _call("POST", f"{base}/api/v1/governance/escalations/", token, escalation)
    results.append(("escalation", status, took))
    status, took = _call("POST", f"{base}/api/v1/scorecard-periods/{period.pk}/close/", token, {})
    results.append(("close", status, took))
    status, took = _call("GET", f"{base}/readyz", "")
    results.append(("readyz", status, took))
    return results


def _work_done(sink: SmtpSink, partner: Any) -> bool:
    escalation = Escalation.objects.filter(partner=partner).first()
    if escalation is None:
        return False
    subjects = [str(m["Subject"]) for m in sink.messages()]
    arrived = sum(escalation.title in s for s in subjects)
    refreshed = not OutboxMessage.objects.filter(channel="job").exclude(state="sent").exists()
    return arrived == 2 and refreshed and PortfolioRollup.objects.exists()


def test_redis_stopped_then_frozen_requests_succeed_and_the_work_completes_after(
    processes: list[AppProcess], tmp_path: Path
) -> None:
    world = _world()
    (stopped_partner, stopped_period), (frozen_partner, frozen_period) = world["partners"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with own_redis() as redis_server, smtp_sink() as sink:
        env = app_env(**sink.env(), **FAST, REDIS_URL=redis_server.url)
        web = gunicorn(env, port)
        processes.append(web)
        web.start(lambda log: "Booting worker" in log)
        assert wait_until(lambda: _call("GET", f"{base}/healthz", "")[0] == 200, timeout=30)
        for process in (worker(env, "redis-worker"), beat(env, tmp_path / "schedule")):
            processes.append(process)
            process.start(_ready if "worker" in process.name else _beat_ready)

        redis_server.stop()
        stopped = _act(base, world["token"], stopped_partner, stopped_period)
        redis_server.start()
        assert wait_until(lambda: _work_done(sink, stopped_partner), timeout=90), processes[
            1
        ].log()[-3000:]

        redis_server.freeze()
        try:
            frozen = _act(base, world["token"], frozen_partner, frozen_period)
        finally:
            redis_server.thaw()
        assert wait_until(lambda: _work_done(sink, frozen_partner), timeout=90), processes[1].log()[
            -3000:
        ]
        time.sleep(3)
    for what, status, took in stopped + frozen:
        expected = 503 if what == "readyz" else (201 if what == "escalation" else 200)
        assert status == expected, (what, status, web.log()[-2000:])
        assert took < 2.0, (what, took)
    # Nothing was written twice, and every e-mail arrived once.
    assert Escalation.objects.count() == 2
    assert AuditEvent.objects.filter(action="period.close").count() == 2
    assert Period.objects.filter(pk__in=[stopped_period.pk, frozen_period.pk],
                                 status="closed").count() == 2  # fmt: skip
    counts = sink.counts()
    assert set(counts.values()) == {1}
    assert len(counts) == Notification.objects.filter(emailed_at__isnull=False).count() == 4
    assert not OutboxMessage.objects.exclude(state="sent").exists()
    print("stopped:", stopped, "frozen:", frozen)


def test_ready_probe_with_redis_frozen_answers_503_fast(settings) -> None:
    """The probe alone, in-process (the gunicorn test above covers it over HTTP too)."""
    from django.test import Client

    with own_redis() as redis_server:
        settings.CELERY_BROKER_URL = redis_server.url
        assert Client().get("/readyz").status_code == 200
        redis_server.freeze()
        try:
            started = time.monotonic()
            response = Client().get("/readyz")
            took = time.monotonic() - started
        finally:
            redis_server.thaw()
    assert response.status_code == 503 and response.json()["failing"] == ["redis"]
    assert took < 2.0
    assert timedelta(seconds=took) < timedelta(seconds=2)

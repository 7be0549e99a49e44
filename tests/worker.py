"""A real Celery worker process for integration tests, on the suite's Redis and test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``celery worker`` against the test database; stop it after the session."""
    env = dict(os.environ)
    env["DATABASE_URL"] = _test_database_url()
    (ROOT / ".data").mkdir(exist_ok=True)
    log = open(ROOT / ".data" / "test-worker.log", "wb")  # noqa: SIM115 - lives for the session
    base = [sys.executable, "-m", "celery", "-A", "srm"]
    subprocess.run([*base, "purge", "-f"], env=env, cwd=ROOT, check=True, capture_output=True)
    proc = subprocess.Popen(
        [
            *base,
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while b"ready." not in (ROOT / ".data" / "test-worker.log").read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                "The Celery worker did not start:\n"
                + (ROOT / ".data" / "test-worker.log").read_text()[-4000:]
            )
        time.sleep(0.2)
    yield proc
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def worker_log() -> str:
    return (ROOT / ".data" / "test-worker.log").read_text(errors="replace")


def finished_count(task_name: str) -> int:
    """How many runs of ``task_name`` the test worker has finished (succeeded or raised)."""
    return sum(
        1
        for line in worker_log().splitlines()
        if f"Task {task_name}[" in line and ("succeeded in" in line or "raised" in line)
    )


def wait_for_idle_worker(timeout: float = 30.0) -> bool:
    """Wait until the test worker has finished every task it received, and stays so for a
    second: a finished job may wake an outbox sweep that the next test must not race (its
    database flush would deadlock with the sweep's writes)."""
    deadline = time.monotonic() + timeout
    calm = 0
    while time.monotonic() < deadline:
        log = worker_log().splitlines()
        received = sum(1 for line in log if "] received" in line)
        finished = sum(
            1
            for line in log
            if "Discarding revoked task" in line
            or ("Task " in line and any(e in line for e in ("succeeded in", "raised", " retry: ")))
        )
        calm = calm + 1 if received <= finished else 0
        if calm >= 4:
            return True
        time.sleep(0.3)
    return False


@pytest.fixture(autouse=True)
def _test_worker_idle_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that used the suite's worker ends when the worker is idle, so follow-up work
    (an outbox sweep a finished job woke) never runs into the next test's database flush."""
    yield
    if "celery_worker_process" in request.fixturenames:
        wait_for_idle_worker()

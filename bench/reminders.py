"""How fast reminders go out: 10,000 due reminders dispatched through one Celery worker.

10,000 overdue action items (100 partners, 100 owners) are due for a reminder. One worker
process (solo pool) runs the hourly reminder job, which writes 10,000 notifications and
their outbox rows, then its outbox sweep sends the e-mails over SMTP to a local server
(aiosmtpd) that counts them. Timed: the job, the dispatch, the whole; and checked: every
e-mail arrived exactly once.

- ``python -m bench.reminders [--database NAME] [--json]``: in a throw-away database
  (default ``srm_bench_reminders``) on the configured server (like ``bench.run``), with a
  Redis server of its own when ``redis-server`` is installed (else ``REDIS_URL``).
- ``bench.reminders.run() -> dict``: the same from another benchmark runner, in a subprocess.
  Always a database of its own: in a generated portfolio the hourly job would also remind
  its 200,000 overdue actions, meetings and charters, so exactly 10,000 needs an empty one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "srm_bench_reminders"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message_id = str(message_from_bytes(envelope.content)["Message-ID"])
        with self.lock:
            self.ids[message_id] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _seed(n: int) -> None:
    from core.models import User
    from governance.models import ActionItem
    from partners.models import Partner

    owners = User.objects.bulk_create(
        User(username=f"bench-owner-{i}", email=f"owner{i}@bench.example.com") for i in range(100)
    )
    partners = Partner.objects.bulk_create(
        Partner(legal_name=f"Bench partner {i}", short_name=f"BP{i}", country="DE")
        for i in range(100)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            partner=partners[i % 100],
            title=f"Send the sample batch {i}",
            owner_user=owners[i % 100],
            due_date=date(2026, 1, 5),
        )
        for i in range(n)
    )


def run(n: int = 10_000, *, database: str = BENCH_DB) -> dict[str, Any]:
    """Dispatch ``n`` reminders in the throw-away database ``database`` (same server as the
    caller's ``DATABASE_URL``), in a subprocess; its timings."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.reminders", "--json", "--rows", str(n),
         "--database", database],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _dispatch(n: int = 10_000, *, timeout: float = 900) -> dict[str, Any]:
    """Seed ``n`` due reminders, dispatch them through one worker, return the timings."""
    from aiosmtpd.controller import Controller
    from django.db import connection

    from core.models import Notification, OutboxMessage

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    _seed(n)
    counter = _Counter()
    smtp = Controller(counter, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    redis_proc = None
    redis_url = os.environ.get("REDIS_URL", "")
    if shutil.which("redis-server"):
        port = _free_port()
        redis_proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        redis_url = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)
    env = dict(os.environ) | {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "SRM_CELERY_QUEUE": f"srm-bench-{os.getpid()}",
        "SRM_ENV": os.environ.get("SRM_ENV", "test"),
        "SRM_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SRM_EMAIL_HOST": "127.0.0.1",
        "SRM_EMAIL_PORT": str(smtp.port),
    }
    connection.close()  # the worker writes; keep no transaction of ours open
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the worker writes it until the end
        prefix="srm-bench-worker-", suffix=".log", delete=False
    )
    celery = [sys.executable, "-m", "celery", "-A", "srm"]
    worker = subprocess.Popen(
        [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", "--without-heartbeat",
         "--without-mingle", "--without-gossip"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        while b"ready." not in Path(log.name).read_bytes():
            if worker.poll() is not None:
                raise RuntimeError(Path(log.name).read_text()[-3000:])
            time.sleep(0.1)
        subprocess.run(
            [*celery, "call", "governance.tasks.governance_reminders",
             "--queue", env["SRM_CELERY_QUEUE"]],
            env=env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        started = time.monotonic()
        written_at = None
        while counter.total() < n and time.monotonic() - started < timeout:
            if written_at is None and OutboxMessage.objects.count() >= n:
                written_at = time.monotonic()
            time.sleep(0.25)
        finished = time.monotonic()
        time.sleep(2)  # a late duplicate would arrive now
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:  # a solo worker finishes its task before it stops
            worker.kill()
            worker.wait(10)
        smtp.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(10)
    written = (written_at or finished) - started
    total = finished - started
    result = {
        "reminders": n,
        "emails_received": counter.total(),
        "distinct_emails": len(counter.ids),
        "duplicates": counter.total() - len(counter.ids),
        "notifications": Notification.objects.count(),
        "seconds_total": round(total, 1),
        "seconds_job": round(written, 1),
        "seconds_dispatch": round(total - written, 1),
        "emails_per_second": round(counter.total() / total, 1) if total else 0.0,
    }
    return result


def main(argv: list[str]) -> int:
    import psycopg

    from bench.run import database_url, server_url

    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("--database", default=BENCH_DB, help="a throw-away database name")
    parser.add_argument("--rows", type=int, default=10_000, help="due reminders to dispatch")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    database = args.database
    if not database.replace("_", "").isalnum():
        parser.error("--database: letters, digits and underscores only")

    def _admin(sql: str) -> None:
        with psycopg.connect(server_url(), autocommit=True) as conn:
            conn.execute(sql)

    os.environ.setdefault("SRM_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    os.environ["DATABASE_URL"] = database_url(database)
    _admin(f"DROP DATABASE IF EXISTS {database}")
    _admin(f"CREATE DATABASE {database}")
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        result = _dispatch(args.rows)
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{result['reminders']} due reminders through one worker: "
                f"{result['seconds_total']} s in all ({result['seconds_job']} s writing the "
                f"notifications, {result['seconds_dispatch']} s sending), "
                f"{result['emails_per_second']} e-mails/s; received {result['emails_received']}, "
                f"duplicates {result['duplicates']}"
            )
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {database}")
    return 0 if result["distinct_emails"] == result["reminders"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

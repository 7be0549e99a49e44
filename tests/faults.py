"""Real servers a fault test can break: an SMTP server, a Redis server of its own, and the
app's own processes (Celery worker and beat, gunicorn) pointed at them.

Never the shared Redis on 6379: each test that stops or freezes Redis starts its own on a
free port. Every process is started by the test and stopped by it, by its own handle.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.worker import ROOT, _test_database_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class _Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.message_ids: list[str] = []
        self.messages: list[Any] = []
        self.refuse_with: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.message_ids.append(str(message["Message-ID"]))
            self.messages.append(message)
        return "250 OK"


class SmtpSink:
    """A local SMTP server that records what it accepts; it can go down and come back."""

    def __init__(self) -> None:
        self.port = free_port()
        self.recorder = _Recorder()
        self._controller: Controller | None = None

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def count(self) -> int:
        with self.recorder.lock:
            return len(self.recorder.message_ids)

    def counts(self) -> Counter[str]:
        with self.recorder.lock:
            return Counter(self.recorder.message_ids)

    def messages(self) -> list[Any]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def env(self) -> dict[str, str]:
        """Environment for an app process that should mail through this server."""
        return {
            "SRM_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "SRM_EMAIL_HOST": "127.0.0.1",
            "SRM_EMAIL_PORT": str(self.port),
            "SRM_EMAIL_TIMEOUT": "5",
        }


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


class OwnRedis:
    """A Redis server of the test's own: it can be stopped, restarted and frozen."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server must be installed (.ci/run installs it)"
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    def freeze(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class AppProcess:
    """One of the app's processes (worker, beat, web) with its log under .data/."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.log_path = ROOT / ".data" / f"test-{name}.log"
        self.args = args
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready: Callable[[str], bool], timeout: float = 60) -> None:
        (ROOT / ".data").mkdir(exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            self.args, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not ready(self.log()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, as a crash or the OOM killer does it."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def app_env(**extra: str) -> dict[str, str]:
    """The environment of an app process on the test database (and the given overrides)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = _test_database_url()
    env.update(extra)
    return env


CELERY = [sys.executable, "-m", "celery", "-A", "srm"]


def worker(env: dict[str, str], name: str = "fault-worker") -> AppProcess:
    return AppProcess(
        name,
        [*CELERY, "worker", "--pool", "solo", "--loglevel", "INFO", "--without-heartbeat",
         "--without-mingle", "--without-gossip", "-n", f"{name}@%h"],
        env,
    )  # fmt: skip


def beat(env: dict[str, str], schedule: Path) -> AppProcess:
    return AppProcess(
        "fault-beat",
        [*CELERY, "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
        env,
    )


def gunicorn(env: dict[str, str], port: int) -> AppProcess:
    return AppProcess(
        "fault-web",
        [sys.executable, "-m", "gunicorn", "srm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30", "--log-level", "info"],
        env,
    )  # fmt: skip


def purge_queue(env: dict[str, str]) -> None:
    subprocess.run([*CELERY, "purge", "-f"], env=env, cwd=ROOT, check=True, capture_output=True)

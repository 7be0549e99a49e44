"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.backoff import NoBackoff
from redis.retry import Retry

from srm.celery import app as celery_app


def _broker_name() -> str:
    return "redis" if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "broker"


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready", with the reason shown
        return f"{type(exc).__name__}: {exc}"
    return None


def _check_broker() -> str | None:
    """One PING with short connect and reply timeouts (0.75 s each) and no retries, so a
    Redis that is down, or up but frozen, makes the probe answer 503 within 1.5 s."""
    try:
        if _broker_name() == "redis":
            timeout = min(settings.SRM_BROKER_TIMEOUT, 0.75)
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=0,
            )
            try:
                client.ping()
            finally:
                client.close()
            return None
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachable: 200; otherwise 503 naming what failed."""
    failures = {"database": _check_database(), _broker_name(): _check_broker()}
    failing = [name for name, error in failures.items() if error]
    body: dict[str, object] = {
        "status": "unavailable" if failing else "ok",
        "checks": {name: error or "ok" for name, error in failures.items()},
    }
    if failing:
        body["failing"] = failing
        body["detail"] = f"Not ready: {', '.join(failing)} unreachable."
    return JsonResponse(body, status=503 if failing else 200)

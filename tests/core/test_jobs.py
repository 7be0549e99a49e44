"""Worker settings: retries on the errors that really occur, and a killed worker's job back in
minutes (visibility timeout above every task's time limit plus its longest retry wait)."""

from __future__ import annotations

import smtplib

import django.db
import kombu.exceptions
import pytest
import redis.exceptions
from django.conf import settings

from core.jobs import RETRY_BACKOFF_MAX_SECONDS
from srm.celery import app

app.loader.import_default_modules()
TASKS = sorted(name for name in app.tasks if not name.startswith("celery."))


@pytest.mark.parametrize("name", TASKS)
def test_every_task_retries_database_broker_and_smtp_errors(name: str) -> None:
    task = app.tasks[name]
    for error in (
        django.db.OperationalError("server closed the connection"),
        django.db.InterfaceError("connection already closed"),
        kombu.exceptions.OperationalError("Error 111 connecting"),
        redis.exceptions.ConnectionError("Connection refused"),
        smtplib.SMTPServerDisconnected("gone"),
        ConnectionResetError(),
    ):
        assert isinstance(error, tuple(task.autoretry_for)), (name, error)
    assert not isinstance(ValueError("a bug"), tuple(task.autoretry_for))
    assert task.retry_backoff and task.retry_backoff_max <= RETRY_BACKOFF_MAX_SECONDS
    assert hasattr(task, "delay_on_commit")


def test_a_killed_workers_job_comes_back_in_minutes_not_an_hour() -> None:
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility <= 600
    longest = max(app.tasks[name].time_limit or settings.CELERY_TASK_TIME_LIMIT for name in TASKS)
    assert longest + RETRY_BACKOFF_MAX_SECONDS < visibility


def test_every_broker_connection_has_short_timeouts() -> None:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2
    assert options["retry_on_timeout"] is False
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    assert settings.CELERY_REDIS_SOCKET_TIMEOUT <= 2

"""The base of every background job: which errors are worth a retry, and how retries wait.

``srm.celery`` makes :class:`SrmTask` the class of every task, so a task retries on the
errors that really occur when a dependency hiccups — Django's and Kombu's
``OperationalError`` (not the built-in ``ConnectionError``, which neither of them is),
Redis connection errors, SMTP errors and socket errors — and on nothing else.
"""

from __future__ import annotations

import smtplib
from typing import Any

import django.db
import kombu.exceptions
import redis.exceptions
from celery.contrib.django.task import DjangoTask

# OSError covers the built-in ConnectionError/TimeoutError and every socket error.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    django.db.OperationalError,
    django.db.InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    smtplib.SMTPException,
    OSError,
)

# A retry's longest wait. With the task time limit (300 s) it stays below the broker's
# visibility timeout (600 s, settings.py), or Redis would hand a waiting task out twice.
RETRY_BACKOFF_MAX_SECONDS = 240


class SrmTask(DjangoTask[Any, Any]):  # DjangoTask: delay_on_commit()
    """Every SRM task: retries transient errors with exponential backoff and jitter."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = RETRY_BACKOFF_MAX_SECONDS
    retry_jitter = True
    max_retries = 5

"""Loaded with ``-p tests.environment`` before Django starts: the suite's environment.

Values already in the environment win, so CI or a developer can point the suite at other
servers (DATABASE_URL, REDIS_URL).
"""

import os

os.environ.setdefault("SRM_ENV", "test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/srm")
# A database number of its own, so the suite's worker never takes jobs of a running demo.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SRM_CELERY_QUEUE", "srm-test")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous, so Django's async-safety guard would be a false alarm.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

"""SRM project package: settings, URLs, the Celery app, dashboards and the partner portal shell."""

from srm.celery import app as celery_app

__all__ = ("celery_app",)

"""The Celery application; tasks live in each app's tasks.py and are found automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")

# Every task is a core.jobs.SrmTask: retries on the transient errors that really occur.
app = Celery("srm", task_cls="core.jobs:SrmTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

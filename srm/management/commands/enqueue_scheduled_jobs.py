from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from srm.celery import app


class Command(BaseCommand):
    help = (
        "Send every job of the beat schedule to the worker once, now (they are idempotent). "
        "`make run` does this at start so the demo's reminders and escalations appear at once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            app.send_task(str(entry["task"]))
            self.stdout.write(f"sent {name}")

from typing import Any

from django.core.management.base import BaseCommand

from srm.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Load the demo portfolio (idempotent: running it again updates, never duplicates)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo portfolio loaded: {summary}."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(DEMO_USERS))

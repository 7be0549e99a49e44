from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from srm.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo portfolio, dated relative to the day it is loaded (idempotent: running "
        "it again the same day updates, never duplicates)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Date the demo as if loaded on this day (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("Give --today as YYYY-MM-DD.") from exc
        counts = seed_demo(today)
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo portfolio loaded: {summary}."))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(DEMO_USERS))

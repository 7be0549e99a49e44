from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.portfolio import PortfolioExists, generate
from bench.users import EXECUTIVE, MANAGER, PASSWORD, SUPPLIER


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database with a generated portfolio for benchmarks: at "
        "--scale 1.0 5,000 partners, ~115,000 scorecard periods, ~2.4 M measurements, "
        "~50,000 meetings and 200,000 actions (set-based; minutes, not hours)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 = 5,000 partners; 0.1 = 500."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = float(options["scale"])
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        try:
            generate(scale, say=self.stdout.write)
        except PortfolioExists as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Sign in as {MANAGER}, {EXECUTIVE} or {SUPPLIER} (password {PASSWORD})."
            )
        )

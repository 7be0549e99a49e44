from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import FieldErrors
from core.roles import SystemActor
from srm.partnership_import import parse_file, partnership_import


class Command(BaseCommand):
    help = (
        "Recreate a partnership from its JSON export (all or nothing; refused when the "
        "partner exists here or the file is of another format version)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The export file (.json).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            partner = partnership_import(
                actor=SystemActor("import_partnership command"), data=parse_file(content)
            )
        except FieldErrors as exc:
            lines = [f"  {where}: {m}" for where, texts in exc.errors.items() for m in texts]
            raise CommandError("Nothing was imported:\n" + "\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Imported the partnership with {partner} (id {partner.pk}).")
        )

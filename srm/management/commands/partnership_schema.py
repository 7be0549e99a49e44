from typing import Any

from django.core.management.base import BaseCommand

from srm.partnership_export import VIEWS
from srm.partnership_schema import schema_path, schema_text


class Command(BaseCommand):
    help = "Rewrite the committed JSON Schemas of the partnership export (srm/schemas/)."

    def handle(self, *args: Any, **options: Any) -> None:
        for view in VIEWS:
            path = schema_path(view)
            path.write_text(schema_text(view), encoding="utf-8")
            self.stdout.write(f"Wrote {path}")

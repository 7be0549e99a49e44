"""Before 0002 the API accepted any time-zone name; such a meeting broke its .ics and the
feeds holding it. Move rows with an unknown zone to Europe/Berlin (the default), keeping the
instant: start and end are stored in UTC and do not change."""

from typing import Any

from django.db import migrations

from governance.cadence import is_valid_tz_name

DEFAULT_ZONE = "Europe/Berlin"


def repair_unknown_time_zones(apps: Any, schema_editor: Any) -> None:
    for model_name in ("Meeting", "Cadence"):
        model = apps.get_model("governance", model_name)
        names = set(model.objects.values_list("tz_name", flat=True).distinct())
        bad = [name for name in names if not is_valid_tz_name(name)]
        if bad:
            model.objects.filter(tz_name__in=bad).update(tz_name=DEFAULT_ZONE)


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_lesson_full_text_search")]

    operations = [migrations.RunPython(repair_unknown_time_zones, migrations.RunPython.noop)]

"""Seed the readiness & alignment template with the default criteria (SPEC 1.5)."""

from typing import Any

from django.db import migrations


def create_default_template(apps: Any, schema_editor: Any) -> None:
    from partners.readiness import DEFAULT_CRITERIA

    criterion_model = apps.get_model("partners", "ReadinessCriterion")
    for position, criterion in enumerate(DEFAULT_CRITERIA, start=1):
        criterion_model.objects.get_or_create(
            code=criterion.code,
            defaults={
                "label": criterion.label,
                "dimension": criterion.dimension.value,
                "weight": criterion.weight,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_readiness_template")]

    operations = [migrations.RunPython(create_default_template, migrations.RunPython.noop)]

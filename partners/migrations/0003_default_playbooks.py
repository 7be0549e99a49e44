"""Store the default playbook of each engagement model (SPEC 1.3); admins edit them later."""

from typing import Any

from django.db import migrations


def create_default_playbooks(apps: Any, schema_editor: Any) -> None:
    from partners.playbooks import DEFAULT_PLAYBOOKS

    playbook_model = apps.get_model("partners", "EngagementPlaybook")
    for model, playbook in DEFAULT_PLAYBOOKS.items():
        playbook_model.objects.get_or_create(
            engagement_model=model.value,
            defaults={
                "cadences": list(playbook.cadences),
                "scorecard_template_code": playbook.scorecard_template_code,
                "sponsor_level": playbook.sponsor_level.value,
                "survey_frequency_months": playbook.survey_frequency_months,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_playbooks_segmentation_readiness_agreements_risk")]

    operations = [migrations.RunPython(create_default_playbooks, migrations.RunPython.noop)]
